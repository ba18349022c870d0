package io.hybridstorage.sync;

import io.hybridstorage.routing.Reconciled;
import java.time.Duration;

/**
 * Events of a {@link SyncEngine}, for metrics and logs (the observability module binds them to
 * Micrometer). Called on the worker thread that applied the change: fast, non-blocking; one that
 * throws is logged and ignored. Every method has an empty default.
 */
public interface SyncListener {

  /**
   * A change of {@code bucket/name} was applied at {@code site} for {@code rule}: {@code outcome}
   * says what it took, {@code lag} how long after the change's time at its source.
   */
  default void applied(String rule, String site, String bucket, String name, Reconciled outcome, Duration lag) {}

  /** An object that left {@code rule}'s window was removed from {@code site} (the authority keeps it). */
  default void evicted(String rule, String site, String bucket, String name, long generation) {}

  /**
   * An object written at {@code site} outside the SDK (no generation) was written through the router, so
   * that its placement's authority assigned it generation {@code generation}.
   */
  default void ingested(String rule, String site, String bucket, String name, long generation) {}

  /** Applying a change failed (a site down, …); it stays queued and is retried. */
  default void failed(String rule, String bucket, String name, int attempt, Throwable error) {}
}
