package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.get;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.testkit.history.HistoryChecker;
import io.hybridstorage.testkit.history.HistoryRecorder;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.testkit.time.VirtualClock;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Partitions a replica or the authority while writing, heals, and checks that the sites converge
 * (the journal drains) and that no acknowledged write is lost.
 *
 * <p>The routers run on virtual time: a breaker that opened during the partition stays open until
 * the test advances the clock past its open wait, however long the test takes in real time.
 */
@Timeout(120) // virtual time that nobody advances would hang a test, not fail it
class FaultToleranceTest {

  static final int WRITES = 20;

  /** Moves the router's clock just past the breakers' open wait: they let a trial call through. */
  static void breakerOpenWaitPasses(VirtualClock time) {
    time.advance(World.testSettings().breakerOpenWait().plusNanos(1));
  }

  /**
   * A world on {@code time} that replays when the test drains: a periodic replay woken by the
   * advance past the open wait would race the test's next call for the breaker's one half-open
   * trial call, and the loser gets a 503.
   */
  static World world(Placement placement, VirtualClock time) {
    return new World(placement, time, World.testSettings().withJournal(512, Duration.ofHours(1), 2));
  }

  /**
   * Writes WRITES keys (two versions each); returns the last acknowledged value per key. Each write
   * takes 1 ms of the routers' clock: the router issues a name's generations at most about one a
   * millisecond ahead of its clock, so writes on a clock standing still would end up waiting for it.
   */
  static Map<String, String> writeAll(ObjectStore router, VirtualClock time, String round,
      Map<String, Integer> failures) {
    Map<String, String> acked = new LinkedHashMap<>();
    for (int v = 0; v < 2; v++) {
      for (int i = 0; i < WRITES; i++) {
        String key = "k" + i;
        String value = round + "-" + key + "-v" + v;
        time.advance(Duration.ofMillis(1));
        try {
          put(router, key, value);
          acked.put(key, value);
        } catch (HybridStorageException e) {
          assertThat(e.code()).as("a site failure is reported as 503: %s", e.getMessage()).isEqualTo(503);
          failures.merge(round, 1, Integer::sum);
        }
      }
    }
    return acked;
  }

  /** After convergence, reads every key through the recorded router; the testkit's checker judges the history. */
  static void assertHistoryValid(ObjectStore recorded, HistoryRecorder recorder, Map<String, String> acked,
      boolean strong) throws Exception {
    for (String key : acked.keySet()) {
      assertThat(get(recorded, key)).isEqualTo(acked.get(key));
    }
    HistoryChecker checker = HistoryChecker.create();
    (strong ? checker.check(recorder.history()) : checker.checkNoLostWrites(recorder.history())).assertValid();
  }

  /** After healing: the journal drains and every site holds the authority's generation and every acked value. */
  static void assertConverged(World w, Map<String, String> acked) throws Exception {
    Map<String, String> failing = new java.util.concurrent.ConcurrentHashMap<>();
    w.router.addListener(new RoutingListener() {
      @Override
      public void replayFailed(String site, String bucket, String name, long generation, int attempt, Throwable e) {
        failing.put(site + " " + name + "#" + generation, String.valueOf(e));
      }

      @Override
      public void replayed(String site, String bucket, String name, long generation, boolean skipped) {
        failing.remove(site + " " + name + "#" + generation);
      }
    });
    assertThat(w.drain(Duration.ofSeconds(20))).as("journal drained, depth %d, failing %s", w.router.journalDepth(),
        failing).isTrue();
    for (Map.Entry<String, String> e : acked.entrySet()) {
      Optional<ObjectInfo> truth = w.site(World.GCP).head(ObjectId.of(BUCKET, e.getKey()), Conditions.none());
      assertThat(truth).as("authority has %s", e.getKey()).isPresent();
      for (String site : w.memory.keySet()) {
        assertThat(w.site(site).head(ObjectId.of(BUCKET, e.getKey()), Conditions.none()))
            .as("%s on %s", e.getKey(), site)
            .hasValueSatisfying(i -> assertThat(i.generation()).isEqualTo(truth.get().generation()));
        assertThat(get(w.site(site), e.getKey())).as("acknowledged %s on %s", e.getKey(), site)
            .isEqualTo(e.getValue());
      }
    }
    assertThat(w.router.verify(BUCKET, "", null, 0).isClean()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(WritePolicy.class)
  void partitionedReplicaConvergesAfterHeal(WritePolicy policy) throws Exception {
    VirtualClock time = VirtualClock.create();
    try (World w = world(World.placement(policy), time)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      Map<String, Integer> failures = new LinkedHashMap<>();
      HistoryRecorder recorder = HistoryRecorder.create();
      ObjectStore recorded = recorder.record(w.router);
      w.faults.get(World.DC2).partition();
      Map<String, String> acked = writeAll(recorded, time, "p", failures);
      if (policy == WritePolicy.DUAL_WRITE_SYNC) {
        // failWritesWhenReplicaDown=true: the placement declares that writes fail while dc2 is down
        assertThat(failures.get("p")).isEqualTo(2 * WRITES);
        assertThat(acked).isEmpty();
      } else {
        assertThat(failures).isEmpty();
        assertThat(acked).hasSize(WRITES);
        assertThat(w.router.journalDepth(World.DC2)).isPositive();
        for (String key : acked.keySet()) {
          assertThat(get(w.router, key)).isEqualTo(acked.get(key)); // reads still served
        }
      }
      w.faults.get(World.DC2).heal();
      breakerOpenWaitPasses(time);
      Map<String, String> after = writeAll(recorded, time, "h", failures);
      assertThat(failures.get("h")).isNull();
      acked.putAll(after);
      assertConverged(w, acked);
      assertHistoryValid(recorded, recorder, acked, policy != WritePolicy.LOCAL_THEN_ASYNC);
    }
  }

  @Test
  void dualWriteThatDegradesAcknowledgesAndJournals() throws Exception {
    Placement degrade = World.placement(WritePolicy.DUAL_WRITE_SYNC).toBuilder()
        .failWritesWhenReplicaDown(false).build();
    VirtualClock time = VirtualClock.create();
    try (World w = world(degrade, time)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      w.faults.get(World.DC2).partition();
      Map<String, Integer> failures = new LinkedHashMap<>();
      Map<String, String> acked = writeAll(w.router, time, "p", failures);
      assertThat(failures).isEmpty();
      assertThat(w.router.journalDepth(World.DC2)).isPositive();
      assertThat(w.site(World.DC1).head(ObjectId.of(BUCKET, "k0"), Conditions.none())).isPresent();
      w.faults.get(World.DC2).heal();
      assertThat(w.drain(Duration.ZERO)).as("dc2's breaker is still open on the router's clock").isFalse();
      breakerOpenWaitPasses(time);
      assertConverged(w, acked);
    }
  }

  @ParameterizedTest
  @EnumSource(WritePolicy.class)
  void partitionedAuthorityBehavesAsDeclared(WritePolicy policy) throws Exception {
    VirtualClock time = VirtualClock.create();
    try (World w = world(World.placement(policy), time)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      Map<String, Integer> failures = new LinkedHashMap<>();
      HistoryRecorder recorder = HistoryRecorder.create();
      ObjectStore recorded = recorder.record(w.router);
      Map<String, String> acked = writeAll(recorded, time, "before", failures);
      assertThat(failures).isEmpty();
      w.faults.get(World.GCP).partition();
      Map<String, String> during = writeAll(recorded, time, "p", failures);
      if (policy == WritePolicy.LOCAL_THEN_ASYNC) {
        // the local site acknowledges; the authority gets the writes through the journal
        assertThat(failures).isEmpty();
        assertThat(w.router.journalDepth(World.GCP)).isPositive();
        assertThat(get(w.router, "k0")).isEqualTo(during.get("k0")); // read-your-writes from dc1
      } else {
        // the authority decides preconditions and generations: without it writes fail (503)
        assertThat(during).isEmpty();
        assertThat(failures.get("p")).isEqualTo(2 * WRITES);
        assertThatThrownBy(() -> w.router.write(WriteRequest.of(BUCKET, "x"), new ByteArrayInputStream(new byte[1])))
            .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(503));
      }
      acked.putAll(during);
      w.faults.get(World.GCP).heal();
      if (policy != WritePolicy.LOCAL_THEN_ASYNC) {
        assertThatThrownBy(() -> put(w.router, "x", "still open"))
            .as("healed, but the breaker waits for its open wait on the router's clock")
            .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.getMessage()).contains("circuit"));
      }
      breakerOpenWaitPasses(time);
      acked.putAll(writeAll(recorded, time, "h", failures));
      assertConverged(w, acked);
      assertHistoryValid(recorded, recorder, acked, policy != WritePolicy.LOCAL_THEN_ASYNC);
    }
  }
}
