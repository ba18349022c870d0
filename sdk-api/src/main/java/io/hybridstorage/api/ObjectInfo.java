package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import javax.annotation.Nullable;

/**
 * One version of an object as a store reports it.
 *
 * @param generation the version's generation; unique and increasing per object name. {@code 0}
 *     only for a "foreign" object that a backend holds but no generation-aware writer created
 *     (see DESIGN.md, "Objects we did not write"): never a guessed generation.
 * @param crc32c base64 of the big-endian CRC32C, as GCS reports it; null when unknown
 * @param md5 base64 MD5, null when unknown (e.g. composite objects)
 * @param etag an opaque entity tag; never to be read as an MD5
 * @param deleteTime when this version stopped being live (noncurrent versions), else null
 */
public record ObjectInfo(
    String bucket,
    String name,
    long generation,
    long metageneration,
    long size,
    @Nullable String crc32c,
    @Nullable String md5,
    @Nullable String etag,
    ObjectMetadata metadata,
    @Nullable Instant createTime,
    @Nullable Instant updateTime,
    @Nullable Instant deleteTime,
    int componentCount) {

  public ObjectInfo {
    requireNonNull(bucket, "bucket");
    requireNonNull(name, "name");
    requireNonNull(metadata, "metadata");
  }

  public ObjectId id() {
    return new ObjectId(bucket, name, generation);
  }

  /** Whether this is the live version (it has no delete time). */
  public boolean isLive() {
    return deleteTime == null;
  }

  public ObjectInfo withDeleteTime(@Nullable Instant time) {
    return new ObjectInfo(bucket, name, generation, metageneration, size, crc32c, md5, etag, metadata,
        createTime, updateTime, time, componentCount);
  }

  public ObjectInfo withMetadata(ObjectMetadata newMetadata, long newMetageneration, Instant now) {
    return new ObjectInfo(bucket, name, generation, newMetageneration, size, crc32c, md5, etag, newMetadata,
        createTime, now, deleteTime, componentCount);
  }
}
