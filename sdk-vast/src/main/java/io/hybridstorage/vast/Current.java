package io.hybridstorage.vast;

import io.hybridstorage.api.ObjectInfo;
import javax.annotation.Nullable;

/**
 * The live version of a key as a HEAD saw it, with its ETag: what a conditional S3 request
 * names with If-Match so that the server refuses the write if the key changed since.
 */
record Current(ObjectInfo info, String etag) {

  /**
   * The S3 conditional headers that make a publish fail unless the key is still {@code current}:
   * If-None-Match * for an absent key, If-Match its ETag otherwise.
   */
  record Guard(@Nullable String ifMatch, @Nullable String ifNoneMatch) {
    static Guard of(@Nullable Current current) {
      return current == null ? new Guard(null, "*") : new Guard(current.etag(), null);
    }
  }
}
