package io.hybridstorage.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A streaming write in progress (see {@link ObjectStore#openWrite}). Bytes written are not
 * visible to anyone until {@link #commit()} succeeds. {@link #close()} without a successful
 * commit abandons the write (and frees whatever the backend staged, e.g. multipart parts).
 * Not thread-safe: one writer, one thread at a time.
 */
public interface ObjectWriter extends WritableByteChannel {

  /**
   * Appends the buffer's remaining bytes. 400 past a {@linkplain WriteRequest#expectedSize()
   * declared size}. A store that sends the body as one request while it is written (VastStore's
   * streamed PUT) decides the preconditions and an assigned generation when the request starts, and
   * may report their 412 here rather than from {@link #commit()}; either way nothing is published.
   */
  @Override
  int write(ByteBuffer source) throws IOException;

  /**
   * Publishes the object: verifies client checksums (400), checks the preconditions (412)
   * atomically with the publish, and returns the new version. At most once.
   */
  ObjectInfo commit() throws IOException;

  /**
   * Hands over the CRC32C (and MD5, when not null) of every byte written, computed by the caller
   * who saw them all, so that a store which would compute them itself stores these instead: a
   * router computes them once for all its sites. Call after the last {@link #write} and before
   * {@link #commit()}. A store whose bytes cross a network verifies end to end and ignores them
   * (the default); checksums the {@link WriteRequest} declares are verified either way.
   */
  default void precomputedChecksums(String crc32c, @javax.annotation.Nullable String md5) {}

  /** Abandons the write unless it was committed. Idempotent. */
  @Override
  void close();
}
