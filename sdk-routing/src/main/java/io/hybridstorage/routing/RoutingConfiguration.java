package io.hybridstorage.routing;

import io.hybridstorage.api.ConfigSection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the configuration file's {@code routing:} section into {@link RoutingSettings}: one key per
 * tunable field, named as the field, every key optional (absent: the base value). Every problem is
 * collected and reported at once; each names the key, the value as written and what is allowed.
 * {@link RoutingSettings#ownsSites()} is not a key: a router built from configuration always owns
 * the stores it is given.
 */
final class RoutingConfiguration {

  /** The keys, in the order of {@link RoutingSettings}' fields: those {@link #apply} reads. */
  static final List<String> KEYS = List.copyOf(new RoutingConfiguration(ConfigSection.empty("routing"))
      .read(RoutingSettings.defaults()).keys);

  private static final String DURATION = "(250ms, 1.5s, 5m or ISO-8601)";

  private final ConfigSection section;
  private final List<String> keys = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private RoutingSettings result;

  private RoutingConfiguration(ConfigSection section) {
    this.section = section;
  }

  /**
   * {@code base} with each field the section sets replaced.
   *
   * @throws io.hybridstorage.api.HybridStorageConfigException naming the section's origin and
   *     listing every unknown key and bad value
   */
  static RoutingSettings apply(RoutingSettings base, ConfigSection section) {
    RoutingConfiguration reader = new RoutingConfiguration(section).read(base);
    List<String> all = new ArrayList<>(section.unknownKeys(KEYS));
    all.addAll(reader.problems);
    section.requireNoProblems(all);
    return reader.result;
  }

  private RoutingConfiguration read(RoutingSettings base) {
    Duration callTimeout = duration("callTimeout", base.callTimeout(), Duration.ZERO,
        "a duration, 0s to disable the time limit " + DURATION);
    int retryAttempts = whole("retryAttempts", base.retryAttempts(), 1, " (1: no retry)");
    Duration retryWait = duration("retryWait", base.retryWait(), Duration.ZERO, "a duration " + DURATION);
    int breakerWindow = whole("breakerWindow", base.breakerWindow(), 1, " (calls)");
    int breakerMinimumCalls = whole("breakerMinimumCalls", base.breakerMinimumCalls(), 1, " (calls)");
    float breakerFailureRate = percentage("breakerFailureRate", base.breakerFailureRate());
    Duration breakerOpenWait = duration("breakerOpenWait", base.breakerOpenWait(), Duration.ofMillis(1),
        "a duration of at least 1ms " + DURATION);
    int bulkheadMaxConcurrent = whole("bulkheadMaxConcurrent", base.bulkheadMaxConcurrent(), 1, " (calls per site)");
    Duration bulkheadMaxWait = duration("bulkheadMaxWait", base.bulkheadMaxWait(), Duration.ZERO,
        "a duration, 0s not to wait " + DURATION);
    int teeBufferBytes = bytes("teeBufferBytes", base.teeBufferBytes());
    boolean parallelTee = flag("parallelTee", base.parallelTee());
    int journalBatchMax = whole("journalBatchMax", base.journalBatchMax(), 1, " (entries per group commit)");
    Duration replayInterval = duration("replayInterval", base.replayInterval(), Duration.ofNanos(1),
        "a duration greater than 0 " + DURATION);
    int replayThreads = whole("replayThreads", base.replayThreads(), 1, " (replay lanes)");
    int sessionCapacity = whole("sessionCapacity", base.sessionCapacity(), 1, " (objects remembered)");
    Duration watermarkInterval = duration("watermarkInterval", base.watermarkInterval(), Duration.ofNanos(1),
        "a duration greater than 0 " + DURATION);
    String watermarkBucket = bucket("watermarkBucket", base.watermarkBucket());
    Duration repairHorizon = duration("repairHorizon", base.repairHorizon(), Duration.ZERO,
        "a duration, 0s to repair copies of any age " + DURATION);
    if (problems.isEmpty()) {
      result = new RoutingSettings(callTimeout, retryAttempts, retryWait, breakerWindow, breakerMinimumCalls,
          breakerFailureRate, breakerOpenWait, bulkheadMaxConcurrent, bulkheadMaxWait, teeBufferBytes, parallelTee,
          journalBatchMax, replayInterval, replayThreads, sessionCapacity, watermarkInterval, watermarkBucket,
          base.ownsSites(), repairHorizon);
    }
    return this;
  }

  private int whole(String key, int base, int min, String unit) {
    keys.add(key);
    try {
      int value = section.wholeNumber(key, base);
      if (value >= min) {
        return value;
      }
    } catch (IllegalArgumentException e) {
      // reported below, with the allowed range
    }
    problems.add(section.mustBe(key, "a whole number >= " + min + unit));
    return base;
  }

  private Duration duration(String key, Duration base, Duration min, String allowed) {
    keys.add(key);
    try {
      Duration value = section.duration(key, base);
      if (value.compareTo(min) >= 0) {
        return value;
      }
    } catch (IllegalArgumentException e) {
      // reported below, with the allowed range
    }
    problems.add(section.mustBe(key, allowed));
    return base;
  }

  private String bucket(String key, String base) {
    keys.add(key);
    String value = section.text(key, base);
    String problem = RoutingSettings.bucketProblem(value);
    if (problem == null) {
      return value;
    }
    problems.add(section.mustBe(key, "a bucket name (" + problem + ")"));
    return base;
  }

  private int bytes(String key, int base) {
    keys.add(key);
    try {
      long value = section.size(key, base);
      if (value <= Integer.MAX_VALUE) {
        return (int) value;
      }
    } catch (IllegalArgumentException e) {
      // reported below, with the allowed range
    }
    problems.add(section.mustBe(key, "a size from 0 to " + Integer.MAX_VALUE + " bytes (bytes, or with KiB, "
        + "MiB, GiB; e.g. 8MiB)"));
    return base;
  }

  private float percentage(String key, float base) {
    keys.add(key);
    try {
      double value = section.decimal(key, base);
      if (value > 0 && value <= 100) {
        return (float) value;
      }
    } catch (IllegalArgumentException e) {
      // reported below, with the allowed range
    }
    problems.add(section.mustBe(key, "a percentage greater than 0 and at most 100, e.g. 50"));
    return base;
  }

  private boolean flag(String key, boolean base) {
    keys.add(key);
    try {
      return section.flag(key, base);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return base;
    }
  }
}
