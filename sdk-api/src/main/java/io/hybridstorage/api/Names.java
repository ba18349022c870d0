package io.hybridstorage.api;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * GCS's naming rules for buckets and objects, in one place. Each check throws 400 with a message
 * naming the rule broken.
 *
 * @see <a href="https://cloud.google.com/storage/docs/buckets#naming">bucket naming</a>
 * @see <a href="https://cloud.google.com/storage/docs/objects#naming">object naming</a>
 */
public final class Names {

  private static final Pattern BUCKET_CHARS = Pattern.compile("[a-z0-9][a-z0-9._-]*[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  /** The longest object name, in UTF-8 bytes. */
  public static final int MAX_OBJECT_NAME_BYTES = 1024;

  private Names() {}

  /** 400 unless {@code bucket} is a valid GCS bucket name. */
  public static void checkBucket(String operation, @Nullable String bucket, @Nullable String site) {
    String problem = bucketProblem(bucket);
    if (problem != null) {
      throw HybridStorageException.invalid(operation, bucket, null, site,
          "Invalid bucket name: '" + bucket + "': " + problem);
    }
  }

  /** 400 unless {@code name} is a valid GCS object name. */
  public static void checkObject(String operation, String bucket, @Nullable String name, @Nullable String site) {
    String problem = objectProblem(name);
    if (problem != null) {
      throw HybridStorageException.invalid(operation, bucket, name, site,
          "Invalid object name: " + problem);
    }
  }

  /**
   * Whether {@code name} has a segment — between two {@code /}, or before the first, or after the
   * last — that is exactly {@code .} or {@code ..}: {@code a/./b}, {@code ../x}, {@code a/..},
   * {@code a//../b}. GCS stores such names literally (only the names {@code .} and {@code ..}
   * themselves are invalid); a URL path resolves them (RFC 3986 §5.2.4), as do servers, proxies
   * and HTTP clients, so on a store whose object names travel as URL paths (S3) the request would
   * address another object, or another bucket. {@code .a}, {@code a..}, {@code ...} are ordinary.
   */
  public static boolean hasDotSegment(String name) {
    int start = 0;
    while (start <= name.length()) {
      int end = name.indexOf('/', start);
      if (end < 0) {
        end = name.length();
      }
      int length = end - start;
      if ((length == 1 || length == 2) && name.charAt(start) == '.' && name.charAt(end - 1) == '.') {
        return true;
      }
      start = end + 1;
    }
    return false;
  }

  /**
   * 400 when {@code name} has a {@code .} or {@code ..} segment ({@link #hasDotSegment}): for
   * stores whose object names travel as URL paths (S3), where such a name would be resolved into
   * another one. The message names the operation, bucket, object and site.
   */
  public static void checkNoDotSegments(String operation, @Nullable String bucket, @Nullable String name,
      @Nullable String site) {
    if (name != null && hasDotSegment(name)) {
      throw HybridStorageException.invalid(operation, bucket, name, site, "Invalid object name for site " + site
          + ": it has a '.' or '..' segment, which servers, proxies and URL parsers resolve on an S3 path, so the "
          + "request would address another object (or bucket). GCS stores such names literally, S3 sites refuse "
          + "them: name the object without '.' and '..' segments");
    }
  }

  @Nullable
  static String bucketProblem(@Nullable String bucket) {
    if (bucket == null || bucket.isEmpty()) {
      return "a bucket name must not be empty";
    }
    if (bucket.length() < 3) {
      return "a bucket name must have at least 3 characters";
    }
    if (!BUCKET_CHARS.matcher(bucket).matches()) {
      return "a bucket name may contain only lowercase letters, digits, '-', '_' and '.', and must start and end with a letter or digit";
    }
    boolean dotted = bucket.indexOf('.') >= 0;
    if (!dotted && bucket.length() > 63) {
      return "a bucket name without dots must have at most 63 characters";
    }
    if (dotted) {
      if (bucket.length() > 222) {
        return "a dotted bucket name must have at most 222 characters";
      }
      for (String component : bucket.split("\\.", -1)) {
        if (component.isEmpty() || component.length() > 63) {
          return "each dot-separated component of a bucket name must have 1 to 63 characters";
        }
      }
    }
    if (IP_ADDRESS.matcher(bucket).matches()) {
      return "a bucket name must not be an IP address";
    }
    if (bucket.startsWith("goog")) {
      return "a bucket name must not start with \"goog\"";
    }
    if (bucket.contains("google") || bucket.contains("g00gle")) {
      return "a bucket name must not contain \"google\"";
    }
    return null;
  }

  @Nullable
  static String objectProblem(@Nullable String name) {
    if (name == null || name.isEmpty()) {
      return "an object name must not be empty";
    }
    if (name.equals(".") || name.equals("..")) {
      return "an object name must not be '.' or '..'";
    }
    if (name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0) {
      return "an object name must not contain carriage return or line feed characters";
    }
    if (name.startsWith(".well-known/acme-challenge/")) {
      return "an object name must not start with '.well-known/acme-challenge/'";
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_OBJECT_NAME_BYTES) {
      return "an object name must be at most " + MAX_OBJECT_NAME_BYTES + " bytes of UTF-8, this one has " + bytes;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
          i++;
          continue;
        }
        return "an object name must be valid UTF-8 (it has an unpaired surrogate at index " + i + ")";
      }
    }
    return null;
  }
}
