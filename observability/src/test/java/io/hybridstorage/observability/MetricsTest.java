package io.hybridstorage.observability;

import static io.hybridstorage.observability.ObservedWorld.BUCKET;
import static io.hybridstorage.observability.ObservedWorld.DC1;
import static io.hybridstorage.observability.ObservedWorld.DC2;
import static io.hybridstorage.observability.ObservedWorld.GCP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.testkit.fault.Fault;
import io.hybridstorage.testkit.fault.FaultRule;
import io.hybridstorage.testkit.fault.Operation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Meter values after a known sequence of calls on three in-memory sites: writes to all three, a
 * read with a retry, a 412, a site partitioned until its circuit breaker opens, the journal that
 * fills meanwhile and its replay once the site is back.
 */
class MetricsTest {

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final HybridObservability observability = HybridObservability.builder().meterRegistry(registry).build();

  Timer timer(String name, String... tags) {
    Timer t = registry.find(name).tags(tags).timer();
    assertThat(t).as(name + " " + String.join(",", tags)).isNotNull();
    return t;
  }

  double count(String name, String... tags) {
    return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
  }

  double gauge(String name, String... tags) {
    var g = registry.find(name).tags(tags).gauge();
    assertThat(g).as(name + " " + String.join(",", tags)).isNotNull();
    return g.value();
  }

  double timeGaugeSeconds(String name, String... tags) {
    var g = registry.find(name).tags(tags).timeGauge();
    assertThat(g).as(name + " " + String.join(",", tags)).isNotNull();
    return g.value(TimeUnit.SECONDS);
  }

  @Test
  void writesReadsAPreconditionFailureAndABreakerThatOpensAreCounted() {
    try (ObservedWorld w = new ObservedWorld(observability)) {
      w.createBucket();
      long g = w.put("o1", "hello").generation();

      // a routed write, acknowledged by the three sites: one commit ("write") per site, 5 bytes in each
      assertThat(timer(MetricNames.CALLS, "operation", "write", "placement", "*", "policy", "DUAL_WRITE_SYNC").count())
          .isEqualTo(1);
      for (String site : new String[] {GCP, DC1, DC2}) {
        assertThat(timer(MetricNames.SITE_CALLS, "site", site, "operation", "write", "placement", "*").count())
            .isEqualTo(1);
        assertThat(count(MetricNames.BYTES_IN, "site", site, "placement", "*")).isEqualTo(5);
      }

      // a read from the authority whose first attempt fails with 503: one retry, no error
      w.faults.get(GCP).addRule(FaultRule.on(Operation.READ).onCall(1).inject(Fault.failBeforeCall(503)));
      assertThat(w.get("o1")).isEqualTo("hello");
      assertThat(count(MetricNames.SITE_RETRIES, "site", GCP, "operation", "read")).isEqualTo(1);
      assertThat(timer(MetricNames.SITE_CALLS, "site", GCP, "operation", "read", "policy", "AUTHORITY").count())
          .isEqualTo(1);
      assertThat(count(MetricNames.BYTES_OUT, "site", GCP, "operation", "read")).isEqualTo(5);
      assertThat(count(MetricNames.SITE_ERRORS, "site", GCP, "operation", "read")).isZero();
      assertThat(count(MetricNames.BYTES_OUT, "site", DC1, "placement", "*")).as("the authority serves reads").isZero();

      // a write whose precondition fails: 412 for the caller, decided at the authority
      assertThatThrownBy(() -> w.put(WriteRequest.of(BUCKET, "o1").withConditions(Conditions.generationMatch(g + 1)),
          "nope")).isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(412));
      assertThat(count(MetricNames.ERRORS, "operation", "write", "code", "412", "reason", "conditionNotMet"))
          .isEqualTo(1);
      assertThat(count(MetricNames.SITE_ERRORS, "site", GCP, "code", "412")).isEqualTo(1);
      assertThat(count(MetricNames.ERRORS)).as("no other routed call failed").isEqualTo(1);

      // dc2 cut off: writes are acknowledged by gcp and dc1 and journaled for dc2, until dc2's breaker opens
      assertThat(gauge(MetricNames.BREAKER_STATE, "site", DC2, "state", "CLOSED")).isEqualTo(1);
      w.faults.get(DC2).partition();
      int written = 0;
      while (!w.router.isSiteOpen(DC2)) {
        assertThat(written).as("dc2's breaker opens within 6 writes").isLessThan(6);
        w.put("p" + written++, "x");
      }
      assertThat(gauge(MetricNames.BREAKER_STATE, "site", DC2, "state", "OPEN")).isEqualTo(1);
      assertThat(gauge(MetricNames.BREAKER_STATE, "site", DC2, "state", "CLOSED")).isZero();
      assertThat(gauge(MetricNames.BREAKER_STATE, "site", GCP, "state", "CLOSED")).isEqualTo(1);
      assertThat(count(MetricNames.BREAKER_TRANSITIONS, "site", DC2, "from", "CLOSED", "to", "OPEN")).isEqualTo(1);
      double dc2Failures = count(MetricNames.SITE_ERRORS, "site", DC2, "code", "503");
      assertThat(dc2Failures).as("the failures that opened the breaker").isGreaterThanOrEqualTo(2);
      assertThat(count(MetricNames.ERRORS)).as("writes acknowledged by two sites succeed").isEqualTo(1);

      // one more write while the breaker is open: dc2 is not called, and the write is journaled for it too
      w.put("p" + written++, "x");
      assertThat(count(MetricNames.SITE_ERRORS, "site", DC2, "code", "503")).isEqualTo(dc2Failures);
      assertThat(gauge(MetricNames.JOURNAL_DEPTH, "site", DC2)).isEqualTo(written).isEqualTo(w.router.journalDepth(DC2));
      assertThat(gauge(MetricNames.JOURNAL_DEPTH, "site", DC1)).isZero();
      assertThat(timer(MetricNames.CALLS, "operation", "write").count()).isEqualTo(2 + written);

      // dc2 back; ten virtual minutes later the journal is replayed to it: lag >= 10 min per entry
      w.clock.advance(Duration.ofMinutes(10));
      assertThat(timeGaugeSeconds(MetricNames.JOURNAL_AGE, "site", DC2)).isGreaterThanOrEqualTo(600);
      w.faults.get(DC2).heal();
      for (int pass = 0; pass < 5 && w.router.journalDepth(DC2) > 0; pass++) {
        w.router.replayNow();
      }
      assertThat(w.router.journalDepth(DC2)).isZero();
      assertThat(count(MetricNames.REPLAYS, "site", DC2, "outcome", "replayed")).isEqualTo(written);
      Timer lag = timer(MetricNames.REPLICATION_LAG, "site", DC2, "placement", "*");
      assertThat(lag.count()).isEqualTo(written);
      assertThat(lag.totalTime(TimeUnit.SECONDS)).isGreaterThanOrEqualTo(600.0 * written);
      assertThat(gauge(MetricNames.JOURNAL_DEPTH, "site", DC2)).isZero();
      assertThat(timeGaugeSeconds(MetricNames.JOURNAL_AGE, "site", DC2)).isZero();
      assertThat(gauge(MetricNames.BREAKER_STATE, "site", DC2, "state", "CLOSED")).isEqualTo(1);
      assertThat(count(MetricNames.BREAKER_TRANSITIONS, "site", DC2, "from", "HALF_OPEN", "to", "CLOSED"))
          .isEqualTo(1);
      assertThat(count(MetricNames.JOURNAL_APPENDS)).isGreaterThanOrEqualTo(written);
    }
  }

  @Test
  void latencyTimersPublishP50AndP99() {
    try (ObservedWorld w = new ObservedWorld(observability)) {
      w.createBucket();
      for (int i = 0; i < 20; i++) {
        w.put("o" + i, "v");
      }
      Search percentiles = registry.find(MetricNames.SITE_CALLS + ".percentile")
          .tags("site", GCP, "operation", "write", "placement", "*");
      assertThat(percentiles.gauges()).extracting(m -> m.getId().getTag("phi"))
          .containsExactlyInAnyOrder("0.5", "0.99");
      assertThat(timer(MetricNames.SITE_CALLS, "site", GCP, "operation", "write", "placement", "*").count())
          .isEqualTo(20);
      assertThat(timer(MetricNames.CALLS, "operation", "write").totalTime(TimeUnit.NANOSECONDS)).isPositive();
    }
  }

  @Test
  void bulkheadSaturationCountsTheCallsInFlightAtASite() throws Exception {
    try (ObservedWorld w = new ObservedWorld(observability)) {
      w.createBucket();
      w.put("slow", "v");
      assertThat(gauge(MetricNames.BULKHEAD_SATURATION, "site", GCP)).isZero();
      // the next read of gcp is held until the test advances the faults' time: one call in flight
      w.faults.get(GCP).addRule(FaultRule.on(Operation.READ).onCall(1).inject(Fault.delay(Duration.ofMinutes(1))));
      CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> w.get("slow"));
      double max = w.router.settings().bulkheadMaxConcurrent();
      // held in the injected delay (so past gcp's bulkhead) before the time that releases it moves
      assertThat(w.faultTime.awaitSleepers(1, Duration.ofSeconds(10))).isTrue();
      assertThat(gauge(MetricNames.BULKHEAD_SATURATION, "site", GCP)).isEqualTo(1 / max);
      assertThat(gauge(MetricNames.BULKHEAD_SATURATION, "site", DC1)).isZero();
      w.faultTime.advance(Duration.ofMinutes(1));
      assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("v");
      assertThat(gauge(MetricNames.BULKHEAD_SATURATION, "site", GCP)).isZero();
    }
  }

  @Test
  void syncLagReportedThroughTheRouterBecomesAGaugeAndConflictsAreCounted() {
    try (ObservedWorld w = new ObservedWorld(observability)) {
      assertThat(registry.find(MetricNames.SYNC_LAG).timeGauge()).isNull();
      w.router.reportSyncLag("*", DC2, Duration.ofSeconds(42));
      assertThat(timeGaugeSeconds(MetricNames.SYNC_LAG, "placement", "*", "site", DC2)).isEqualTo(42);
      w.router.reportSyncLag("*", DC2, Duration.ofSeconds(3));
      assertThat(timeGaugeSeconds(MetricNames.SYNC_LAG, "placement", "*", "site", DC2)).isEqualTo(3);
      assertThatThrownBy(() -> w.router.reportSyncLag("*", "dc9", Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dc9");

      // conflicts come from LOCAL_THEN_ASYNC replication (two routers); the listener's mapping alone here
      MetricsListener metrics = (MetricsListener) observability.listenersFor(w.router).get(0);
      metrics.conflict(DC1, BUCKET, "o", 1, 2);
      assertThat(count(MetricNames.CONFLICTS, "site", DC1, "placement", "*")).isEqualTo(1);
    }
  }

  @Test
  void withNothingAskedForNothingIsRegisteredOrListened() {
    HybridObservability none = HybridObservability.builder().build();
    assertThat(none.isEnabled()).isFalse();
    try (ObservedWorld w = new ObservedWorld(none)) {
      assertThat(none.listenersFor(w.router)).isEmpty();
      w.createBucket();
      w.put("o", "v");
    }
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void everyMeterIsUnderHybridStorage() {
    try (ObservedWorld w = new ObservedWorld(observability)) {
      w.createBucket();
      w.put("o", "v");
      w.get("o");
      assertThat(registry.getMeters()).extracting(Meter::getId).extracting(Meter.Id::getName)
          .allSatisfy(name -> assertThat(name).startsWith("hybrid.storage."));
    }
  }
}
