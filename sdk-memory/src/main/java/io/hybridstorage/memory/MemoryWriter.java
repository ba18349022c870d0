package io.hybridstorage.memory;

import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.annotation.Nullable;

/**
 * A write into an {@link InMemoryStore}: bytes go to private chunks, invisible to everyone, until
 * {@link #commit()} verifies the declared size and client checksums (400) and publishes them
 * atomically with the preconditions (412). After commit, or a failed commit, or close, the writer
 * is closed.
 *
 * <p>The chunks are kept as written ({@link Bytes}): a declared size allocates it once; otherwise
 * chunks double from the first write's size up to {@value #MAX_CHUNK} bytes, so an object costs
 * its size plus at most one chunk's slack, never a copy. Checksums are computed at commit, over the
 * chunks, unless the caller who saw every byte hands them over ({@link #precomputedChecksums}).
 */
final class MemoryWriter implements ObjectWriter {

  /** The largest object, as before chunks: what a {@code byte[]} holds. */
  private static final long MAX_SIZE = Integer.MAX_VALUE - 8;

  /** The largest chunk: 1 MiB. */
  static final int MAX_CHUNK = 1 << 20;

  /** The smallest chunk allocated for a write of unknown size. */
  private static final int MIN_CHUNK = 1024;

  /** A trailing chunk this small with slack is trimmed at commit (a copy cheaper than the waste). */
  private static final int TRIM_BELOW = 64 * 1024;

  private final InMemoryStore store;
  private final WriteRequest request;
  private final List<byte[]> chunks = new ArrayList<>(1);
  @Nullable private byte[] current;
  private int used;
  private long size;
  @Nullable private String knownCrc32c;
  @Nullable private String knownMd5;
  private boolean open = true;

  MemoryWriter(InMemoryStore store, WriteRequest request) {
    this.store = store;
    this.request = request;
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
    checkOpen();
    int n = source.remaining();
    accept(n);
    while (source.hasRemaining()) {
      int k = Math.min(source.remaining(), room(source.remaining()));
      source.get(current, used, k);
      used += k;
    }
    size += n;
    return n;
  }

  /** Reads {@code data} to its end straight into the chunks (no transfer buffer). */
  void writeFrom(InputStream data) throws IOException {
    checkOpen();
    long declared = request.expectedSize();
    while (true) {
      if (size == declared && (current == null || used == current.length)) {
        int b = data.read(); // at the declared size: is that the end, without a chunk for nothing?
        if (b < 0) {
          return;
        }
        write(ByteBuffer.wrap(new byte[] {(byte) b})); // past the declared size: 400
      }
      int k = data.read(chunkFor(), used, current.length - used);
      if (k < 0) {
        return;
      }
      accept(k);
      used += k;
      size += k;
    }
  }

  private void checkOpen() throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
  }

  /** Checks that {@code n} more bytes may be written. */
  private void accept(int n) throws IOException {
    try {
      request.checkWritable(size + n, store.site());
    } catch (RuntimeException e) {
      close(); // a write past the declared size ends the write, as on GCS
      throw e;
    }
    if (size + n > MAX_SIZE) {
      close();
      throw new IOException("write gs://" + request.bucket() + "/" + request.name() + " on " + store.site()
          + ": an InMemoryStore object holds at most " + MAX_SIZE + " bytes");
    }
  }

  /** The current chunk, a new one if it is full; {@code wanted}: how many bytes are about to come. */
  private int room(int wanted) {
    if (current == null || used == current.length) {
      current = new byte[nextChunkSize(wanted)];
      chunks.add(current);
      used = 0;
    }
    return current.length - used;
  }

  /** The current chunk with room, for a read of unknown length. */
  private byte[] chunkFor() {
    room(MIN_CHUNK);
    return current;
  }

  private int nextChunkSize(int wanted) {
    long declared = request.expectedSize();
    if (chunks.isEmpty() && declared != WriteRequest.UNKNOWN_SIZE) {
      return (int) Math.max(1, Math.min(MAX_CHUNK, declared));
    }
    int previous = current == null ? 0 : current.length;
    return (int) Math.min(MAX_CHUNK, Math.max(Math.max(MIN_CHUNK, wanted), 2L * previous));
  }

  /**
   * The checksums of every byte written, computed by a caller who saw them all (a router computes
   * them once for all its sites): commit stores these instead of computing its own. A null MD5 is
   * computed here.
   */
  @Override
  public void precomputedChecksums(String crc32c, @Nullable String md5) {
    this.knownCrc32c = crc32c;
    this.knownMd5 = md5;
  }

  @Override
  public ObjectInfo commit() throws IOException {
    checkOpen();
    open = false;
    if (current != null && used < current.length && used < TRIM_BELOW) {
      chunks.set(chunks.size() - 1, Arrays.copyOf(current, used)); // a small slack: cheaper to copy than keep
    }
    Bytes data = Bytes.ofChunks(chunks, used);
    chunks.clear();
    current = null;
    String crc32c = knownCrc32c;
    String md5 = knownMd5;
    if (crc32c == null || md5 == null) {
      Checksums sums = new Checksums();
      data.hash(sums);
      String[] computed = sums.finish();
      crc32c = computed[0];
      md5 = computed[1];
    }
    request.verify(data.size(), crc32c, md5, store.site());
    return store.publish("write", request.bucket(), request.name(), request.conditions(), request.generation(),
        request.metadata(), data, crc32c, md5, 0);
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
    chunks.clear();
    current = null;
  }
}
