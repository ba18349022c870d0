package io.hybridstorage.vast;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.annotation.Nullable;

/**
 * Bytes handed from a writer's thread to the thread sending them as a request body, through at
 * most {@code maxChunks} reused chunks (the heap bound).
 *
 * <p>The writer's last chunk is <em>held back</em>: a chunk goes to the reader only when the
 * writer needs room for more bytes, or at {@link #finish()}. So the reader cannot reach the end
 * of the body before the writer decides it is complete, and {@link #fail} at any point before
 * {@code finish} leaves the body short: the request is torn and the server keeps nothing.
 *
 * <p>The reader waits at most {@code readerPatience} for each next chunk; then it fails the pipe
 * (the body is torn, the writer's next call throws). A writer that stops without {@link #fail}
 * (a caller that dropped its writer without closing it) would otherwise block the reading thread
 * forever, and with it whatever that thread holds (the key's lock of a publish).
 *
 * <p>One writer thread and one reader thread; {@link #fail} from any thread.
 */
final class ChunkPipe {

  private final int chunkSize;
  private final int maxChunks;
  private final Duration readerPatience;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  /** Filled chunks, oldest first, for the reader (guarded by lock). */
  private final ArrayDeque<Chunk> ready = new ArrayDeque<>();
  /** Emptied chunks, for the writer (guarded by lock). */
  private final ArrayDeque<byte[]> free = new ArrayDeque<>();
  private int allocated;
  private boolean finished;
  @Nullable private IOException failure;
  private boolean readStarted;

  /** The writer's chunk being filled (writer thread only). */
  @Nullable private Chunk filling;
  private final Source source = new Source();

  private static final class Chunk {
    final byte[] bytes;
    int size;

    Chunk(byte[] bytes) {
      this.bytes = bytes;
    }
  }

  ChunkPipe(int chunkSize, int maxChunks, Duration readerPatience) {
    if (chunkSize <= 0 || maxChunks < 2 || readerPatience.isNegative() || readerPatience.isZero()) {
      throw new IllegalArgumentException("chunkSize " + chunkSize + ", maxChunks " + maxChunks + ", readerPatience "
          + readerPatience);
    }
    this.chunkSize = chunkSize;
    this.maxChunks = maxChunks;
    this.readerPatience = readerPatience;
  }

  /** Copies all of {@code bytes} in; blocks while every chunk is full and unread. */
  void write(ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      if (filling == null) {
        filling = new Chunk(takeFree());
      } else if (filling.size == chunkSize) {
        hand(filling);
        filling = new Chunk(takeFree());
      }
      int n = Math.min(bytes.remaining(), chunkSize - filling.size);
      bytes.get(filling.bytes, filling.size, n);
      filling.size += n;
    }
  }

  /** Releases the held-back chunk and ends the body. */
  void finish() throws IOException {
    lock.lock();
    try {
      throwIfFailed();
      if (filling != null && filling.size > 0) {
        ready.add(filling);
      }
      filling = null;
      finished = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the pipe with {@code cause}: the reader's next read throws it (so the request body is
   * torn), a blocked writer wakes and throws it. Idempotent: the first cause stays.
   */
  void fail(IOException cause) {
    lock.lock();
    try {
      if (failure == null && !finished) {
        failure = cause;
      }
      ready.clear();
      free.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Why the pipe failed, or null. */
  @Nullable
  IOException failure() {
    lock.lock();
    try {
      return failure;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the reader has taken any byte (a request that has not may be sent again). */
  boolean readStarted() {
    lock.lock();
    try {
      return readStarted;
    } finally {
      lock.unlock();
    }
  }

  /** The reading end: one stream, for the request body. */
  InputStream source() {
    return source;
  }

  private byte[] takeFree() throws IOException {
    lock.lock();
    try {
      while (true) {
        throwIfFailed();
        byte[] b = free.poll();
        if (b != null) {
          return b;
        }
        if (allocated < maxChunks) {
          allocated++;
          return new byte[chunkSize];
        }
        awaitChange();
      }
    } finally {
      lock.unlock();
    }
  }

  private void hand(Chunk chunk) throws IOException {
    lock.lock();
    try {
      throwIfFailed();
      ready.add(chunk);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void throwIfFailed() throws IOException {
    if (failure != null) {
      throw new IOException(failure.getMessage(), failure);
    }
  }

  private void awaitChange() throws InterruptedIOException {
    try {
      changed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting on the upload pipe");
    }
  }

  private final class Source extends InputStream {
    @Nullable private Chunk current;
    private int position;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (current == null || position == current.size) {
        if (!next()) {
          return -1;
        }
      }
      int n = Math.min(len, current.size - position);
      System.arraycopy(current.bytes, position, b, off, n);
      position += n;
      return n;
    }

    /**
     * Recycles the read chunk and waits for the next, at most {@code readerPatience}; false at the
     * end of the body.
     */
    private boolean next() throws IOException {
      lock.lock();
      try {
        long left = readerPatience.toNanos();
        if (current != null) {
          if (failure == null) {
            free.add(current.bytes);
          }
          current = null;
          changed.signalAll();
        }
        while (true) {
          throwIfFailed();
          Chunk c = ready.poll();
          if (c != null) {
            current = c;
            position = 0;
            readStarted = true;
            return true;
          }
          if (finished) {
            return false;
          }
          if (left <= 0) {
            failure = new IOException("no bytes from the writer for " + readerPatience
                + " (socketTimeout): it was dropped without close, or it is too slow");
            ready.clear();
            free.clear();
            changed.signalAll();
            throwIfFailed();
          }
          try {
            left = changed.awaitNanos(left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on the upload pipe");
          }
        }
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      // the writer side decides the end; the SDK closing the body early is a failure it reports
    }
  }
}
