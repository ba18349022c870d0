package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * A V4 signed URL for {@code method} (GET, PUT, HEAD, DELETE) on an object, valid for {@code ttl}.
 *
 * <p>{@code headers} are signed into the URL: its holder must send them with these values. Only
 * headers that describe the object itself may be signed ({@link #SIGNABLE_HEADERS}, and user
 * metadata {@code x-goog-meta-*} / {@code x-amz-meta-*} except the SDK's own {@code hs-*} keys):
 * anything else could widen what the URL grants — {@code x-goog-copy-source} / {@code
 * x-amz-copy-source} turn a PUT into a server-side copy of another object read with the SDK's
 * credentials, ACL and grant headers publish the object, {@code x-goog-user-project} bills another
 * project. Stores call {@link #checkHeaders(String)} before signing.
 */
public record SignUrlRequest(String bucket, String name, String method, Duration ttl, Map<String, String> headers) {

  /**
   * The standard headers a signed URL may carry (lower case; names are compared ignoring case):
   * they only describe the object written or constrain the request. {@code x-goog-resumable}
   * ({@code start}) makes a signed POST start a resumable upload of the same object, the URL
   * {@code Storage.writer(URL)} takes.
   */
  public static final Set<String> SIGNABLE_HEADERS = Set.of("content-type", "content-md5", "content-encoding",
      "content-disposition", "content-language", "cache-control", "content-length", "x-goog-resumable");

  /** {@code x-goog-meta-NAME} or {@code x-amz-meta-NAME}, NAME an HTTP token. */
  private static final Pattern USER_METADATA = Pattern.compile("x-(goog|amz)-meta-([!#$%&'*+.^_`|~0-9a-z-]+)");
  /** The prefix of the user-metadata keys the SDK keeps generations and checksums in. */
  private static final String RESERVED_METADATA = "hs-";

  public SignUrlRequest {
    requireNonNull(bucket, "bucket");
    requireNonNull(name, "name");
    requireNonNull(method, "method");
    requireNonNull(ttl, "ttl");
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /**
   * Refuses a header that may not be signed: 400 naming the header, the bucket, the object and
   * {@code site}, never the header's value.
   *
   * @throws HybridStorageException 400 for the first header that is neither in {@link
   *     #SIGNABLE_HEADERS} nor user metadata outside the SDK's {@code hs-*} keys
   */
  public void checkHeaders(@Nullable String site) {
    for (String header : headers.keySet()) {
      String why = refusal(header);
      if (why != null) {
        throw HybridStorageException.invalid("signUrl", bucket, name, site, "header '" + header
            + "' may not be signed: " + why + "; a signed URL may carry " + new java.util.TreeSet<>(SIGNABLE_HEADERS)
            + " and user metadata (x-goog-meta-*, x-amz-meta-*)");
      }
    }
  }

  /** Why {@code header} may not be signed, or {@code null} when it may. */
  @Nullable
  private static String refusal(String header) {
    String name = header.toLowerCase(Locale.ROOT);
    if (SIGNABLE_HEADERS.contains(name)) {
      return null;
    }
    var metadata = USER_METADATA.matcher(name);
    if (metadata.matches()) {
      return metadata.group(2).startsWith(RESERVED_METADATA)
          ? "metadata keys starting with '" + RESERVED_METADATA + "' hold the SDK's generations and checksums"
          : null;
    }
    if (name.contains("copy-source")) {
      return "it makes the URL a server-side copy of another object, read with the SDK's credentials";
    }
    if (name.endsWith("-acl") || name.contains("-grant-")) {
      return "it changes who may access the object";
    }
    return "it is not on the allow-list of headers that cannot widen what the URL grants";
  }
}
