package io.hybridstorage.routing.history;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.routing.RoutingSettings;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The world of one run: three sites (gcp, the authority; dc1 and dc2, the VAST sites), each one
 * {@link InMemoryStore} shared by every router, and two or three routers — processes in different
 * datacenters — each with its own journal directory, its own clock (off the sites' by a skew drawn
 * from the seed) and its own link to each site: a {@link FaultInjectingStore} around the shared
 * store, so cutting router A's link to gcp leaves router B's alone.
 */
final class Cluster implements AutoCloseable {

  static final String BUCKET = "bkt";
  static final String GCP = HybridStorageOptions.GCP;
  static final String DC1 = HybridStorageOptions.DC1;
  static final String DC2 = HybridStorageOptions.DC2;
  static final List<String> SITES = List.of(GCP, DC1, DC2);
  /** Router i runs in datacenter LOCALS[i % 3]: on-prem ↔ on-prem and on-prem ↔ cloud. */
  static final List<String> LOCALS = List.of(DC1, DC2, GCP);

  final RunConfig config;
  final Placement placement;
  final Map<String, InMemoryStore> sites = new LinkedHashMap<>();
  final List<Router> routers = new ArrayList<>();
  final Timeline timeline;
  private final Path root;

  Cluster(RunConfig config, Timeline timeline) {
    this.config = config;
    this.timeline = timeline;
    this.placement = placement(config.policy());
    try {
      this.root = Files.createTempDirectory("history-" + config.policy() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String site : SITES) {
      InMemoryStore store = new InMemoryStore(site, Clock.systemUTC());
      store.createBucket(BucketSpec.of(BUCKET));
      sites.put(site, store);
    }
    SplittableRandom skews = new SplittableRandom(config.derive(0));
    for (int i = 0; i < config.routers(); i++) {
      Duration skew = Duration.ofMillis(skews.nextInt(-config.maxSkewMillis(), config.maxSkewMillis() + 1));
      routers.add(new Router(i, LOCALS.get(i % LOCALS.size()), skew));
    }
  }

  /** The placement of the bucket under {@code policy}, with the read policy and consistency it allows. */
  static Placement placement(WritePolicy policy) {
    Placement.Builder b = Placement.builder(BUCKET).replicas(GCP, DC1, DC2).authority(GCP);
    return switch (policy) {
      case AUTHORITY_ONLY -> b.write(policy).read(ReadPolicy.AUTHORITY).consistency(Consistency.STRONG).build();
      case DUAL_WRITE_SYNC, AUTHORITY_THEN_ASYNC -> b.write(policy).read(ReadPolicy.NEAREST_VERIFIED)
          .consistency(Consistency.STRONG).build();
      case QUORUM -> b.quorum(2).read(ReadPolicy.NEAREST_VERIFIED).consistency(Consistency.STRONG).build();
      case LOCAL_THEN_ASYNC -> b.write(policy).read(ReadPolicy.NEAREST).consistency(Consistency.SESSION).build();
    };
  }

  boolean strong() {
    return placement.consistency() == Consistency.STRONG;
  }

  /**
   * The defaults' breaker (50 % of 20 calls, at least 10) with a short open wait, short retries and
   * time limits, frequent replay; sites shared by the routers.
   */
  static RoutingSettings settings() {
    return RoutingSettings.defaults()
        .withCallTimeout(Duration.ofSeconds(5))
        .withRetry(2, Duration.ofMillis(1))
        .withBreaker(20, 10, 50f, Duration.ofMillis(25))
        .withJournal(512, Duration.ofMillis(20), 2)
        .withOwnsSites(false);
  }

  /** Cuts nothing any more: every rule removed, every partition healed. */
  void healAll() {
    for (Router r : routers) {
      r.links.values().forEach(link -> {
        link.clearRules();
        link.heal();
      });
    }
    timeline.note("nemesis", null, "every link healed, every rule removed");
  }

  /**
   * The differences the product's own verify reports over the whole bucket (a cross-check of the
   * suite's divergence count), from a router of its own over the sites themselves: the clients'
   * routers may still have breakers open from the faults.
   */
  long verifyAll() {
    HybridStorageOptions options = HybridStorageOptions.newBuilder()
        .site(SiteConfig.memory(GCP, Duration.ofMillis(20)))
        .site(SiteConfig.memory(DC1, Duration.ofMillis(1)))
        .site(SiteConfig.memory(DC2, Duration.ofMillis(30)))
        .localSite(DC1).journalDirectory(root.resolve("journal-verify")).placement(placement).build();
    try (RoutingStore inspector = RoutingStore.create(new LinkedHashMap<>(sites), options, settings())) {
      return HistoryRun.verify(inspector);
    }
  }

  @Override
  public void close() {
    for (Router r : routers) {
      r.store().close();
    }
    try {
      com.google.common.io.MoreFiles.deleteRecursively(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One router process: its links, clock and journal survive its restarts. */
  final class Router {
    final int index;
    final String local;
    final Duration skew;
    final Clock clock;
    final Path journal;
    final Map<String, FaultInjectingStore> links = new LinkedHashMap<>();
    private final Map<String, ObjectStore> tapped = new LinkedHashMap<>();
    private RoutingStore store; // guarded by this
    private int incarnation;
    private final List<Long> restartedAt = new ArrayList<>();

    Router(int index, String local, Duration skew) {
      this.index = index;
      this.local = local;
      this.skew = skew;
      this.clock = Clock.offset(Clock.systemUTC(), skew);
      this.journal = root.resolve("journal-" + name());
      for (int s = 0; s < SITES.size(); s++) {
        String site = SITES.get(s);
        FaultInjectingStore link = FaultInjectingStore.builder(sites.get(site)).seed(config.derive(1, index, s)).build();
        links.put(site, link);
        tapped.put(site, new LinkTap(link, name() + "→" + site, timeline));
      }
      this.store = open();
    }

    String name() {
      return "r" + index;
    }

    /** The router; waits while it restarts (calls already in flight meet the closed one, as in a crash). */
    synchronized RoutingStore store() {
      return store;
    }

    private RoutingStore open() {
      HybridStorageOptions.Builder options = HybridStorageOptions.newBuilder();
      for (String site : SITES) {
        Duration latency = site.equals(local) ? Duration.ofMillis(1)
            : site.equals(GCP) || local.equals(GCP) && site.equals(DC1) ? Duration.ofMillis(20) : Duration.ofMillis(30);
        options.site(SiteConfig.memory(site, latency));
      }
      options.localSite(local).clock(clock).seed(config.derive(2, index, incarnation)).journalDirectory(journal)
          .placement(placement);
      return RoutingStore.create(new LinkedHashMap<>(tapped), options.build(), settings());
    }

    /**
     * Closes this router while its clients may be mid-call (they get errors: outcome unknown) and
     * opens a new one on the same journal directory and links, as a restarted process would.
     */
    synchronized void restart() {
      restartedAt.add(System.nanoTime());
      RoutingStore old = store;
      old.close();
      incarnation++;
      store = open();
    }

    /** When this router was restarted ({@link System#nanoTime()}). */
    synchronized List<Long> restartedAt() {
      return List.copyOf(restartedAt);
    }

    @Override
    public String toString() {
      return name() + "@" + local + " (clock " + (skew.isNegative() ? "" : "+") + skew.toMillis() + " ms)";
    }
  }
}
