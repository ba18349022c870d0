package io.hybridstorage.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hybridstorage.api.ConfigSection;
import io.hybridstorage.api.HybridStorage;
import io.hybridstorage.api.HybridStorageConfigException;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A gateway from the SDK's configuration file: the world (sites, placements, profiles, routing)
 * as {@link HybridStorageOptions} reads it, and the file's {@code gateway:} section:
 *
 * <pre>
 * gateway:
 *   host: 0.0.0.0               # default 127.0.0.1
 *   port: 8080                  # default 8080
 *   hosts: gcs.dc1.example.com  # names clients use (comma-separated), beyond this machine's own
 *   accessFile: /etc/hybrid-gateway/access.yaml   # bearer tokens per profile (below)
 *   anonymous: refuse           # refuse (default) | unbounded | a profile's name
 *   idleTimeout: 30s            # stopTimeout 30s, sessionIdle 24h, maxThreads 200, maxConnections 10000, requestHeaderSize 16KiB
 *   tlsKeyStore: /etc/hybrid-gateway/gateway.p12  # with tlsCredentialsRef: the variable holding its password
 *   tlsTrustStore: /etc/hybrid-gateway/clients.p12  # tlsClientAuth: want | need (mTLS)
 *   notificationSink: memory    # none (default) | memory: emit GCS notifications (below)
 * </pre>
 *
 * With {@code notificationSink: memory} the gateway serves the notification configuration calls
 * ({@code Storage.createNotification} and the rest) and publishes each change made through it, in
 * GCS's format, into an in-memory sink ({@code InMemoryNotificationSink}) that code in the same
 * process reads through {@link Gateway#notificationSink()}: the embedded world's feed. A sink of
 * one's own (e.g. Cloud Pub/Sub) is set in code with {@link Gateway.Builder#notificationSink}.
 *
 * The access file (kept out of the configuration, which holds no secrets) maps each profile to
 * the tokens issued for it; {@code "*"} is the platform's unbounded tokens:
 *
 * <pre>
 * tokens:
 *   sales: [ "s3cr3t-token-for-sales" ]
 *   "*":   [ "operators-token" ]
 * </pre>
 *
 * and the keys whose V4 signed URLs the gateway accepts, each acting within a profile: a service
 * account's public key (PEM, a public key or an X.509 certificate) or an HMAC key's secret:
 *
 * <pre>
 * signers:
 *   - {account: "sales-jobs@retail.iam.gserviceaccount.com", profile: sales,
 *      publicKeyFile: /etc/hybrid-gateway/sales.pem}
 *   - {account: "GOOG1EXAMPLEACCESSID", hmacSecret: "…", profile: finance}
 * </pre>
 *
 * The environment variable {@value #TOKENS_ENV} adds tokens as {@code profile:token,profile:token}.
 */
public final class GatewayConfig {

  /** Tokens from the environment: {@code profile:token} pairs, comma-separated. */
  public static final String TOKENS_ENV = "HYBRID_GATEWAY_TOKENS";
  static final List<String> KEYS = List.of("host", "port", "hosts", "origins", "accessFile", "anonymous",
      "idleTimeout", "stopTimeout", "sessionIdle", "maxThreads", "maxConnections", "requestHeaderSize",
      "tlsKeyStore", "tlsCredentialsRef", "tlsTrustStore", "tlsClientAuth", "notificationSink");

  private GatewayConfig() {}

  /** Opens the configured world and serves it; closing the gateway closes the world. */
  public static Gateway start(HybridStorageOptions options, Function<String, String> environment) {
    ConfigSection section = options.gateway();
    List<String> problems = new ArrayList<>(section.unknownKeys(KEYS));
    String sink = section.text("notificationSink", "none");
    if (!sink.equals("none") && !sink.equals("memory")) {
      problems.add(section.mustBe("notificationSink", "none or memory"));
    }
    section.requireNoProblems(problems);
    if (options.activeProfile().isPresent()) {
      throw new HybridStorageConfigException(section.origin(), List.of("a profile is selected ("
          + options.activeProfile().get().name() + "), but the gateway serves every profile through its tokens: "
          + "unset HYBRID_STORAGE_PROFILE for the gateway"));
    }
    ObjectStore world = HybridStorage.openStore(options);
    try {
      Gateway.Builder b = Gateway.builder(world).owning(world::close).placements(options.placements());
      b.host(section.text("host", "127.0.0.1"));
      b.port(section.wholeNumber("port", 8080));
      b.hosts(list(section.text("hosts", "")));
      b.origins(list(section.text("origins", "")));
      b.idleTimeout(section.duration("idleTimeout", Duration.ofSeconds(30)));
      b.stopTimeout(section.duration("stopTimeout", Duration.ofSeconds(30)));
      b.sessionIdle(section.duration("sessionIdle", Duration.ofHours(24)));
      b.maxThreads(section.wholeNumber("maxThreads", 200));
      b.maxConnections(section.wholeNumber("maxConnections", 10_000));
      b.requestHeaderSize((int) section.size("requestHeaderSize", 16 * 1024));
      if (sink.equals("memory")) {
        b.notificationSink(new io.hybridstorage.memory.InMemoryNotificationSink());
      }
      String anonymous = section.text("anonymous", "refuse");
      if (anonymous.equals("unbounded")) {
        b.allowAnonymous();
      } else if (!anonymous.equals("refuse")) {
        b.allowAnonymous(profile(options, anonymous, section, "anonymous"));
      }
      String accessFile = section.text("accessFile", null);
      if (accessFile != null) {
        tokensFromFile(Path.of(accessFile), options, section, b);
      }
      String fromEnv = environment.apply(TOKENS_ENV);
      if (fromEnv != null && !fromEnv.isBlank()) {
        for (String pair : fromEnv.split(",")) {
          int colon = pair.indexOf(':');
          if (colon <= 0 || colon == pair.length() - 1) {
            throw new HybridStorageConfigException(TOKENS_ENV, List.of(TOKENS_ENV + ": each entry is profile:token "
                + "(the profile '*' for unbounded tokens)"));
          }
          add(b, options, section, pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
        }
      }
      String keyStore = section.text("tlsKeyStore", null);
      if (keyStore != null) {
        String ref = section.text("tlsCredentialsRef", null);
        String password = ref == null ? null : environment.apply(ref);
        if (password == null) {
          throw new HybridStorageConfigException(section.origin(), List.of("gateway.tlsKeyStore needs "
              + "gateway.tlsCredentialsRef naming a set environment variable that holds the key store's password"));
        }
        b.tls(Path.of(keyStore), password);
        String trustStore = section.text("tlsTrustStore", null);
        if (trustStore != null) {
          String clientAuth = section.text("tlsClientAuth", "want");
          if (!clientAuth.equals("want") && !clientAuth.equals("need")) {
            throw new HybridStorageConfigException(section.origin(), List.of(section.mustBe("tlsClientAuth",
                "want or need")));
          }
          b.clientCertificates(Path.of(trustStore), password, clientAuth.equals("need"));
        }
      }
      return b.start();
    } catch (RuntimeException | Error e) {
      world.close();
      throw e;
    }
  }

  private static List<String> list(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static Profile profile(HybridStorageOptions options, String name, ConfigSection section, String key) {
    Profile p = options.profiles().get(name);
    if (p == null) {
      throw new HybridStorageConfigException(section.origin(), List.of("gateway." + key + ": no profile '" + name
          + "' is configured; profiles: " + options.profiles().keySet()));
    }
    return p;
  }

  private static void add(Gateway.Builder b, HybridStorageOptions options, ConfigSection section, String profile,
      String token) {
    if (profile.equals("*")) {
      b.unboundedToken(token);
    } else {
      b.token(token, profile(options, profile, section, "tokens"));
    }
  }

  private static void tokensFromFile(Path file, HybridStorageOptions options, ConfigSection section,
      Gateway.Builder b) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (IOException e) {
      throw new HybridStorageConfigException(file.toString(), List.of("cannot read the gateway's access file: "
          + e.getMessage()));
    }
    JsonNode tokens = root == null ? null : root.get("tokens");
    if (tokens == null || !tokens.isObject()) {
      throw new HybridStorageConfigException(file.toString(), List.of("tokens: missing; map each profile to a "
          + "list of tokens, e.g. tokens: {sales: [\"…\"]}"));
    }
    JsonNode signers = root.get("signers");
    if (signers != null) {
      if (!signers.isArray()) {
        throw new HybridStorageConfigException(file.toString(), List.of("signers: must be a list of "
            + "{account, publicKeyFile | hmacSecret, profile}"));
      }
      int i = 0;
      for (JsonNode signer : signers) {
        signer(file, "signers[" + i++ + "]", signer, options, section, b);
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = tokens.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isArray()) {
        throw new HybridStorageConfigException(file.toString(), List.of("tokens." + e.getKey()
            + ": must be a list of tokens"));
      }
      for (JsonNode t : e.getValue()) {
        if (!t.isTextual() || t.asText().isBlank()) {
          throw new HybridStorageConfigException(file.toString(), List.of("tokens." + e.getKey()
              + ": each token must be non-empty text"));
        }
        add(b, options, section, e.getKey(), t.asText());
      }
    }
  }

  private static void signer(Path file, String path, JsonNode node, HybridStorageOptions options,
      ConfigSection section, Gateway.Builder b) {
    String account = node.path("account").asText("");
    String keyFile = node.path("publicKeyFile").asText("");
    String secret = node.path("hmacSecret").asText("");
    String profile = node.path("profile").asText("");
    if (account.isBlank() || profile.isBlank() || keyFile.isBlank() == secret.isBlank()) {
      throw new HybridStorageConfigException(file.toString(), List.of(path + ": needs account, profile and exactly "
          + "one of publicKeyFile and hmacSecret"));
    }
    Profile bound = profile(options, profile, section, "signers");
    if (!secret.isBlank()) {
      b.hmacSigner(account, secret, bound);
      return;
    }
    try {
      b.signer(account, publicKey(Files.readString(Path.of(keyFile))), bound);
    } catch (IOException | java.security.GeneralSecurityException | IllegalArgumentException e) {
      throw new HybridStorageConfigException(file.toString(), List.of(path + ".publicKeyFile: cannot read a PEM "
          + "public key or certificate from " + keyFile + ": " + e.getMessage()));
    }
  }

  /** A PEM {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo) or {@code CERTIFICATE}'s key. */
  static java.security.PublicKey publicKey(String pem) throws java.security.GeneralSecurityException {
    if (pem.contains("-----BEGIN CERTIFICATE-----")) {
      return java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(
              pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
          .getPublicKey();
    }
    String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
    return java.security.KeyFactory.getInstance("RSA")
        .generatePublic(new java.security.spec.X509EncodedKeySpec(java.util.Base64.getDecoder().decode(base64)));
  }
}
