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
 * @param generation 0: the store assigns the next generation, greater than every generation the
 *     name has held on this store (deleted ones included). Non-zero (replication, under {@link
 *     Capability#ASSIGNED_GENERATIONS}): the version gets exactly this generation {@code g}, and
 *     the commit fails with 412 ({@link HybridStorageException#generationNotNewer}) unless {@code
 *     g} is greater than every generation the name has held on this store — live, noncurrent <em>or
 *     deleted</em>: a delete leaves a tombstone, kept at least for the store's retention window (an
 *     in-memory store: for its life). So a replica never goes back to an older generation, not
 *     even after a delete it received before an older write. One exception, the repair of a
 *     corrupted copy: {@code generation = g} with {@code conditions.ifGenerationMatch = g}
 *     replaces the live version {@code g} (its bytes and metadata) and keeps its generation; if
 *     the live version is not {@code g}, the condition fails (412).
 * @param expectedSize the exact size of the content when the caller knows it up front (a byte
 *     array, a file, a replica of a known version), else {@link #UNKNOWN_SIZE}. Like GCS's {@code
 *     object_size} of a gRPC write: a write past it fails with 400 at once, and a commit with
 *     fewer bytes fails with 400; either way nothing is published. A store may use it to choose
 *     how it uploads (one streamed request instead of parts).
 */
public record WriteRequest(
    String bucket,
    String name,
    ObjectMetadata metadata,
    Conditions conditions,
    @Nullable String crc32c,
    @Nullable String md5,
    long generation,
    long expectedSize) {

  /** {@link #expectedSize()} when the caller does not know the size. */
  public static final long UNKNOWN_SIZE = -1;

  public WriteRequest {
    requireNonNull(bucket, "bucket");
    requireNonNull(name, "name");
    requireNonNull(metadata, "metadata");
    requireNonNull(conditions, "conditions");
    if (generation < 0) {
      throw new IllegalArgumentException("generation (" + generation + ") must be >= 0");
    }
    if (expectedSize < UNKNOWN_SIZE) {
      throw new IllegalArgumentException("expectedSize (" + expectedSize + ") must be >= 0, or UNKNOWN_SIZE (-1)");
    }
  }

  /** The write a caller of GCS semantics starts from: no conditions, checksums or size. */
  public static WriteRequest of(String bucket, String name) {
    return new WriteRequest(bucket, name, ObjectMetadata.empty(), Conditions.none(), null, null, 0, UNKNOWN_SIZE);
  }

  public WriteRequest withMetadata(ObjectMetadata value) {
    return new WriteRequest(bucket, name, value, conditions, crc32c, md5, generation, expectedSize);
  }

  public WriteRequest withConditions(Conditions value) {
    return new WriteRequest(bucket, name, metadata, value, crc32c, md5, generation, expectedSize);
  }

  public WriteRequest withCrc32c(@Nullable String value) {
    return new WriteRequest(bucket, name, metadata, conditions, value, md5, generation, expectedSize);
  }

  public WriteRequest withMd5(@Nullable String value) {
    return new WriteRequest(bucket, name, metadata, conditions, crc32c, value, generation, expectedSize);
  }

  public WriteRequest withGeneration(long value) {
    return new WriteRequest(bucket, name, metadata, conditions, crc32c, md5, value, expectedSize);
  }

  public WriteRequest withExpectedSize(long value) {
    return new WriteRequest(bucket, name, metadata, conditions, crc32c, md5, generation, value);
  }

  /** Whether the caller declared the size ({@link #expectedSize()} is not {@link #UNKNOWN_SIZE}). */
  public boolean sizeKnown() {
    return expectedSize != UNKNOWN_SIZE;
  }

  /**
   * For a writer, before it takes more bytes: 400 when {@code total} (the bytes written so far plus
   * those offered now) exceeds the declared size. The writer must then publish nothing.
   */
  public void checkWritable(long total, String site) {
    if (sizeKnown() && total > expectedSize) {
      throw HybridStorageException.invalid("write", bucket, name, site, "the write declared " + expectedSize
          + " bytes (expectedSize) and was given " + total + "; nothing was written");
    }
  }

  /**
   * For a writer's commit, before it publishes: 400 when {@code size} is not the declared size or
   * a checksum the caller gave does not match ({@code crc32c}/{@code md5} are those computed over
   * the bytes received).
   */
  public void verify(long size, String crc32c, String md5, String site) {
    if (sizeKnown() && size != expectedSize) {
      throw HybridStorageException.invalid("write", bucket, name, site, "the write declared " + expectedSize
          + " bytes (expectedSize) but " + size + " were written; nothing was written");
    }
    Checksums.verify(this.crc32c, this.md5, crc32c, md5, "write", bucket, name, site);
  }
}
