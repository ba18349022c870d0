package io.hybridstorage.vast;

import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a VastStore keeps in an object's S3 user metadata ({@code x-amz-meta-hs-*}), and how an
 * {@link ObjectInfo} is read back from S3's headers.
 *
 * <p>Keys: {@code hs-generation} and {@code hs-metageneration} (decimal), {@code hs-crc32c} and
 * {@code hs-md5} (GCS's base64), {@code hs-ctime} (ISO-8601 creation time of the generation,
 * which a metadata update keeps), {@code hs-mtime} (last metadata change), {@code hs-components} (compose), {@code hs-custom} (the
 * caller's custom metadata, form-encoded so keys keep their case and values may be any UTF-8:
 * S3 lower-cases metadata names and allows only ASCII values) and {@code hs-ct} (the content
 * type exactly as the caller set it: S3 reports a default when none was set, and some servers
 * normalize the header, e.g. drop the space in {@code text/plain; charset=utf-8}).
 *
 * <p>A <b>foreign</b> object (no {@code hs-generation}: written over NFS, by plain S3 tools or
 * by a sync engine) reads as generation 0, metageneration 1 (or {@code hs-metageneration} once we
 * updated its metadata), unknown CRC32C and MD5 (an S3 ETag is never taken for an MD5), and its
 * raw {@code x-amz-meta-*} entries as custom metadata.
 */
final class HsMetadata {

  private static final Logger LOG = LoggerFactory.getLogger(HsMetadata.class);

  static final String GENERATION = "hs-generation";
  static final String METAGENERATION = "hs-metageneration";
  static final String CRC32C = "hs-crc32c";
  static final String MD5 = "hs-md5";
  static final String CTIME = "hs-ctime";
  static final String MTIME = "hs-mtime";
  static final String COMPONENTS = "hs-components";
  static final String CUSTOM = "hs-custom";
  static final String CONTENT_TYPE = "hs-ct";

  private HsMetadata() {}

  /** The S3 user metadata of a version we write. */
  static Map<String, String> encode(long generation, long metageneration, @Nullable String crc32c,
      @Nullable String md5, @Nullable Instant createTime, Instant updateTime, int componentCount,
      ObjectMetadata metadata) {
    Map<String, String> out = new HashMap<>();
    out.put(GENERATION, Long.toString(generation));
    out.put(METAGENERATION, Long.toString(metageneration));
    if (crc32c != null) {
      out.put(CRC32C, crc32c);
    }
    if (md5 != null) {
      out.put(MD5, md5);
    }
    out.put(CTIME, (createTime == null ? updateTime : createTime).toString());
    out.put(MTIME, updateTime.toString());
    if (componentCount > 0) {
      out.put(COMPONENTS, Integer.toString(componentCount));
    }
    if (!metadata.custom().isEmpty()) {
      out.put(CUSTOM, encodeCustom(metadata.custom()));
    }
    if (metadata.contentType() != null) {
      out.put(CONTENT_TYPE, URLEncoder.encode(metadata.contentType(), StandardCharsets.UTF_8));
    }
    return out;
  }

  /**
   * The S3 user metadata of a foreign object whose metadata we update: it stays foreign (no
   * generation), its custom metadata stays raw {@code x-amz-meta-*} (S3 lower-cases the names),
   * and only its metageneration is ours.
   */
  static Map<String, String> encodeForeign(long metageneration, ObjectMetadata metadata) {
    Map<String, String> out = new HashMap<>(metadata.custom());
    out.keySet().removeIf(k -> k.startsWith("hs-"));
    out.put(METAGENERATION, Long.toString(metageneration));
    return out;
  }

  static String encodeCustom(Map<String, String> custom) {
    StringBuilder sb = new StringBuilder();
    custom.forEach((k, v) -> {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    });
    return sb.toString();
  }

  static Map<String, String> decodeCustom(String encoded) {
    Map<String, String> out = new TreeMap<>();
    if (encoded.isEmpty()) {
      return out;
    }
    for (String pair : encoded.split("&", -1)) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The S3 headers of one version, as HEAD and GET return them. */
  record S3Headers(
      Map<String, String> user,
      @Nullable String contentType,
      @Nullable String contentEncoding,
      @Nullable String contentDisposition,
      @Nullable String contentLanguage,
      @Nullable String cacheControl,
      long size,
      @Nullable String etag,
      @Nullable Instant lastModified) {}

  /** Whether the headers carry our generation (else the object is foreign). */
  static boolean isOurs(Map<String, String> user) {
    return user.containsKey(GENERATION);
  }

  static ObjectInfo decode(String bucket, String name, S3Headers h) {
    Map<String, String> user = h.user();
    long generation = 0;
    long metageneration = 1;
    boolean ours = false;
    if (isOurs(user)) {
      try {
        generation = Long.parseLong(user.get(GENERATION));
        metageneration = Long.parseLong(user.getOrDefault(METAGENERATION, "1"));
        ours = generation > 0;
      } catch (NumberFormatException e) {
        LOG.warn("gs://{}/{}: unreadable {}={}; treating it as a foreign object", bucket, name, GENERATION,
            user.get(GENERATION));
        generation = 0;
        metageneration = 1;
      }
    }
    Instant updated = h.lastModified();
    if (!ours) {
      Map<String, String> raw = new TreeMap<>(user);
      raw.keySet().removeIf(k -> k.startsWith("hs-"));
      metageneration = parseLong(user.get(METAGENERATION), 1);
      ObjectMetadata metadata = new ObjectMetadata(h.contentType(), h.contentEncoding(), h.contentDisposition(),
          h.contentLanguage(), h.cacheControl(), raw);
      return new ObjectInfo(bucket, name, 0, metageneration, h.size(), null, null, h.etag(), metadata,
          updated, updated, null, 0);
    }
    Map<String, String> custom = user.containsKey(CUSTOM) ? decodeCustom(user.get(CUSTOM)) : Map.of();
    String contentType = user.containsKey(CONTENT_TYPE)
        ? URLDecoder.decode(user.get(CONTENT_TYPE), StandardCharsets.UTF_8) : null;
    ObjectMetadata metadata = new ObjectMetadata(contentType, h.contentEncoding(), h.contentDisposition(),
        h.contentLanguage(), h.cacheControl(), custom);
    Instant created = parseInstant(user.get(CTIME), updated);
    updated = parseInstant(user.get(MTIME), updated);
    int components = 0;
    if (user.containsKey(COMPONENTS)) {
      try {
        components = Integer.parseInt(user.get(COMPONENTS));
      } catch (NumberFormatException e) {
        components = 0;
      }
    }
    return new ObjectInfo(bucket, name, generation, metageneration, h.size(), user.get(CRC32C), user.get(MD5),
        h.etag(), metadata, created, updated, null, components);
  }

  private static long parseLong(@Nullable String value, long fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  @Nullable
  private static Instant parseInstant(@Nullable String value, @Nullable Instant fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }
}
