package io.hybridstorage.benchmarks;

import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.memory.InMemoryStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A store that keeps no bytes, for {@link GatewayBenchmark}'s 1 GiB transfers: a write is
 * consumed and only its size is kept (per object name, with a generation); a read of such an
 * object gives that many bytes copied from one shared 64 KiB buffer. Buckets and everything else
 * are an {@link InMemoryStore}'s. So the heap growth seen during a transfer is the server's own
 * (and the client's, which allocates nothing per call), and the store's time is a memory copy, no
 * hashing: the server is what is measured. Thread-safe.
 */
final class ByteFreeStore extends ForwardingObjectStore {

  private static final byte[] PATTERN = new byte[64 * 1024];

  static {
    for (int i = 0; i < PATTERN.length; i++) {
      PATTERN[i] = (byte) (i * 31 + 7);
    }
  }

  private final Map<String, ObjectInfo> objects = new ConcurrentHashMap<>();
  private final AtomicLong generations = new AtomicLong();
  final AtomicLong bytesWritten = new AtomicLong();

  ByteFreeStore() {
    super(new InMemoryStore("byte-free"));
  }

  /** Declares an object of {@code size} bytes without writing it (a download's source). */
  ObjectInfo declare(String bucket, String name, long size) {
    ObjectInfo info = info(bucket, name, size);
    objects.put(key(info.bucket(), info.name()), info);
    return info;
  }

  @Override
  public ObjectInfo write(WriteRequest request, InputStream data) {
    byte[] chunk = new byte[64 * 1024];
    long size = 0;
    try {
      int n;
      while ((n = data.read(chunk)) >= 0) {
        size += n;
      }
    } catch (IOException e) {
      throw HybridStorageException.io("write", request.bucket(), request.name(), site(), e);
    }
    return commit(request, size);
  }

  @Override
  public ObjectWriter openWrite(WriteRequest request) {
    return new ObjectWriter() {
      private long size;
      private boolean open = true;

      @Override
      public int write(ByteBuffer source) {
        int n = source.remaining();
        source.position(source.limit());
        size += n;
        return n;
      }

      @Override
      public ObjectInfo commit() {
        open = false;
        return ByteFreeStore.this.commit(request, size);
      }

      @Override
      public boolean isOpen() {
        return open;
      }

      @Override
      public void close() {
        open = false;
      }
    };
  }

  @Override
  public ObjectContent read(ReadRequest request) {
    ObjectInfo info = objects.get(key(request.id().bucket(), request.id().name()));
    if (info == null) {
      return super.read(request);
    }
    request.conditions().checkRead(info, "read", info.bucket(), info.name(), site());
    request.range().check(info.size(), "read", info.bucket(), info.name(), site());
    long count = request.range().count(info.size());
    return ObjectContent.of(info, new Pattern(count));
  }

  private ObjectInfo commit(WriteRequest request, long size) {
    bytesWritten.addAndGet(size);
    ObjectInfo info = info(request.bucket(), request.name(), size);
    objects.put(key(info.bucket(), info.name()), info);
    return info;
  }

  /** Any generation asked for reads the one kept. */
  private static String key(String bucket, String name) {
    return bucket + '/' + name;
  }

  private ObjectInfo info(String bucket, String name, long size) {
    Instant now = Instant.now();
    return new ObjectInfo(bucket, name, generations.incrementAndGet(), 1, size, null, null, null,
        ObjectMetadata.empty(), now, now, null, 0);
  }

  /** {@code count} bytes copied from {@link #PATTERN}. */
  private static final class Pattern extends InputStream {
    private long left;

    Pattern(long count) {
      this.left = count;
    }

    @Override
    public int read() {
      if (left <= 0) {
        return -1;
      }
      left--;
      return PATTERN[(int) (left % PATTERN.length)] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(Math.min(len, left), PATTERN.length);
      System.arraycopy(PATTERN, 0, b, off, n);
      left -= n;
      return n;
    }

    @Override
    public long skip(long n) {
      long k = Math.max(0, Math.min(n, left));
      left -= k;
      return k;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, left);
    }
  }
}
