package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.DC1;
import static io.hybridstorage.routing.World.DC2;
import static io.hybridstorage.routing.World.GCP;
import static io.hybridstorage.routing.World.get;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.fault.Fault;
import io.hybridstorage.testkit.fault.FaultRule;
import io.hybridstorage.testkit.fault.Operation;
import io.hybridstorage.testkit.time.VirtualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repair never rolls back: a replica's copy the authority lacks may be an acknowledged write on
 * its way there (another router's journal, a commit in flight), so it is left alone while younger
 * than the repair horizon or in this router's journal, and afterwards copied <em>to</em> the
 * authority; only a copy the authority refuses (it deleted that generation) is deleted. Time is
 * virtual: the world's clock moves only when a test advances it.
 */
class RepairRollsForwardTest {

  private static final Duration HORIZON = World.testSettings().repairHorizon();

  static Optional<ObjectInfo> head(ObjectStore site, String name) {
    return site.head(ObjectId.of(BUCKET, name), Conditions.none());
  }

  /** Every site holds {@code name} at generation {@code g} with {@code value}. */
  static void assertEverySiteHolds(World w, String name, long g, String value) throws Exception {
    for (String site : List.of(GCP, DC1, DC2)) {
      assertThat(head(w.site(site), name)).as("%s on %s", name, site).map(ObjectInfo::generation).contains(g);
      assertThat(get(w.site(site), name)).as("%s on %s", name, site).isEqualTo(value);
    }
  }

  /**
   * Finding 2: under LOCAL_THEN_ASYNC, router A (dc1) cannot reach gcp and acknowledges a write
   * from dc1; a repair by another router sees copies the authority lacks. It must delete nothing:
   * once A's link heals, its journal brings the write everywhere.
   */
  @Test
  void aLocalWriteThatHasNotReachedTheAuthorityIsNotDeletedByAnotherRoutersRepair() throws Exception {
    VirtualClock clock = VirtualClock.create();
    try (World w = new World(World.placement(WritePolicy.LOCAL_THEN_ASYNC), clock, World.testSettings());
         World a = w.peerWithOwnLinks(DC1, World.testSettings())) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      a.faults.get(GCP).partition();
      ObjectInfo acked = put(a.router, "x", "from dc1");
      assertThat(head(w.site(DC1), "x")).isPresent();

      VerifyReport report = w.router.repair(BUCKET, "", null, 0);
      assertThat(report.differences()).isNotEmpty().allSatisfy(d -> {
        assertThat(d.kind()).isEqualTo(Difference.Kind.PENDING);
        assertThat(d.repaired()).isFalse();
      });
      assertThat(get(w.site(DC1), "x")).as("nothing deleted").isEqualTo("from dc1");

      a.faults.get(GCP).heal();
      assertThat(a.drain(Duration.ofSeconds(30))).isTrue();
      assertEverySiteHolds(w, "x", acked.generation(), "from dc1");
      assertThat(w.router.verify(BUCKET, "", null, 0).isClean()).isTrue();
    }
  }

  /**
   * The same partition outlasting the repair horizon: the repair copies A's write to the
   * authority (rolled forward), and A's journal, once healed, finds it there.
   */
  @Test
  void anOldWriteTheAuthorityLacksIsRolledForwardNotDeleted() throws Exception {
    VirtualClock clock = VirtualClock.create();
    try (World w = new World(World.placement(WritePolicy.LOCAL_THEN_ASYNC), clock, World.testSettings());
         World a = w.peerWithOwnLinks(DC1, World.testSettings())) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      a.faults.get(GCP).partition();
      ObjectInfo acked = put(a.router, "x", "from dc1");
      clock.advance(HORIZON.plusSeconds(1));

      VerifyReport report = w.router.repair(BUCKET, "", null, 0);
      assertThat(report.differences()).extracting(Difference::kind, Difference::site, Difference::rolledForward)
          .contains(tuple(Difference.Kind.EXTRA, DC1, true));
      assertThat(head(w.site(GCP), "x")).map(ObjectInfo::generation).contains(acked.generation());
      assertThat(get(w.site(GCP), "x")).isEqualTo("from dc1");
      assertThat(get(w.site(DC1), "x")).isEqualTo("from dc1");

      a.faults.get(GCP).heal();
      assertThat(a.drain(Duration.ofSeconds(30))).isTrue();
      assertEverySiteHolds(w, "x", acked.generation(), "from dc1");
      assertThat(w.router.verify(BUCKET, "", null, 0).isClean()).isTrue();
    }
  }

  /**
   * Rule (b): an object this router's own journal still replicates is not touched, however old:
   * its write may not have reached the authority yet (A's writes to gcp are cut, its reads are not).
   */
  @Test
  void anObjectInThisRoutersJournalIsLeftAlone() throws Exception {
    VirtualClock clock = VirtualClock.create();
    // replay only on drain, and a breaker that takes 20 failures of 20: failed replays and watermark
    // publications to gcp (its writes are cut) must not open it before the repair lists it
    RoutingSettings lazy = World.testSettings().withJournal(512, Duration.ofDays(1), 2)
        .withBreaker(20, 20, 100f, Duration.ofMinutes(1));
    try (World w = new World(World.placement(WritePolicy.LOCAL_THEN_ASYNC), clock, lazy)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      w.faults.get(GCP).partitionWrites();
      ObjectInfo acked = put(w.router, "x", "journaled");
      clock.advance(HORIZON.multipliedBy(3));
      assertThat(w.router.journalDepth(GCP)).isEqualTo(1);

      VerifyReport report = w.router.repair(BUCKET, "", null, 0);
      assertThat(report.differences()).isNotEmpty().allSatisfy(d -> {
        assertThat(d.kind()).isEqualTo(Difference.Kind.PENDING);
        assertThat(d.name()).isEqualTo("x");
      });
      assertThat(get(w.site(DC1), "x")).isEqualTo("journaled");

      w.faults.get(GCP).heal();
      assertThat(w.drain(Duration.ofSeconds(30))).isTrue();
      assertEverySiteHolds(w, "x", acked.generation(), "journaled");
    }
  }

  /**
   * Finding 2, DUAL_WRITE_SYNC: the replicas have committed a write whose authority commit is
   * held; a repair on another thread (another router) runs meanwhile. The acknowledged write must
   * survive on every site.
   */
  @Test
  void aRepairDuringAHeldAuthorityCommitLeavesTheReplicasCopies() throws Exception {
    VirtualClock clock = VirtualClock.create();
    RoutingSettings settings = World.testSettings().withCallTimeout(Duration.ofMinutes(10));
    try (World w = new World(World.placement(WritePolicy.DUAL_WRITE_SYNC), clock, settings);
         World repairer = w.peer(DC2, settings)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      w.faults.get(GCP).addRule(FaultRule.on(Operation.WRITE).forObject(BUCKET, "x")
          .inject(Fault.delay(Duration.ofMinutes(1))));
      CompletableFuture<ObjectInfo> write = CompletableFuture.supplyAsync(() -> put(w.router, "x", "acknowledged"));
      assertThat(w.faultTime.awaitSleepers(1, Duration.ofSeconds(30))).as("gcp's commit is held").isTrue();
      // the parallel tee commits the replicas alongside the authority: wait until both hold it
      awaitTrue(() -> head(w.site(DC1), "x").isPresent() && head(w.site(DC2), "x").isPresent()
          || write.isDone());
      assertThat(write).as("held at gcp").isNotDone();

      VerifyReport report = CompletableFuture.supplyAsync(() -> repairer.router.repair(BUCKET, "", null, 0))
          .get(60, TimeUnit.SECONDS);

      w.faultTime.advance(Duration.ofMinutes(2));
      ObjectInfo acked = write.get(60, TimeUnit.SECONDS);
      assertEverySiteHolds(w, "x", acked.generation(), "acknowledged");
      assertThat(report.differences()).as("copies of a write in flight are young").isNotEmpty()
          .allMatch(d -> d.kind() == Difference.Kind.PENDING);
    }
  }

  /**
   * Finding 2 (iii): a delete at the authority whose replication never happened (the replica was
   * cut off and the deleting router's journal is lost) is completed by a repair from a fresh
   * router after the horizon — the authority refuses the replica's generation (its tombstone),
   * so the copy is deleted, and the object comes back nowhere.
   */
  @Test
  void aDeleteThatNeverReachedAReplicaIsCompletedAfterTheHorizonAndNotResurrected() throws Exception {
    VirtualClock clock = VirtualClock.create();
    try (World w = new World(World.placement(WritePolicy.AUTHORITY_THEN_ASYNC), clock, World.testSettings())) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "x", "deleted later");
      assertThat(w.drain(Duration.ofSeconds(10))).isTrue();
      try (World deleter = w.peerWithOwnLinks(DC1, World.testSettings())) {
        deleter.faults.get(DC2).partition();
        assertThat(deleter.router.delete(ObjectId.of(BUCKET, "x"), Conditions.none())).isTrue();
        for (int pass = 0; pass < 100 && deleter.router.journalDepth(DC1) > 0; pass++) {
          deleter.router.replayNow();
        }
      } // its journal, with the delete for dc2, is lost
      assertThat(head(w.site(GCP), "x")).isEmpty();
      assertThat(head(w.site(DC1), "x")).isEmpty();
      assertThat(head(w.site(DC2), "x")).isPresent();

      try (World fresh = w.peer(DC1, World.testSettings())) {
        VerifyReport young = fresh.router.repair(BUCKET, "", null, 0);
        assertThat(young.differences()).extracting(Difference::kind, Difference::site, Difference::repaired)
            .containsExactly(tuple(Difference.Kind.PENDING, DC2, false));
        assertThat(head(w.site(DC2), "x")).isPresent();

        clock.advance(HORIZON.plusSeconds(1));
        VerifyReport old = fresh.router.repair(BUCKET, "", null, 0);
        assertThat(old.differences()).extracting(Difference::kind, Difference::site, Difference::repaired,
            Difference::rolledForward).containsExactly(tuple(Difference.Kind.EXTRA, DC2, true, false));
        for (String site : List.of(GCP, DC1, DC2)) {
          assertThat(head(w.site(site), "x")).as("x on %s", site).isEmpty();
        }
        assertThat(fresh.router.head(ObjectId.of(BUCKET, "x"), Conditions.none())).isEmpty();
        assertThat(fresh.router.repair(BUCKET, "", null, 0).isClean()).isTrue();
      }
    }
  }

  /** A store that cannot take assigned generations, as GCS's cannot. */
  static ObjectStore gcsLike(InMemoryStore store) {
    return new ForwardingObjectStore(store) {
      @Override
      public Set<Capability> capabilities() {
        Set<Capability> caps = EnumSet.copyOf(super.capabilities());
        caps.remove(Capability.ASSIGNED_GENERATIONS);
        return caps;
      }
    };
  }

  /**
   * An authority that issues its own generations (GCS) never missed a write it lacks: after the
   * horizon, a replica's extra copy is a delete that did not reach it, and is deleted (nothing can
   * be rolled forward to it); a newer replica copy is only reported.
   */
  @Test
  void withAGcsAuthorityAnOldExtraCopyIsADeleteThatDidNotReachTheReplica(@TempDir Path dir) throws Exception {
    VirtualClock clock = VirtualClock.create();
    Map<String, InMemoryStore> memory = new LinkedHashMap<>();
    Map<String, ObjectStore> stores = new LinkedHashMap<>();
    for (String site : List.of(GCP, DC1, DC2)) {
      memory.put(site, new InMemoryStore(site, clock));
      stores.put(site, site.equals(GCP) ? gcsLike(memory.get(site)) : memory.get(site));
    }
    HybridStorageOptions options = HybridStorageOptions.newBuilder()
        .site(SiteConfig.memory(GCP, Duration.ofMillis(20))).site(SiteConfig.memory(DC1, Duration.ofMillis(1)))
        .site(SiteConfig.memory(DC2, Duration.ofMillis(30))).localSite(DC1).clock(clock).journalDirectory(dir)
        .placement(World.placement(WritePolicy.AUTHORITY_THEN_ASYNC)).build();
    try (RoutingStore router = RoutingStore.create(stores, options, World.testSettings())) {
      router.createBucket(BucketSpec.of(BUCKET));
      put(router, "x", "deleted at gcp");
      long g = put(router, "y", "newer at dc1").generation();
      assertThat(router.drain(Duration.ofSeconds(10))).isTrue();
      memory.get(GCP).delete(ObjectId.of(BUCKET, "x"), Conditions.none());   // a delete dc1, dc2 never heard of
      VerifyRepairTest.raw(memory.get(DC1), "y", "not from gcp", g + 1);     // a generation gcp never issued

      assertThat(router.repair(BUCKET, "", null, 0).differences()).extracting(Difference::kind)
          .containsOnly(Difference.Kind.PENDING);
      clock.advance(HORIZON.plusSeconds(1));
      VerifyReport report = router.repair(BUCKET, "", null, 0);
      assertThat(report.differences()).extracting(Difference::kind, Difference::name, Difference::site,
          Difference::repaired, Difference::rolledForward).containsExactlyInAnyOrder(
              tuple(Difference.Kind.EXTRA, "x", DC1, true, false),
              tuple(Difference.Kind.EXTRA, "x", DC2, true, false),
              tuple(Difference.Kind.NEWER, "y", DC1, false, false));
      for (String site : List.of(GCP, DC1, DC2)) {
        assertThat(head(memory.get(site), "x")).as("x on %s", site).isEmpty();
      }
      assertThat(head(memory.get(GCP), "y")).map(ObjectInfo::generation).contains(g);
      assertThat(get(memory.get(DC1), "y")).isEqualTo("not from gcp");
    }
  }

  /** Waits (spinning, bounded by 30 s of real time) until {@code condition} holds. */
  static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached in 30 s");
      }
      Thread.onSpinWait();
    }
  }
}
