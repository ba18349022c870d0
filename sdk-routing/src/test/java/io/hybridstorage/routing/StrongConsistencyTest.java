package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.testkit.history.HistoryChecker;
import io.hybridstorage.testkit.history.HistoryRecorder;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.testkit.time.VirtualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Concurrent writers (router A, local dc1) and readers (router B, local dc2) on one object of a
 * STRONG placement while a replica is partitioned and healed; the recorded history is checked for
 * linearizability of a register whose write order is the generation order (the authority's commit
 * order): writes ordered consistently with real time, no read from the future, no read of a value
 * overwritten before the read began, no read going back in time after another read — and, after
 * healing, no acknowledged write lost on any site.
 */
class StrongConsistencyTest {

  record Op(boolean write, String value, long generation, long start, long end, boolean ok) {}

  @ParameterizedTest
  @EnumSource(value = WritePolicy.class, names = {"AUTHORITY_ONLY", "DUAL_WRITE_SYNC", "QUORUM",
      "AUTHORITY_THEN_ASYNC"})
  @Timeout(120) // virtual time that nobody advances would hang the test, not fail it
  void historyIsLinearizableAndNoAcknowledgedWriteIsLost(WritePolicy policy) throws Exception {
    Placement p = World.placement(policy);
    VirtualClock time = VirtualClock.create(); // both routers' clock: it moves only when the test says
    try (World a = new World(p, time, World.testSettings()); World b = a.peer(World.DC2, World.testSettings())) {
      a.router.createBucket(BucketSpec.of(BUCKET));
      HistoryRecorder recorder = HistoryRecorder.create();
      ObjectStore writer = recorder.record(a.router);
      ObjectStore reader = recorder.record(b.router);
      put(writer, "r", "init");
      List<Op> history = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger counter = new AtomicInteger();
      // three phases, each task doing a third of its operations in each: healthy, dc2 partitioned,
      // healed. The tasks meet the test at each phase change (a sleep-timed partition could land
      // after the whole workload had finished: it runs in a few milliseconds)
      Phases phases = new Phases(6);
      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        tasks.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            phases.at(i, 25);
            String v = "w" + counter.incrementAndGet();
            // the workload takes time: the router issues at most one generation of a name per
            // ~1 ms of its clock ahead of that clock, so a writer standing still would wait for it
            time.advance(Duration.ofMillis(2));
            long start = System.nanoTime();
            try {
              ObjectInfo info = put(writer, "r", v);
              history.add(new Op(true, v, info.generation(), start, System.nanoTime(), true));
            } catch (HybridStorageException e) {
              history.add(new Op(true, v, 0, start, Long.MAX_VALUE, false)); // outcome unknown
            }
          }
          return null;
        }));
        tasks.add(pool.submit(() -> {
          for (int i = 0; i < 40; i++) {
            phases.at(i, 40);
            long start = System.nanoTime();
            try (ObjectContent c = reader.read(ReadRequest.of(ObjectId.of(BUCKET, "r")))) {
              String v = new String(c.stream().readAllBytes(), StandardCharsets.UTF_8);
              history.add(new Op(false, v, c.info().generation(), start, System.nanoTime(), true));
            } catch (HybridStorageException e) {
              assertThat(e.code()).isEqualTo(503);
            }
          }
          return null;
        }));
      }
      phases.next(() -> a.faults.get(World.DC2).partition());
      phases.next(() -> a.faults.get(World.DC2).heal());
      for (Future<?> f : tasks) {
        f.get();
      }
      pool.shutdown();
      List<Op> snapshot = new ArrayList<>(history);
      assertThat(snapshot.stream().filter(o -> !o.write())).hasSizeGreaterThan(50);
      assertThat(snapshot.stream().filter(o -> o.write() && o.ok())).isNotEmpty();
      assertLinearizable(snapshot);
      // the testkit's checker: no lost acknowledged write, generation order, linearizability (Knossos-style)
      HistoryChecker.create().check(recorder.history()).assertValid();

      time.advance(World.testSettings().breakerOpenWait().plusNanos(1)); // breakers let a trial call through
      assertThat(a.drain(Duration.ofSeconds(20))).isTrue();
      assertThat(b.drain(Duration.ofSeconds(20))).isTrue();
      long newestAcked = snapshot.stream().filter(o -> o.write() && o.ok()).mapToLong(Op::generation).max()
          .orElseThrow();
      long authority = a.site(World.GCP).head(ObjectId.of(BUCKET, "r"), Conditions.none()).orElseThrow()
          .generation();
      assertThat(authority).as("no acknowledged write lost").isGreaterThanOrEqualTo(newestAcked);
      for (String site : a.memory.keySet()) {
        assertThat(a.site(site).head(ObjectId.of(BUCKET, "r"), Conditions.none()).orElseThrow().generation())
            .as(site).isEqualTo(authority);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void theCheckFindsAStaleReadAndAReadGoingBackInTime() {
    Op w1 = new Op(true, "w1", 10, 0, 10, true);
    Op w2 = new Op(true, "w2", 20, 20, 30, true);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertLinearizable(List.of(w1, w2,
        new Op(false, "w1", 10, 40, 50, true)))).hasMessageContaining("overwritten");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertLinearizable(List.of(w1,
        new Op(true, "w2", 20, 20, 100, true), new Op(false, "w2", 20, 30, 40, true),
        new Op(false, "w1", 10, 50, 60, true)))).hasMessageContaining("back in time");
    assertLinearizable(List.of(w1, w2, new Op(false, "w2", 20, 40, 50, true)));
  }

  /**
   * Phase changes of a workload: each of {@code tasks} calls {@link #at} before every operation and
   * waits, after each third of its operations, until the test has changed the phase with {@link
   * #next}.
   */
  static final class Phases {
    private final CountDownLatch[] arrived;
    private final CountDownLatch[] changed = {new CountDownLatch(1), new CountDownLatch(1)};
    private int next; // the test thread's

    Phases(int tasks) {
      arrived = new CountDownLatch[] {new CountDownLatch(tasks), new CountDownLatch(tasks)};
    }

    /** Before operation {@code i} of {@code n}: at a third and at two thirds, waits for the phase change. */
    void at(int i, int n) throws InterruptedException {
      int p = i == n / 3 ? 0 : i == 2 * n / 3 ? 1 : -1;
      if (p >= 0) {
        arrived[p].countDown();
        if (!changed[p].await(30, TimeUnit.SECONDS)) {
          throw new AssertionError("the test never started phase " + (p + 2));
        }
      }
    }

    /** Once every task has finished the current phase, runs {@code change} and lets them go on. */
    void next(Runnable change) throws InterruptedException {
      assertThat(arrived[next].await(30, TimeUnit.SECONDS)).as("every task finished phase %d", next + 1).isTrue();
      change.run();
      changed[next++].countDown();
    }
  }

  /** The register check with the write order given by generations. */
  static void assertLinearizable(List<Op> history) {
    List<Op> writes = history.stream().filter(Op::write).toList();
    List<Op> acked = writes.stream().filter(Op::ok).toList();
    List<Op> reads = history.stream().filter(o -> !o.write()).toList();
    Map<String, Op> writeByValue = new HashMap<>();
    writes.forEach(w -> writeByValue.put(w.value(), w));
    for (Op w1 : acked) {
      for (Op w2 : acked) {
        if (w1.end() < w2.start()) {
          assertThat(w1.generation()).as("%s before %s in real time", w1, w2).isLessThan(w2.generation());
        }
      }
    }
    for (Op r : reads) {
      if (!r.value().equals("init")) {
        Op w = writeByValue.get(r.value());
        assertThat(w).as("read %s returns a value someone wrote", r).isNotNull();
        assertThat(w.start()).as("%s does not read from the future (%s)", r, w).isLessThan(r.end());
        if (w.ok()) {
          assertThat(w.generation()).as("%s reads the generation written", r).isEqualTo(r.generation());
        }
      }
      for (Op w2 : acked) {
        if (w2.end() < r.start()) {
          assertThat(r.generation()).as("%s reads a value overwritten by %s before it began", r, w2)
              .isGreaterThanOrEqualTo(w2.generation());
        }
      }
    }
    for (Op r1 : reads) {
      for (Op r2 : reads) {
        if (r1.end() < r2.start()) {
          assertThat(r2.generation()).as("%s after %s goes back in time", r2, r1).isGreaterThanOrEqualTo(
              r1.generation());
        }
      }
    }
  }
}
