package io.hybridstorage.routing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Tuning of a {@link RoutingStore} that is not part of the placement model: per-site resilience
 * (time limit, retries, circuit breaker, bulkhead), the write tee, the replication journal and
 * the session memory. Immutable; start from {@link #defaults()} and change with the {@code with}
 * methods, each of which returns a copy with only its own fields changed. Impossible values fail
 * at construction with {@link IllegalArgumentException} naming the field and value.
 *
 * <p>Pass them to {@link RoutingStore#create(java.util.Map, io.hybridstorage.api.HybridStorageOptions,
 * RoutingSettings)}. A router built from options ({@code HybridStorageOptions.getService()}, or
 * {@link RoutingStore#create(java.util.Map, io.hybridstorage.api.HybridStorageOptions)}) uses
 * {@link #defaults()} changed by the options' {@code routing} section ({@link
 * #withConfiguration}): the configuration file's
 *
 * <pre>
 * routing: {callTimeout: 10s, retryAttempts: 4, retryWait: 200ms, breakerFailureRate: 50,
 *           breakerOpenWait: 30s, bulkheadMaxConcurrent: 64, bulkheadMaxWait: 100ms,
 *           teeBufferBytes: 8MiB, sessionCapacity: 100000, repairHorizon: 10m}
 * </pre>
 *
 * Each key is the name of a field below, except {@code ownsSites}; durations as elsewhere in the
 * file ({@code 250ms}, {@code 1.5s}, ISO-8601), {@code teeBufferBytes} as a size ({@code 8MiB}).
 *
 * @param callTimeout time limit of one call to a site: a metadata call, opening a read or a write,
 *     a commit (waiting for a bulkhead permit included); a time-out while the site answered no
 *     other call opens its breaker at once (the site is silent). Bodies are not limited: a read's stream,
 *     a write's bytes and a whole-stream replica copy take as long as their bytes take (the
 *     backend's socket time-outs bound them). {@link Duration#ZERO} disables the time limiter
 *     (and its thread hop); a call that times out fails with 503 {@code timeout}
 * @param retryAttempts attempts of an idempotent call (1 = no retry); only reads, heads, lists and
 *     writes/deletes guarded by a generation precondition are retried (the GCS client's rule)
 * @param retryWait wait between attempts
 * @param breakerWindow calls in the circuit breaker's count-based sliding window
 * @param breakerMinimumCalls calls before the breaker computes a failure rate
 * @param breakerFailureRate failure percentage (0-100) that opens the breaker
 * @param breakerOpenWait how long an open breaker rejects calls before it lets trial calls through
 * @param bulkheadMaxConcurrent calls in flight to one site at once (each site has its own
 *     bulkhead; a write's open and its commit are separate calls, its bytes are not calls). A call
 *     the time limiter abandoned keeps its permit until the site answers, so a hung site ties up at
 *     most this many routing threads
 * @param bulkheadMaxWait how long a call waits for a permit when all are taken (zero: not at all);
 *     then it fails with 503 {@code bulkheadFull}, retryable, naming the site. Idempotent calls
 *     are retried per {@code retryAttempts}; a full bulkhead does not count against the site's
 *     circuit breaker
 * @param teeBufferBytes when the primary site cannot take a caller-assigned generation: how many
 *     bytes of a body are kept to write the synchronous replicas after the primary committed;
 *     larger bodies are read back from the primary instead
 * @param parallelTee stream a body to every synchronous site at once with a pre-assigned
 *     generation (when every such site supports it); {@code false} always writes the primary
 *     first, then the replicas (the alternative measured in the benchmarks)
 * @param journalBatchMax most entries in one group commit (one fsync)
 * @param replayInterval how often the journal replays pending entries to healthy sites
 * @param replayThreads parallel replay lanes (entries of one object stay in one lane, in order)
 * @param sessionCapacity objects whose last change this router remembers for SESSION
 *     read-your-writes; beyond it the least recently used is forgotten, and a read of a forgotten
 *     object may again be served by a replica that lags (as for another session). Memory: one
 *     small entry per object
 * @param ownsSites whether closing the router closes the site stores
 * @param repairHorizon how old a copy must be (by the options' clock, against its update time)
 *     before {@link RoutingStore#repair} may delete, replace or roll it forward: a younger copy
 *     may be a write still on its way to the authority (another router's journal, a commit in
 *     flight) and is reported {@link Difference.Kind#PENDING}, untouched. Longer than the longest
 *     a write may take to reach the authority (a partition the journals ride out included); zero
 *     acts on every copy at once
 */
public record RoutingSettings(
    Duration callTimeout,
    int retryAttempts,
    Duration retryWait,
    int breakerWindow,
    int breakerMinimumCalls,
    float breakerFailureRate,
    Duration breakerOpenWait,
    int bulkheadMaxConcurrent,
    Duration bulkheadMaxWait,
    int teeBufferBytes,
    boolean parallelTee,
    int journalBatchMax,
    Duration replayInterval,
    int replayThreads,
    int sessionCapacity,
    Duration watermarkInterval,
    String watermarkBucket,
    boolean ownsSites,
    Duration repairHorizon) {

  public RoutingSettings {
    requireNonNull(callTimeout, "callTimeout");
    requireNonNull(retryWait, "retryWait");
    requireNonNull(breakerOpenWait, "breakerOpenWait");
    requireNonNull(bulkheadMaxWait, "bulkheadMaxWait");
    requireNonNull(replayInterval, "replayInterval");
    requireNonNull(watermarkInterval, "watermarkInterval");
    requireNonNull(watermarkBucket, "watermarkBucket");
    requireNonNull(repairHorizon, "repairHorizon");
    check(!callTimeout.isNegative(), "callTimeout (" + callTimeout + ") must not be negative");
    check(!retryWait.isNegative(), "retryWait (" + retryWait + ") must not be negative");
    check(breakerOpenWait.toMillis() >= 1, "breakerOpenWait (" + breakerOpenWait + ") must be at least 1 ms");
    check(!bulkheadMaxWait.isNegative(), "bulkheadMaxWait (" + bulkheadMaxWait + ") must not be negative");
    check(retryAttempts >= 1, "retryAttempts (" + retryAttempts + ") must be >= 1");
    check(breakerWindow >= 1, "breakerWindow (" + breakerWindow + ") must be >= 1");
    check(breakerMinimumCalls >= 1, "breakerMinimumCalls (" + breakerMinimumCalls + ") must be >= 1");
    check(breakerFailureRate > 0 && breakerFailureRate <= 100,
        "breakerFailureRate (" + breakerFailureRate + ") must be in (0, 100]");
    check(bulkheadMaxConcurrent >= 1, "bulkheadMaxConcurrent (" + bulkheadMaxConcurrent + ") must be >= 1");
    check(teeBufferBytes >= 0, "teeBufferBytes (" + teeBufferBytes + ") must be >= 0");
    check(journalBatchMax >= 1, "journalBatchMax (" + journalBatchMax + ") must be >= 1");
    check(!replayInterval.isNegative() && !replayInterval.isZero(), "replayInterval (" + replayInterval
        + ") must be positive");
    check(replayThreads >= 1, "replayThreads (" + replayThreads + ") must be >= 1");
    check(sessionCapacity >= 1, "sessionCapacity (" + sessionCapacity + ") must be >= 1");
    check(!watermarkInterval.isNegative() && !watermarkInterval.isZero(), "watermarkInterval (" + watermarkInterval
        + ") must be positive");
    String bucketProblem = bucketProblem(watermarkBucket);
    check(bucketProblem == null, "watermarkBucket ('" + watermarkBucket + "') is not a valid bucket name: "
        + bucketProblem);
    check(!repairHorizon.isNegative(), "repairHorizon (" + repairHorizon + ") must not be negative");
  }

  /** Why {@code bucket} is not a valid bucket name, or null when it is. */
  static String bucketProblem(String bucket) {
    try {
      io.hybridstorage.api.Names.checkBucket("watermarkBucket", bucket, null);
      return null;
    } catch (io.hybridstorage.api.HybridStorageException e) {
      String message = String.valueOf(e.getMessage());
      int colon = message.lastIndexOf(": ");
      return colon < 0 ? message : message.substring(colon + 2);
    }
  }

  /** Settings with {@link #DEFAULT_REPAIR_HORIZON} (the fields before {@code repairHorizon} existed). */
  public RoutingSettings(Duration callTimeout, int retryAttempts, Duration retryWait, int breakerWindow,
      int breakerMinimumCalls, float breakerFailureRate, Duration breakerOpenWait, int bulkheadMaxConcurrent,
      Duration bulkheadMaxWait, int teeBufferBytes, boolean parallelTee, int journalBatchMax, Duration replayInterval,
      int replayThreads, int sessionCapacity, boolean ownsSites) {
    this(callTimeout, retryAttempts, retryWait, breakerWindow, breakerMinimumCalls, breakerFailureRate,
        breakerOpenWait, bulkheadMaxConcurrent, bulkheadMaxWait, teeBufferBytes, parallelTee, journalBatchMax,
        replayInterval, replayThreads, sessionCapacity, Duration.ofSeconds(1), "hybrid-storage-meta", ownsSites,
        DEFAULT_REPAIR_HORIZON);
  }

  /**
   * {@link #callTimeout()} of {@link #defaults()}: 4 s. A site that answers nothing (a cut link, a
   * datacenter gone) costs one call this long before its breaker opens and the router fails over
   * (reads to another replica, writes degraded or journaled), so it bounds the time to recover —
   * below the breaker's 5 s open wait, the goal of issue 11. Far above a healthy site's slowest
   * call (a commit after the last byte, a cross-datacenter round trip of 30+ ms); raise it for a
   * backend whose commits can take longer (S3 multipart completions of very many parts).
   */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(4);

  /** {@link #repairHorizon()} of {@link #defaults()}: 10 minutes. */
  public static final Duration DEFAULT_REPAIR_HORIZON = Duration.ofMinutes(10);

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * 4 s time limit ({@link #DEFAULT_CALL_TIMEOUT}), 3 attempts 50 ms apart, breaker 50 % of 20 calls (min 10) for 5 s, 64
   * concurrent calls per site, 8 MiB tee buffer, parallel tee, group commits of up to 512 entries,
   * replay every 200 ms in 8 lanes, 100,000 objects of session memory, replication watermarks every
   * second in bucket {@code hybrid-storage-meta}, sites owned, a repair horizon of 10 minutes.
   */
  public static RoutingSettings defaults() {
    return new RoutingSettings(DEFAULT_CALL_TIMEOUT, 3, Duration.ofMillis(50), 20, 10, 50f,
        Duration.ofSeconds(5), 64, Duration.ofSeconds(1), 8 << 20, true, 512, Duration.ofMillis(200), 8,
        100_000, Duration.ofSeconds(1), "hybrid-storage-meta", true,
        DEFAULT_REPAIR_HORIZON);
  }

  /**
   * These settings with each field that {@code section} sets replaced: the keys are the field
   * names ({@code callTimeout}, {@code retryAttempts}, {@code retryWait}, {@code breakerWindow},
   * {@code breakerMinimumCalls}, {@code breakerFailureRate}, {@code breakerOpenWait}, {@code
   * bulkheadMaxConcurrent}, {@code bulkheadMaxWait}, {@code teeBufferBytes}, {@code parallelTee},
   * {@code journalBatchMax}, {@code replayInterval}, {@code replayThreads}, {@code
   * sessionCapacity}, {@code watermarkInterval}, {@code watermarkBucket}, {@code repairHorizon}); {@code ownsSites} is not
   * configurable. An empty section changes nothing.
   *
   * @throws io.hybridstorage.api.HybridStorageConfigException (an {@link IllegalArgumentException})
   *     naming where the section came from (the file) and listing every unknown key (with the
   *     valid ones) and every bad value (with what is allowed)
   */
  public RoutingSettings withConfiguration(io.hybridstorage.api.ConfigSection section) {
    return RoutingConfiguration.apply(this, section);
  }

  /** {@link #callTimeout()}. */
  public RoutingSettings withCallTimeout(Duration value) {
    return new RoutingSettings(value, retryAttempts, retryWait, breakerWindow, breakerMinimumCalls,
        breakerFailureRate, breakerOpenWait, bulkheadMaxConcurrent, bulkheadMaxWait, teeBufferBytes, parallelTee,
        journalBatchMax, replayInterval, replayThreads, sessionCapacity, watermarkInterval, watermarkBucket, ownsSites,
        repairHorizon);
  }

  /** {@link #retryAttempts()} and {@link #retryWait()}. */
  public RoutingSettings withRetry(int attempts, Duration wait) {
    return new RoutingSettings(callTimeout, attempts, wait, breakerWindow, breakerMinimumCalls,
        breakerFailureRate, breakerOpenWait, bulkheadMaxConcurrent, bulkheadMaxWait, teeBufferBytes, parallelTee,
        journalBatchMax, replayInterval, replayThreads, sessionCapacity, watermarkInterval, watermarkBucket, ownsSites,
        repairHorizon);
  }

  /**
   * The circuit breaker: {@link #breakerWindow()}, {@link #breakerMinimumCalls()}, {@link
   * #breakerFailureRate()}, {@link #breakerOpenWait()}.
   */
  public RoutingSettings withBreaker(int window, int minimumCalls, float failureRate, Duration openWait) {
    return new RoutingSettings(callTimeout, retryAttempts, retryWait, window, minimumCalls, failureRate, openWait,
        bulkheadMaxConcurrent, bulkheadMaxWait, teeBufferBytes, parallelTee, journalBatchMax, replayInterval,
        replayThreads, sessionCapacity, watermarkInterval, watermarkBucket, ownsSites,
        repairHorizon);
  }

  /** Per-site bulkhead: {@link #bulkheadMaxConcurrent()} and {@link #bulkheadMaxWait()}. */
  public RoutingSettings withBulkhead(int maxConcurrent, Duration maxWait) {
    return new RoutingSettings(callTimeout, retryAttempts, retryWait, breakerWindow, breakerMinimumCalls,
        breakerFailureRate, breakerOpenWait, maxConcurrent, maxWait, teeBufferBytes, parallelTee, journalBatchMax,
        replayInterval, replayThreads, sessionCapacity, watermarkInterval, watermarkBucket, ownsSites,
        repairHorizon);
  }

  /** {@link #teeBufferBytes()} and {@link #parallelTee()}. */
  public RoutingSettings withTee(int bufferBytes, boolean parallel) {
    return new RoutingSettings(callTimeout, retryAttempts, retryWait, breakerWindow, breakerMinimumCalls,
        breakerFailureRate, breakerOpenWait, bulkheadMaxConcurrent, bulkheadMaxWait, bufferBytes, parallel,
        journalBatchMax, replayInterval, replayThreads, sessionCapacity, watermarkInterval, watermarkBucket, ownsSites,
        repairHorizon);
  }

  /** {@link #journalBatchMax()}, {@link #replayInterval()} and {@link #replayThreads()}. */
  public RoutingSettings withJournal(int batchMax, Duration interval, int threads) {
    return new RoutingSettings(callTimeout, retryAttempts, retryWait, breakerWindow, breakerMinimumCalls,
        breakerFailureRate, breakerOpenWait, bulkheadMaxConcurrent, bulkheadMaxWait, teeBufferBytes, parallelTee,
        batchMax, interval, threads, sessionCapacity, watermarkInterval, watermarkBucket, ownsSites,
        repairHorizon);
  }

  /** {@link #sessionCapacity()}: how many objects SESSION read-your-writes remembers. */
  public RoutingSettings withSessionCapacity(int value) {
    return new RoutingSettings(callTimeout, retryAttempts, retryWait, breakerWindow, breakerMinimumCalls,
        breakerFailureRate, breakerOpenWait, bulkheadMaxConcurrent, bulkheadMaxWait, teeBufferBytes, parallelTee,
        journalBatchMax, replayInterval, replayThreads, value, watermarkInterval, watermarkBucket, ownsSites,
        repairHorizon);
  }

  /** {@link #watermarkInterval()} and {@link #watermarkBucket()}: replication watermarks for EVENTUAL reads. */
  public RoutingSettings withWatermarks(Duration interval, String bucket) {
    return new RoutingSettings(callTimeout, retryAttempts, retryWait, breakerWindow, breakerMinimumCalls,
        breakerFailureRate, breakerOpenWait, bulkheadMaxConcurrent, bulkheadMaxWait, teeBufferBytes, parallelTee,
        journalBatchMax, replayInterval, replayThreads, sessionCapacity, interval, bucket, ownsSites, repairHorizon);
  }

  /** {@link #repairHorizon()}: how old a copy must be before repair acts on it. */
  public RoutingSettings withRepairHorizon(Duration value) {
    return new RoutingSettings(callTimeout, retryAttempts, retryWait, breakerWindow, breakerMinimumCalls,
        breakerFailureRate, breakerOpenWait, bulkheadMaxConcurrent, bulkheadMaxWait, teeBufferBytes, parallelTee,
        journalBatchMax, replayInterval, replayThreads, sessionCapacity, watermarkInterval, watermarkBucket, ownsSites,
        value);
  }

  /** {@link #ownsSites()}. */
  public RoutingSettings withOwnsSites(boolean value) {
    return new RoutingSettings(callTimeout, retryAttempts, retryWait, breakerWindow, breakerMinimumCalls,
        breakerFailureRate, breakerOpenWait, bulkheadMaxConcurrent, bulkheadMaxWait, teeBufferBytes, parallelTee,
        journalBatchMax, replayInterval, replayThreads, sessionCapacity, watermarkInterval, watermarkBucket, value,
        repairHorizon);
  }
}
