package io.hybridstorage.testkit.time;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How code waits. Injected wherever code would call {@link Thread#sleep}, so a test can swap real
 * waiting for virtual time ({@link VirtualClock#sleeper()}, {@link
 * VirtualClock#advancingSleeper()}).
 *
 * <p>Implementations are thread-safe. A zero or negative duration returns at once.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Waits for {@code duration}.
   *
   * @throws InterruptedException when the waiting thread is interrupted (its flag is cleared, as
   *     {@link Thread#sleep} does)
   */
  void sleep(Duration duration) throws InterruptedException;

  /** Real time: {@link TimeUnit#sleep}. */
  static Sleeper system() {
    return SystemSleeper.INSTANCE;
  }
}

/** The real sleeper; an enum for a readable {@code toString} and a singleton. */
enum SystemSleeper implements Sleeper {
  INSTANCE;

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (duration.isNegative() || duration.isZero()) {
      return;
    }
    TimeUnit.NANOSECONDS.sleep(saturatedNanos(duration));
  }

  static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  @Override
  public String toString() {
    return "Sleeper.system()";
  }
}
