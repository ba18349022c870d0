package io.hybridstorage.routing.history;

import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * What happened around the ops, on the ops' clock ({@link System#nanoTime()}, as the history's
 * {@code startNanos}/{@code endNanos}): nemesis actions (partitions, rules, restarts, repairs) and
 * every call a link failed on purpose. A failing run prints the part of it that touches the key.
 *
 * <p>Thread-safe.
 */
final class Timeline {

  /**
   * One event.
   *
   * @param name the object it concerns, or null for a whole link or router
   */
  record Event(long nanos, long atOp, String who, @Nullable String name, String what) {
    String show(long origin) {
      return String.format("%9.3f ms  op~%-6d %-10s %s%s", (nanos - origin) / 1e6, atOp, who,
          name == null ? "" : name + ": ", what);
    }
  }

  private final long origin = System.nanoTime();
  private final List<Event> events = new ArrayList<>();
  private final Progress progress;

  Timeline(Progress progress) {
    this.progress = progress;
  }

  long origin() {
    return origin;
  }

  void note(String who, @Nullable String name, String what) {
    Event e = new Event(System.nanoTime(), progress.done(), who, name, what);
    synchronized (this) {
      events.add(e);
    }
  }

  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** Events between two instants that concern {@code name} or no object at all. */
  synchronized List<Event> around(String name, long fromNanos, long toNanos) {
    List<Event> result = new ArrayList<>();
    for (Event e : events) {
      if (e.nanos() >= fromNanos && e.nanos() <= toNanos && (e.name() == null || e.name().equals(name))) {
        result.add(e);
      }
    }
    return result;
  }
}
