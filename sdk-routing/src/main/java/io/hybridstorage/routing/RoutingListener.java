package io.hybridstorage.routing;

import java.time.Duration;
import javax.annotation.Nullable;

/**
 * Events of a {@link RoutingStore}, for metrics and logs outside the core (a Micrometer binder
 * lives outside this module); register with {@link RoutingStore#addListener}. Callbacks run on the
 * thread where the event happened — the journal's committer, a replay lane, or the caller whose
 * call moved a circuit breaker (a breaker half-opens with the first call after its open wait, on
 * the options' clock) — so they must be fast and must not block. One that throws is logged and
 * ignored. Every method has an empty default.
 *
 * <p>The call events ({@link #siteCallFinished}, {@link #retried}, {@link #routedCallFinished})
 * are what metrics, traces and the audit log are built from (module {@code
 * hybrid-storage-observability}); the router collects them only while at least one listener is
 * registered.
 */
public interface RoutingListener {

  /**
   * {@code entries} replica changes became durable in the journal in one group commit (one
   * fsync, possibly for several writes); {@code depth} is the pending count after it ({@link
   * RoutingStore#journalDepth()}).
   */
  default void journalAppended(int entries, int depth) {}

  /**
   * A journal entry was replayed to {@code site} and removed; {@code skipped} when nothing had to
   * be copied (superseded at the source, or the site already held that generation or newer).
   */
  default void replayed(String site, String bucket, String name, long generation, boolean skipped) {}

  /**
   * As {@link #replayed(String, String, String, long, boolean)}, with the replication lag: how long
   * the entry waited in the journal, from its append to its replay (by the options' clock, as
   * {@link RoutingStore#journalAge()}). The router calls this one; its default calls the other,
   * so a listener overrides whichever it needs.
   */
  default void replayed(String site, String bucket, String name, long generation, boolean skipped, Duration lag) {
    replayed(site, bucket, name, generation, skipped);
  }

  /**
   * A replay of an entry to {@code site} failed; the entry stays and is retried on a later pass.
   * {@code attempt} counts this entry's failed attempts, from 1.
   */
  default void replayFailed(String site, String bucket, String name, long generation, int attempt, Throwable error) {}

  /**
   * Replicating a change of a LOCAL_THEN_ASYNC placement found a concurrent change from another
   * site: {@code site} held generation {@code won}, which the change's source had not seen, and
   * generation {@code lost} gave way to it (last writer wins by generation, DESIGN.md "Policies").
   * A lower bound: a conflict is reported by the replication that meets it.
   */
  default void conflict(String site, String bucket, String name, long lost, long won) {}

  /** A site's circuit breaker changed state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN} …). */
  default void breakerStateChanged(String site, String from, String to) {}

  /**
   * A call to one site finished (returned or threw, after its retries): on the thread that made it
   * (the caller's, or a routing thread fanning out to replicas, replaying, publishing watermarks).
   */
  default void siteCallFinished(SiteCall call) {}

  /**
   * A call to {@code site} failed with {@code cause} and is about to be tried again ({@code
   * attempt} is the attempt about to start, from 2), after the routing settings' retry wait. Only
   * idempotent calls are retried (see {@code RoutingSettings#retryAttempts()}).
   */
  default void retried(String site, String operation, @Nullable String bucket, @Nullable String object, int attempt,
      Throwable cause) {}

  /**
   * A call of the router's caller finished, with its placement and the sites it touched: on the
   * caller's thread (for a streamed write, the thread that committed it), after the call's own
   * site calls were reported.
   */
  default void routedCallFinished(RoutedCall call) {}

  /**
   * A change feed (the sync module) reports how far {@code site} lags behind the changes of
   * {@code placement} it applies: {@link RoutingStore#reportSyncLag}. Not raised by the router itself.
   */
  default void syncLag(String placement, String site, Duration lag) {}
}
