package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.get;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.testkit.fault.Fault;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.fault.FaultRule;
import io.hybridstorage.testkit.fault.Operation;
import io.hybridstorage.testkit.time.VirtualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Read policies and consistency levels: NEAREST, HEDGED, READ_THROUGH, SESSION, EVENTUAL. */
class ReadPolicyTest {

  /** Replays only when a test asks (drain/replayNow), so replicas lag on purpose. */
  static final RoutingSettings LAZY = World.testSettings().withJournal(512, Duration.ofHours(1), 2);

  static Placement.Builder base(WritePolicy write, ReadPolicy read, Consistency consistency) {
    return World.placement(WritePolicy.AUTHORITY_ONLY).toBuilder().write(write).read(read).consistency(consistency);
  }

  static long reads(FaultInjectingStore site) {
    return site.calls().stream().filter(c -> c.operation() == Operation.READ).count();
  }

  @Test
  void nearestReadsTheLowestLatencySiteAndSkipsAnOpenBreaker() throws Exception {
    Placement p = base(WritePolicy.DUAL_WRITE_SYNC, ReadPolicy.NEAREST, Consistency.SESSION).build();
    try (World w = new World(p)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "o", "v");
      assertThat(get(w.router, "o")).isEqualTo("v");
      assertThat(reads(w.faults.get(World.DC1))).as("dc1 is nearest (1 ms)").isEqualTo(1);
      assertThat(reads(w.faults.get(World.GCP)) + reads(w.faults.get(World.DC2))).isZero();

      w.faults.get(World.DC1).partition();
      for (int i = 0; i < 3; i++) {
        assertThat(get(w.router, "o")).isEqualTo("v"); // falls back to gcp (20 ms) on failure
      }
      assertThat(w.router.isSiteOpen(World.DC1)).isTrue();
      long dc1Calls = w.faults.get(World.DC1).callCount();
      assertThat(get(w.router, "o")).isEqualTo("v");
      assertThat(w.faults.get(World.DC1).callCount()).as("an open breaker is skipped").isEqualTo(dc1Calls);
      assertThat(reads(w.faults.get(World.GCP))).isPositive();
      assertThat(reads(w.faults.get(World.DC2))).as("dc2 (30 ms) is never needed").isZero();
    }
  }

  @Test
  @Timeout(60)
  void hedgedReadAsksTheSecondSiteOnceTheHedgeDelayHasPassedOnTheRoutersClock() throws Exception {
    Duration hedgeDelay = Duration.ofSeconds(20);
    Placement p = base(WritePolicy.DUAL_WRITE_SYNC, ReadPolicy.HEDGED, Consistency.SESSION).hedgeDelay(hedgeDelay)
        .build();
    VirtualClock time = VirtualClock.create();
    // the call timeout is far beyond the test: a held dc1 read can only be overtaken by the hedge
    RoutingSettings quiet = LAZY.withWatermarks(Duration.ofHours(1), LAZY.watermarkBucket()); // timers wait 1 h
    try (World w = new World(p, time, quiet.withCallTimeout(Duration.ofMinutes(10)))) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "o", "v");

      // dc1's read is held in the world's fault time until the world closes: an answer at all is the hedge's
      FaultRule held = FaultRule.on(Operation.READ).inject(Fault.delay(Duration.ofMinutes(10)));
      w.faults.get(World.DC1).addRule(held);
      CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
        try {
          return get(w.router, "o");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      assertThat(w.faultTime.awaitSleepers(1, Duration.ofSeconds(10))).as("dc1, the nearest, is asked first").isTrue();
      // on the router's clock: the replay and watermark timers (1 h) and the hedge's wait
      assertThat(time.awaitSleepers(3, Duration.ofSeconds(10))).as("the hedge waits on the router's clock").isTrue();
      time.advance(hedgeDelay.minusNanos(1));
      assertThat(time.sleepers()).as("1 ns before the hedge delay, the hedge still waits").isEqualTo(3);
      assertThat(reads(w.faults.get(World.GCP))).isZero();
      assertThat(read).isNotDone();

      time.advance(Duration.ofNanos(1));
      assertThat(read.get(30, TimeUnit.SECONDS)).as("served by the hedge while dc1 is held").isEqualTo("v");
      assertThat(w.faultTime.elapsed()).as("dc1 was not released").isZero();
      assertThat(reads(w.faults.get(World.GCP))).as("the hedge went to gcp, the second nearest").isEqualTo(1);

      w.faults.get(World.DC1).removeRule(held);
      long dc1Reads = reads(w.faults.get(World.DC1));
      assertThat(get(w.router, "o")).isEqualTo("v");
      assertThat(reads(w.faults.get(World.DC1))).isEqualTo(dc1Reads + 1);
      assertThat(reads(w.faults.get(World.GCP))).as("no hedge when the nearest answers in time").isEqualTo(1);
    }
  }

  @Test
  void readThroughFillsTheLocalSite() throws Exception {
    Placement p = base(WritePolicy.AUTHORITY_THEN_ASYNC, ReadPolicy.READ_THROUGH, Consistency.SESSION).build();
    try (World w = new World(p, Clock.systemUTC(), LAZY)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      ObjectInfo written = put(w.router, "o", "v");
      assertThat(w.site(World.DC1).head(ObjectId.of(BUCKET, "o"), Conditions.none())).isEmpty();
      assertThat(get(w.router, "o")).isEqualTo("v");
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (w.site(World.DC1).head(ObjectId.of(BUCKET, "o"), Conditions.none()).isEmpty()
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(w.site(World.DC1).head(ObjectId.of(BUCKET, "o"), Conditions.none()))
          .hasValueSatisfying(i -> assertThat(i.generation()).isEqualTo(written.generation()));
      long gcpReads = reads(w.faults.get(World.GCP));
      assertThat(get(w.router, "o")).isEqualTo("v");
      assertThat(reads(w.faults.get(World.GCP))).as("the next read is local").isEqualTo(gcpReads);
    }
  }

  @Test
  void sessionReadsItsOwnWritesWhileAnotherRouterMaySeeTheReplica() throws Exception {
    Placement p = base(WritePolicy.AUTHORITY_THEN_ASYNC, ReadPolicy.NEAREST, Consistency.SESSION).build();
    try (World w = new World(p, Clock.systemUTC(), LAZY); World other = w.peer(World.DC1, LAZY)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "o", "v1");
      assertThat(w.drain(Duration.ofSeconds(5))).isTrue();
      put(w.router, "o", "v2"); // dc1 still holds v1
      assertThat(get(w.site(World.DC1), "o")).isEqualTo("v1");
      assertThat(get(w.router, "o")).as("read-your-writes").isEqualTo("v2");
      assertThat(get(other.router, "o")).as("another session may read the nearest replica").isEqualTo("v1");
      w.router.delete(ObjectId.of(BUCKET, "o"), Conditions.none());
      assertThat(w.router.head(ObjectId.of(BUCKET, "o"), Conditions.none())).as("own delete").isEmpty();
      assertThat(other.router.head(ObjectId.of(BUCKET, "o"), Conditions.none())).isPresent();
    }
  }

  @Test
  void sessionCapacityBoundsHowManyObjectsReadTheirOwnWrites() throws Exception {
    Placement p = base(WritePolicy.AUTHORITY_THEN_ASYNC, ReadPolicy.NEAREST, Consistency.SESSION).build();
    for (int capacity : new int[] {1, 2}) {
      try (World w = new World(p, Clock.systemUTC(), LAZY.withSessionCapacity(capacity))) {
        w.router.createBucket(BucketSpec.of(BUCKET));
        put(w.router, "a", "a1");
        put(w.router, "b", "b1");
        assertThat(w.drain(Duration.ofSeconds(5))).isTrue();
        put(w.router, "a", "a2");
        put(w.router, "b", "b2"); // dc1, the nearest, still holds a1 and b1
        assertThat(get(w.site(World.DC1), "a")).isEqualTo("a1");

        assertThat(get(w.router, "b")).as("capacity %d: the latest write is remembered", capacity).isEqualTo("b2");
        assertThat(get(w.router, "a")).as("capacity %d: a2 is %s", capacity, capacity == 1 ? "forgotten" : "remembered")
            .isEqualTo(capacity == 1 ? "a1" : "a2");
      }
    }
  }

  @Test
  void eventualServesAReplicaOnlyWithinTheStalenessBound() throws Exception {
    VirtualClock clock = VirtualClock.create();
    Placement p = base(WritePolicy.AUTHORITY_THEN_ASYNC, ReadPolicy.NEAREST, Consistency.EVENTUAL)
        .stalenessBound(Duration.ofSeconds(10)).build();
    try (World w = new World(p, clock, LAZY)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "o", "v1");
      assertThat(w.drain(Duration.ofSeconds(5))).isTrue();
      put(w.router, "o", "v2");
      assertThat(get(w.router, "o")).as("dc1 lags by less than the bound").isEqualTo("v1");
      clock.advance(Duration.ofSeconds(11));
      assertThat(w.router.journalAge(World.DC1)).isEqualTo(Duration.ofSeconds(11));
      assertThat(get(w.router, "o")).as("dc1 lags too much: skipped").isEqualTo("v2");
      assertThat(w.drain(Duration.ofSeconds(5))).isTrue();
      assertThat(get(w.site(World.DC1), "o")).isEqualTo("v2");
    }
  }
}
