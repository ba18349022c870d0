package io.hybridstorage.testkit.fault;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * A distribution of delays. {@link #sample} draws from the random source the fault injector gives
 * it, derived from the seed and the call's sequence number, so a seeded run replays the same
 * delays.
 */
@FunctionalInterface
public interface Latency {

  /** One delay; never negative. */
  Duration sample(RandomGenerator random);

  /** Always {@code delay}. */
  static Latency fixed(Duration delay) {
    requireNonNegative(delay, "delay");
    return new FixedLatency(delay);
  }

  /** Uniform in {@code [min, max]}. */
  static Latency uniform(Duration min, Duration max) {
    requireNonNegative(min, "min");
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException("max (" + max + ") must be >= min (" + min + ")");
    }
    long span = max.minus(min).toNanos();
    return new Latency() {
      @Override
      public Duration sample(RandomGenerator random) {
        return span == 0 ? min : min.plusNanos(random.nextLong(span + 1));
      }

      @Override
      public String toString() {
        return "uniform(" + min + ", " + max + ")";
      }
    };
  }

  /**
   * Exponential with the given mean, capped at {@code max}: many short delays and a long tail, as
   * network round trips have.
   */
  static Latency exponential(Duration mean, Duration max) {
    requireNonNegative(mean, "mean");
    requireNonNegative(max, "max");
    double meanNanos = mean.toNanos();
    long maxNanos = max.toNanos();
    return new Latency() {
      @Override
      public Duration sample(RandomGenerator random) {
        double nanos = random.nextExponential() * meanNanos;
        return Duration.ofNanos((long) Math.min(nanos, maxNanos));
      }

      @Override
      public String toString() {
        return "exponential(mean " + mean + ", max " + max + ")";
      }
    };
  }

  /** Equal when the delays are; the call log holds these, resolved from any distribution. */
  record FixedLatency(Duration delay) implements Latency {
    @Override
    public Duration sample(RandomGenerator random) {
      return delay;
    }

    @Override
    public String toString() {
      return delay.toString();
    }
  }

  private static void requireNonNegative(Duration value, String name) {
    requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " (" + value + ") must not be negative");
    }
  }
}
