package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import javax.annotation.Nullable;

/**
 * Creates a new version of {@code bucket/name}.
 *
 * @param conditions checked atomically with publishing the version
 * @param crc32c the caller's base64 CRC32C of the whole content; the commit fails with 400 and
 *     leaves nothing when the bytes received do not match
 * @param md5 likewise for a base64 MD5
 * @param generation 0: the store assigns the next generation. Non-zero (replication, under
 *     {@link Capability#ASSIGNED_GENERATIONS}): the version gets exactly this generation, and the
 *     commit fails with 412 when the live version's generation is not lower — so a replica never
 *     replaces a newer generation with an older one.
 */
public record WriteRequest(
    String bucket,
    String name,
    ObjectMetadata metadata,
    Conditions conditions,
    @Nullable String crc32c,
    @Nullable String md5,
    long generation) {

  public WriteRequest {
    requireNonNull(bucket, "bucket");
    requireNonNull(name, "name");
    requireNonNull(metadata, "metadata");
    requireNonNull(conditions, "conditions");
    if (generation < 0) {
      throw new IllegalArgumentException("generation (" + generation + ") must be >= 0");
    }
  }

  public static WriteRequest of(String bucket, String name) {
    return new WriteRequest(bucket, name, ObjectMetadata.empty(), Conditions.none(), null, null, 0);
  }

  public WriteRequest withMetadata(ObjectMetadata value) {
    return new WriteRequest(bucket, name, value, conditions, crc32c, md5, generation);
  }

  public WriteRequest withConditions(Conditions value) {
    return new WriteRequest(bucket, name, metadata, value, crc32c, md5, generation);
  }

  public WriteRequest withCrc32c(@Nullable String value) {
    return new WriteRequest(bucket, name, metadata, conditions, value, md5, generation);
  }

  public WriteRequest withMd5(@Nullable String value) {
    return new WriteRequest(bucket, name, metadata, conditions, crc32c, value, generation);
  }

  public WriteRequest withGeneration(long value) {
    return new WriteRequest(bucket, name, metadata, conditions, crc32c, md5, value);
  }
}
