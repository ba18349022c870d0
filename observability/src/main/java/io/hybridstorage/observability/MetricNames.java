package io.hybridstorage.observability;

/**
 * The names of the meters {@link HybridObservability} registers, all under {@code hybrid.storage.}
 * (Micrometer renders them per backend: {@code hybrid_storage_site_calls_seconds} in Prometheus).
 * Tags are listed per meter; {@code placement} is a placement's id ({@code bucket} or {@code
 * bucket/prefix}, {@code none} when no placement covers the name) and {@code policy} the write
 * policy of a change or the read policy of a read.
 */
public final class MetricNames {

  private MetricNames() {}

  /** Timer, p50/p99: one site call, retries included. Tags site, operation, placement, policy. */
  public static final String SITE_CALLS = "hybrid.storage.site.calls";
  /** Counter: failed site calls. Tags site, operation, placement, policy, code, reason. */
  public static final String SITE_ERRORS = "hybrid.storage.site.errors";
  /** Counter (bytes): bytes written into a site. Tags site, operation, placement, policy. */
  public static final String BYTES_IN = "hybrid.storage.site.bytes.in";
  /** Counter (bytes): bytes a site served (read ranges as opened). Tags site, operation, placement, policy. */
  public static final String BYTES_OUT = "hybrid.storage.site.bytes.out";
  /** Counter: repeats of idempotent site calls. Tags site, operation. */
  public static final String SITE_RETRIES = "hybrid.storage.site.retries";
  /** Timer, p50/p99: a call of the router's caller. Tags operation, placement, policy. */
  public static final String CALLS = "hybrid.storage.calls";
  /** Counter: failed routed calls. Tags operation, placement, policy, code, reason. */
  public static final String ERRORS = "hybrid.storage.errors";
  /** Gauge: 1 for a site's current circuit breaker state, 0 for the others. Tags site, state. */
  public static final String BREAKER_STATE = "hybrid.storage.breaker.state";
  /** Counter: circuit breaker transitions. Tags site, from, to. */
  public static final String BREAKER_TRANSITIONS = "hybrid.storage.breaker.transitions";
  /** Gauge (0..1): calls in flight at a site over its bulkhead's limit. Tag site. */
  public static final String BULKHEAD_SATURATION = "hybrid.storage.bulkhead.saturation";
  /** Gauge: pending journal entries towards a site. Tag site. */
  public static final String JOURNAL_DEPTH = "hybrid.storage.journal.depth";
  /** Time gauge: age of the oldest pending journal entry towards a site. Tag site. */
  public static final String JOURNAL_AGE = "hybrid.storage.journal.oldest.age";
  /** Counter: replica changes made durable in the journal. */
  public static final String JOURNAL_APPENDS = "hybrid.storage.journal.appends";
  /** Timer, p50/p99: replication lag of replayed entries (append to replay). Tags site, placement. */
  public static final String REPLICATION_LAG = "hybrid.storage.replication.lag";
  /** Counter: replayed journal entries. Tags site, placement, outcome (replayed, skipped, failed). */
  public static final String REPLAYS = "hybrid.storage.replays";
  /** Counter: LOCAL_THEN_ASYNC conflicts (last writer won). Tags site, placement. */
  public static final String CONFLICTS = "hybrid.storage.replication.conflicts";
  /** Time gauge: the last sync lag reported ({@code RoutingStore#reportSyncLag}). Tags placement, site. */
  public static final String SYNC_LAG = "hybrid.storage.sync.lag";
}
