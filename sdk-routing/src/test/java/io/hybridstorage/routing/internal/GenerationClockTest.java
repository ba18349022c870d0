package io.hybridstorage.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.testkit.time.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The hybrid logical clock of router generations, on virtual time. */
class GenerationClockTest {

  private static final Duration LEAD = GenerationClock.DEFAULT_MAX_LEAD;
  private static final long LEAD_MICROS = LEAD.toNanos() / 1_000;

  /** A waiter that must not be asked to wait. */
  private static final io.hybridstorage.api.Sleeper NEVER = d -> {
    throw new AssertionError("waited " + d + " although no name ran ahead");
  };

  private static long micros(VirtualClock clock) {
    return clock.instant().getEpochSecond() * 1_000_000 + clock.instant().getNano() / 1_000;
  }

  @Test
  void distinctNamesAtAStandingClockStayWithinTheLead() {
    VirtualClock time = VirtualClock.create();
    GenerationClock clock = new GenerationClock(time, 7, LEAD, GenerationClock.DEFAULT_CAPACITY, NEVER);
    long now = micros(time);
    Set<Long> leads = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      long g = clock.next("bkt", "key-" + i);
      assertThat(g - now).as("lead of generation %d", i).isBetween(-(long) GenerationClock.STEP, LEAD_MICROS);
      assertThat(GenerationClock.nodeIdOf(g)).isEqualTo(7);
      leads.add(g - now);
    }
    assertThat(leads).as("names do not push each other: all at the same instant").hasSize(1);
  }

  @Test
  void aHotNameWaitsForTheClockInsteadOfRunningAhead() throws Exception {
    VirtualClock time = VirtualClock.create();
    GenerationClock clock = new GenerationClock(time, 3, LEAD, 1_000, time.sleeper()::sleep);
    List<long[]> issued = new ArrayList<>(); // generation, clock at issue
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      Future<?> done = writer.submit(() -> {
        for (int i = 0; i < 40; i++) {
          long g = clock.next("bkt", "hot");
          synchronized (issued) {
            issued.add(new long[] {g, micros(time)});
          }
        }
        return null;
      });
      assertThat(time.awaitSleepers(1, Duration.ofSeconds(10))).as("the writer waits at a standing clock").isTrue();
      synchronized (issued) {
        assertThat(issued).as("issued before waiting").hasSizeBetween(1, (int) (LEAD_MICROS / GenerationClock.STEP) + 2);
      }
      while (!done.isDone()) {
        if (time.awaitSleepers(1, Duration.ofMillis(50))) {
          time.advance(Duration.ofMillis(1));
        }
      }
      done.get();
    } finally {
      writer.shutdownNow();
    }
    assertThat(issued).hasSize(40);
    for (int i = 0; i < issued.size(); i++) {
      long[] e = issued.get(i);
      assertThat(e[0] - e[1]).as("lead of generation %d", i).isLessThanOrEqualTo(LEAD_MICROS);
      if (i > 0) {
        assertThat(e[0]).as("increasing").isGreaterThan(issued.get(i - 1)[0]);
      }
    }
    assertThat(time.elapsed()).as("time had to pass: about one step per generation")
        .isGreaterThanOrEqualTo(Duration.ofNanos((40 * GenerationClock.STEP - LEAD_MICROS) * 1_000 / 2));
  }

  @Test
  void generationsObservedAheadAreFollowedWithoutWaiting() {
    VirtualClock time = VirtualClock.create();
    GenerationClock clock = new GenerationClock(time, 1, LEAD, 100, NEVER);
    long ahead = micros(time) + 20_000; // another router's clock, 20 ms ahead
    clock.observe("bkt", "o", ahead);
    long g = clock.next("bkt", "o");
    assertThat(g).isGreaterThan(ahead);
    for (int i = 0; i < 3; i++) {
      assertThat(clock.next("bkt", "o")).isGreaterThan(g);
    }
    assertThat(clock.next("bkt", "other")).as("other names stay at the clock").isLessThan(ahead);
  }

  /**
   * A restarted router (a new clock on the same ceiling file) issues generations above every one
   * its earlier incarnation issued or observed, with its clock behind them and no name remembered
   * — and without waiting for its clock to catch up.
   */
  @Test
  void aNewIncarnationStartsAboveWhatTheOldOneIssuedOrObserved(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    VirtualClock time = VirtualClock.create();
    GenerationClock old = new GenerationClock(time, 1, LEAD, 100, NEVER, new CeilingFile(dir));
    long ahead = micros(time) + 40_000; // seen from a router whose clock is 40 ms ahead
    old.observe("bkt", "seen", ahead);
    long issued = old.next("bkt", "issued");
    GenerationClock restarted = new GenerationClock(time, 1, LEAD, 100, NEVER, new CeilingFile(dir));
    assertThat(restarted.next("bkt", "seen")).isGreaterThan(ahead);
    assertThat(restarted.next("bkt", "issued")).isGreaterThan(issued);
    assertThat(restarted.next("bkt", "never-seen")).as("a floor for every name").isGreaterThan(ahead);
    GenerationClock without = new GenerationClock(time, 1, LEAD, 100, NEVER);
    assertThat(without.next("bkt", "seen")).as("without the ceiling, the clock alone").isLessThan(ahead);
  }

  /**
   * The ceiling file is stored from issuing threads and from the background raise at once: the
   * stores must not trip over each other's temporary file, and the file never goes down when a
   * lower value arrives last.
   */
  @Test
  void concurrentStoresOfTheCeilingFileNeverFailNorGoDown(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    CeilingFile file = new CeilingFile(dir);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> stores = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        stores.add(threads.submit(() -> {
          for (int i = 0; i < 200; i++) {
            file.store(1_000 + i * 4L + offset);
          }
        }));
      }
      for (Future<?> f : stores) {
        f.get(30, TimeUnit.SECONDS);
      }
      file.store(5); // a late, lower value
      assertThat(new CeilingFile(dir).load()).isEqualTo(1_000 + 199 * 4L + 3);
    } finally {
      threads.shutdownNow();
    }
  }

  /** The ceiling is stored ahead, once per window, not once per generation. */
  @Test
  void theCeilingIsStoredOncePerWindow() {
    VirtualClock time = VirtualClock.create();
    List<Long> stored = new ArrayList<>();
    GenerationClock clock = new GenerationClock(time, 1, LEAD, 100, NEVER, new GenerationClock.Ceiling() {
      @Override
      public long load() {
        return 0;
      }

      @Override
      public void store(long ceiling) {
        stored.add(ceiling);
      }
    });
    long first = clock.next("bkt", "a");
    for (int i = 0; i < 40; i++) {
      time.advance(Duration.ofMillis(1));
      clock.next("bkt", "n" + i);
    }
    assertThat(stored).as("40 ms of generations: within the first half of the first window").hasSize(1);
    assertThat(stored.get(0)).isGreaterThanOrEqualTo(first + GenerationClock.CEILING_WINDOW_MICROS);
    time.advance(Duration.ofMillis(100));
    long later = clock.next("bkt", "b");
    assertThat(stored).hasSize(2);
    assertThat(stored.get(1)).isGreaterThan(later);
  }

  /**
   * Generations in the upper half of the window raise the ceiling in the background: the issuing
   * thread does not wait for that fsync, and the ceiling is above them once it is done.
   */
  @Test
  void theUpperHalfOfTheWindowRaisesTheCeilingInTheBackground() throws Exception {
    VirtualClock time = VirtualClock.create();
    List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicLong ceiling = new java.util.concurrent.atomic.AtomicLong();
    GenerationClock clock = new GenerationClock(time, 1, LEAD, 100, NEVER, new GenerationClock.Ceiling() {
      @Override
      public long load() {
        return 0;
      }

      @Override
      public void store(long value) {
        threads.add(Thread.currentThread().getName());
        ceiling.set(value);
      }
    });
    clock.next("bkt", "a");
    time.advance(Duration.ofMillis(70));
    long upper = clock.next("bkt", "b");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (threads.size() < 2 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(threads).as("the first store by the caller, the raise in the background")
        .containsExactly(Thread.currentThread().getName(), "hs-generation-ceiling");
    assertThat(ceiling.get()).isGreaterThanOrEqualTo(upper + GenerationClock.CEILING_WINDOW_MICROS);
  }

  @Test
  void aConditionsGenerationIsAFloor() {
    VirtualClock time = VirtualClock.create();
    GenerationClock clock = new GenerationClock(time, 1, LEAD, 100, NEVER);
    long named = micros(time) + 20_000;
    assertThat(clock.next("bkt", "o", named)).isGreaterThan(named);
    assertThat(clock.next("bkt", "p", 5)).as("a floor in the past changes nothing").isGreaterThan(micros(time) - 1024);
  }

  @Test
  void ownGenerationsObservedBackDoNotLiftTheBound() {
    VirtualClock time = VirtualClock.create();
    List<Duration> waits = new ArrayList<>();
    GenerationClock clock = new GenerationClock(time, 1, LEAD, 100, d -> {
      waits.add(d);
      time.advance(d);
    });
    long start = micros(time);
    for (int i = 0; i < 50; i++) {
      long g = clock.next("bkt", "o");
      clock.observe("bkt", "o", g); // the commit's generation, as the write path reports it
      assertThat(g - micros(time)).isLessThanOrEqualTo(LEAD_MICROS);
    }
    assertThat(waits).as("the router's own generations count against its lead").isNotEmpty();
    assertThat(micros(time) - start).isGreaterThan(40 * GenerationClock.STEP);
  }

  @Test
  void aForgottenNameStillGetsANewerGeneration() {
    VirtualClock time = VirtualClock.create();
    GenerationClock clock = new GenerationClock(time, 2, LEAD, 4, time.advancingSleeper()::sleep);
    long first = clock.next("bkt", "a");
    long second = clock.next("bkt", "a");
    for (int i = 0; i < 10; i++) {
      clock.next("bkt", "filler-" + i); // pushes "a" out of the 4 names remembered
    }
    assertThat(clock.next("bkt", "a")).isGreaterThan(second).isGreaterThan(first);
  }

  @Test
  void routersWithDifferentNodeIdsNeverIssueTheSameGeneration() {
    VirtualClock time = VirtualClock.create();
    GenerationClock a = new GenerationClock(time, GenerationClock.newNodeId(), LEAD, 100, time.advancingSleeper()::sleep);
    GenerationClock b = new GenerationClock(time, GenerationClock.newNodeId(), LEAD, 100, time.advancingSleeper()::sleep);
    assertThat(a.nodeId()).as("ids drawn in one JVM differ").isNotEqualTo(b.nodeId());
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      assertThat(seen.add(a.next("bkt", "o"))).isTrue();
      assertThat(seen.add(b.next("bkt", "o"))).isTrue();
    }
  }

  @Test
  void interruptedWhileWaitingIs503() throws Exception {
    VirtualClock time = VirtualClock.create();
    GenerationClock clock = new GenerationClock(time, 3, LEAD, 100, time.sleeper()::sleep);
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        for (int i = 0; i < 100; i++) {
          clock.next("bkt", "hot");
        }
        failure.complete(null);
      } catch (Throwable e) {
        failure.complete(e);
      }
    });
    t.start();
    assertThat(time.awaitSleepers(1, Duration.ofSeconds(10))).isTrue();
    t.interrupt();
    Throwable e = failure.get(10, TimeUnit.SECONDS);
    assertThat(e).isInstanceOf(HybridStorageException.class).hasMessageContaining("gs://bkt/hot");
    assertThat(((HybridStorageException) e).code()).isEqualTo(503);
  }

  @Test
  void rejectsImpossibleSettings() {
    VirtualClock time = VirtualClock.create();
    assertThatThrownBy(() -> new GenerationClock(time, 1024, LEAD, 1, NEVER)).hasMessageContaining("nodeId (1024)");
    assertThatThrownBy(() -> new GenerationClock(time, 0, Duration.ofNanos(1_000), 1, NEVER))
        .hasMessageContaining("maxLead");
    assertThatThrownBy(() -> new GenerationClock(time, 0, LEAD, 0, NEVER)).hasMessageContaining("capacity (0)");
  }
}
