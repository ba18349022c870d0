package io.hybridstorage.sync;

import java.time.Duration;

/**
 * How stale one site is for one hot-set rule: the lag from a change's time at its source to the
 * moment the sync applied it there, over the most recent applies ({@link Staleness#WINDOW} at most),
 * and the age of the oldest change still waiting.
 *
 * @param rule the rule's id
 * @param site the site
 * @param count applies measured since the sync started
 * @param p50 median lag of the recent applies
 * @param p99 99th percentile lag of the recent applies
 * @param max the largest lag since the sync started
 */
public record Lag(String rule, String site, long count, Duration p50, Duration p99, Duration max) {}
