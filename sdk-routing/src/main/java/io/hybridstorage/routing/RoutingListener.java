package io.hybridstorage.routing;

/**
 * Events of a {@link RoutingStore}, for metrics and logs outside the core (a Micrometer binder
 * lives outside this module); register with {@link RoutingStore#addListener}. Callbacks run on the
 * thread where the event happened — the journal's committer, a replay lane, or the caller whose
 * call moved a circuit breaker (a breaker half-opens with the first call after its open wait, on
 * the options' clock) — so they must be fast and must not block. One that throws is logged and
 * ignored. Every method has an empty default.
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
}
