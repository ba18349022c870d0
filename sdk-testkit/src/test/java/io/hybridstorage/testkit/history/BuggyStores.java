package io.hybridstorage.testkit.history;

import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Stores with the bugs the checker exists to find. */
final class BuggyStores {

  private BuggyStores() {}

  /** Every n-th read returns the version read before (a stale cache). */
  static final class StaleReads extends ForwardingObjectStore {
    private final int every;
    private final AtomicInteger reads = new AtomicInteger();
    private final Map<String, Snapshot> previous = new ConcurrentHashMap<>();

    record Snapshot(ObjectInfo info, byte[] bytes) {}

    StaleReads(ObjectStore delegate, int every) {
      super(delegate);
      this.every = every;
    }

    @Override
    public ObjectContent read(ReadRequest request) {
      String key = request.id().toString();
      Snapshot stale = previous.get(key);
      if (stale != null && reads.incrementAndGet() % every == 0) {
        return ObjectContent.of(stale.info(), new ByteArrayInputStream(stale.bytes()));
      }
      try (ObjectContent content = super.read(request)) {
        Snapshot fresh = new Snapshot(content.info(), content.stream().readAllBytes());
        previous.put(key, fresh);
        return ObjectContent.of(fresh.info(), new ByteArrayInputStream(fresh.bytes()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Every n-th write is acknowledged with the live version's info but never stored. */
  static final class DropsWrites extends ForwardingObjectStore {
    private final int every;
    private final AtomicInteger writes = new AtomicInteger();

    DropsWrites(ObjectStore delegate, int every) {
      super(delegate);
      this.every = every;
    }

    @Override
    public ObjectInfo write(WriteRequest request, InputStream data) {
      if (writes.incrementAndGet() % every == 0) {
        try {
          byte[] bytes = data.readAllBytes();
          return new ObjectInfo(request.bucket(), request.name(), System.nanoTime(), 1, bytes.length,
              Checksums.crc32c(bytes), null, null, request.metadata(), null, null, null, 0);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return super.write(request, data);
    }
  }
}
