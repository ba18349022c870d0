package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * The entry point: an immutable description of the hybrid world (sites, placements, the local
 * site, clock, seed, journal directory), validated when built.
 *
 * <p>An impossible combination fails at {@link Builder#build()} with every problem listed, each
 * naming the placement or site and the field.
 */
public final class HybridStorageOptions {

  /** The site names of the embedded default world. */
  public static final String GCP = "gcp";
  public static final String DC1 = "dc1";
  public static final String DC2 = "dc2";

  private final Map<String, SiteConfig> sites;
  private final List<Placement> placements;
  @Nullable private final String localSite;
  private final String projectId;
  private final Clock clock;
  private final long seed;
  @Nullable private final Path journalDirectory;

  private HybridStorageOptions(Builder b) {
    this.sites = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.sites));
    this.placements = List.copyOf(b.placements);
    this.localSite = b.localSite;
    this.projectId = b.projectId;
    this.clock = b.clock;
    this.seed = b.seed;
    this.journalDirectory = b.journalDirectory;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * The embedded default: three in-memory sites ({@code gcp} the authority, {@code dc1} local at
   * 1 ms, {@code dc2} at 30 ms) and one placement for every bucket: written to all three
   * synchronously, metadata checked at the authority and bytes read from the nearest site holding
   * that generation ({@link ReadPolicy#NEAREST_VERIFIED}), {@link Consistency#STRONG}.
   */
  public static Builder inMemoryThreeSites() {
    return newBuilder()
        .site(SiteConfig.memory(GCP, Duration.ofMillis(20)))
        .site(SiteConfig.memory(DC1, Duration.ofMillis(1)))
        .site(SiteConfig.memory(DC2, Duration.ofMillis(30)))
        .localSite(DC1)
        .placement(Placement.builder(Placement.ANY_BUCKET)
            .replicas(GCP, DC1, DC2)
            .authority(GCP)
            .write(WritePolicy.DUAL_WRITE_SYNC)
            .read(ReadPolicy.NEAREST_VERIFIED)
            .consistency(Consistency.STRONG)
            .build());
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.sites.putAll(sites);
    b.placements.addAll(placements);
    b.localSite = localSite;
    b.projectId = projectId;
    b.clock = clock;
    b.seed = seed;
    b.journalDirectory = journalDirectory;
    return b;
  }

  /** Sites by name, in configuration order. */
  public Map<String, SiteConfig> sites() {
    return sites;
  }

  public List<Placement> placements() {
    return placements;
  }

  /** The site this process is closest to (for LOCAL_THEN_ASYNC, READ_THROUGH), if set. */
  public Optional<String> localSite() {
    return Optional.ofNullable(localSite);
  }

  /** The project id reported by {@code Storage.getOptions()} and bound blobs. */
  public String projectId() {
    return projectId;
  }

  /** The clock for timestamps, staleness and time limits; inject a fake one in tests. */
  public Clock clock() {
    return clock;
  }

  /** The seed of every random choice (hedging jitter, fault injection), so runs replay. */
  public long seed() {
    return seed;
  }

  /** Where the replication journal lives; empty: the router picks a temporary directory. */
  public Optional<Path> journalDirectory() {
    return Optional.ofNullable(journalDirectory);
  }

  /**
   * The placement covering {@code bucket/name}: the longest matching prefix of the bucket's own
   * placements, else of the {@code *} placements.
   */
  public Optional<Placement> placementFor(String bucket, String name) {
    Placement best = null;
    for (Placement p : placements) {
      if (!p.covers(bucket, name)) {
        continue;
      }
      if (best == null || specificity(p) > specificity(best)) {
        best = p;
      }
    }
    return Optional.ofNullable(best);
  }

  private static long specificity(Placement p) {
    return (p.bucket().equals(Placement.ANY_BUCKET) ? 0 : 1L << 32) + p.prefix().length();
  }

  @Override
  public String toString() {
    return "HybridStorageOptions{sites=" + sites.keySet() + ", placements="
        + placements.stream().map(Placement::id).toList() + ", localSite=" + localSite + "}";
  }

  /** Builds {@link HybridStorageOptions}; {@link #build()} validates. */
  public static final class Builder {
    private final Map<String, SiteConfig> sites = new LinkedHashMap<>();
    private final List<Placement> placements = new ArrayList<>();
    @Nullable private String localSite;
    private String projectId = "hybrid-storage";
    private Clock clock = Clock.systemUTC();
    private long seed = 1;
    @Nullable private Path journalDirectory;

    private Builder() {}

    /** Adds (or replaces, by name) a site. */
    public Builder site(SiteConfig site) {
      sites.put(site.name(), site);
      return this;
    }

    public Builder placement(Placement placement) {
      placements.add(requireNonNull(placement, "placement"));
      return this;
    }

    public Builder clearPlacements() {
      placements.clear();
      return this;
    }

    public Builder localSite(@Nullable String site) {
      this.localSite = site;
      return this;
    }

    public Builder projectId(String value) {
      this.projectId = requireNonNull(value, "projectId");
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = requireNonNull(value, "clock");
      return this;
    }

    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    public Builder journalDirectory(@Nullable Path value) {
      this.journalDirectory = value;
      return this;
    }

    /**
     * Validates and builds. Throws {@link IllegalArgumentException} listing every problem: no
     * sites, an unknown local site, a placement naming unknown sites or an impossible
     * policy/consistency combination, two placements for the same bucket and prefix, or (with
     * several sites) a bucket not covered by any placement is fine — only configured buckets
     * route.
     */
    public HybridStorageOptions build() {
      List<String> problems = new ArrayList<>();
      if (sites.isEmpty()) {
        problems.add("sites: at least one site must be configured");
      }
      if (localSite != null && !sites.containsKey(localSite)) {
        problems.add("localSite: '" + localSite + "' is not a configured site " + sites.keySet());
      }
      if (sites.size() > 1 && placements.isEmpty()) {
        problems.add("placements: with " + sites.size() + " sites at least one placement is needed "
            + "(use bucket '*' for a default)");
      }
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (Placement p : placements) {
        if (!seen.add(p.id())) {
          problems.add("placement '" + p.id() + "' is configured twice");
        }
        problems.addAll(p.problems(sites.keySet(), localSite));
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("invalid hybrid storage configuration:\n  - "
            + String.join("\n  - ", problems));
      }
      return new HybridStorageOptions(this);
    }
  }
}
