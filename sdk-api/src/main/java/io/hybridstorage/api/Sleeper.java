package io.hybridstorage.api;

import java.time.Duration;

/**
 * How the router waits: between retries, between drain passes, before a hedged read's second
 * request, between journal replay passes. The waiting half of {@link HybridStorageOptions#clock()}:
 * the two are injected together, so a test that runs the router on virtual time (the testkit's
 * {@code VirtualClock} and its {@code sleeper()}) never sleeps in real time.
 *
 * <p>The router waits through it in its own threads too (replay, hedging), so it must wait for time
 * to pass, not move time itself: a sleeper that advances a virtual clock by the duration asked
 * (the testkit's {@code advancingSleeper()}) would let those threads run the clock forward.
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

  /** Real time ({@link java.util.concurrent.TimeUnit#sleep}); the default of {@link HybridStorageOptions}. */
  static Sleeper system() {
    return SystemSleeper.INSTANCE;
  }
}
