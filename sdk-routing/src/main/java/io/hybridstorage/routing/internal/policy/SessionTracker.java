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
    marks.asMap().merge(key(bucket, name), new Mark(generation, false),
        (old, now) -> old.generation() > now.generation() ? old : now);
  }

  public void deleted(String bucket, String name, long generation) {
    marks.asMap().merge(key(bucket, name), new Mark(generation, true),
        (old, now) -> old.generation() > now.generation() ? old : now);
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
