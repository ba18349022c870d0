package io.hybridstorage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HybridStorageOptionsTest {

  private static HybridStorageOptions.Builder threeSites() {
    return HybridStorageOptions.newBuilder()
        .site(SiteConfig.memory("gcp", Duration.ofMillis(20)))
        .site(SiteConfig.memory("dc1", Duration.ofMillis(1)))
        .site(SiteConfig.memory("dc2", Duration.ofMillis(30)))
        .localSite("dc1");
  }

  @Test
  void defaultWorldIsValidAndCoversEveryBucket() {
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites().build();
    assertThat(options.sites()).containsOnlyKeys("gcp", "dc1", "dc2");
    assertThat(options.localSite()).contains("dc1");
    Placement p = options.placementFor("any-bucket", "a/b").orElseThrow();
    assertThat(p.authority()).isEqualTo("gcp");
    assertThat(p.replicas()).containsExactly("gcp", "dc1", "dc2");
  }

  @Test
  void longestPrefixOfTheBucketWinsOverWildcard() {
    HybridStorageOptions options = threeSites()
        .placement(Placement.builder("*").replicas("gcp").build())
        .placement(Placement.builder("sales").replicas("gcp", "dc1").build())
        .placement(Placement.builder("sales").prefix("hot/").replicas("dc1", "dc2").authority("dc1").build())
        .build();
    assertThat(options.placementFor("sales", "hot/x").orElseThrow().id()).isEqualTo("sales/hot/");
    assertThat(options.placementFor("sales", "cold/x").orElseThrow().id()).isEqualTo("sales");
    assertThat(options.placementFor("other", "hot/x").orElseThrow().id()).isEqualTo("*");
  }

  @Test
  void noPlacementMatchesIsEmpty() {
    HybridStorageOptions options = threeSites()
        .placement(Placement.builder("sales").replicas("gcp").build())
        .build();
    assertThat(options.placementFor("hr", "x")).isEmpty();
  }

  @Test
  void unknownSitesAndAuthorityOutsideReplicasAreNamed() {
    assertThatThrownBy(() -> threeSites()
            .placement(Placement.builder("sales").replicas("gcp", "dc9").authority("dc2").build())
            .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("placement 'sales': replica 'dc9' is not a configured site")
        .hasMessageContaining("placement 'sales': authority 'dc2' must be one of the replicas");
  }

  @Test
  void strongWithLocalThenAsyncIsRejected() {
    assertThatThrownBy(() -> threeSites()
            .placement(Placement.builder("sales").replicas("dc1", "gcp").authority("gcp")
                .write(WritePolicy.LOCAL_THEN_ASYNC).read(ReadPolicy.AUTHORITY).consistency(Consistency.STRONG).build())
            .build())
        .hasMessageContaining("placement 'sales': consistency STRONG is impossible with writePolicy LOCAL_THEN_ASYNC");
  }

  @Test
  void strongWithLaggingReplicasNeedsVerifiedReads() {
    Placement.Builder async = Placement.builder("sales").replicas("gcp", "dc1").authority("gcp")
        .write(WritePolicy.AUTHORITY_THEN_ASYNC).consistency(Consistency.STRONG);
    assertThatThrownBy(() -> threeSites().placement(async.read(ReadPolicy.NEAREST).build()).build())
        .hasMessageContaining("reads must use AUTHORITY or NEAREST_VERIFIED");
    assertThat(threeSites().placement(async.read(ReadPolicy.NEAREST_VERIFIED).build()).build().placements())
        .hasSize(1);
  }

  @Test
  void strongNeverReadsAReplicaUnverifiedEvenWithSynchronousWrites() {
    // A replica commits a little before or after the authority, so a NEAREST reader could see a
    // write that a later AUTHORITY reader does not yet see: not linearizable.
    Placement.Builder dual = Placement.builder("sales").replicas("gcp", "dc1").authority("gcp")
        .write(WritePolicy.DUAL_WRITE_SYNC).read(ReadPolicy.NEAREST).consistency(Consistency.STRONG);
    assertThatThrownBy(() -> threeSites().placement(dual.build()).build())
        .hasMessageContaining("consistency STRONG is impossible with writePolicy DUAL_WRITE_SYNC and readPolicy NEAREST");
    assertThat(threeSites().placement(dual.consistency(Consistency.SESSION).build()).build().placements())
        .hasSize(1);
    assertThat(threeSites().placement(dual.read(ReadPolicy.NEAREST_VERIFIED).consistency(Consistency.STRONG).build())
        .build().placements()).hasSize(1);
  }

  @Test
  void quorumOutOfRangeIsRejected() {
    assertThatThrownBy(() -> threeSites()
            .placement(Placement.builder("sales").replicas("gcp", "dc1").quorum(3).build())
            .build())
        .hasMessageContaining("writeQuorum (3) must be between 1 and the number of replicas (2)");
  }

  @Test
  void hedgedNeedsDelayAndTwoReplicasEventualNeedsBound() {
    assertThatThrownBy(() -> threeSites()
            .placement(Placement.builder("a").replicas("gcp").read(ReadPolicy.HEDGED)
                .consistency(Consistency.EVENTUAL).build())
            .build())
        .hasMessageContaining("HEDGED needs a positive hedgeDelay")
        .hasMessageContaining("HEDGED needs at least two replicas")
        .hasMessageContaining("EVENTUAL needs a positive stalenessBound");
  }

  @Test
  void localThenAsyncAndReadThroughNeedTheLocalSiteAmongReplicas() {
    assertThatThrownBy(() -> threeSites()
            .placement(Placement.builder("a").replicas("gcp", "dc2").write(WritePolicy.LOCAL_THEN_ASYNC)
                .read(ReadPolicy.READ_THROUGH).consistency(Consistency.SESSION).build())
            .build())
        .hasMessageContaining("LOCAL_THEN_ASYNC needs the local site (dc1) to be one of the replicas [gcp, dc2]")
        .hasMessageContaining("READ_THROUGH needs the local site (dc1)");
  }

  @Test
  void severalSitesNeedAPlacementAndDuplicatesAreRejected() {
    assertThatThrownBy(() -> threeSites().build()).hasMessageContaining("at least one placement is needed");
    Placement p = Placement.builder("a").replicas("gcp").build();
    assertThatThrownBy(() -> threeSites().placement(p).placement(p).build())
        .hasMessageContaining("placement 'a' is configured twice");
  }

  @Test
  void unknownLocalSiteAndNoSitesAreRejected() {
    assertThatThrownBy(() -> HybridStorageOptions.newBuilder().build())
        .hasMessageContaining("at least one site must be configured");
    assertThatThrownBy(() -> threeSites().localSite("dc7")
            .placement(Placement.builder("a").replicas("gcp").build()).build())
        .hasMessageContaining("localSite: 'dc7' is not a configured site");
  }

  @Test
  void toBuilderRoundTrips() {
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites().seed(42).build();
    HybridStorageOptions copy = options.toBuilder().build();
    assertThat(copy.sites()).isEqualTo(options.sites());
    assertThat(copy.placements()).isEqualTo(options.placements());
    assertThat(copy.seed()).isEqualTo(42);
    assertThat(copy.placements().get(0).toBuilder().build()).isEqualTo(options.placements().get(0));
  }

  @Test
  void theSleeperIsTheSystemsUnlessSetAndTravelsWithTheClock() throws Exception {
    assertThat(HybridStorageOptions.inMemoryThreeSites().build().sleeper()).isSameAs(Sleeper.system());
    assertThat(Sleeper.system()).hasToString("Sleeper.system()");
    Sleeper.system().sleep(Duration.ofNanos(-1)); // returns at once

    java.time.Clock fixed = java.time.Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC);
    java.util.List<Duration> waits = new java.util.ArrayList<>();
    Sleeper recording = waits::add;
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites().clock(fixed).sleeper(recording).build();
    assertThat(options.sleeper()).isSameAs(recording);
    assertThat(options.toBuilder().build().sleeper()).isSameAs(recording);
    assertThat(options.toBuilder().build().clock()).isSameAs(fixed);
    assertThatThrownBy(() -> threeSites().sleeper(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("sleeper");
  }
}
