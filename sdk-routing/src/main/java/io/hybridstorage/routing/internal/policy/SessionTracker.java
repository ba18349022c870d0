package io.hybridstorage.routing.internal.policy;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import javax.annotation.Nullable;

/**
 * SESSION consistency's memory: the newest generation this router wrote or deleted per object
 * (bounded, least recently used first out). A replica answer older than it is not served.
 */
public final class SessionTracker {

  /** The last change this session made: a write of {@code generation}, or a delete up to it. */
  public record Mark(long generation, boolean deleted) {}

  private final Cache<String, Mark> marks;

  public SessionTracker(int capacity) {
    this.marks = CacheBuilder.newBuilder().maximumSize(capacity).build();
  }

  private static String key(String bucket, String name) {
    return bucket + '\n' + name;
  }

  public void wrote(String bucket, String name, long generation) {
    raise(key(bucket, name), new Mark(generation, false));
  }

  public void deleted(String bucket, String name, long generation) {
    raise(key(bucket, name), new Mark(generation, true));
  }

  /**
   * Keeps the newer mark: compare-and-set on the cache's map (its {@code merge} runs a loading
   * computation per call, several times the cost of the write it records).
   */
  private void raise(String key, Mark now) {
    java.util.concurrent.ConcurrentMap<String, Mark> map = marks.asMap();
    while (true) {
      Mark old = map.get(key);
      if (old == null) {
        if (map.putIfAbsent(key, now) == null) {
          return;
        }
      } else if (old.generation() > now.generation()) {
        return;
      } else if (map.replace(key, old, now)) {
        return;
      }
    }
  }

  @Nullable
  public Mark mark(String bucket, String name) {
    return marks.getIfPresent(key(bucket, name));
  }

  /**
   * Whether a replica answer is acceptable for read-your-writes: {@code generation} is what the
   * replica holds ({@code -1} when it holds nothing).
   */
  public boolean acceptable(String bucket, String name, long generation) {
    Mark m = mark(bucket, name);
    if (m == null) {
      return true;
    }
    if (m.deleted()) {
      return generation < 0 || generation > m.generation();
    }
    return generation >= m.generation();
  }
}
