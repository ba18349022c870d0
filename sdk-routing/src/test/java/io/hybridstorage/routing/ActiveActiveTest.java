package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.DC1;
import static io.hybridstorage.routing.World.DC2;
import static io.hybridstorage.routing.World.get;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, finding 7: LOCAL_THEN_ASYNC active/active through two datacenters. Two routers (local
 * dc1 and dc2, their own journals and clocks) over the same sites.
 */
class ActiveActiveTest {

  /** A's replay runs only on drain, so its writes stay on dc1 until the test lets them go. */
  static final RoutingSettings LAZY = World.testSettings().withJournal(512, Duration.ofHours(1), 2);

  static void assertConverged(World w, String key, String body) throws Exception {
    for (String site : w.memory.keySet()) {
      assertThat(get(w.site(site), key)).as("%s on %s", key, site).isEqualTo(body);
    }
  }

  /**
   * Two conditional writes on the same generation through different datacenters: GCS lets exactly
   * one succeed, so they are decided at the authority, not at each local site.
   */
  @Test
  void conditionalWritesOnOneGenerationThroughTwoDatacentersLetExactlyOneSucceed() throws Exception {
    try (World a = new World(World.placement(WritePolicy.LOCAL_THEN_ASYNC), Clock.systemUTC(), LAZY);
        World b = a.peer(DC2, LAZY)) {
      a.router.createBucket(BucketSpec.of(BUCKET));
      ObjectInfo v0 = put(a.router, "k", "v0");
      assertThat(a.router.drain(Duration.ofSeconds(10))).isTrue();
      List<String> won = new ArrayList<>();
      List<Integer> refused = new ArrayList<>();
      for (World w : List.of(a, b)) {
        String body = w == a ? "from-dc1" : "from-dc2";
        try {
          w.router.write(WriteRequest.of(BUCKET, "k").withConditions(Conditions.generationMatch(v0.generation())),
              new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
          won.add(body);
        } catch (HybridStorageException e) {
          refused.add(e.code());
        }
      }
      assertThat(won).hasSize(1);
      assertThat(refused).containsExactly(412);
      assertThat(a.router.drain(Duration.ofSeconds(10))).isTrue();
      assertThat(b.router.drain(Duration.ofSeconds(10))).isTrue();
      assertConverged(a, "k", won.get(0));
    }
  }

  /**
   * Router B's clock runs 50 ms behind A's. B reads A's write (so B's write is causally later) and
   * overwrites it through dc2, which has not received A's write yet. At convergence B's write wins.
   */
  @Test
  void aCausallyLaterWriteThroughTheOtherDatacenterWinsDespiteClockSkew() throws Exception {
    Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofMillis(-50));
    try (World a = new World(World.placement(WritePolicy.LOCAL_THEN_ASYNC), Clock.systemUTC(), LAZY);
        World b = a.peer(DC2, LAZY, behind)) {
      a.router.createBucket(BucketSpec.of(BUCKET));
      put(a.router, "k", "v1"); // on dc1 only: A's journal holds it
      assertThat(a.site(DC2).head(ObjectId.of(BUCKET, "k"), Conditions.none())).isEmpty();
      assertThat(get(b.router, "k")).as("B reads A's write (from dc1, its nearest)").isEqualTo("v1");
      put(b.router, "k", "v2"); // decided at dc2, which holds nothing yet
      assertThat(a.router.drain(Duration.ofSeconds(10))).isTrue();
      assertThat(b.router.drain(Duration.ofSeconds(10))).isTrue();
      assertConverged(a, "k", "v2");
    }
  }

  /** The replication that finds a concurrent write from the other datacenter reports the conflict. */
  @Test
  void concurrentWritesThroughTwoDatacentersConvergeByGenerationAndAreReportedAsConflicts() throws Exception {
    try (World a = new World(World.placement(WritePolicy.LOCAL_THEN_ASYNC), Clock.systemUTC(), LAZY);
        World b = a.peer(DC2, LAZY)) {
      a.router.createBucket(BucketSpec.of(BUCKET));
      List<String> conflicts = new CopyOnWriteArrayList<>();
      RoutingListener listener = new RoutingListener() {
        @Override
        public void conflict(String site, String bucket, String name, long lost, long won) {
          conflicts.add(name + " " + lost + "<" + won);
        }
      };
      a.router.addListener(listener);
      b.router.addListener(listener);
      ObjectInfo x = put(a.router, "k", "x"); // neither has seen the other's write
      ObjectInfo y = put(b.router, "k", "y");
      assertThat(a.router.drain(Duration.ofSeconds(10))).isTrue();
      assertThat(b.router.drain(Duration.ofSeconds(10))).isTrue();
      ObjectInfo newer = x.generation() > y.generation() ? x : y;
      ObjectInfo older = newer == x ? y : x;
      assertConverged(a, "k", newer == x ? "x" : "y");
      assertThat(conflicts).as("the losing write is reported").contains("k " + older.generation() + "<"
          + newer.generation());
    }
  }

  /**
   * A client saw generation G through router B (B read A's write, which B's clock is 50 ms behind);
   * B's process restarts on its journal, and the client writes again through it. The restarted
   * router has forgotten every name, and its clock is behind G: its next generation must still be
   * above G, or the client's later write loses to the one it saw at convergence.
   */
  @Test
  void aRestartedRouterIssuesGenerationsAboveTheOnesItsClientsSaw() throws Exception {
    Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofMillis(-50));
    try (World a = new World(World.placement(WritePolicy.LOCAL_THEN_ASYNC), Clock.systemUTC(), LAZY)) {
      a.router.createBucket(BucketSpec.of(BUCKET));
      World b = a.peer(DC2, LAZY, behind);
      ObjectInfo seen = put(a.router, "k", "v1"); // on dc1 only
      assertThat(get(b.router, "k")).as("B's client reads A's write").isEqualTo("v1");
      World restarted = a.restart(b, LAZY, behind);
      try {
        ObjectInfo later = put(restarted.router, "k", "v2");
        assertThat(later.generation()).as("the write after the restart, against the generation its client saw")
            .isGreaterThan(seen.generation());
        assertThat(a.router.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(restarted.router.drain(Duration.ofSeconds(10))).isTrue();
        assertConverged(a, "k", "v2");
      } finally {
        restarted.close();
      }
    }
  }

  /**
   * A generation seen in a listing orders the next write like one seen in a read: B lists a
   * version that reached dc2 before the authority, then writes on the older generation the
   * authority holds (a conditional write, decided there). B's clock is behind: without the
   * listing its generation would be below the one its client saw.
   */
  @Test
  void aGenerationSeenInAListingOrdersTheNextWrite() throws Exception {
    Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofMillis(-50));
    try (World a = new World(World.placement(WritePolicy.LOCAL_THEN_ASYNC), Clock.systemUTC(), LAZY);
        World b = a.peer(DC2, LAZY, behind)) {
      a.router.createBucket(BucketSpec.of(BUCKET));
      ObjectInfo v0 = put(a.router, "k", "v0");
      assertThat(a.router.drain(Duration.ofSeconds(10))).isTrue();
      // A's next write reached dc2 but not yet the authority (its replication is on the way)
      long g1 = (System.currentTimeMillis() + 10) * 1_000;
      a.site(DC2).write(WriteRequest.of(BUCKET, "k").withGeneration(g1),
          new ByteArrayInputStream("v1".getBytes(StandardCharsets.UTF_8)));
      List<Long> listed = b.router.list(io.hybridstorage.api.ListRequest.of(BUCKET).withPrefix("k")).items().stream()
          .map(ObjectInfo::generation).toList();
      assertThat(listed).as("B's client lists the version on dc2").containsExactly(g1);
      ObjectInfo later = b.router.write(WriteRequest.of(BUCKET, "k")
          .withConditions(Conditions.generationMatch(v0.generation())),
          new ByteArrayInputStream("v2".getBytes(StandardCharsets.UTF_8)));
      assertThat(later.generation()).as("the write after the listing, against the generation listed")
          .isGreaterThan(g1);
    }
  }

  /**
   * B's client reads A's write (from dc1), then deletes the object through dc2, which has not
   * received it yet. The delete is causally after the write: it must win at convergence, although
   * dc2 had nothing to delete.
   */
  @Test
  void aDeleteThroughADatacenterTheObjectHasNotReachedYetStillDeletesIt() throws Exception {
    try (World a = new World(World.placement(WritePolicy.LOCAL_THEN_ASYNC), Clock.systemUTC(), LAZY);
        World b = a.peer(DC2, LAZY)) {
      a.router.createBucket(BucketSpec.of(BUCKET));
      put(a.router, "k", "v1"); // on dc1 only
      assertThat(get(b.router, "k")).isEqualTo("v1");
      b.router.delete(ObjectId.of(BUCKET, "k"), Conditions.none());
      assertThat(b.router.drain(Duration.ofSeconds(10))).isTrue();
      assertThat(a.router.drain(Duration.ofSeconds(10))).isTrue();
      for (String site : a.memory.keySet()) {
        assertThat(a.site(site).head(ObjectId.of(BUCKET, "k"), Conditions.none())).as("k on %s", site).isEmpty();
      }
    }
  }

  /**
   * dc2 holds v0; B's client has read v1 (on dc1 only, A's newer write) and deletes through dc2.
   * The delete removes the version the client saw, not only the older one dc2 held.
   */
  @Test
  void aDeleteRemovesTheNewerVersionTheClientSawNotOnlyTheLocalOlderOne() throws Exception {
    try (World a = new World(World.placement(WritePolicy.LOCAL_THEN_ASYNC), Clock.systemUTC(), LAZY);
        World b = a.peer(DC2, LAZY)) {
      a.router.createBucket(BucketSpec.of(BUCKET));
      put(a.router, "k", "v0");
      assertThat(a.router.drain(Duration.ofSeconds(10))).isTrue();
      put(a.router, "k", "v1"); // on dc1 only
      assertThat(get(b.router, "k")).as("B reads from dc1, its nearest").isEqualTo("v1");
      assertThat(get(a.site(DC2), "k")).isEqualTo("v0");
      assertThat(b.router.delete(ObjectId.of(BUCKET, "k"), Conditions.none())).isTrue();
      assertThat(b.router.drain(Duration.ofSeconds(10))).isTrue();
      assertThat(a.router.drain(Duration.ofSeconds(10))).isTrue();
      for (String site : a.memory.keySet()) {
        assertThat(a.site(site).head(ObjectId.of(BUCKET, "k"), Conditions.none())).as("k on %s", site).isEmpty();
      }
    }
  }

  /**
   * One router's journal holds a conditional write's entry for its local site (decided at the
   * authority; the local copy failed) and a later local write's entry for the authority; then
   * both sites delete the object (another router's deletes). Each entry's source no longer holds
   * its generation: neither may wait for the other (they are different changes), or the journal
   * never drains.
   */
  @Test
  void entriesOfTwoChangesWithDifferentPrimariesDoNotWaitForEachOther() throws Exception {
    try (World a = new World(World.placement(WritePolicy.LOCAL_THEN_ASYNC), Clock.systemUTC(), LAZY);
        World r = a.peerWithOwnLinks(DC1, LAZY.withBreaker(100, 100, 100f, Duration.ofMillis(1)))) {
      a.router.createBucket(BucketSpec.of(BUCKET));
      r.faults.get(DC1).partition();
      ObjectInfo decided = r.router.write(WriteRequest.of(BUCKET, "k").withConditions(Conditions.doesNotExist()),
          new ByteArrayInputStream("c".getBytes(StandardCharsets.UTF_8)));
      assertThat(a.site(DC1).head(ObjectId.of(BUCKET, "k"), Conditions.none())).as("the local copy failed").isEmpty();
      r.faults.get(DC1).heal();
      r.faults.get(World.GCP).partition();
      ObjectInfo local = put(r.router, "k", "l");
      assertThat(local.generation()).isGreaterThan(decided.generation());
      long deleted = local.generation() + 1_000_000;
      for (String site : a.memory.keySet()) {
        a.site(site).deleteUpTo(BUCKET, "k", deleted);
      }
      r.faults.get(World.GCP).heal();
      assertThat(r.router.drain(Duration.ofSeconds(10))).as("r's journal drains").isTrue();
      for (String site : a.memory.keySet()) {
        assertThat(a.site(site).head(ObjectId.of(BUCKET, "k"), Conditions.none())).as("k on %s", site).isEmpty();
      }
    }
  }

  /**
   * A delete through dc1 whose local delete failed (its outcome unknown) leaves entries for every
   * site, dc1's own included. The authority's entry is applied first (a conditional write through
   * the same router decides there, after its own pending entries), while dc1 still holds the
   * version: it must not be skipped as "the delete did not happen", since dc1's own entry rolls
   * the delete forward there.
   */
  @Test
  void aDeleteWhoseLocalOutcomeIsUnknownRollsForwardEverywhereWhateverTheOrder() throws Exception {
    RoutingSettings noBreaker = LAZY.withBreaker(100, 100, 100f, Duration.ofMillis(1));
    try (World a = new World(World.placement(WritePolicy.LOCAL_THEN_ASYNC), Clock.systemUTC(), noBreaker)) {
      a.router.createBucket(BucketSpec.of(BUCKET));
      ObjectInfo v0 = put(a.router, "k", "v0");
      assertThat(a.router.drain(Duration.ofSeconds(10))).isTrue();
      io.hybridstorage.testkit.fault.FaultRule failing = io.hybridstorage.testkit.fault.FaultRule
          .on(io.hybridstorage.testkit.fault.Operation.DELETE).forBucket(BUCKET)
          .inject(io.hybridstorage.testkit.fault.Fault.failBeforeCall(503));
      a.faults.get(DC1).addRule(failing);
      assertThatThrownBy(() -> a.router.delete(ObjectId.of(BUCKET, "k"), Conditions.none()))
          .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(503));
      assertThatThrownBy(() -> a.router.write(WriteRequest.of(BUCKET, "k")
          .withConditions(Conditions.generationMatch(v0.generation() + 1)),
          new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8))))
          .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).as("%s", e).isEqualTo(412));
      a.faults.get(DC1).removeRule(failing);
      assertThat(a.router.drain(Duration.ofSeconds(10))).isTrue();
      for (String site : a.memory.keySet()) {
        assertThat(a.site(site).head(ObjectId.of(BUCKET, "k"), Conditions.none())).as("k on %s", site).isEmpty();
      }
    }
  }
}
