package io.hybridstorage.api;

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
}
