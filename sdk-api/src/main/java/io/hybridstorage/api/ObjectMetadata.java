package io.hybridstorage.api;

import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * The caller-settable metadata of an object: HTTP content headers plus custom key/values. Fields
 * are {@code null} when unset; {@code custom} is never null (empty when none) and is copied
 * immutably in a stable (sorted) order.
 */
public record ObjectMetadata(
    @Nullable String contentType,
    @Nullable String contentEncoding,
    @Nullable String contentDisposition,
    @Nullable String contentLanguage,
    @Nullable String cacheControl,
    Map<String, String> custom) {

  private static final ObjectMetadata EMPTY = new ObjectMetadata(null, null, null, null, null, Map.of());

  public ObjectMetadata {
    custom = custom == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(custom));
  }

  public static ObjectMetadata empty() {
    return EMPTY;
  }

  public static ObjectMetadata ofContentType(@Nullable String contentType) {
    return new ObjectMetadata(contentType, null, null, null, null, Map.of());
  }

  public ObjectMetadata withContentType(@Nullable String value) {
    return new ObjectMetadata(value, contentEncoding, contentDisposition, contentLanguage, cacheControl, custom);
  }

  public ObjectMetadata withCustom(Map<String, String> value) {
    return new ObjectMetadata(contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl, value);
  }

  /** This metadata with {@code patch} applied, as a GCS PATCH does. */
  public ObjectMetadata apply(MetadataPatch patch) {
    Map<String, String> merged = MetadataPatch.mergeMap(patch.clearCustom() ? Map.of() : custom, patch.custom());
    return new ObjectMetadata(
        MetadataPatch.merge(contentType, patch.contentType()),
        MetadataPatch.merge(contentEncoding, patch.contentEncoding()),
        MetadataPatch.merge(contentDisposition, patch.contentDisposition()),
        MetadataPatch.merge(contentLanguage, patch.contentLanguage()),
        MetadataPatch.merge(cacheControl, patch.cacheControl()),
        merged);
  }
}
