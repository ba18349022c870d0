package io.hybridstorage.gateway;

import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.memory.InMemoryStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory store whose writes keep no bytes, only their count: for uploads larger than the
 * test JVM's heap (a gateway that buffered a body would fail with OutOfMemoryError).
 */
final class SinkStore extends ForwardingObjectStore {

  final AtomicLong committed = new AtomicLong();
  final AtomicLong largestWrite = new AtomicLong();

  SinkStore() {
    super(new InMemoryStore("sink"));
  }

  @Override
  public ObjectInfo write(WriteRequest request, InputStream data) {
    try (ObjectWriter w = openWrite(request)) {
      byte[] chunk = new byte[64 * 1024];
      int n;
      while ((n = data.read(chunk)) >= 0) {
        w.write(ByteBuffer.wrap(chunk, 0, n));
      }
      return w.commit();
    } catch (IOException e) {
      throw HybridStorageException.io("write", request.bucket(), request.name(), site(), e);
    }
  }

  @Override
  public ObjectWriter openWrite(WriteRequest request) {
    return new ObjectWriter() {
      private long size;

      @Override
      public int write(ByteBuffer source) {
        int n = source.remaining();
        largestWrite.accumulateAndGet(n, Math::max);
        source.position(source.limit());
        size += n;
        return n;
      }

      @Override
      public ObjectInfo commit() {
        committed.incrementAndGet();
        return new ObjectInfo(request.bucket(), request.name(), 1, 1, size, null, null, null, ObjectMetadata.empty(),
            Instant.now(), Instant.now(), null, 0);
      }

      @Override
      public boolean isOpen() {
        return true;
      }

      @Override
      public void close() {}
    };
  }
}
