package io.hybridstorage.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sync's lag, per rule and site, as a number: recorded by the engine for every applied change
 * (change time at the source → applied), read as {@link Lag} percentiles. Thread-safe; recording
 * is a few array writes under a per-site lock.
 */
public final class Staleness {

  /** How many recent lags each rule and site keeps for its percentiles. */
  public static final int WINDOW = 8192;

  private final Map<String, Ring> rings = new ConcurrentHashMap<>();

  /** Records one applied change. A negative lag (clocks apart) counts as zero. */
  public void record(String rule, String site, Duration lag) {
    long micros = Math.max(0, lag.toNanos() / 1000);
    rings.computeIfAbsent(rule + "\n" + site, k -> new Ring(rule, site)).add(micros);
  }

  /** Every rule and site measured so far. */
  public List<Lag> snapshot() {
    List<Lag> out = new ArrayList<>();
    for (Ring r : rings.values()) {
      out.add(r.lag());
    }
    out.sort((a, b) -> (a.rule() + a.site()).compareTo(b.rule() + b.site()));
    return out;
  }

  /** One rule's lag at one site, if measured. */
  public java.util.Optional<Lag> of(String rule, String site) {
    Ring r = rings.get(rule + "\n" + site);
    return r == null ? java.util.Optional.empty() : java.util.Optional.of(r.lag());
  }

  private static final class Ring {
    private final String rule;
    private final String site;
    private final long[] values = new long[WINDOW];
    private long count;
    private long max;

    Ring(String rule, String site) {
      this.rule = rule;
      this.site = site;
    }

    synchronized void add(long micros) {
      values[(int) (count % WINDOW)] = micros;
      count++;
      max = Math.max(max, micros);
    }

    synchronized Lag lag() {
      int n = (int) Math.min(count, WINDOW);
      long[] sorted = Arrays.copyOf(values, n);
      Arrays.sort(sorted);
      return new Lag(rule, site, count, at(sorted, 0.50), at(sorted, 0.99), Duration.ofNanos(max * 1000));
    }

    private static Duration at(long[] sorted, double q) {
      if (sorted.length == 0) {
        return Duration.ZERO;
      }
      int i = (int) Math.ceil(q * sorted.length) - 1;
      return Duration.ofNanos(sorted[Math.max(0, Math.min(sorted.length - 1, i))] * 1000);
    }
  }
}
