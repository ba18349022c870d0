package io.hybridstorage.api.internal;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.HybridBridge;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageClass;
import io.hybridstorage.api.BucketInfo;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * Converts between the SPI's records and the GCS client's {@code Blob}/{@code Bucket}, binding
 * every {@code Blob} and {@code Bucket} to the facade so that calls made through them route back
 * to it. Also classifies the fields of a {@code BlobInfo}/{@code BucketInfo} a caller set: those
 * the SPI carries, those GCS itself ignores on writes (identity and output-only fields), and
 * those the facade refuses with 501 rather than drop silently.
 */
final class Values {

  /** The content type GCS's HTTP upload gives an object created without one. */
  static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  private static final Set<String> BLOB_WRITABLE = Set.of("contentType", "contentEncoding",
      "contentDisposition", "contentLanguage", "cacheControl", "metadata");
  /** Identity and server-set fields: GCS ignores them in an object insert or patch. */
  private static final Set<String> BLOB_IGNORED = Set.of("bucket", "name", "generation", "id", "kind",
      "selfLink", "mediaLink", "size", "etag", "md5Hash", "crc32c", "metageneration", "timeCreated",
      "updated", "timeDeleted", "componentCount", "owner", "customerEncryption", "timeStorageClassUpdated",
      "retentionExpirationTime", "softDeleteTime", "hardDeleteTime");
  private static final Set<String> BUCKET_WRITABLE = Set.of("versioning", "labels");
  private static final Set<String> BUCKET_CREATE_ONLY = Set.of("location", "storageClass");
  private static final Set<String> BUCKET_IGNORED = Set.of("name", "id", "selfLink", "timeCreated",
      "updated", "metageneration", "owner", "locationType", "etag", "projectNumber");

  private final Storage storage;

  Values(Storage storage) {
    this.storage = storage;
  }

  // ------------------------------------------------------------------------------ objects

  Blob blob(ObjectInfo o) {
    return blob(o, FieldSelection.ALL);
  }

  /**
   * The object as a bound {@code Blob} with only the fields {@code fields} selects set (bucket and
   * name always): what the client builds from GCS's partial response, the others {@code null}.
   */
  Blob blob(ObjectInfo o, FieldSelection fields) {
    ObjectMetadata m = o.metadata();
    BlobInfo.Builder b = BlobInfo.newBuilder(BlobId.of(o.bucket(), o.name(),
        o.generation() == 0 || !fields.has("generation") ? null : o.generation()));
    if (fields.has("contentType")) {
      b.setContentType(m.contentType());
    }
    if (fields.has("contentEncoding")) {
      b.setContentEncoding(m.contentEncoding());
    }
    if (fields.has("contentDisposition")) {
      b.setContentDisposition(m.contentDisposition());
    }
    if (fields.has("contentLanguage")) {
      b.setContentLanguage(m.contentLanguage());
    }
    if (fields.has("cacheControl")) {
      b.setCacheControl(m.cacheControl());
    }
    if (fields.has("crc32c")) {
      b.setCrc32c(o.crc32c());
    }
    if (fields.has("md5Hash")) {
      b.setMd5(o.md5());
    }
    if (fields.has("metadata") && !m.custom().isEmpty()) {
      b.setMetadata(new LinkedHashMap<>(m.custom()));
    }
    return HybridBridge.blob(storage, b,
        fields.has("id") ? o.bucket() + "/" + o.name() + "/" + o.generation() : null,
        fields.has("size") ? o.size() : null,
        fields.has("metageneration") ? o.metageneration() : null,
        fields.has("etag") ? o.etag() : null,
        fields.has("componentCount") && o.componentCount() != 0 ? o.componentCount() : null,
        fields.has("timeCreated") ? time(o.createTime()) : null,
        fields.has("updated") ? time(o.updateTime()) : null,
        fields.has("timeDeleted") ? time(o.deleteTime()) : null);
  }

  Blob directory(String bucket, String prefix) {
    return HybridBridge.directory(storage, bucket, prefix);
  }

  /**
   * The SPI's id of {@code id}; 400 naming {@code method} for a negative generation, as GCS refuses
   * it (the client sends it on, GCS answers 400).
   */
  static ObjectId id(String method, BlobId id, String site) {
    Long generation = id.getGeneration();
    checkGeneration(method, id.getBucket(), id.getName(), generation, site);
    return ObjectId.of(id.getBucket(), id.getName(), generation == null ? 0 : generation);
  }

  /** 400 for a negative generation ({@code null}: the live version). */
  static void checkGeneration(String method, String bucket, String name, @Nullable Long generation, String site) {
    if (generation != null && generation < 0) {
      throw Errors.invalid(method, bucket, name, site, "Invalid generation " + generation
          + ": a generation is a positive number (or absent, for the live version)");
    }
  }

  /** The metadata a write creates: the writable fields of {@code info}; unset content type = GCS's. */
  static ObjectMetadata metadata(BlobInfo info, boolean defaultContentType) {
    String contentType = info.getContentType();
    if (contentType == null && defaultContentType) {
      contentType = DEFAULT_CONTENT_TYPE;
    }
    return new ObjectMetadata(contentType, info.getContentEncoding(), info.getContentDisposition(),
        info.getContentLanguage(), info.getCacheControl(), withoutNulls(info.getMetadata()));
  }

  /**
   * The patch {@code Storage.update(info)} sends: only the fields set on {@code info}, as the
   * client sends only those. Empty when nothing writable was set.
   */
  static MetadataPatch patch(BlobInfo info, Set<String> modified) {
    boolean anyMetadata = false;
    Map<String, String> custom = new HashMap<>();
    for (String field : modified) {
      if (field.startsWith("metadata.")) {
        anyMetadata = true;
        String key = field.substring("metadata.".length());
        Map<String, String> values = info.getMetadata();
        custom.put(key, values == null ? null : values.get(key));
      }
    }
    return new MetadataPatch(
        patchValue(info.getContentType(), modified.contains("contentType")),
        patchValue(info.getContentEncoding(), modified.contains("contentEncoding")),
        patchValue(info.getContentDisposition(), modified.contains("contentDisposition")),
        patchValue(info.getContentLanguage(), modified.contains("contentLanguage")),
        patchValue(info.getCacheControl(), modified.contains("cacheControl")),
        anyMetadata ? custom : null,
        false);
  }

  static boolean isEmpty(MetadataPatch p) {
    return p.contentType() == null && p.contentEncoding() == null && p.contentDisposition() == null
        && p.contentLanguage() == null && p.cacheControl() == null && p.custom() == null && !p.clearCustom();
  }

  /** 501 naming the first field set on {@code info} that the facade cannot store. */
  static void checkStorable(String method, BlobInfo info, Set<String> modified, String site) {
    String field = unsupportedBlobField(modified);
    if (field != null) {
      throw Errors.unsupported(method, info.getBucket(), info.getName(), site,
          "the object field " + field + " is not supported by the hybrid facade");
    }
  }

  /** The first field of an object that the caller set and the facade cannot store, or null. */
  @Nullable
  static String unsupportedBlobField(Set<String> modified) {
    return firstOutside(modified, BLOB_WRITABLE, BLOB_IGNORED, Set.of());
  }

  // ------------------------------------------------------------------------------ buckets

  Bucket bucket(BucketInfo info) {
    return bucket(info, FieldSelection.ALL);
  }

  /** The bucket as a bound {@code Bucket} with only the fields {@code fields} selects set (name always). */
  Bucket bucket(BucketInfo info, FieldSelection fields) {
    com.google.cloud.storage.BucketInfo.Builder b = com.google.cloud.storage.BucketInfo.newBuilder(info.name());
    if (fields.has("versioning")) {
      b.setVersioningEnabled(info.versioningEnabled());
    }
    if (fields.has("location")) {
      b.setLocation(info.location());
    }
    if (fields.has("storageClass") && info.storageClass() != null) {
      b.setStorageClass(StorageClass.valueOf(info.storageClass()));
    }
    if (fields.has("labels") && !info.labels().isEmpty()) {
      b.setLabels(new LinkedHashMap<>(info.labels()));
    }
    return HybridBridge.bucket(storage, b, fields.has("id") ? info.name() : null,
        fields.has("metageneration") ? info.metageneration() : null,
        fields.has("timeCreated") ? time(info.createTime()) : null,
        fields.has("updated") ? time(info.updateTime()) : null);
  }

  /** The first bucket field set that {@code create} cannot honour, or null. */
  @Nullable
  static String unsupportedBucketCreateField(Set<String> modified) {
    return firstOutside(modified, BUCKET_WRITABLE, BUCKET_IGNORED, BUCKET_CREATE_ONLY);
  }

  /** The first bucket field set that {@code update} cannot honour, or null. */
  @Nullable
  static String unsupportedBucketUpdateField(Set<String> modified) {
    return firstOutside(modified, BUCKET_WRITABLE, BUCKET_IGNORED, Set.of());
  }

  static Map<String, String> withoutNulls(@Nullable Map<String, String> map) {
    Map<String, String> copy = new LinkedHashMap<>();
    if (map != null) {
      map.forEach((k, v) -> {
        if (v != null) {
          copy.put(k, v);
        }
      });
    }
    return copy;
  }

  @Nullable
  static OffsetDateTime time(@Nullable Instant instant) {
    // not instant.atOffset(UTC): that builds the offset's ZoneRules on every call
    return instant == null ? null : OffsetDateTime.of(
        java.time.LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC), ZoneOffset.UTC);
  }

  /** A field set and modified → the new value, cleared ({@code ""}) when set to null. */
  @Nullable
  private static String patchValue(@Nullable String value, boolean modified) {
    if (!modified) {
      return null;
    }
    return value == null ? "" : value;
  }

  @Nullable
  private static String firstOutside(Set<String> modified, Set<String> writable, Set<String> ignored,
      Set<String> alsoAllowed) {
    for (String field : modified) {
      int dot = field.indexOf('.');
      String root = dot < 0 ? field : field.substring(0, dot);
      if (!writable.contains(root) && !ignored.contains(root) && !alsoAllowed.contains(root)) {
        return root;
      }
    }
    return null;
  }
}
