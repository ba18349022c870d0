package io.hybridstorage.testkit;

import io.hybridstorage.memory.InMemoryStore;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.spi.StoreDecorator;
import io.hybridstorage.testkit.fault.Fault;
import io.hybridstorage.testkit.fault.FaultRule;
import io.hybridstorage.testkit.fault.Operation;
import io.hybridstorage.testkit.time.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link HybridWorld} without JUnit glue, over one in-memory site (sdk-testkit has no router on
 * its classpath; the three-site world is tested in samples).
 */
class HybridWorldTest {

  static HybridStorageOptions.Builder oneSite() {
    return HybridStorageOptions.newBuilder().site(SiteConfig.memory("dc1", Duration.ZERO));
  }

  @Test
  void writesThroughStorageShowOnTheSite() {
    try (HybridWorld world = HybridWorld.open(oneSite().build())) {
      Storage storage = world.storage();
      storage.create(BucketInfo.of("sales"));
      Blob blob = storage.create(BlobInfo.newBuilder("sales", "a.csv").build(), "x,y\n".getBytes(UTF_8));

      assertThat(world.siteNames()).containsExactly("dc1");
      assertThat(world.site("dc1")).isInstanceOf(InMemoryStore.class);
      assertThat(world.whereIs("sales", "a.csv")).containsOnlyKeys("dc1");
      assertThat(world.whereIs("sales", "a.csv").get("dc1").generation()).isEqualTo(blob.getGeneration());
      assertThat(world.whereIs("sales", "missing.csv")).isEmpty();
      assertThat(world.whereIs("no-such-bucket", "a.csv")).isEmpty();
      world.assertThat("dc1")
          .has("sales", "a.csv")
          .hasGeneration("sales", "a.csv", blob.getGeneration())
          .hasContent("sales", "a.csv", "x,y\n")
          .lacks("sales", "b.csv")
          .lacks("no-such-bucket", "a.csv");
    }
  }

  @Test
  void siteAssertionFailuresNameTheSiteTheObjectAndWhatIsThere() {
    try (HybridWorld world = HybridWorld.open(oneSite().build())) {
      world.storage().create(BucketInfo.of("sales"));
      Blob blob = world.storage().create(BlobInfo.newBuilder("sales", "a.csv").build(), "x,y\n".getBytes(UTF_8));

      assertThatThrownBy(() -> world.assertThat("dc1").has("sales", "b.csv")).isInstanceOf(AssertionError.class)
          .hasMessage("Expected site dc1 to hold gs://sales/b.csv, but it does not; gs://sales holds [a.csv]");
      assertThatThrownBy(() -> world.assertThat("dc1").has("archive", "b.csv"))
          .hasMessage("Expected site dc1 to hold gs://archive/b.csv, but it does not; it has no bucket archive");
      assertThatThrownBy(() -> world.assertThat("dc1").lacks("sales", "a.csv"))
          .hasMessage("Expected site dc1 not to hold gs://sales/a.csv, but it holds generation " + blob.getGeneration()
              + " (4 bytes)");
      assertThatThrownBy(() -> world.assertThat("dc1").hasGeneration("sales", "a.csv", 7))
          .hasMessage("Expected site dc1 to hold generation 7 of gs://sales/a.csv, but it holds generation "
              + blob.getGeneration());
      assertThatThrownBy(() -> world.assertThat("dc1").hasContent("sales", "a.csv", "x,z\n"))
          .hasMessage("Expected site dc1 to hold 4 bytes in gs://sales/a.csv (generation " + blob.getGeneration()
              + "), but it holds 4 bytes: \"x,y\n\"");
    }
  }

  @Test
  void aPartitionedSiteFailsCallsWhileItsStoreStaysReadable() {
    try (HybridWorld world = HybridWorld.open(oneSite().build())) {
      world.storage().create(BucketInfo.of("sales"));
      world.storage().create(BlobInfo.newBuilder("sales", "a.csv").build(), "x".getBytes(UTF_8));

      world.faults("dc1").partition();
      assertThatThrownBy(() -> world.storage().get("sales", "a.csv"))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(503));
      world.assertThat("dc1").has("sales", "a.csv"); // below the fault injector

      world.faults("dc1").addRule(FaultRule.on(Operation.Kind.WRITE).inject(Fault.failBeforeCall(500)));
      world.heal();
      assertThat(world.faults("dc1").isPartitioned()).isFalse();
      assertThat(world.faults("dc1").rules()).isEmpty();
      assertThat(world.storage().get("sales", "a.csv").getContent()).isEqualTo("x".getBytes(UTF_8));
    }
  }

  @Test
  void eachWorldIsFreshAndIndependent() {
    HybridStorageOptions options = oneSite().build();
    try (HybridWorld first = HybridWorld.open(options); HybridWorld second = HybridWorld.open(options)) {
      first.storage().create(BucketInfo.of("sales"));
      assertThat(second.storage().get("sales")).isNull();
      assertThat(second.site("dc1")).isNotSameAs(first.site("dc1"));
      assertThat(second.faults("dc1")).isNotSameAs(first.faults("dc1"));
    }
  }

  @Test
  void faultSeedsDeriveFromTheOptionsSeedAndTheSite() {
    try (HybridWorld a = HybridWorld.open(oneSite().seed(42).build());
        HybridWorld b = HybridWorld.open(oneSite().seed(42).build());
        HybridWorld c = HybridWorld.open(oneSite().seed(43).build());
        HybridWorld d = HybridWorld.open(HybridStorageOptions.newBuilder()
            .site(SiteConfig.memory("dc2", Duration.ZERO)).seed(42).build())) {
      assertThat(b.faults("dc1").seed()).isEqualTo(a.faults("dc1").seed());
      assertThat(c.faults("dc1").seed()).isNotEqualTo(a.faults("dc1").seed());
      assertThat(d.faults("dc2").seed()).isNotEqualTo(a.faults("dc1").seed());
    }
  }

  @Test
  void aVirtualClockStampsObjectsAndFaultDelaysTakeVirtualTime() {
    VirtualClock clock = VirtualClock.create();
    try (HybridWorld world = HybridWorld.open(oneSite().clock(clock).build())) {
      world.storage().create(BucketInfo.of("sales"));
      Blob blob = world.storage().create(BlobInfo.newBuilder("sales", "a.csv").build(), "x".getBytes(UTF_8));
      assertThat(blob.getCreateTimeOffsetDateTime().toInstant()).isEqualTo(VirtualClock.DEFAULT_START);

      world.faults("dc1").addRule(FaultRule.on(Operation.Kind.READ).inject(Fault.delay(Duration.ofHours(1))));
      assertThat(world.storage().get("sales", "a.csv")).isNotNull();
      assertThat(clock.elapsed()).isGreaterThanOrEqualTo(Duration.ofHours(1));
    }
  }

  @Test
  void aDecoratorOfTheOptionsWrapsTheFaultInjectors() {
    List<String> seen = new ArrayList<>();
    StoreDecorator outer = new StoreDecorator() {
      @Override
      public ObjectStore site(SiteConfig site, ObjectStore store) {
        seen.add(site.name() + " " + store.getClass().getSimpleName());
        return store;
      }

      @Override
      public ObjectStore service(ObjectStore store) {
        seen.add("service " + store.getClass().getSimpleName());
        return store;
      }
    };
    try (HybridWorld world = HybridWorld.open(oneSite().storeDecorator(outer).build())) {
      assertThat(seen).containsExactly("dc1 FaultInjectingStore", "service FaultInjectingStore");
      assertThat(world.options().storeDecorator()).isSameAs(outer);
    }
  }

  @Test
  void oneSiteHasNoJournalToDrain() {
    try (HybridWorld world = HybridWorld.open(oneSite().build())) {
      assertThat(world.journalDepth()).isZero();
      assertThat(world.journalDepth("dc1")).isZero();
      assertThat(world.drain(Duration.ZERO)).isTrue();
      world.drain();
    }
  }

  @Test
  void anUnknownSiteIsNamedWithTheSitesThatExist() {
    try (HybridWorld world = HybridWorld.open(oneSite().build())) {
      assertThatThrownBy(() -> world.site("dc9")).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("no site 'dc9' in this world; its sites are [dc1]");
      assertThatThrownBy(() -> world.faults("dc9")).hasMessage("no site 'dc9' in this world; its sites are [dc1]");
      assertThatThrownBy(() -> world.assertThat("dc9")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> world.journalDepth("dc9")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void closingTheWorldClosesItsStoresOnceAndRefusesItsStorage() {
    List<String> closed = new ArrayList<>();
    StoreDecorator recordClose = new StoreDecorator() {
      @Override
      public ObjectStore service(ObjectStore store) {
        return new ForwardingObjectStore(store) {
          @Override
          public void close() {
            closed.add(store.site());
            super.close();
          }
        };
      }
    };
    HybridWorld world = HybridWorld.open(oneSite().storeDecorator(recordClose).build());
    assertThat(world.isClosed()).isFalse();
    world.close();
    world.close(); // idempotent
    assertThat(closed).containsExactly("dc1");
    assertThat(world.isClosed()).isTrue();
    assertThat(world).hasToString("HybridWorld[dc1] (closed)");
    assertThatThrownBy(world::storage).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("storage() on a closed HybridWorld[dc1] (closed): a world lives for one test");
    assertThatThrownBy(world::drain).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void severalSitesNeedTheRouterOnTheClasspath() {
    assertThatThrownBy(() -> HybridWorld.open(HybridStorageOptions.inMemoryThreeSites().build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("add the dependency io.hybridstorage:hybrid-storage-routing");
  }
}
