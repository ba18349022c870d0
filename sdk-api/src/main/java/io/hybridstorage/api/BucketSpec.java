package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import javax.annotation.Nullable;

/** What {@link ObjectStore#createBucket} creates. */
public record BucketSpec(
    String name,
    boolean versioningEnabled,
    @Nullable String location,
    @Nullable String storageClass,
    Map<String, String> labels) {

  public BucketSpec {
    requireNonNull(name, "name");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public static BucketSpec of(String name) {
    return new BucketSpec(name, false, null, null, Map.of());
  }

  public BucketSpec withVersioning(boolean enabled) {
    return new BucketSpec(name, enabled, location, storageClass, labels);
  }
}
