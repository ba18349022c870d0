package io.hybridstorage.routing.internal;

import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.Sleeper;
import io.hybridstorage.routing.RoutingSettings;
import io.hybridstorage.routing.internal.journal.ReplicationJournal;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * What the routing components share: sites, journal, clocks and threads. Built by RoutingStore.
 *
 * <p>Time has one door: {@link #clock()} to read it and {@link #sleeper()} to wait on it (both
 * from the options), never {@code System.nanoTime()}, {@code Thread.sleep} or a scheduler of its
 * own, so tests run the router on virtual time.
 */
public record RoutingContext(
    HybridStorageOptions options,
    RoutingSettings settings,
    Map<String, SiteHandle> sites,
    ReplicationJournal journal,
    Replicator replicator,
    GenerationClock generations,
    ExecutorService pool,
    Watermarks watermarks) {

  public Clock clock() {
    return options.clock();
  }

  /** How routing components wait (hedge delays); the time of {@link #clock()}. */
  public Sleeper sleeper() {
    return options.sleeper();
  }

  public SiteHandle site(String name) {
    SiteHandle s = sites.get(name);
    if (s == null) {
      throw new IllegalStateException("no store for site '" + name + "'");
    }
    return s;
  }

  /** The placement's authority. */
  public SiteHandle authority(Placement p) {
    return site(p.authority());
  }
}
