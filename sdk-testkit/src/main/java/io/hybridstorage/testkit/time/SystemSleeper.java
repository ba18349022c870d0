package io.hybridstorage.testkit.time;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

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
