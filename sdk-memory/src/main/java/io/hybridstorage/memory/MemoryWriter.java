package io.hybridstorage.memory;

import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;

/**
 * A write into an {@link InMemoryStore}: bytes go to a private buffer, invisible to everyone,
 * until {@link #commit()} verifies the declared size and client checksums (400) and publishes a copy atomically with
 * the preconditions (412). After commit, or a failed commit, or close, the writer is closed.
 */
final class MemoryWriter implements ObjectWriter {

  /** The largest array the JVM reliably allocates. */
  private static final int MAX_SIZE = Integer.MAX_VALUE - 8;

  /** The most a declared size makes the writer allocate up front. */
  private static final int MAX_PRESIZE = 64 * 1024 * 1024;

  private final InMemoryStore store;
  private final WriteRequest request;
  private final Checksums checksums = new Checksums();
  private byte[] buffer;
  private int size;
  private boolean open = true;

  MemoryWriter(InMemoryStore store, WriteRequest request) {
    this.store = store;
    this.request = request;
    this.buffer = new byte[(int) Math.max(1024, Math.min(MAX_PRESIZE, request.expectedSize()))];
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    int n = source.remaining();
    try {
      request.checkWritable((long) size + n, store.site());
    } catch (RuntimeException e) {
      close(); // a write past the declared size ends the write, as on GCS
      throw e;
    }
    if (n > MAX_SIZE - size) {
      throw new IOException("write gs://" + request.bucket() + "/" + request.name() + " on " + store.site()
          + ": an InMemoryStore object holds at most " + MAX_SIZE + " bytes");
    }
    if (size + n > buffer.length) {
      buffer = Arrays.copyOf(buffer, (int) Math.min(MAX_SIZE, Math.max(size + n, 2L * buffer.length)));
    }
    checksums.update(source);
    source.get(buffer, size, n);
    size += n;
    return n;
  }

  @Override
  public ObjectInfo commit() throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    open = false;
    byte[] data = Arrays.copyOf(buffer, size);
    buffer = null;
    String[] sums = checksums.finish();
    request.verify(data.length, sums[0], sums[1], store.site());
    return store.publish("write", request.bucket(), request.name(), request.conditions(), request.generation(),
        request.metadata(), data, sums[0], sums[1], 0);
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
    buffer = null;
  }
}
