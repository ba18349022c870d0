package io.hybridstorage.api;

/**
 * What a backend can do natively. The facade consults these before it calls a gated method; a
 * store lacking one throws {@link HybridStorageException} 501 from the gated operation.
 */
public enum Capability {
  /**
   * Keeps noncurrent generations when a bucket has versioning on, and lists them with {@code
   * versions=true}. Gates {@code Storage.list(bucket, BlobListOption.versions(true))}, reads and
   * deletes of a noncurrent {@code BlobId} generation.
   */
  OBJECT_VERSIONING,
  /**
   * Preconditions ({@code ifGenerationMatch}, {@code doesNotExist}, …) are decided atomically by
   * the server, against every client. Without it a store may emulate them inside one process
   * only (see its javadoc for the race window). Gates nothing; routing uses it to choose the
   * authority.
   */
  ATOMIC_PRECONDITIONS,
  /**
   * Writes may carry a caller-assigned generation ({@link WriteRequest#generation()}), which
   * replication uses to keep one generation across sites. The contract, checked by the TCK's
   * {@code TombstoneTester}: an assigned generation {@code g} is refused with 412 unless it is
   * greater than every generation the name has held on the store, including deleted ones (a
   * delete leaves a tombstone, kept at least for a retention window the store documents; an
   * in-memory store keeps it for its life); generations the store assigns itself are likewise
   * above every deleted one; and {@code g} with {@code ifGenerationMatch = g} replaces the live
   * version {@code g} (repair of a corrupted copy).
   */
  ASSIGNED_GENERATIONS,
  /** {@code compose} runs server-side, without moving bytes through the client. */
  NATIVE_COMPOSE,
  /** {@code copy} runs server-side. Gates nothing: copy is otherwise a streamed read+write. */
  NATIVE_COPY,
  /** {@link ObjectStore#signUrl} works. Gates {@code Storage.signUrl}. */
  SIGNED_URLS,
  /**
   * Object names with {@code .} or {@code ..} segments ({@code a/../b}, see {@link
   * Names#hasDotSegment}) are stored and addressed literally, as GCS does. A store without it —
   * one whose object names travel as URL paths (S3), where servers, proxies and URL parsers
   * resolve such segments into another name — refuses them with 400 on every object operation,
   * signed URLs included. Gates nothing in the facade; a router refuses a change (write, copy,
   * compose, metadata update, delete) of such a name with 400 before any site is touched when a
   * replica of its placement lacks it, so no site is left holding a change another cannot take.
   */
  DOT_SEGMENT_NAMES,
  /**
   * Every call completes on the caller's thread without waiting for I/O, a timer or another
   * thread (an in-memory store): a router calls it directly, with no time limit and no hand-off
   * to its pool, which would cost more than the call. A store that may block must not report it.
   * {@link ForwardingObjectStore} does not forward it (a decorator may wait: injected delays,
   * locks, I/O); a decorator that adds no waiting keeps it by overriding {@code capabilities()}.
   */
  IN_PROCESS
}
