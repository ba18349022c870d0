package io.hybridstorage.api.spi;

import java.time.Duration;

/**
 * A mixin for an {@link io.hybridstorage.api.ObjectStore} that replicates changes to other sites
 * asynchronously through a journal (sdk-routing's {@code RoutingStore}). It lets code that only
 * knows sdk-api — the testkit's JUnit extension, an operator's health check — see and flush the
 * pending replication without depending on the router's module.
 */
public interface Replicating {

  /** Pending replica changes, all sites together. */
  int journalDepth();

  /** Pending replica changes towards {@code site}. */
  int journalDepth(String site);

  /** Runs one replay pass now, besides the periodic ones; returns the entries replayed or skipped. */
  int replayNow();

  /**
   * Replays until nothing is pending or {@code timeout} (real time) passed; returns whether the
   * journal drained. Entries for sites that are down (partitioned, breaker open) stay pending, so
   * this returns {@code false} while such a site has any.
   */
  boolean drain(Duration timeout);
}
