package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.DC1;
import static io.hybridstorage.routing.World.DC2;
import static io.hybridstorage.routing.World.GCP;
import static io.hybridstorage.routing.World.get;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.testkit.fault.Fault;
import io.hybridstorage.testkit.fault.FaultRule;
import io.hybridstorage.testkit.fault.Operation;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The call events observability is built on: {@link RoutingListener#siteCallFinished}, {@link
 * RoutingListener#retried}, {@link RoutingListener#routedCallFinished} (with the sites a call
 * touched and the ones that acknowledged) and the replication lag of {@code replayed}.
 */
class RoutingCallEventsTest {

  static final class Calls implements RoutingListener {
    final List<SiteCall> sites = new CopyOnWriteArrayList<>();
    final List<RoutedCall> routed = new CopyOnWriteArrayList<>();
    final List<String> retries = new CopyOnWriteArrayList<>();
    final List<Duration> lags = new CopyOnWriteArrayList<>();

    @Override
    public void siteCallFinished(SiteCall call) {
      sites.add(call);
    }

    @Override
    public void routedCallFinished(RoutedCall call) {
      routed.add(call);
    }

    @Override
    public void retried(String site, String operation, String bucket, String object, int attempt, Throwable cause) {
      retries.add(site + " " + operation + " " + bucket + "/" + object + " attempt " + attempt + " after "
          + ((HybridStorageException) cause).code());
    }

    @Override
    public void replayed(String site, String bucket, String name, long generation, boolean skipped, Duration lag) {
      lags.add(lag);
    }

    RoutedCall last(String operation) {
      return routed.stream().filter(c -> c.operation().equals(operation)).reduce((a, b) -> b).orElseThrow();
    }
  }

  @Test
  void aDualWriteTouchesAndIsAcknowledgedByEverySite() throws Exception {
    try (World w = new World(WritePolicy.DUAL_WRITE_SYNC)) {
      Calls calls = new Calls();
      w.router.addListener(calls);
      w.router.createBucket(BucketSpec.of(BUCKET));
      long g = put(w.router, "o", "hello").generation();

      RoutedCall write = calls.last("write");
      assertThat(write.succeeded()).isTrue();
      assertThat(write.generation()).isEqualTo(g);
      assertThat(write.placementId()).isEqualTo("*");
      assertThat(write.policy()).isEqualTo("DUAL_WRITE_SYNC");
      assertThat(write.sitesAcknowledged()).containsExactlyInAnyOrder(GCP, DC1, DC2);
      assertThat(write.siteCalls()).filteredOn(c -> c.operation().equals("write"))
          .allSatisfy(c -> assertThat(c.bytesIn()).isEqualTo(5)).hasSize(3);

      assertThat(get(w.router, "o")).isEqualTo("hello");
      RoutedCall read = calls.last("read");
      assertThat(read.policy()).isEqualTo("NEAREST_VERIFIED");
      assertThat(read.generation()).isEqualTo(g);
      assertThat(read.sitesAcknowledged()).isEmpty();
      assertThat(read.siteCalls()).anySatisfy(c -> {
        assertThat(c.operation()).isEqualTo("read");
        assertThat(c.bytesOut()).isEqualTo(5);
      });
    }
  }

  @Test
  void aPreconditionFailureIsAnEventWithItsCode() {
    try (World w = new World(WritePolicy.DUAL_WRITE_SYNC)) {
      Calls calls = new Calls();
      w.router.addListener(calls);
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "o", "v1");
      assertThatThrownBy(() -> w.router.write(WriteRequest.of(BUCKET, "o").withConditions(Conditions.generationMatch(1)),
          new ByteArrayInputStream(new byte[3]))).isInstanceOf(HybridStorageException.class);
      RoutedCall failed = calls.last("write");
      assertThat(failed.code()).isEqualTo(412);
      assertThat(failed.reason()).isEqualTo("conditionNotMet");
      assertThat(failed.sitesAcknowledged()).isEmpty();
      assertThat(failed.sitesTouched()).contains(GCP);
    }
  }

  @Test
  void anAsyncWriteIsAcknowledgedByTheAuthorityAndReplayedWithItsLag() throws Exception {
    try (World w = new World(World.placement(WritePolicy.AUTHORITY_THEN_ASYNC), Clock.systemUTC(),
        RoutingListenerTest.LAZY)) {
      Calls calls = new Calls();
      w.router.addListener(calls);
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "o", "v1");
      assertThat(calls.last("write").sitesAcknowledged()).containsExactly(GCP);
      Thread.sleep(5);
      assertThat(w.router.drain(Duration.ofSeconds(10))).isTrue();
      assertThat(calls.lags).hasSize(2).allSatisfy(lag -> assertThat(lag).isPositive());
    }
  }

  @Test
  void aRetryIsAnnouncedAndCountedInTheCall() throws Exception {
    try (World w = new World(WritePolicy.AUTHORITY_ONLY)) {
      Calls calls = new Calls();
      w.router.addListener(calls);
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "o", "v1");
      w.faults.get(GCP).addRule(FaultRule.on(Operation.HEAD).onCall(1).inject(Fault.failBeforeCall(503)));
      assertThat(w.router.head(ObjectId.of(BUCKET, "o"), Conditions.none())).isPresent();
      assertThat(calls.retries).containsExactly("gcp head bkt/o attempt 2 after 503");
      assertThat(calls.last("head").siteCalls()).anySatisfy(c -> {
        assertThat(c.site()).isEqualTo(GCP);
        assertThat(c.attempts()).isEqualTo(2);
        assertThat(c.succeeded()).isTrue();
      });
    }
  }

  /**
   * Sixteen threads write at once through sites that are not in-process (each fault injector has
   * a rule, so the router fans out on its pool): every write's event has the site calls of its own
   * object only, and all three sites acknowledged it — the call scope travels to the pool's
   * threads and does not leak between calls.
   */
  @Test
  void concurrentCallsEachGetTheirOwnSiteCalls() throws Exception {
    try (World w = new World(WritePolicy.DUAL_WRITE_SYNC)) {
      w.faults.values().forEach(f -> f.addRule(FaultRule.on(Operation.Kind.READ).forBucket("elsewhere")
          .inject(Fault.delay(Duration.ZERO))));
      assertThat(w.faults.get(GCP).capabilities()).doesNotContain(io.hybridstorage.api.Capability.IN_PROCESS);
      Calls calls = new Calls();
      w.router.addListener(calls);
      w.router.createBucket(BucketSpec.of(BUCKET));
      int threads = 16;
      int each = 10;
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < each; i++) {
            put(w.router, "t" + thread + "/o" + i, "v" + i);
          }
          return null;
        }));
      }
      start.countDown();
      for (java.util.concurrent.Future<?> f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
      pool.shutdown();
      List<RoutedCall> writes = calls.routed.stream().filter(c -> c.operation().equals("write")).toList();
      assertThat(writes).hasSize(threads * each);
      assertThat(writes).allSatisfy(c -> {
        assertThat(c.siteCalls()).allSatisfy(site -> assertThat(site.object()).isEqualTo(c.object()));
        assertThat(c.sitesAcknowledged()).containsExactlyInAnyOrder(GCP, DC1, DC2);
      });
    }
  }

  @Test
  void withoutListenersNothingIsCollectedAndWithOneEveryCallIsReported() {
    try (World w = new World(WritePolicy.DUAL_WRITE_SYNC)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "before", "x");
      Calls calls = new Calls();
      w.router.addListener(calls);
      assertThat(calls.routed).isEmpty();
      put(w.router, "after", "x");
      assertThat(calls.routed).extracting(RoutedCall::operation).containsExactly("write");
      assertThat(calls.sites).extracting(SiteCall::site).contains(GCP, DC1, DC2);
    }
  }
}
