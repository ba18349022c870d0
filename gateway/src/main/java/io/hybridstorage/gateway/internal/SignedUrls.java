package io.hybridstorage.gateway.internal;

import com.google.common.hash.Hashing;
import com.google.common.io.BaseEncoding;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies V4 signed URLs issued for the gateway's host (GCS's query-string authentication:
 * {@code X-Goog-Algorithm}, {@code X-Goog-Credential}, {@code X-Goog-Date}, {@code X-Goog-Expires},
 * {@code X-Goog-SignedHeaders}, {@code X-Goog-Signature}): the canonical request is rebuilt from
 * what arrived (method, path as sent, the query without the signature, the signed headers), the
 * string to sign from it, and the signature checked with the signer's configured key — an RSA
 * public key for a service account ({@code GOOG4-RSA-SHA256}, what {@code Storage.signUrl} makes),
 * or an HMAC secret ({@code GOOG4-HMAC-SHA256}). The signer's tenant is the caller. Signatures are
 * never logged.
 */
public final class SignedUrls {

  /** The longest a V4 signed URL may live (GCS: 7 days). */
  static final long MAX_EXPIRES_SECONDS = 604_800;
  /** How far in the future a signing time may lie (clock skew between signer and gateway). */
  static final long SKEW_SECONDS = 900;
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);

  /** A key that signs URLs, and the tenant its URLs act as. */
  public record Signer(String account, @Nullable PublicKey rsaKey, @Nullable String hmacSecret,
      Tenants.Tenant tenant) {

    public Signer {
      if ((rsaKey == null) == (hmacSecret == null)) {
        throw new IllegalArgumentException("signer " + account + " needs exactly one of an RSA key and an HMAC secret");
      }
    }
  }

  private final Map<String, Signer> byAccount;
  private final Clock clock;

  public SignedUrls(Map<String, Signer> byAccount, Clock clock) {
    this.byAccount = Map.copyOf(byAccount);
    this.clock = clock;
  }

  /** Whether the request carries a V4 signature (and so must be verified, whatever else it has). */
  static boolean isSigned(Call call) {
    return call.param("X-Goog-Signature") != null;
  }

  /** The tenant of a request whose signature verifies; 400 for a malformed or expired URL, 403 for a bad signature. */
  Tenants.Tenant verify(Call call) {
    String algorithm = required(call, "X-Goog-Algorithm");
    boolean rsa = algorithm.equals("GOOG4-RSA-SHA256");
    if (!rsa && !algorithm.equals("GOOG4-HMAC-SHA256")) {
      throw ApiException.invalid("Unsupported X-Goog-Algorithm '" + Call.printable(algorithm)
          + "' (GOOG4-RSA-SHA256 and GOOG4-HMAC-SHA256 are)");
    }
    String credential = required(call, "X-Goog-Credential");
    String[] scope = credential.split("/");
    if (scope.length != 5 || !scope[3].equals("storage") || !scope[4].equals("goog4_request")) {
      throw ApiException.invalid("Malformed X-Goog-Credential: expected account/date/region/storage/goog4_request");
    }
    String dateText = required(call, "X-Goog-Date");
    Instant signedAt;
    try {
      signedAt = LocalDateTime.parse(dateText, DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid("Malformed X-Goog-Date '" + Call.printable(dateText) + "'");
    }
    if (!dateText.startsWith(scope[1])) {
      throw ApiException.invalid("X-Goog-Date and the date of X-Goog-Credential differ");
    }
    long expires;
    try {
      expires = Long.parseLong(required(call, "X-Goog-Expires"));
    } catch (NumberFormatException e) {
      throw ApiException.invalid("Malformed X-Goog-Expires");
    }
    if (expires < 1 || expires > MAX_EXPIRES_SECONDS) {
      throw ApiException.invalid("X-Goog-Expires must be between 1 and " + MAX_EXPIRES_SECONDS + " seconds");
    }
    Instant now = clock.instant();
    if (now.isAfter(signedAt.plusSeconds(expires))) {
      throw new ApiException(400, "expiredToken", "Request signature expired at " + signedAt.plusSeconds(expires));
    }
    if (signedAt.isAfter(now.plusSeconds(SKEW_SECONDS))) {
      throw new ApiException(400, "invalid", "Request signature is dated in the future (" + dateText + ")");
    }
    Signer signer = byAccount.get(scope[0]);
    if (signer == null || (rsa != (signer.rsaKey() != null))) {
      throw new ApiException(403, "forbidden", "The signer of this URL is not one this gateway accepts");
    }
    String signedHeaders = required(call, "X-Goog-SignedHeaders");
    if (!(";" + signedHeaders + ";").contains(";host;")) {
      throw ApiException.invalid("X-Goog-SignedHeaders must include host");
    }
    String stringToSign = algorithm + "\n" + dateText + "\n" + scope[1] + "/" + scope[2] + "/storage/goog4_request\n"
        + Hashing.sha256().hashString(canonicalRequest(call, signedHeaders), StandardCharsets.UTF_8);
    byte[] signature;
    try {
      signature = BaseEncoding.base16().lowerCase().decode(call.param("X-Goog-Signature").toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ApiException(403, "forbidden", "The request signature does not match");
    }
    if (!(rsa ? rsaVerifies(signer.rsaKey(), stringToSign, signature)
        : hmacVerifies(signer.hmacSecret(), scope, stringToSign, signature))) {
      throw new ApiException(403, "forbidden", "The request signature does not match");
    }
    return signer.tenant();
  }

  private static String required(Call call, String name) {
    String v = call.param(name);
    if (v == null || v.isEmpty()) {
      throw ApiException.invalid("A signed URL needs " + name);
    }
    return v;
  }

  /** GCS's canonical request of a V4 signed URL, from the request as it arrived. */
  static String canonicalRequest(Call call, String signedHeaders) {
    StringBuilder c = new StringBuilder();
    c.append(call.method).append('\n');
    c.append(call.exchange.rawPath()).append('\n');
    TreeMap<String, String> query = new TreeMap<>();
    call.params().forEach((k, v) -> {
      if (!k.equals("X-Goog-Signature")) {
        query.put(encode(k), encode(v));
      }
    });
    StringBuilder q = new StringBuilder();
    query.forEach((k, v) -> q.append(q.length() == 0 ? "" : "&").append(k).append('=').append(v));
    c.append(q).append('\n');
    String payload = "UNSIGNED-PAYLOAD";
    for (String name : signedHeaders.split(";")) {
      String value = call.header(name);
      if (value == null) {
        throw new ApiException(403, "forbidden", "The signed header '" + Call.printable(name) + "' is missing");
      }
      c.append(name.toLowerCase(Locale.ROOT)).append(':').append(value.trim().replaceAll("\\s+", " ")).append('\n');
      if (name.equalsIgnoreCase("x-goog-content-sha256")) {
        payload = value.trim();
      }
    }
    c.append('\n').append(signedHeaders).append('\n').append(payload);
    return c.toString();
  }

  /** RFC 3986 encoding: unreserved characters as they are, every other byte of UTF-8 as %XX. */
  static String encode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static boolean rsaVerifies(PublicKey key, String stringToSign, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(key);
      verifier.update(stringToSign.getBytes(StandardCharsets.UTF_8));
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** HMAC V4: the signing key derived from the secret as GCS (and SigV4) derive it. */
  private static boolean hmacVerifies(String secret, String[] scope, String stringToSign, byte[] signature) {
    byte[] key = hmac(("GOOG4" + secret).getBytes(StandardCharsets.UTF_8), scope[1]);
    key = hmac(key, scope[2]);
    key = hmac(key, "storage");
    key = hmac(key, "goog4_request");
    return MessageDigest.isEqual(hmac(key, stringToSign), signature);
  }

  static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
