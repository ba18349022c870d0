package io.hybridstorage.observability;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SignUrlRequest;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.routing.RoutingSettings;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.time.VirtualClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Three in-memory sites (gcp the authority, dc1, dc2), each behind a fault injector, under one
 * router on a virtual clock: every bucket written to all three (DUAL_WRITE_SYNC, acknowledged by
 * the healthy ones when one is down), read from the authority. Quick breaker (50 % of 4 calls,
 * minimum 2, open for a minute), two attempts per idempotent call without a pause, replay only
 * when the test asks (or after an hour of virtual time).
 */
final class ObservedWorld implements AutoCloseable {

  static final String GCP = HybridStorageOptions.GCP;
  static final String DC1 = HybridStorageOptions.DC1;
  static final String DC2 = HybridStorageOptions.DC2;
  static final String BUCKET = "bkt";
  static final Duration OPEN_WAIT = Duration.ofMinutes(1);
  /** What the authority's signed URLs carry: must never reach a log. */
  static final String SIGNATURE = "5ec7e75167a7u7e";
  static final String CREDENTIAL = "svc-account%2Fsecret-key-id";

  /** The authority signs URLs as GCS would (the in-memory store alone answers 501). */
  static final class SigningStore extends ForwardingObjectStore {
    SigningStore(ObjectStore delegate) {
      super(delegate);
    }

    @Override
    public java.net.URL signUrl(SignUrlRequest request) {
      try {
        return new java.net.URL("https://storage.example/" + request.bucket() + "/" + request.name()
            + "?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=" + CREDENTIAL + "&X-Goog-Signature=" + SIGNATURE);
      } catch (java.net.MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  final VirtualClock clock = VirtualClock.create();
  /** The time injected delays wait in: a delayed call is held until the test advances it. */
  final VirtualClock faultTime = VirtualClock.create();
  final Map<String, FaultInjectingStore> faults = new LinkedHashMap<>();
  final HybridStorageOptions options;
  final RoutingStore router;

  ObservedWorld(@Nullable HybridObservability observability) {
    this(observability, null);
  }

  ObservedWorld(@Nullable HybridObservability observability, @Nullable String profile) {
    for (String site : new String[] {GCP, DC1, DC2}) {
      ObjectStore store = new InMemoryStore(site, clock);
      if (site.equals(GCP)) {
        store = new SigningStore(store);
      }
      faults.put(site, FaultInjectingStore.builder(store).seed(7).sleeper(faultTime.sleeper()).build());
    }
    HybridStorageOptions.Builder b = HybridStorageOptions.newBuilder()
        .site(SiteConfig.memory(GCP, Duration.ofMillis(20)))
        .site(SiteConfig.memory(DC1, Duration.ofMillis(1)))
        .site(SiteConfig.memory(DC2, Duration.ofMillis(30)))
        .localSite(DC1)
        .clock(clock)
        .sleeper(clock.sleeper())
        .seed(11)
        .placement(Placement.builder(Placement.ANY_BUCKET).replicas(GCP, DC1, DC2).authority(GCP)
            .write(WritePolicy.DUAL_WRITE_SYNC).failWritesWhenReplicaDown(false)
            .read(ReadPolicy.AUTHORITY).consistency(Consistency.STRONG).build());
    if (profile != null) {
      b.profile(new io.hybridstorage.api.Profile(profile, java.util.List.of(BUCKET), java.util.List.of()));
      b.profile(profile);
    }
    this.options = b.build();
    RoutingSettings settings = RoutingSettings.defaults()
        .withCallTimeout(Duration.ofSeconds(10))
        .withRetry(2, Duration.ZERO)
        .withBreaker(4, 2, 50f, OPEN_WAIT)
        .withJournal(512, Duration.ofHours(1), 2);
    this.router = RoutingStore.create(new LinkedHashMap<>(faults), options, settings);
    if (observability != null) {
      observability.install(router);
    }
  }

  void createBucket() {
    router.createBucket(BucketSpec.of(BUCKET));
  }

  ObjectInfo put(String name, String value) {
    return router.write(WriteRequest.of(BUCKET, name), new ByteArrayInputStream(value.getBytes(UTF_8)));
  }

  ObjectInfo put(WriteRequest request, String value) {
    return router.write(request, new ByteArrayInputStream(value.getBytes(UTF_8)));
  }

  String get(String name) {
    try (ObjectContent content = router.read(ReadRequest.of(ObjectId.of(BUCKET, name)))) {
      return new String(content.stream().readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    faultTime.advance(Duration.ofDays(1)); // releases a call a test still holds
    router.close();
  }
}
