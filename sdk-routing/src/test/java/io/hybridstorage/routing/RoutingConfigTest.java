package io.hybridstorage.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.BucketInfo;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.spi.RouterProvider;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.fault.ForwardingStoreTester;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Impossible configurations are rejected when built; the provider is registered; the decorator forwards. */
class RoutingConfigTest {

  static HybridStorageOptions.Builder world(Placement p) {
    return HybridStorageOptions.inMemoryThreeSites().clearPlacements().placement(p);
  }

  @ParameterizedTest
  @EnumSource(value = ReadPolicy.class, names = {"NEAREST", "HEDGED", "READ_THROUGH"})
  void strongNeedsReadsThatConsultTheAuthorityEvenWithDualWrites(ReadPolicy read) {
    Placement p = Placement.builder("b").replicas("gcp", "dc1", "dc2").authority("gcp")
        .write(WritePolicy.DUAL_WRITE_SYNC).read(read).hedgeDelay(java.time.Duration.ofMillis(5))
        .consistency(Consistency.STRONG).build();
    assertThatThrownBy(() -> world(p).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("placement 'b'")
        .hasMessageContaining("consistency STRONG is impossible")
        .hasMessageContaining("readPolicy " + read);
    // the same reads are fine for SESSION
    assertThat(world(p.toBuilder().consistency(Consistency.SESSION).build()).build().placements()).hasSize(1);
  }

  @Test
  void theDefaultWorldIsValidAndStrong() {
    HybridStorageOptions o = HybridStorageOptions.inMemoryThreeSites().build();
    assertThat(o.placements().get(0).readPolicy()).isEqualTo(ReadPolicy.NEAREST_VERIFIED);
  }

  /** A store that cannot take assigned generations (as GCS's cannot) may only be an authority. */
  static ObjectStore withoutAssignedGenerations(String site) {
    return new ForwardingObjectStore(new InMemoryStore(site)) {
      @Override
      public Set<Capability> capabilities() {
        Set<Capability> caps = EnumSet.copyOf(super.capabilities());
        caps.remove(Capability.ASSIGNED_GENERATIONS);
        return caps;
      }
    };
  }

  @Test
  void aReplicaThatCannotTakeAssignedGenerationsIsRejected(@TempDir Path dir) {
    Map<String, ObjectStore> sites = new LinkedHashMap<>();
    sites.put("gcp", new InMemoryStore("gcp"));
    sites.put("dc1", withoutAssignedGenerations("dc1"));
    sites.put("dc2", new InMemoryStore("dc2"));
    HybridStorageOptions o = HybridStorageOptions.inMemoryThreeSites().journalDirectory(dir).build();
    assertThatThrownBy(() -> RoutingStore.create(sites, o))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("placement '*'")
        .hasMessageContaining("site 'dc1'")
        .hasMessageContaining("ASSIGNED_GENERATIONS");
  }

  @Test
  void aTemporaryJournalIsDeletedOnCloseAndAConfiguredOneIsKept(@TempDir Path dir) {
    Map<String, ObjectStore> sites = new LinkedHashMap<>();
    for (String site : new String[] {"gcp", "dc1", "dc2"}) {
      sites.put(site, new InMemoryStore(site));
    }
    RoutingStore temporary = RoutingStore.create(sites, HybridStorageOptions.inMemoryThreeSites().build(),
        World.testSettings().withOwnsSites(false));
    Path made = temporary.journalDirectory();
    assertThat(made).isDirectory();
    temporary.close();
    assertThat(made).as("a temporary journal nobody can reopen").doesNotExist();

    RoutingStore configured = RoutingStore.create(sites,
        HybridStorageOptions.inMemoryThreeSites().journalDirectory(dir).build(), World.testSettings());
    assertThat(configured.journalDirectory()).isEqualTo(dir);
    configured.close();
    assertThat(dir).as("a configured journal survives close").isDirectory();
    assertThat(dir.toFile().list()).isNotEmpty();
  }

  /** An authority assigning its own generations (GCS) works: writes go primary first, replicas get its generation. */
  @Test
  void anAuthorityWithItsOwnGenerationsIsWrittenFirst(@TempDir Path dir) throws Exception {
    Map<String, ObjectStore> sites = new LinkedHashMap<>();
    sites.put("gcp", withoutAssignedGenerations("gcp"));
    sites.put("dc1", new InMemoryStore("dc1"));
    sites.put("dc2", new InMemoryStore("dc2"));
    HybridStorageOptions o = HybridStorageOptions.inMemoryThreeSites().journalDirectory(dir).build();
    for (int buffer : new int[] {1 << 20, 4}) { // from the tee buffer, and read back when it overflows
      try (RoutingStore r = RoutingStore.create(sites, o, World.testSettings().withTee(buffer, true)
          .withOwnsSites(false))) {
        if (r.getBucket("bkt").isEmpty()) {
          r.createBucket(io.hybridstorage.api.BucketSpec.of("bkt"));
        }
        var info = World.put(r, "o" + buffer, "hello world");
        for (ObjectStore s : sites.values()) {
          assertThat(s.head(io.hybridstorage.api.ObjectId.of("bkt", "o" + buffer),
              io.hybridstorage.api.Conditions.none()))
              .hasValueSatisfying(i -> assertThat(i.generation()).isEqualTo(info.generation()));
          assertThat(World.get(s, "o" + buffer)).isEqualTo("hello world");
        }
      }
    }
  }

  @Test
  void theRouterProviderIsRegistered(@TempDir Path dir) {
    RouterProvider provider = ServiceLoader.load(RouterProvider.class).findFirst().orElseThrow();
    assertThat(provider).isInstanceOf(RoutingStoreProvider.class);
    Map<String, ObjectStore> sites = new LinkedHashMap<>();
    for (String s : new String[] {"gcp", "dc1", "dc2"}) {
      sites.put(s, new InMemoryStore(s));
    }
    try (ObjectStore router = provider.route(sites, HybridStorageOptions.inMemoryThreeSites().journalDirectory(dir)
        .build())) {
      BucketInfo b = router.createBucket(io.hybridstorage.api.BucketSpec.of("via-provider"));
      assertThat(b.name()).isEqualTo("via-provider");
      assertThat(sites.get("dc2").getBucket("via-provider")).isPresent();
    }
  }

  @Test
  void theResilienceDecoratorForwardsEveryCall() {
    var pool = Executors.newCachedThreadPool();
    try {
      ForwardingStoreTester.testForwarding(
          store -> new io.hybridstorage.routing.internal.ResilientStore(store, RoutingSettings.defaults(), pool,
              java.time.Clock.systemUTC(), io.hybridstorage.api.Sleeper.system()));
      ForwardingStoreTester.testForwarding(store -> new io.hybridstorage.routing.internal.ResilientStore(store,
          RoutingSettings.defaults().withCallTimeout(java.time.Duration.ZERO), pool, java.time.Clock.systemUTC(),
          io.hybridstorage.api.Sleeper.system()));
    } finally {
      pool.shutdownNow();
    }
  }
}
