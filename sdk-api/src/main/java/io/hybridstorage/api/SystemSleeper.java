package io.hybridstorage.api;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** {@link Sleeper#system()}: an enum for a readable {@code toString} and a singleton. */
enum SystemSleeper implements Sleeper {
  INSTANCE;

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (duration.isNegative() || duration.isZero()) {
      return;
    }
    long nanos;
    try {
      nanos = duration.toNanos();
    } catch (ArithmeticException e) {
      nanos = Long.MAX_VALUE;
    }
    TimeUnit.NANOSECONDS.sleep(nanos);
  }

  @Override
  public String toString() {
    return "Sleeper.system()";
  }
}
