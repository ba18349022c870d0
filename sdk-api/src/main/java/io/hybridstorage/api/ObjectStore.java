package io.hybridstorage.api;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Set;

/**
 * The small contract every backend implements: one site's buckets and objects with GCS
 * semantics (generations, metagenerations, preconditions, list order, checksums).
 *
 * <p>A backend is "working" when it passes the contract suite in {@code sdk-testkit}
 * ({@code io.hybridstorage.testkit.tck.ObjectStoreTck}). Everything the {@code Storage} facade
 * needs beyond these primitives is built from them or answered with a {@link
 * HybridStorageException} of code 501 naming the operation and the backend.
 *
 * <p>Errors: every method reports failures as {@link HybridStorageException} carrying the HTTP
 * code GCS would return (400 bad input, 404 missing bucket, 409 conflict, 412 failed
 * precondition, 304 failed not-match precondition of a read, 416 bad range, 501 unsupported, 503
 * retryable backend failure) and the
 * operation, bucket, object and {@link #site()}. A missing <em>object</em> is not an error for
 * {@link #head} and {@link #delete}: they return empty / {@code false}, as GCS's {@code get} and
 * {@code delete} do.
 *
 * <p>Implementations are thread-safe. Optional abilities are listed by {@link #capabilities()};
 * methods gated by a capability the store lacks throw 501.
 */
public interface ObjectStore extends AutoCloseable {

  /** The site this store serves, e.g. {@code "gcp"} or {@code "dc1"}; used in every error message. */
  String site();

  /** What this backend does natively. Stable for the life of the store. */
  Set<Capability> capabilities();

  // ---------------------------------------------------------------- buckets

  /** Creates a bucket. 400 for an invalid name, 409 if it exists. */
  BucketInfo createBucket(BucketSpec spec);

  /** The bucket, or empty when it does not exist. */
  Optional<BucketInfo> getBucket(String bucket);

  /** Buckets in name order, paged like {@link #list}. */
  ListPage<BucketInfo> listBuckets(BucketListRequest request);

  /** Applies a patch (versioning, labels); bumps the bucket's metageneration. 404 if missing. */
  BucketInfo updateBucket(String bucket, BucketPatch patch);

  /** Deletes an empty bucket: {@code false} if it did not exist, 409 if it holds objects. */
  boolean deleteBucket(String bucket);

  // ---------------------------------------------------------------- objects

  /**
   * The object's metadata: the live version, or {@code id.generation()} when non-zero. Empty when
   * no such object or version exists; 404 when the bucket does not exist; 412 when a match
   * condition of {@code conditions} fails against the object found, else 304 when a not-match one
   * does, as GCS answers reads ({@link Conditions#checkRead}).
   */
  Optional<ObjectInfo> head(ObjectId id, Conditions conditions);

  /**
   * Opens a version for reading. The stream is positioned at {@code request.range()}; the caller
   * closes it. 404 when the object or bucket is missing, 412 / 304 when conditions fail (as
   * for {@link #head}), 416 when the
   * range starts at or past the end of a non-empty object.
   */
  ObjectContent read(ReadRequest request);

  /**
   * Opens a streaming write. Bytes go in through {@link ObjectWriter#write(ByteBuffer)}; nothing
   * becomes visible until {@link ObjectWriter#commit()}, which checks the preconditions and the
   * client checksums atomically with publishing the new generation. Closing without committing
   * abandons the write and leaves nothing behind.
   */
  ObjectWriter openWrite(WriteRequest request);

  /** Writes a whole stream (of any length, streamed). A convenience over {@link #openWrite}. */
  default ObjectInfo write(WriteRequest request, InputStream data) {
    return StreamedWrite.write(this, request, data);
  }

  /**
   * Deletes the live version (or {@code id.generation()} when non-zero). Returns {@code false}
   * when there was nothing to delete; 412 when conditions fail; 404 when the bucket is missing.
   * With versioning on, deleting the live version keeps it as a noncurrent version.
   */
  boolean delete(ObjectId id, Conditions conditions);

  /**
   * Replicates a delete of generation {@code generation}: atomically removes the live version of
   * {@code bucket/name} when its generation is {@code <= generation} (a foreign copy, generation
   * 0, counts as older) and, <em>whether or not anything was live</em>, records {@code
   * generation} in the name's tombstone. Afterwards an assigned-generation write, copy or compose
   * ({@link WriteRequest#generation()}, {@link CopyRequest#generation()}, {@link
   * ComposeRequest#generation()}) of a generation {@code <= generation} is refused with 412
   * ({@code generationNotNewer}), and generations the store assigns itself go above it. A live
   * version newer than {@code generation} stays live and readable (it was written after the
   * delete); the tombstone is raised all the same. With versioning on, the removed live version
   * becomes noncurrent, as {@link #delete} makes it.
   *
   * <p>Why not a HEAD and a conditional {@link #delete}: a delete replicated to a site that has not
   * received the object yet (its write is still in flight: a slow replica commit, another
   * router's replication) finds nothing there and, with {@code delete}, leaves nothing behind;
   * the write then lands afterwards, and that site ends holding an object every other site
   * deleted, for good. The tombstone this raises makes the late write fail instead. Idempotent:
   * repeating it (a retry after a lost acknowledgement) changes nothing more, though it then
   * returns {@code false}.
   *
   * <p>For stores with {@link Capability#ASSIGNED_GENERATIONS}; the default throws 501 naming the
   * operation and the backend ({@link HybridStorageException#unsupported}).
   *
   * @param generation the deleted generation, {@code > 0}; 400 otherwise
   * @return whether a live version was removed
   * @throws HybridStorageException 404 when the bucket is missing; 400 for a generation {@code <= 0}
   */
  default boolean deleteUpTo(String bucket, String name, long generation) {
    throw HybridStorageException.unsupported("deleteUpTo", bucket, name, site());
  }

  /** Lists objects (and prefixes, with a delimiter) in UTF-8 byte order, one page at a time. */
  ListPage<ObjectInfo> list(ListRequest request);

  /** Copies a version to a new object (possibly in another bucket of this store). */
  ObjectInfo copy(CopyRequest request);

  /** Concatenates 1 to 32 sources of one bucket into a new object; 400 beyond 32. */
  ObjectInfo compose(ComposeRequest request);

  /** Patches an object's metadata; bumps its metageneration. 404 if missing, 412 on conditions. */
  ObjectInfo updateMetadata(ObjectId id, MetadataPatch patch, Conditions conditions);

  /**
   * A V4 signed URL, when the store has {@link Capability#SIGNED_URLS}; otherwise 501 naming
   * the operation and the backend.
   */
  default java.net.URL signUrl(SignUrlRequest request) {
    throw HybridStorageException.unsupported("signUrl", request.bucket(), request.name(), site());
  }

  /** Releases clients and threads. Idempotent. */
  @Override
  void close();
}
