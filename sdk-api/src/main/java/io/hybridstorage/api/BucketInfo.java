package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import javax.annotation.Nullable;

/** A bucket as a store reports it. */
public record BucketInfo(
    String name,
    boolean versioningEnabled,
    @Nullable String location,
    @Nullable String storageClass,
    Map<String, String> labels,
    long metageneration,
    @Nullable Instant createTime,
    @Nullable Instant updateTime) {

  public BucketInfo {
    requireNonNull(name, "name");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
