package io.hybridstorage.benchmarks;

import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.routing.RoutingSettings;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.fault.Fault;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.fault.FaultRule;
import io.hybridstorage.testkit.fault.Operation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Three in-memory sites with injected write latencies, and routers over them. */
final class Worlds {

  private Worlds() {}

  /** Site → store; each write (commit) to a site sleeps its latency (0 = none). */
  static Map<String, ObjectStore> sites(long gcpMillis, long dc1Millis, long dc2Millis) {
    Map<String, ObjectStore> sites = new LinkedHashMap<>();
    sites.put("gcp", withWriteLatency("gcp", gcpMillis));
    sites.put("dc1", withWriteLatency("dc1", dc1Millis));
    sites.put("dc2", withWriteLatency("dc2", dc2Millis));
    return sites;
  }

  static ObjectStore withWriteLatency(String site, long millis) {
    FaultInjectingStore.Builder b = FaultInjectingStore.builder(new InMemoryStore(site)).seed(1);
    if (millis > 0) {
      b.rule(FaultRule.on(Operation.WRITE).inject(Fault.delay(Duration.ofMillis(millis))));
    }
    return b.build();
  }

  static RoutingStore router(Map<String, ObjectStore> sites, WritePolicy policy, RoutingSettings settings) {
    Placement.Builder p = Placement.builder(Placement.ANY_BUCKET).replicas("gcp", "dc1", "dc2").authority("gcp")
        .read(ReadPolicy.NEAREST_VERIFIED).consistency(Consistency.STRONG);
    p = policy == WritePolicy.QUORUM ? p.quorum(2) : p.write(policy);
    HybridStorageOptions options = HybridStorageOptions.newBuilder()
        .site(SiteConfig.memory("gcp", Duration.ofMillis(5)))
        .site(SiteConfig.memory("dc1", Duration.ofMillis(5)))
        .site(SiteConfig.memory("dc2", Duration.ofMillis(30)))
        .localSite("dc1")
        .placement(p.build())
        .build();
    // no journal directory: the router journals to a temporary one and deletes it on close
    return RoutingStore.create(sites, options, settings);
  }

  /**
   * Site → store where every call (each read kind and each write kind, a write's delay at commit)
   * first sleeps the site's round trip: the {@code gcp}, {@code dc1} and {@code dc2} of {@code
   * millis}, in that order.
   */
  static Map<String, FaultInjectingStore> roundTrips(long gcpMillis, long dc1Millis, long dc2Millis) {
    Map<String, FaultInjectingStore> sites = new LinkedHashMap<>();
    sites.put("gcp", withRoundTrip("gcp", gcpMillis));
    sites.put("dc1", withRoundTrip("dc1", dc1Millis));
    sites.put("dc2", withRoundTrip("dc2", dc2Millis));
    return sites;
  }

  static FaultInjectingStore withRoundTrip(String site, long millis) {
    FaultInjectingStore.Builder b = FaultInjectingStore.builder(new InMemoryStore(site)).seed(site.hashCode());
    if (millis > 0) {
      b.rule(FaultRule.on(Operation.Kind.READ).inject(Fault.delay(Duration.ofMillis(millis))));
      b.rule(FaultRule.on(Operation.Kind.WRITE).inject(Fault.delay(Duration.ofMillis(millis))));
    }
    return b.build();
  }

  /**
   * A router over {@code sites} with one placement for every bucket (replicas gcp, dc1, dc2; the
   * authority gcp), dc1 the local site, and the sites' latency hints (which order reads) {@code
   * gcp}, {@code dc1}, {@code dc2} ms; the journal in a temporary directory the router deletes.
   */
  static RoutingStore router(Map<String, ? extends ObjectStore> sites, Placement placement, long gcpHint,
      long dc1Hint, long dc2Hint) {
    HybridStorageOptions options = HybridStorageOptions.newBuilder()
        .site(SiteConfig.memory("gcp", Duration.ofMillis(gcpHint)))
        .site(SiteConfig.memory("dc1", Duration.ofMillis(dc1Hint)))
        .site(SiteConfig.memory("dc2", Duration.ofMillis(dc2Hint)))
        .localSite("dc1")
        .placement(placement)
        .build();
    return RoutingStore.create(new LinkedHashMap<String, ObjectStore>(sites), options, RoutingSettings.defaults());
  }

  /**
   * The anchor: google-cloud-nio's {@code LocalStorageHelper.getOptions().getService()}. Refused
   * when the zero-code swap is on ({@code HYBRID_STORAGE_ENABLED} / {@code hybrid.storage.enabled}
   * or a configuration file named): {@code getService()} would then hand out the hybrid world, and
   * the anchor would measure the SDK against itself.
   */
  static com.google.cloud.storage.Storage localStorageHelper() {
    com.google.cloud.storage.Storage lsh =
        com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper.getOptions().getService();
    if (lsh.getClass().getName().startsWith("io.hybridstorage.")) {
      throw new IllegalStateException("LocalStorageHelper's getService() gave " + lsh.getClass().getName()
          + ": the zero-code swap is on (unset HYBRID_STORAGE_ENABLED, HYBRID_STORAGE_CONFIG and their -D properties)");
    }
    return lsh;
  }

  static Path tempDir() {
    try {
      return Files.createTempDirectory("hs-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
