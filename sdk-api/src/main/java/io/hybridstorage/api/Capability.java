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
   * replication uses to keep one generation across sites.
   */
  ASSIGNED_GENERATIONS,
  /** {@code compose} runs server-side, without moving bytes through the client. */
  NATIVE_COMPOSE,
  /** {@code copy} runs server-side. Gates nothing: copy is otherwise a streamed read+write. */
  NATIVE_COPY,
  /** {@link ObjectStore#signUrl} works. Gates {@code Storage.signUrl}. */
  SIGNED_URLS
}
