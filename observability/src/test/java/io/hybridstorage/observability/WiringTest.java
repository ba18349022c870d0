package io.hybridstorage.observability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.HybridStorage;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.testkit.HybridWorld;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How applications pass a registry and OpenTelemetry: on {@code HybridStorageOptions.Builder}
 * (as its store decorator) for {@code getService()} and {@code HybridStorage.openStore}, and
 * under another decorator (the testkit's world keeps the options' decorator inside its own).
 */
class WiringTest {

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  /** Closed after each test (closing the SDK shuts the exporter down, which forgets its spans). */
  final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
  final HybridObservability observability =
      HybridObservability.builder().meterRegistry(registry).openTelemetry(otel).build();

  @AfterEach
  void close() {
    otel.close();
  }

  @Test
  void aJobsStorageFromOptionsIsObserved() throws Exception {
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites().storeDecorator(observability).build();
    try (Storage storage = options.getService()) {
      storage.create(BucketInfo.of("sales"));
      storage.create(BlobInfo.newBuilder("sales", "2030/01/01.csv").build(), "a,b".getBytes(UTF_8));
      assertThat(new String(storage.readAllBytes("sales", "2030/01/01.csv"), UTF_8)).isEqualTo("a,b");
    }
    assertThat(registry.find(MetricNames.CALLS).tag("operation", "write").timer().count()).isEqualTo(1);
    assertThat(registry.find(MetricNames.JOURNAL_DEPTH).gauges()).hasSize(3);
    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName)
        .contains("storage.createBucket", "storage.write", "storage.read");
  }

  @Test
  void aServerOverOpenStoreIsObserved() {
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites().storeDecorator(observability).build();
    try (ObjectStore world = HybridStorage.openStore(options)) {
      world.createBucket(BucketSpec.of("bkt"));
      world.write(WriteRequest.of("bkt", "o"), new ByteArrayInputStream(new byte[7]));
    }
    assertThat(registry.find(MetricNames.BYTES_IN).tag("placement", "*").counters())
        .extracting(Counter::count).as("7 bytes to each of three sites").containsExactly(7.0, 7.0, 7.0);
    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).contains("storage.write");
  }

  @Test
  void underTheTestkitsDecoratorBothApply() {
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites().storeDecorator(observability).build();
    try (HybridWorld world = HybridWorld.open(options)) { // its fault injectors, then ours
      world.storage().create(BucketInfo.of("events"));
      world.faults("dc2").partition();
      // the default placement fails a write a replica missed (503); gcp and dc1 hold it, dc2's copy is journaled
      assertThatThrownBy(() -> world.storage().create(BlobInfo.newBuilder("events", "e1").build(), new byte[3]))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(503));
      assertThat(world.journalDepth("dc2")).isEqualTo(1);
      assertThat(registry.find(MetricNames.JOURNAL_DEPTH).tag("site", "dc2").gauge().value()).isEqualTo(1);
      assertThat(registry.find(MetricNames.ERRORS).tags("operation", "write", "code", "503").counter().count())
          .isEqualTo(1);
      assertThat(registry.find(MetricNames.SITE_ERRORS).tags("site", "dc2", "code", "503").counters()).isNotEmpty();
      assertThat(spans.getFinishedSpanItems()).filteredOn(s -> s.getName().equals("storage.write")).singleElement()
          .satisfies(s -> assertThat(s.getAttributes().get(TracingListener.TraceAttributes.SITES_ACKNOWLEDGED))
              .containsExactlyInAnyOrder("gcp", "dc1"));
    }
  }

  @Test
  void aroundAnotherDecoratorAppliesItAndObservesTheRouterItWasGiven() {
    java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.hybridstorage.api.spi.StoreDecorator inner = new io.hybridstorage.api.spi.StoreDecorator() {
      @Override
      public ObjectStore site(SiteConfig site, ObjectStore store) {
        seen.add("site " + site.name());
        return store;
      }

      @Override
      public ObjectStore service(ObjectStore store) {
        seen.add("service");
        return new io.hybridstorage.api.ForwardingObjectStore(store) {}; // hides the router's type
      }
    };
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites()
        .storeDecorator(observability.around(inner)).build();
    try (ObjectStore world = HybridStorage.openStore(options)) {
      world.createBucket(BucketSpec.of("bkt"));
    }
    assertThat(seen).containsExactly("site gcp", "site dc1", "site dc2", "service");
    assertThat(registry.find(MetricNames.CALLS).tag("operation", "createBucket").timer().count()).isEqualTo(1);
  }

  @Test
  void oneSiteHasNoRouterAndNothingIsObserved() {
    HybridStorageOptions options = HybridStorageOptions.newBuilder()
        .site(SiteConfig.memory("dc1", Duration.ofMillis(1))).storeDecorator(observability).build();
    try (Storage storage = options.getService()) {
      storage.create(BucketInfo.of("bkt"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    assertThat(registry.getMeters()).isEmpty();
    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }
}
