package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.get;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.WritePolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two routers (different local sites, separate journals) sharing the same site stores race on one
 * object; and deletes replicate without a replayed older write resurrecting them.
 */
class RaceAndTombstoneTest {

  @ParameterizedTest
  @EnumSource(WritePolicy.class)
  void twoWritersThroughDifferentSitesEndOnTheNewestGeneration(WritePolicy policy) throws Exception {
    Placement p = World.placement(policy);
    try (World x = new World(p); World y = x.peer(World.DC2, World.testSettings())) {
      x.router.createBucket(BucketSpec.of(BUCKET));
      List<Long> acked = Collections.synchronizedList(new ArrayList<>());
      List<Integer> refused = Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(2);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> writers = new ArrayList<>();
      for (RoutingStore r : List.of(x.router, y.router)) {
        writers.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 40; i++) {
            try {
              acked.add(put(r, "hot", r + "-" + i).generation());
            } catch (HybridStorageException e) {
              refused.add(e.code()); // an unconditional write can lose to a newer generation: 412
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : writers) {
        f.get();
      }
      pool.shutdown();
      assertThat(refused).allMatch(code -> code == 412);
      assertThat(acked).isNotEmpty();
      assertThat(x.router.drain(Duration.ofSeconds(20))).isTrue();
      assertThat(y.router.drain(Duration.ofSeconds(20))).isTrue();
      long newest = Collections.max(acked);
      List<String> bodies = new ArrayList<>();
      for (String site : x.memory.keySet()) {
        Optional<ObjectInfo> info = x.site(site).head(ObjectId.of(BUCKET, "hot"), Conditions.none());
        assertThat(info).as(site).hasValueSatisfying(i -> assertThat(i.generation()).isEqualTo(newest));
        bodies.add(get(x.site(site), "hot"));
      }
      assertThat(bodies).as("same bytes everywhere").containsOnly(bodies.get(0));
    }
  }

  @Test
  void aDeleteReplicatesAfterTheWriteItFollows() throws Exception {
    RoutingSettings lazy = World.testSettings().withJournal(512, Duration.ofHours(1), 2); // replay only on drain
    try (World w = new World(World.placement(WritePolicy.AUTHORITY_THEN_ASYNC), Clock.systemUTC(), lazy)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      w.faults.get(World.DC2).partition();
      put(w.router, "gone", "v1");
      assertThat(w.router.delete(ObjectId.of(BUCKET, "gone"), Conditions.none())).isTrue();
      assertThat(w.router.journalDepth(World.DC2)).isEqualTo(2);
      w.router.replayNow(); // dc1 gets write then delete; the write to dc2 is superseded, the delete still fails
      assertThat(w.router.journalDepth(World.DC2)).isEqualTo(1);
      assertThat(w.site(World.DC1).head(ObjectId.of(BUCKET, "gone"), Conditions.none())).isEmpty();
      w.faults.get(World.DC2).heal();
      assertThat(w.router.drain(Duration.ofSeconds(10))).isTrue();
      for (String site : w.memory.keySet()) {
        assertThat(w.site(site).head(ObjectId.of(BUCKET, "gone"), Conditions.none())).as(site).isEmpty();
      }
    }
  }

  /** Router A's journaled write of v1 is replayed only after router B deleted the object: no resurrection. */
  @Test
  void aReplayedOlderWriteDoesNotResurrectANewerDelete() throws Exception {
    Placement p = World.placement(WritePolicy.AUTHORITY_THEN_ASYNC);
    RoutingSettings lazy = World.testSettings().withJournal(512, Duration.ofHours(1), 2); // replay only on drain
    try (World a = new World(p, Clock.systemUTC(), lazy); World b = a.peer(World.DC2, World.testSettings())) {
      a.router.createBucket(BucketSpec.of(BUCKET));
      put(a.router, "k", "v1");
      assertThat(a.router.journalDepth()).isEqualTo(2); // dc1 and dc2 pending in A's journal
      assertThat(b.router.delete(ObjectId.of(BUCKET, "k"), Conditions.none())).isTrue();
      assertThat(b.router.drain(Duration.ofSeconds(10))).isTrue();
      assertThat(a.router.drain(Duration.ofSeconds(10))).isTrue();
      for (String site : a.memory.keySet()) {
        assertThat(a.site(site).head(ObjectId.of(BUCKET, "k"), Conditions.none())).as(site).isEmpty();
      }
    }
  }

  /** An older journaled write replayed after a newer write reached the replica is skipped. */
  @Test
  void aReplayedOlderWriteNeverReplacesANewerGeneration() throws Exception {
    Placement p = World.placement(WritePolicy.AUTHORITY_THEN_ASYNC);
    RoutingSettings lazy = World.testSettings().withJournal(512, Duration.ofHours(1), 2);
    try (World a = new World(p, Clock.systemUTC(), lazy); World b = a.peer(World.DC2, World.testSettings())) {
      a.router.createBucket(BucketSpec.of(BUCKET));
      ObjectInfo older = put(a.router, "k", "old");
      ObjectInfo newer = put(b.router, "k", "new");
      assertThat(newer.generation()).isGreaterThan(older.generation());
      assertThat(b.router.drain(Duration.ofSeconds(10))).isTrue();
      // force A's entries through even if the source check were missing: the replica refuses older generations
      assertThat(a.router.drain(Duration.ofSeconds(10))).isTrue();
      for (String site : a.memory.keySet()) {
        assertThat(a.site(site).head(ObjectId.of(BUCKET, "k"), Conditions.none())).as(site)
            .hasValueSatisfying(i -> assertThat(i.generation()).isEqualTo(newer.generation()));
        assertThat(get(a.site(site), "k")).isEqualTo("new");
      }
    }
  }
}
