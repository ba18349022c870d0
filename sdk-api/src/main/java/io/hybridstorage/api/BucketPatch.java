package io.hybridstorage.api;

import java.time.Instant;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * A PATCH of a bucket: {@code null} leaves a field unchanged. In {@code labels}, a key mapped to
 * {@code null} is removed.
 */
public record BucketPatch(@Nullable Boolean versioningEnabled, @Nullable Map<String, String> labels) {

  public static BucketPatch versioning(boolean enabled) {
    return new BucketPatch(enabled, null);
  }

  /**
   * {@code current} with this patch applied, its metageneration bumped and its update time set:
   * what a store that keeps bucket metadata itself returns from {@link ObjectStore#updateBucket}.
   */
  public BucketInfo applyTo(BucketInfo current, Instant now) {
    return new BucketInfo(current.name(),
        versioningEnabled == null ? current.versioningEnabled() : versioningEnabled,
        current.location(), current.storageClass(), MetadataPatch.mergeMap(current.labels(), labels),
        current.metageneration() + 1, current.createTime(), now);
  }
}
