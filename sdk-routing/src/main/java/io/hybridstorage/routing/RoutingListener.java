package io.hybridstorage.routing;

/**
 * Events of a {@link RoutingStore}, for metrics and logs outside the core (a Micrometer binder
 * lives outside this module). Callbacks run on routing threads: they must be fast and must not
 * throw (an exception is logged and ignored). Every method has an empty default.
 */
public interface RoutingListener {

  /** Entries became durable in the journal (one group commit). */
  default void journalAppended(int entries, int depth) {}

  /** A journal entry was replayed to {@code site}; {@code skipped} when superseded or already there. */
  default void replayed(String site, String bucket, String name, long generation, boolean skipped) {}

  /** A replay attempt failed and will be retried. */
  default void replayFailed(String site, String bucket, String name, long generation, int attempt, Throwable error) {}

  /** A site's circuit breaker changed state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN} …). */
  default void breakerStateChanged(String site, String from, String to) {}
}
