package io.hybridstorage.api;

import javax.annotation.Nullable;

/** Lists buckets whose names start with {@code prefix}, {@code pageSize} at a time (0 = store default). */
public record BucketListRequest(@Nullable String prefix, int pageSize, @Nullable String pageToken) {

  public static BucketListRequest all() {
    return new BucketListRequest(null, 0, null);
  }
}
