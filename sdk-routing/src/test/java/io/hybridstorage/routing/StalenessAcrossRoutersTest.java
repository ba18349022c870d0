package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.DC1;
import static io.hybridstorage.routing.World.DC2;
import static io.hybridstorage.routing.World.GCP;
import static io.hybridstorage.routing.World.get;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.fault.Operation;
import io.hybridstorage.testkit.time.VirtualClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11, finding 8: the EVENTUAL staleness bound holds across processes. Two routers (dc1 and
 * dc2, each its own journal and its own links to the three shared sites) on one virtual clock;
 * router A writes, router B reads with a 200 ms bound. B learns what A still has to replicate from
 * the replication watermarks A publishes at the authority.
 */
class StalenessAcrossRoutersTest {

  static final Duration BOUND = Duration.ofMillis(200);

  /** Replays only when a test asks; watermarks republished every {@code interval}. */
  static RoutingSettings settings(Duration interval) {
    return World.testSettings().withJournal(512, Duration.ofHours(1), 2)
        .withWatermarks(interval, RoutingSettings.defaults().watermarkBucket());
  }

  final VirtualClock clock = VirtualClock.create();
  final Map<String, InMemoryStore> sites = new LinkedHashMap<>();
  final List<Router> routers = new ArrayList<>();

  {
    for (String s : new String[] {GCP, DC1, DC2}) {
      sites.put(s, new InMemoryStore(s, clock));
    }
  }

  /** One router process: its own journal and its own link to each site (nearest: its local site). */
  final class Router {
    final Map<String, FaultInjectingStore> links = new LinkedHashMap<>();
    final RoutingStore store;

    Router(Placement placement, String local, Path journal, RoutingSettings settings) {
      for (Map.Entry<String, InMemoryStore> e : sites.entrySet()) {
        links.put(e.getKey(), FaultInjectingStore.builder(e.getValue()).seed(7).build());
      }
      String far = local.equals(DC1) ? DC2 : DC1;
      HybridStorageOptions options = HybridStorageOptions.newBuilder()
          .site(SiteConfig.memory(local, Duration.ofMillis(1)))
          .site(SiteConfig.memory(GCP, Duration.ofMillis(20)))
          .site(SiteConfig.memory(far, Duration.ofMillis(30)))
          .localSite(local).clock(clock).seed(11).journalDirectory(journal).placement(placement).build();
      store = RoutingStore.create(new LinkedHashMap<>(links), options, settings.withOwnsSites(false));
      routers.add(this);
    }

    /** How many reads of {@code BUCKET/o} the site served through this router's link. */
    long reads(String site) {
      return links.get(site).calls().stream()
          .filter(c -> c.operation() == Operation.READ && BUCKET.equals(c.bucket()) && "o".equals(c.object()))
          .count();
    }
  }

  @AfterEach
  void close() {
    for (Router r : routers) {
      r.store.close();
    }
  }

  static Placement placement(WritePolicy policy) {
    return Placement.builder(Placement.ANY_BUCKET).replicas(GCP, DC1, DC2).authority(GCP).write(policy)
        .read(ReadPolicy.NEAREST).consistency(Consistency.EVENTUAL).stalenessBound(BOUND).build();
  }

  /** A writes v1 everywhere, then v2 while its link to dc2 is cut: dc2 keeps v1, and A's journal knows it. */
  static void v2LeftBehindAtDc2(Router a) throws IOException {
    a.store.createBucket(BucketSpec.of(BUCKET));
    put(a.store, "o", "v1");
    assertThat(a.store.drain(Duration.ofSeconds(10))).isTrue();
    a.links.get(DC2).partition();
    put(a.store, "o", "v2");
    a.store.replayNow(); // dc1 gets v2; dc2 cannot
    assertThat(a.store.journalDepth(DC2)).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = WritePolicy.class, names = {"AUTHORITY_THEN_ASYNC", "LOCAL_THEN_ASYNC"})
  void anotherRoutersPendingChangeKeepsEventualReadsOffTheLaggingReplica(WritePolicy policy) throws Exception {
    Placement p = placement(policy);
    Router a = new Router(p, DC1, World.tempDir(), settings(Duration.ofSeconds(10)));
    Router b = new Router(p, DC2, World.tempDir(), settings(Duration.ofSeconds(10)));
    v2LeftBehindAtDc2(a);
    assertThat(get(sites.get(DC2), "o")).isEqualTo("v1");

    clock.advance(Duration.ofSeconds(2));
    assertThat(get(b.store, "o")).as("dc2 lags A's write by 2 s, beyond the 200 ms bound").isEqualTo("v2");
    assertThat(b.reads(DC2)).as("B's nearest site, dc2, was not asked").isZero();
    assertThat(b.reads(GCP) + b.reads(DC1)).as("a site holding v2 served").isEqualTo(1);
  }

  @Test
  void withEverythingReplicatedTheNearestReplicaServes() throws Exception {
    Placement p = placement(WritePolicy.AUTHORITY_THEN_ASYNC);
    Router a = new Router(p, DC1, World.tempDir(), settings(Duration.ofSeconds(1)));
    Router b = new Router(p, DC2, World.tempDir(), settings(Duration.ofSeconds(1)));
    a.store.createBucket(BucketSpec.of(BUCKET));
    put(a.store, "o", "v1");
    a.store.replayNow(); // A announces what it has pending, or has already replayed it
    assertThat(a.store.drain(Duration.ofSeconds(10))).isTrue();

    clock.advance(Duration.ofSeconds(2));
    a.store.replayNow(); // nothing pending any more: A withdraws its watermark
    assertThat(get(b.store, "o")).isEqualTo("v1");
    assertThat(b.reads(DC2)).as("served by B's nearest replica").isEqualTo(1);
    assertThat(b.reads(GCP) + b.reads(DC1)).isZero();
  }

  @Test
  void aRouterClosedCleanlyDoesNotHoldReadersOff() throws Exception {
    Placement p = placement(WritePolicy.AUTHORITY_THEN_ASYNC);
    Router a = new Router(p, DC1, World.tempDir(), settings(Duration.ofSeconds(1)));
    Router b = new Router(p, DC2, World.tempDir(), settings(Duration.ofSeconds(1)));
    a.store.createBucket(BucketSpec.of(BUCKET));
    put(a.store, "o", "v1");
    a.store.replayNow();
    assertThat(a.store.drain(Duration.ofSeconds(10))).isTrue();
    a.store.close(); // nothing pending: its watermark goes

    clock.advance(Duration.ofSeconds(10));
    assertThat(get(b.store, "o")).isEqualTo("v1");
    assertThat(b.reads(DC2)).as("served by B's nearest replica").isEqualTo(1);
  }

  @Test
  void aKilledRouterKeepsReadersOffUntilItsJournalIsReplayed() throws Exception {
    Placement p = placement(WritePolicy.AUTHORITY_THEN_ASYNC);
    Path journal = World.tempDir();
    Router a = new Router(p, DC1, journal, settings(Duration.ofSeconds(1)));
    Router b = new Router(p, DC2, World.tempDir(), settings(Duration.ofSeconds(1)));
    v2LeftBehindAtDc2(a);
    // A dies: its last watermark stays as it was (the close cannot reach the authority, as after kill -9)
    a.links.get(GCP).partition();
    a.store.close();

    clock.advance(Duration.ofSeconds(10));
    assertThat(get(b.store, "o")).isEqualTo("v2");
    assertThat(b.reads(DC2)).as("dc2 still lacks A's v2").isZero();
    assertThat(b.reads(DC1)).as("A went silent: it may have had anything pending anywhere").isZero();
    assertThat(b.reads(GCP)).isEqualTo(1);

    clock.advance(Duration.ofMinutes(10));
    assertThat(get(b.store, "o")).as("still, ten minutes later").isEqualTo("v2");
    assertThat(b.reads(DC2)).isZero();

    // a router reopened on A's journal is A again: it replays v2 to dc2 and withdraws the watermark
    Router again = new Router(p, DC1, journal, settings(Duration.ofSeconds(1)));
    assertThat(again.store.drain(Duration.ofSeconds(10))).isTrue();
    assertThat(get(sites.get(DC2), "o")).isEqualTo("v2");
    clock.advance(Duration.ofSeconds(1)); // an improvement is published at most once per watermark interval
    again.store.replayNow();
    assertThat(get(b.store, "o")).isEqualTo("v2");
    assertThat(b.reads(DC2)).as("dc2 is fresh again").isEqualTo(1);
  }

  @Test
  void aRouterClosedWithPendingChangesKeepsReadersOffOnlyTheSiteTheyAreFor() throws Exception {
    Placement p = placement(WritePolicy.AUTHORITY_THEN_ASYNC);
    Router a = new Router(p, DC1, World.tempDir(), settings(Duration.ofSeconds(1)));
    v2LeftBehindAtDc2(a);
    a.store.close(); // dc2 still lacks v2: A's last watermark says so, and that A writes no more
    // a reader local at dc1
    Router c = new Router(p, DC1, World.tempDir(), settings(Duration.ofSeconds(1)));
    clock.advance(Duration.ofSeconds(10));
    assertThat(get(c.store, "o")).isEqualTo("v2");
    assertThat(c.reads(DC1)).as("dc1 holds all A wrote").isEqualTo(1);
  }
}
