package io.hybridstorage.api;

import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * A GCS-style PATCH of object metadata. A {@code null} header leaves it unchanged; an empty
 * string clears it. In {@code custom}, a key mapped to {@code null} is removed and other keys are
 * set; {@code clearCustom} first removes every custom key (GCS's {@code setMetadata(null)}).
 */
public record MetadataPatch(
    @Nullable String contentType,
    @Nullable String contentEncoding,
    @Nullable String contentDisposition,
    @Nullable String contentLanguage,
    @Nullable String cacheControl,
    @Nullable Map<String, String> custom,
    boolean clearCustom) {

  public static MetadataPatch ofCustom(Map<String, String> custom) {
    return new MetadataPatch(null, null, null, null, null, custom, false);
  }

  public static MetadataPatch ofContentType(String contentType) {
    return new MetadataPatch(contentType, null, null, null, null, null, false);
  }

  /**
   * {@code current} with {@code patch} applied as GCS patches a map (custom metadata, bucket
   * labels): a key mapped to {@code null} is removed, others are set.
   */
  static Map<String, String> mergeMap(Map<String, String> current, @Nullable Map<String, String> patch) {
    Map<String, String> merged = new TreeMap<>(current);
    if (patch != null) {
      patch.forEach((k, v) -> {
        if (v == null) {
          merged.remove(k);
        } else {
          merged.put(k, v);
        }
      });
    }
    return merged;
  }

  @Nullable
  static String merge(@Nullable String current, @Nullable String patch) {
    if (patch == null) {
      return current;
    }
    return patch.isEmpty() ? null : patch;
  }
}
