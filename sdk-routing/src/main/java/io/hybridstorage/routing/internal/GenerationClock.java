package io.hybridstorage.routing.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues the logical generations the router assigns when a site cannot (DESIGN.md, "One
 * generation across sites"). A generation is the clock in microseconds — the unit of GCS's own
 * generations, so the two orders agree — with its low 10 bits replaced by this instance's id, so
 * two routers never issue the same generation for different content; it is strictly increasing
 * per instance and moves past every generation {@link #observe observed} (a hybrid logical clock),
 * so a writer whose clock lags still writes a newer generation than the one it read.
 */
public final class GenerationClock {

  private static final int ID_BITS = 10;
  private static final long STEP = 1L << ID_BITS;
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final Clock clock;
  private final long instanceId;
  private final AtomicLong last = new AtomicLong();

  public GenerationClock(Clock clock, long seed) {
    this.clock = clock;
    long pid = ProcessHandle.current().pid();
    // distinct within a JVM (counter) and, with high probability, across processes (pid, seed)
    this.instanceId = Math.floorMod(pid * 31 + seed * 17 + INSTANCES.getAndIncrement(), STEP);
  }

  public long instanceId() {
    return instanceId;
  }

  /** A new generation, greater than any issued or observed by this clock. */
  public long next() {
    Instant now = clock.instant();
    long micros = Math.multiplyExact(now.getEpochSecond(), 1_000_000L) + now.getNano() / 1_000;
    long base = (micros & ~(STEP - 1)) | instanceId;
    return last.updateAndGet(prev -> {
      long candidate = base;
      if (candidate <= prev) {
        candidate = ((prev & ~(STEP - 1)) + STEP) | instanceId;
      }
      return candidate;
    });
  }

  /** Moves this clock past {@code generation} (seen at a site), so the next write wins over it. */
  public void observe(long generation) {
    last.accumulateAndGet(generation, Math::max);
  }
}
