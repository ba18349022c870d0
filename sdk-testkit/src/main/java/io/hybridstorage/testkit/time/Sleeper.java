package io.hybridstorage.testkit.time;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How code waits. Injected wherever code would call {@link Thread#sleep}, so a test can swap real
 * waiting for virtual time ({@link VirtualClock#sleeper()}, {@link
 * VirtualClock#advancingSleeper()}).
 *
 * <p>It is the SDK's {@link io.hybridstorage.api.Sleeper}, so a virtual clock and its sleeper run
 * the router too: {@code HybridStorageOptions.newBuilder().clock(clock).sleeper(clock.sleeper())}.
 *
 * <p>Implementations are thread-safe. A zero or negative duration returns at once.
 */
@FunctionalInterface
public interface Sleeper extends io.hybridstorage.api.Sleeper {

  /**
   * Waits for {@code duration}.
   *
   * @throws InterruptedException when the waiting thread is interrupted (its flag is cleared, as
   *     {@link Thread#sleep} does)
   */
  @Override
  void sleep(Duration duration) throws InterruptedException;

  /** Real time: {@link TimeUnit#sleep}. */
  static Sleeper system() {
    return SystemSleeper.INSTANCE;
  }
}
