package io.hybridstorage.testkit.time;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Clock} that moves only when told: {@link #advance}, or a sleeper of this clock. Latency
 * and staleness tests then take no real time, and replay exactly.
 *
 * <p>Three views of one timeline: {@link #instant()} (wall time, starts at {@link #DEFAULT_START}
 * unless given), {@link #nanoTime()} (monotonic, starts at 0) and {@link #ticker()} (the same
 * nanos as a Guava {@code Ticker}). Clocks from {@link #withZone} share the timeline.
 *
 * <p>Two ways to wait on it:
 *
 * <ul>
 *   <li>{@link #sleeper()} blocks the calling thread until another thread advances the clock past
 *       its deadline. Use it when the test drives time: {@code awaitSleepers(1, ...)}, then {@code
 *       advance(...)}.
 *   <li>{@link #advancingSleeper()} moves the clock forward by the duration itself and returns at
 *       once: time passes exactly as long as the code under test "sleeps", with no second thread.
 *       Each sleep adds its full duration, so the sleeps of concurrent threads add up instead of
 *       overlapping; when overlap matters, drive time with {@link #sleeper()} instead.
 * </ul>
 *
 * <p>As the router's time ({@code HybridStorageOptions.newBuilder().clock(clock).sleeper(
 * clock.sleeper())}) it holds the router's circuit-breaker open waits, retry pauses, hedge delays,
 * journal replay and watermark intervals and {@code drain} polls until the test advances it. Give
 * the router the blocking {@link #sleeper()}: it waits in threads of its own (replay, watermarks,
 * hedging), which an advancing sleeper would let run this clock forward.
 *
 * <p>Thread-safe. Time never goes backwards.
 */
public final class VirtualClock extends Clock {

  /** Where {@link #create()} starts: a fixed instant, so wall times in test output are stable. */
  public static final Instant DEFAULT_START = Instant.parse("2030-01-01T00:00:00Z");

  private final Timeline timeline;
  private final ZoneId zone;

  private VirtualClock(Timeline timeline, ZoneId zone) {
    this.timeline = timeline;
    this.zone = zone;
  }

  /** A clock at {@link #DEFAULT_START}, zone UTC. */
  public static VirtualClock create() {
    return create(DEFAULT_START);
  }

  /** A clock at {@code start}, zone UTC. */
  public static VirtualClock create(Instant start) {
    return new VirtualClock(new Timeline(requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** The same timeline seen in another zone. */
  @Override
  public VirtualClock withZone(ZoneId newZone) {
    return newZone.equals(zone) ? this : new VirtualClock(timeline, requireNonNull(newZone, "zone"));
  }

  @Override
  public Instant instant() {
    return timeline.start.plusNanos(nanoTime());
  }

  /** Monotonic nanoseconds since this clock was created; what {@link System#nanoTime()} is to real time. */
  public long nanoTime() {
    return timeline.now();
  }

  /** Virtual time elapsed since creation. */
  public Duration elapsed() {
    return Duration.ofNanos(nanoTime());
  }

  /** This clock's monotonic time as a Guava {@code Ticker} (e.g. for caches, stopwatches, recorders). */
  public Ticker ticker() {
    return timeline.ticker;
  }

  /**
   * Moves time forward by {@code duration} and wakes every {@link #sleeper()} whose deadline has
   * passed.
   *
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public VirtualClock advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration (" + duration + ") must not be negative");
    }
    timeline.advanceBy(SystemSleeper.saturatedNanos(duration));
    return this;
  }

  /** {@link #advance(Duration)} in other units. */
  public VirtualClock advance(long amount, TimeUnit unit) {
    return advance(Duration.ofNanos(unit.toNanos(amount)));
  }

  /**
   * Moves time to the earliest deadline of a blocked {@link #sleeper()} (waking it), if that is in
   * the future. Returns {@code false} when no thread is sleeping on this clock.
   */
  public boolean advanceToNextDeadline() {
    return timeline.advanceToNextDeadline();
  }

  /** A sleeper that blocks until this clock is advanced past the deadline. */
  public Sleeper sleeper() {
    return timeline.blocking;
  }

  /** A sleeper that moves this clock forward by the duration asked and returns at once. */
  public Sleeper advancingSleeper() {
    return timeline.advancing;
  }

  /**
   * How many threads are blocked in {@link #sleeper()} right now and still waiting: a sleeper
   * whose deadline an {@link #advance} passed no longer counts, even before its thread has run
   * again. So after {@code advance}, {@code awaitSleepers(n, ...)} waits for the woken code to
   * sleep again, not for the old deadline to be cleared.
   */
  public int sleepers() {
    return timeline.sleepers();
  }

  /**
   * Waits, in real time, until at least {@code count} threads are blocked in {@link #sleeper()}.
   * Tests use it to advance time only once the code under test is waiting.
   *
   * @return {@code false} if {@code realTimeout} passed first
   */
  public boolean awaitSleepers(int count, Duration realTimeout) throws InterruptedException {
    return timeline.awaitSleepers(count, SystemSleeper.saturatedNanos(realTimeout));
  }

  // Clock's equals/hashCode contract: equal when they give the same instants in the same zone.
  @Override
  public boolean equals(Object other) {
    return other instanceof VirtualClock that && that.timeline == timeline && that.zone.equals(zone);
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(timeline) * 31 + zone.hashCode();
  }

  @Override
  public String toString() {
    return "VirtualClock[" + instant() + ", " + zone + "]";
  }

  /** The shared state behind every zone view of one clock. */
  private static final class Timeline {
    final Instant start;
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    /** Blocked sleepers whose deadline has not passed, earliest first; one object per sleep. */
    final PriorityQueue<Waiter> deadlines = new PriorityQueue<>();
    volatile long nanos;

    final Ticker ticker = new Ticker() {
      @Override
      public long read() {
        return nanos;
      }
    };

    final Sleeper blocking = new Sleeper() {
      @Override
      public void sleep(Duration duration) throws InterruptedException {
        sleepBlocking(SystemSleeper.saturatedNanos(duration));
      }

      @Override
      public String toString() {
        return "VirtualClock.sleeper()";
      }
    };

    final Sleeper advancing = new Sleeper() {
      @Override
      public void sleep(Duration duration) throws InterruptedException {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        long amount = SystemSleeper.saturatedNanos(duration);
        if (amount > 0) {
          advanceBy(amount);
        }
      }

      @Override
      public String toString() {
        return "VirtualClock.advancingSleeper()";
      }
    };

    Timeline(Instant start) {
      this.start = start;
    }

    long now() {
      return nanos;
    }

    void advanceBy(long amount) {
      lock.lock();
      try {
        setLocked(saturatedAdd(nanos, amount));
      } finally {
        lock.unlock();
      }
    }

    boolean advanceToNextDeadline() {
      lock.lock();
      try {
        Waiter next = deadlines.peek();
        if (next == null) {
          return false;
        }
        setLocked(Math.max(nanos, next.deadline));
        return true;
      } finally {
        lock.unlock();
      }
    }

    /** Moves forward (never back), drops the deadlines passed and wakes waiters; the lock is held. */
    private void setLocked(long target) {
      if (target > nanos) {
        nanos = target;
        while (!deadlines.isEmpty() && deadlines.peek().deadline <= target) {
          deadlines.poll();
        }
        changed.signalAll();
      }
    }

    void sleepBlocking(long amount) throws InterruptedException {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      if (amount <= 0) {
        return;
      }
      lock.lock();
      try {
        Waiter waiter = new Waiter(saturatedAdd(nanos, amount));
        deadlines.add(waiter);
        changed.signalAll(); // awaitSleepers watches the count
        try {
          while (nanos < waiter.deadline) {
            changed.await();
          }
        } finally {
          deadlines.remove(waiter); // interrupted: still queued (an advance removes passed ones)
        }
      } finally {
        lock.unlock();
      }
    }

    int sleepers() {
      lock.lock();
      try {
        return deadlines.size();
      } finally {
        lock.unlock();
      }
    }

    boolean awaitSleepers(int count, long timeoutNanos) throws InterruptedException {
      lock.lock();
      try {
        long remaining = timeoutNanos;
        while (deadlines.size() < count) {
          if (remaining <= 0) {
            return false;
          }
          remaining = changed.awaitNanos(remaining);
        }
        return true;
      } finally {
        lock.unlock();
      }
    }

    /** One blocked sleep; compared by deadline, removed by identity. */
    private static final class Waiter implements Comparable<Waiter> {
      final long deadline;

      Waiter(long deadline) {
        this.deadline = deadline;
      }

      @Override
      public int compareTo(Waiter other) {
        return Long.compare(deadline, other.deadline);
      }
    }

    private static long saturatedAdd(long a, long b) {
      long sum = a + b;
      return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
  }
}
