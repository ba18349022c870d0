package io.hybridstorage.observability;

import io.hybridstorage.api.Placement;
import io.hybridstorage.routing.RoutedCall;
import io.hybridstorage.routing.RoutingListener;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.routing.SiteCall;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;

/**
 * The router's events as Micrometer meters (names in {@link MetricNames}), and gauges that read
 * the router's state (journal, breakers, bulkheads) when the registry is scraped. Tags: {@code
 * site}, {@code operation}, {@code placement} (the placement's id, {@code none} for names no
 * placement covers), {@code policy} (the write policy for changes, the read policy otherwise),
 * {@code code} and {@code reason} for errors. The router's own calls to its watermark bucket
 * (replication watermarks, {@code RoutingSettings#watermarkBucket()}) have placement {@code none}. Cheap per event: meters are looked up by tags in
 * Micrometer's own map ({@link Meter.MeterProvider}).
 */
final class MetricsListener implements RoutingListener {

  /** The circuit breaker states with a gauge each (1 for the current one, 0 for the others). */
  static final List<String> BREAKER_STATES = List.of("CLOSED", "OPEN", "HALF_OPEN", "FORCED_OPEN");

  private final RoutingStore router;
  private final Meter.MeterProvider<Timer> siteCalls;
  private final Meter.MeterProvider<Counter> siteErrors;
  private final Meter.MeterProvider<Counter> bytesIn;
  private final Meter.MeterProvider<Counter> bytesOut;
  private final Meter.MeterProvider<Counter> retries;
  private final Meter.MeterProvider<Timer> calls;
  private final Meter.MeterProvider<Counter> errors;
  private final Meter.MeterProvider<Timer> replicationLag;
  private final Meter.MeterProvider<Counter> replays;
  private final Meter.MeterProvider<Counter> conflicts;
  private final Meter.MeterProvider<Counter> transitions;
  private final Counter journalAppends;
  private final MeterRegistry registry;
  private final String watermarkBucket;
  private final Map<String, AtomicLong> syncLagNanos = new ConcurrentHashMap<>();

  MetricsListener(MeterRegistry registry, RoutingStore router) {
    this.registry = registry;
    this.router = router;
    this.watermarkBucket = router.settings().watermarkBucket();
    this.siteCalls = Timer.builder(MetricNames.SITE_CALLS)
        .description("calls to one site, retries included")
        .publishPercentiles(0.5, 0.99)
        .withRegistry(registry);
    this.siteErrors = Counter.builder(MetricNames.SITE_ERRORS)
        .description("site calls that failed, by code and reason")
        .withRegistry(registry);
    this.bytesIn = Counter.builder(MetricNames.BYTES_IN).baseUnit("bytes")
        .description("bytes written into a site (committed object sizes)")
        .withRegistry(registry);
    this.bytesOut = Counter.builder(MetricNames.BYTES_OUT).baseUnit("bytes")
        .description("bytes a site served (opened read ranges, as declared)")
        .withRegistry(registry);
    this.retries = Counter.builder(MetricNames.SITE_RETRIES)
        .description("repeats of idempotent site calls")
        .withRegistry(registry);
    this.calls = Timer.builder(MetricNames.CALLS)
        .description("calls of the router's caller, from start to end (a streamed write: openWrite to commit)")
        .publishPercentiles(0.5, 0.99)
        .withRegistry(registry);
    this.errors = Counter.builder(MetricNames.ERRORS)
        .description("routed calls that failed, by code and reason")
        .withRegistry(registry);
    this.replicationLag = Timer.builder(MetricNames.REPLICATION_LAG)
        .description("time a replica change waited in the journal, append to replay (options' clock)")
        .publishPercentiles(0.5, 0.99)
        .withRegistry(registry);
    this.replays = Counter.builder(MetricNames.REPLAYS)
        .description("journal entries replayed (outcome replayed or skipped) or failed")
        .withRegistry(registry);
    this.conflicts = Counter.builder(MetricNames.CONFLICTS)
        .description("concurrent changes found by LOCAL_THEN_ASYNC replication (last writer won)")
        .withRegistry(registry);
    this.transitions = Counter.builder(MetricNames.BREAKER_TRANSITIONS)
        .description("circuit breaker state changes")
        .withRegistry(registry);
    this.journalAppends = Counter.builder(MetricNames.JOURNAL_APPENDS)
        .description("replica changes made durable in the journal")
        .register(registry);
    registerGauges();
  }

  /** Per site: journal depth and age, breaker state, bulkhead saturation; read at each scrape. */
  private void registerGauges() {
    int maxConcurrent = router.settings().bulkheadMaxConcurrent();
    for (String site : router.siteStores().keySet()) {
      Tags tags = Tags.of("site", site);
      Gauge.builder(MetricNames.JOURNAL_DEPTH, router, r -> r.journalDepth(site))
          .description("pending replica changes towards the site").tags(tags).register(registry);
      TimeGauge.builder(MetricNames.JOURNAL_AGE, router, TimeUnit.MILLISECONDS, r -> r.journalAge(site).toMillis())
          .description("age of the oldest pending replica change towards the site").tags(tags).register(registry);
      for (String state : BREAKER_STATES) {
        Gauge.builder(MetricNames.BREAKER_STATE, router, r -> state.equals(r.breakerState(site)) ? 1 : 0)
            .description("1 for the site's current circuit breaker state").tags(tags.and("state", state))
            .register(registry);
      }
      Gauge.builder(MetricNames.BULKHEAD_SATURATION, router, r -> (double) r.siteCallsInFlight(site) / maxConcurrent)
          .description("calls in flight at the site / its bulkhead's limit").tags(tags).register(registry);
    }
  }

  @Override
  public void siteCallFinished(SiteCall call) {
    Optional<Placement> placement = placementOf(call.bucket(), call.object());
    Tags tags = Tags.of("site", call.site(), "operation", call.operation(),
        "placement", placement.map(Placement::id).orElse("none"),
        "policy", placement.map(p -> call.mutating() ? p.writePolicy().name() : p.readPolicy().name()).orElse("none"));
    siteCalls.withTags(tags).record(call.duration());
    if (!call.succeeded()) {
      siteErrors.withTags(tags.and("code", String.valueOf(call.code()), "reason", value(call.reason()))).increment();
    }
    if (call.bytesIn() > 0) {
      bytesIn.withTags(tags).increment(call.bytesIn());
    }
    if (call.bytesOut() > 0) {
      bytesOut.withTags(tags).increment(call.bytesOut());
    }
  }

  @Override
  public void retried(String site, String operation, @Nullable String bucket, @Nullable String object, int attempt,
      Throwable cause) {
    retries.withTags("site", site, "operation", operation).increment();
  }

  @Override
  public void routedCallFinished(RoutedCall call) {
    Tags tags = Tags.of("operation", call.operation(), "placement", call.placementId(), "policy", call.policy());
    calls.withTags(tags).record(call.duration());
    if (!call.succeeded()) {
      errors.withTags(tags.and("code", String.valueOf(call.code()), "reason", value(call.reason()))).increment();
    }
  }

  @Override
  public void replayed(String site, String bucket, String name, long generation, boolean skipped, Duration lag) {
    String placement = placementOf(bucket, name).map(Placement::id).orElse("none");
    replicationLag.withTags("site", site, "placement", placement).record(lag);
    replays.withTags("site", site, "placement", placement, "outcome", skipped ? "skipped" : "replayed").increment();
  }

  @Override
  public void replayFailed(String site, String bucket, String name, long generation, int attempt, Throwable error) {
    String placement = placementOf(bucket, name).map(Placement::id).orElse("none");
    replays.withTags("site", site, "placement", placement, "outcome", "failed").increment();
  }

  @Override
  public void conflict(String site, String bucket, String name, long lost, long won) {
    conflicts.withTags("site", site, "placement", placementOf(bucket, name).map(Placement::id).orElse("none"))
        .increment();
  }

  @Override
  public void breakerStateChanged(String site, String from, String to) {
    transitions.withTags("site", site, "from", from, "to", to).increment();
  }

  @Override
  public void journalAppended(int entries, int depth) {
    journalAppends.increment(entries);
  }

  /** The last lag reported per placement and site, as a gauge registered at the first report. */
  @Override
  public void syncLag(String placement, String site, Duration lag) {
    syncLagNanos.computeIfAbsent(placement + "\u0000" + site, k -> {
      AtomicLong value = new AtomicLong();
      TimeGauge.builder(MetricNames.SYNC_LAG, value, TimeUnit.NANOSECONDS, AtomicLong::doubleValue)
          .description("how far the site lags behind the placement's change feed (last report)")
          .tags("placement", placement, "site", site).strongReference(true).register(registry);
      return value;
    }).set(lag.toNanos());
  }

  /** The placement of {@code bucket/object}; none for the router's own watermark bucket (its traffic, not a caller's). */
  private Optional<Placement> placementOf(@Nullable String bucket, @Nullable String object) {
    if (bucket == null || bucket.equals(watermarkBucket)) {
      return Optional.empty();
    }
    return router.options().placementFor(bucket, object == null ? "" : object);
  }

  private static String value(@Nullable String s) {
    return s == null ? "none" : s;
  }

  @Override
  public String toString() {
    return "MetricsListener(" + registry.getClass().getSimpleName() + ")";
  }
}
