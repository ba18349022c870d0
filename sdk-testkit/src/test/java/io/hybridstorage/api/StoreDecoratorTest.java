package io.hybridstorage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.spi.StoreDecorator;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link HybridStorageOptions.Builder#storeDecorator}: where {@code getService()} applies it. */
class StoreDecoratorTest {

  private final List<String> events = new CopyOnWriteArrayList<>();

  /** Wraps each site in a fault injector and records what it saw. */
  private final class Recording implements StoreDecorator {
    FaultInjectingStore injector;
    ObjectStore service;

    @Override
    public ObjectStore site(SiteConfig site, ObjectStore store) {
      events.add("site " + site.name() + " " + store.getClass().getSimpleName());
      injector = FaultInjectingStore.builder(store).seed(1).build();
      return injector;
    }

    @Override
    public ObjectStore service(ObjectStore store) {
      events.add("service " + store.getClass().getSimpleName());
      service = store;
      return store;
    }
  }

  @Test
  void theDefaultChangesNothingAndToBuilderKeepsADecorator() {
    HybridStorageOptions plain = HybridServiceTest.oneSite("memory").build();
    ObjectStore store = new InMemoryStore("dc1");
    assertThat(plain.storeDecorator().site(plain.sites().get("dc1"), store)).isSameAs(store);
    assertThat(plain.storeDecorator().service(store)).isSameAs(store);

    Recording recording = new Recording();
    HybridStorageOptions decorated = plain.toBuilder().storeDecorator(recording).build();
    assertThat(decorated.toBuilder().build().storeDecorator()).isSameAs(recording);
    assertThatThrownBy(() -> plain.toBuilder().storeDecorator(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("storeDecorator");
  }

  @Test
  void eachSiteIsWrappedBeforeTheServiceAndCallsGoThroughTheWrapper() throws Exception {
    Recording recording = new Recording();
    HybridStorageOptions options = HybridServiceTest.oneSite("memory").storeDecorator(recording).build();
    try (Storage storage = options.getService()) {
      assertThat(events).containsExactly("site dc1 InMemoryStore", "service FaultInjectingStore");
      assertThat(recording.service).isSameAs(recording.injector);

      storage.create(BucketInfo.of("sales"));
      assertThat(recording.injector.callCount()).isEqualTo(1);
      recording.injector.partition();
      assertThatThrownBy(() -> storage.get("sales"))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(503));
      recording.injector.heal();
      assertThat(storage.get("sales")).isNotNull();
    }
  }

  @Test
  void controlPlaneCallsStillFindTheNativeClientBehindAWrapper() throws Exception {
    NativeAwareTestProvider.CALLS.clear();
    HybridStorageOptions options = HybridServiceTest.oneSite(NativeAwareTestProvider.KIND)
        .storeDecorator(new Recording()).build();
    try (Storage storage = options.getService()) {
      assertThat(storage.getIamPolicy("sales").getEtag()).isEqualTo("etag-of-dc1");
    }
  }

  @Test
  void aFailingDecoratorClosesWhatWasOpened() {
    HybridStorageOptions options = HybridServiceTest.oneSite("memory").storeDecorator(new StoreDecorator() {
      @Override
      public ObjectStore site(SiteConfig site, ObjectStore store) {
        return closeRecording(store);
      }

      @Override
      public ObjectStore service(ObjectStore store) {
        throw new IllegalStateException("metrics registry is gone");
      }
    }).build();
    assertThatThrownBy(options::getService).isInstanceOf(IllegalStateException.class)
        .hasMessage("metrics registry is gone");
    assertThat(events).containsExactly("close dc1");
  }

  @Test
  void aDecoratorReturningNullIsNamed() {
    StoreDecorator broken = new StoreDecorator() {
      @Override
      public ObjectStore site(SiteConfig site, ObjectStore store) {
        return null;
      }

      @Override
      public String toString() {
        return "BrokenDecorator";
      }
    };
    HybridStorageOptions options = HybridStorageOptions.newBuilder()
        .site(new SiteConfig("dc1", "memory", null, null, Duration.ZERO, Map.of())).storeDecorator(broken).build();
    assertThatThrownBy(options::getService).isInstanceOf(NullPointerException.class)
        .hasMessage("BrokenDecorator returned null for site dc1");
  }

  /** {@code store}, recording "close site" in {@link #events} when closed. */
  private ObjectStore closeRecording(ObjectStore store) {
    return new ForwardingObjectStore(store) {
      @Override
      public void close() {
        events.add("close " + store.site());
        super.close();
      }
    };
  }
}
