package io.hybridstorage.routing.internal;

import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.Placement;
import io.hybridstorage.routing.RoutingSettings;
import io.hybridstorage.routing.journal.ReplicationJournal;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/** What the routing components share: sites, journal, clocks and threads. Built by RoutingStore. */
public record RoutingContext(
    HybridStorageOptions options,
    RoutingSettings settings,
    Map<String, SiteHandle> sites,
    ReplicationJournal journal,
    Replicator replicator,
    GenerationClock generations,
    ExecutorService pool,
    ScheduledExecutorService scheduler,
    Watermarks watermarks) {

  public Clock clock() {
    return options.clock();
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
