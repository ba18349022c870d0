package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.DC1;
import static io.hybridstorage.routing.World.DC2;
import static io.hybridstorage.routing.World.get;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThat;

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
}
