package io.hybridstorage.api.internal;

import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.HybridBridge;
import com.google.cloud.storage.Storage.BucketGetOption;
import com.google.cloud.storage.Storage.BucketSourceOption;
import com.google.cloud.storage.Storage.BucketTargetOption;
import io.hybridstorage.api.BucketPatch;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * Buckets: {@code create}, {@code get}, {@code update} and {@code delete} onto the store's bucket
 * calls. The SPI carries a bucket's name, versioning, location, storage class and labels; any
 * other field a caller sets (lifecycle, CORS, retention, IAM configuration …) is refused with 501
 * naming it, never dropped. Metageneration preconditions are honoured on {@code get}, refused on
 * {@code update}/{@code delete} (no store decides them atomically there).
 */
final class BucketOps {

  private final ObjectStore store;
  private final Values values;

  BucketOps(ObjectStore store, Values values) {
    this.store = store;
    this.values = values;
  }

  Bucket create(BucketInfo info, BucketTargetOption... options) {
    String site = store.site();
    new OptionValues(HybridBridge.options(info, options))
        .require(OptionValues.NONE, "create", info.getName(), null, site);
    String field = Values.unsupportedBucketCreateField(HybridBridge.modifiedFields(info));
    if (field != null) {
      throw Errors.unsupported("create", info.getName(), null, site,
          "the bucket field " + field + " is not supported by the hybrid facade");
    }
    BucketSpec spec = new BucketSpec(info.getName(), Boolean.TRUE.equals(info.versioningEnabled()),
        info.getLocation(), info.getStorageClass() == null ? null : info.getStorageClass().name(),
        Values.withoutNulls(info.getLabels()));
    return Errors.call(() -> values.bucket(store.createBucket(spec)));
  }

  /**
   * The bucket, or {@code null} when missing; {@code metagenerationMatch}/{@code NotMatch} fail
   * with 412 (the SPI's one code for a failed precondition). With {@code fields(...)}, only the
   * fields asked for are set, as GCS returns only those.
   */
  @Nullable
  Bucket get(String bucket, BucketGetOption... options) {
    String site = store.site();
    OptionValues opts = new OptionValues(HybridBridge.options(options))
        .require(OptionValues.BUCKET_GET, "get", bucket, null, site);
    Optional<io.hybridstorage.api.BucketInfo> found = Errors.call(() -> store.getBucket(bucket));
    if (found.isEmpty()) {
      return null;
    }
    long metageneration = found.get().metageneration();
    Long match = opts.number(com.google.cloud.storage.spi.v1.StorageRpc.Option.IF_METAGENERATION_MATCH);
    Long notMatch = opts.number(com.google.cloud.storage.spi.v1.StorageRpc.Option.IF_METAGENERATION_NOT_MATCH);
    if ((match != null && match != metageneration) || (notMatch != null && notMatch == metageneration)) {
      throw Errors.translate(HybridStorageException.preconditionFailed("get", bucket, null, site,
          (match != null ? "ifMetagenerationMatch=" + match : "ifMetagenerationNotMatch=" + notMatch)
              + " failed, current=" + metageneration));
    }
    return values.bucket(found.get(),
        FieldSelection.ofResource(opts.string(com.google.cloud.storage.spi.v1.StorageRpc.Option.FIELDS)));
  }

  /**
   * Patches versioning and labels when set on {@code info} (the client sends only fields set);
   * with none set, answers like {@code get}, as the client does.
   */
  @Nullable
  Bucket update(BucketInfo info, BucketTargetOption... options) {
    String site = store.site();
    new OptionValues(HybridBridge.options(info, options))
        .require(OptionValues.NONE, "update", info.getName(), null, site);
    Set<String> modified = HybridBridge.modifiedFields(info);
    String field = Values.unsupportedBucketUpdateField(modified);
    if (field != null) {
      throw Errors.unsupported("update", info.getName(), null, site,
          "the bucket field " + field + " cannot be updated through the hybrid facade");
    }
    Boolean versioning = modified.contains("versioning") ? Boolean.TRUE.equals(info.versioningEnabled()) : null;
    Map<String, String> labels = labelPatch(info.getLabels(), modified);
    if (versioning == null && labels == null) {
      return get(info.getName());
    }
    BucketPatch patch = new BucketPatch(versioning, labels);
    return Errors.call(() -> values.bucket(store.updateBucket(info.getName(), patch)));
  }

  /**
   * The labels patch for the label fields set: each changed key with its new value, or {@code
   * null} to remove it (as {@code setLabels} records removals); {@code null} when none was set.
   */
  @Nullable
  private static Map<String, String> labelPatch(@Nullable Map<String, String> set, Set<String> modified) {
    Map<String, String> patch = null;
    for (String field : modified) {
      if (field.equals("labels") || field.startsWith("labels.")) {
        patch = patch == null ? new LinkedHashMap<>() : patch;
        if (field.equals("labels")) {
          if (set != null) {
            patch.putAll(set);
          }
        } else {
          String key = field.substring("labels.".length());
          patch.put(key, set == null ? null : set.get(key));
        }
      }
    }
    return patch;
  }

  /** {@code false} when the bucket did not exist; 409 when it holds objects. */
  boolean delete(String bucket, BucketSourceOption... options) {
    new OptionValues(HybridBridge.options(options))
        .require(OptionValues.NONE, "delete", bucket, null, store.site());
    return Errors.call(() -> store.deleteBucket(bucket));
  }
}
