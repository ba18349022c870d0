package io.hybridstorage.sync;

import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A checker over the whole history of one site: every write committed there and every delete
 * replicated there, in commit order. A violation is a committed generation not newer than one the
 * site already held or had deleted for that name: an older generation over a newer one.
 */
final class HistoryCheck extends ForwardingObjectStore {

  private final Map<String, Long> newest = new HashMap<>();
  private final List<String> violations = new ArrayList<>();
  private long commits;
  private final Map<String, Long> commitsByName = new HashMap<>();

  HistoryCheck(ObjectStore delegate) {
    super(delegate);
  }

  @Override
  public ObjectWriter openWrite(WriteRequest request) {
    ObjectWriter w = super.openWrite(request);
    return new ObjectWriter() {
      @Override
      public int write(ByteBuffer source) throws IOException {
        return w.write(source);
      }

      @Override
      public ObjectInfo commit() throws IOException {
        ObjectInfo info = w.commit();
        committed(info.name(), info.generation());
        return info;
      }

      @Override
      public void precomputedChecksums(String crc32c, String md5) {
        w.precomputedChecksums(crc32c, md5);
      }

      @Override
      public boolean isOpen() {
        return w.isOpen();
      }

      @Override
      public void close() {
        w.close();
      }
    };
  }

  @Override
  public ObjectInfo write(WriteRequest request, java.io.InputStream data) {
    ObjectInfo info = super.write(request, data);
    committed(info.name(), info.generation());
    return info;
  }

  @Override
  public boolean deleteUpTo(String bucket, String name, long generation) {
    boolean removed = super.deleteUpTo(bucket, name, generation);
    synchronized (this) {
      newest.merge(name, generation, Math::max);
    }
    return removed;
  }

  private synchronized void committed(String name, long generation) {
    commits++;
    commitsByName.merge(name, 1L, Long::sum);
    Long before = newest.get(name);
    if (before != null && generation <= before) {
      violations.add(name + ": generation " + generation + " committed after " + before);
    }
    newest.merge(name, generation, Math::max);
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  synchronized long commits() {
    return commits;
  }

  /** Generations of {@code name} committed here. */
  synchronized long commits(String name) {
    return commitsByName.getOrDefault(name, 0L);
  }
}
