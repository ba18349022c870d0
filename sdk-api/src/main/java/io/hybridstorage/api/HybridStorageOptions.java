package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import io.hybridstorage.api.spi.NotificationSink;
import io.hybridstorage.api.spi.StoreDecorator;
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
 * site, clock, seed, journal directory, the router's tuning), validated when built.
 *
 * <p>An impossible combination fails at {@link Builder#build()} with every problem listed, each
 * naming the placement or site and the field.
 */
public final class HybridStorageOptions {

  /** The site names of the embedded default world. */
  public static final String GCP = "gcp";
  public static final String DC1 = "dc1";
  public static final String DC2 = "dc2";

  /** The name of the router's section in the configuration file and in messages. */
  static final String ROUTING = "routing";
  static final String GATEWAY = "gateway";

  private static final StoreDecorator NO_DECORATION = new StoreDecorator() {
    @Override
    public String toString() {
      return "no decoration";
    }
  };

  private final Map<String, SiteConfig> sites;
  private final List<Placement> placements;
  @Nullable private final String localSite;
  private final String projectId;
  private final Clock clock;
  private final Sleeper sleeper;
  private final long seed;
  @Nullable private final Path journalDirectory;
  private final Map<String, Profile> profiles;
  @Nullable private final String profile;
  private final StoreDecorator storeDecorator;
  private final Map<String, NotificationSink> notificationSinks;
  private final ConfigSection routing;
  private final ConfigSection gateway;
  private final List<String> signedUrlEndpoints;

  private HybridStorageOptions(Builder b) {
    this.sites = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.sites));
    this.placements = List.copyOf(b.placements);
    this.localSite = b.localSite;
    this.projectId = b.projectId;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.seed = b.seed;
    this.journalDirectory = b.journalDirectory;
    this.profiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.profiles));
    this.profile = b.profile;
    this.storeDecorator = b.storeDecorator;
    this.notificationSinks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.notificationSinks));
    this.routing = b.routing;
    this.gateway = b.gateway;
    this.signedUrlEndpoints = List.copyOf(b.signedUrlEndpoints);
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

  /**
   * The options this process is configured with, the usual entry point:
   *
   * <ol>
   *   <li>the YAML file named by the system property {@code hybrid.storage.config} or else the
   *       environment variable {@code HYBRID_STORAGE_CONFIG} (format: README.md); or, when
   *       neither is set,
   *   <li>the embedded in-memory world of {@link #inMemoryThreeSites()}, so samples and a new
   *       user's first call work offline;
   * </ol>
   *
   * then single-key overrides, each a system property or else an environment variable: {@code
   * hybrid.storage.localSite} / {@code HYBRID_STORAGE_LOCAL_SITE}, {@code hybrid.storage.projectId}
   * / {@code HYBRID_STORAGE_PROJECT_ID}, {@code hybrid.storage.seed} / {@code HYBRID_STORAGE_SEED},
   * {@code hybrid.storage.journalDirectory} / {@code HYBRID_STORAGE_JOURNAL_DIRECTORY}, and the
   * active BU profile {@code hybrid.storage.profile} / {@code HYBRID_STORAGE_PROFILE}.
   *
   * @throws HybridStorageConfigException naming the file (and the variable that named it), each
   *     offending key and what to change
   */
  public static HybridStorageOptions fromEnvironment() {
    return fromEnvironment(Settings.system());
  }

  /**
   * The options in the YAML file {@code file} (format: README.md), without environment
   * overrides.
   *
   * @throws HybridStorageConfigException naming the file, each offending key and what to change
   */
  public static HybridStorageOptions fromFile(Path file) {
    String source = ConfigLoader.describe(file, "HybridStorageOptions.fromFile");
    return ConfigLoader.build(ConfigLoader.load(file, "HybridStorageOptions.fromFile", ServiceAssembly.kinds()),
        source);
  }

  static HybridStorageOptions fromEnvironment(Settings settings) {
    Settings.Value config = settings.get(Settings.CONFIG);
    Builder builder;
    String source;
    if (config != null) {
      Path file = Path.of(config.value());
      builder = ConfigLoader.load(file, config.origin(), ServiceAssembly.kinds());
      source = ConfigLoader.describe(file, config.origin());
    } else {
      builder = inMemoryThreeSites();
      source = "(embedded in-memory three-site default: neither " + Settings.CONFIG.variable() + " nor -D"
          + Settings.CONFIG.property() + " is set)";
    }
    List<String> problems = new ArrayList<>();
    Settings.Value local = settings.get(Settings.LOCAL_SITE);
    if (local != null) {
      builder.localSite(local.value());
    }
    Settings.Value project = settings.get(Settings.PROJECT_ID);
    if (project != null) {
      builder.projectId(project.value());
    }
    Settings.Value seed = settings.get(Settings.SEED);
    if (seed != null) {
      try {
        builder.seed(Long.parseLong(seed.value()));
      } catch (NumberFormatException e) {
        problems.add(seed.origin() + ": '" + seed.value() + "' is not a whole number; set e.g. 42 or unset it");
      }
    }
    Settings.Value journal = settings.get(Settings.JOURNAL_DIRECTORY);
    if (journal != null) {
      builder.journalDirectory(Path.of(journal.value()));
    }
    Settings.Value profile = settings.get(Settings.PROFILE);
    if (profile != null) {
      if (!builder.profiles.containsKey(profile.value())) {
        problems.add(profile.origin() + ": profile '" + profile.value() + "' is not configured; configured "
            + "profiles: " + builder.profiles.keySet() + " (add it under 'profiles:' or unset "
            + Settings.PROFILE.variable() + ")");
      } else {
        builder.profile(profile.value());
      }
    }
    if (local != null && !builder.sites.containsKey(local.value())) {
      problems.add(local.origin() + ": local site '" + local.value() + "' is not a configured site "
          + builder.sites.keySet());
    }
    if (!problems.isEmpty()) {
      throw new HybridStorageConfigException(source, problems);
    }
    return ConfigLoader.build(builder, source);
  }

  /**
   * Opens the hybrid {@code Storage}: each site's store through the {@link
   * io.hybridstorage.api.spi.StoreProvider} of its kind (found by {@link java.util.ServiceLoader});
   * with one site the {@code Storage} is that store's facade, with several the {@link
   * io.hybridstorage.api.spi.RouterProvider}'s store routes between them; the active BU profile
   * bounds every call (403 outside it). {@code getOptions().getProjectId()} reports {@link
   * #projectId()}. Closing the {@code Storage} closes the stores.
   *
   * <p>Each call opens a new, independent set of stores (for the in-memory kind: an empty world).
   *
   * @throws IllegalStateException naming the site, the kind and the artifact to add when no
   *     provider of a site's kind (or, for several sites, no router) is on the classpath
   */
  public com.google.cloud.storage.Storage getService() {
    return ServiceAssembly.open(this);
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.sites.putAll(sites);
    b.placements.addAll(placements);
    b.localSite = localSite;
    b.projectId = projectId;
    b.clock = clock;
    b.sleeper = sleeper;
    b.seed = seed;
    b.journalDirectory = journalDirectory;
    b.profiles.putAll(profiles);
    b.profile = profile;
    b.storeDecorator = storeDecorator;
    b.notificationSinks.putAll(notificationSinks);
    b.routing = routing;
    b.gateway = gateway;
    b.signedUrlEndpoints.addAll(signedUrlEndpoints);
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

  /**
   * The clock for timestamps, generations, staleness, circuit-breaker open waits and {@code drain}
   * deadlines; inject a fake one in tests, together with a {@link #sleeper()} that waits on it.
   */
  public Clock clock() {
    return clock;
  }

  /**
   * How the router waits (retries, drains, hedges, journal replay, watermarks): on the time of
   * {@link #clock()}, so the two are set together. Default: {@link Sleeper#system()}.
   */
  public Sleeper sleeper() {
    return sleeper;
  }

  /** The seed of every random choice (hedging jitter, fault injection), so runs replay. */
  public long seed() {
    return seed;
  }

  /**
   * Where the replication journal lives, durable (fsynced) and reopened by the next router on it.
   * Empty: the journal lives in memory and ends with the process (no later process could recover
   * it), which suits the embedded in-memory world and tests; set it for any site that outlives
   * the process.
   */
  public Optional<Path> journalDirectory() {
    return Optional.ofNullable(journalDirectory);
  }

  /** The BU profiles by name, in configuration order. */
  public Map<String, Profile> profiles() {
    return profiles;
  }

  /** The active BU profile, whose bounds every call of {@link #getService()}'s Storage obeys. */
  public Optional<Profile> activeProfile() {
    return Optional.ofNullable(profile).map(profiles::get);
  }

  /**
   * The wrapper {@link #getService()} applies to each site's store and to the routed store
   * ({@link StoreDecorator}); one that changes nothing unless a builder set another.
   */
  public StoreDecorator storeDecorator() {
    return storeDecorator;
  }

  /**
   * The sites that emit GCS object-change notifications, each to its sink ({@link
   * Builder#notifications}); empty unless a builder set some.
   */
  public Map<String, NotificationSink> notificationSinks() {
    return notificationSinks;
  }

  /**
   * The router's tuning (the configuration file's {@code routing:} section): time limits, retries,
   * circuit breakers, bulkheads, the write tee, the journal's replay and the session memory, as
   * text values whose keys and meaning belong to the {@link
   * io.hybridstorage.api.spi.RouterProvider} (sdk-routing: {@code RoutingSettings}, README.md lists
   * the keys). The router checks them when {@link #getService()} opens it and fails on an unknown
   * key or a bad value, naming the key, the value and what is allowed. Empty: the router's
   * defaults. Only set with several sites (a single site has no router).
   */
  public ConfigSection routing() {
    return routing;
  }

  /**
   * The JSON API gateway's settings (the configuration file's {@code gateway:} section: bind
   * address, port, token file, time limits). The SDK itself ignores them; the gateway (module
   * {@code hybrid-storage-gateway}) reads them and names this file in its errors.
   */
  public ConfigSection gateway() {
    return gateway;
  }

  /**
   * Endpoints ({@code scheme://host[:port]}) that {@code Storage.writer(URL)} may upload to besides
   * the sites' own (a site's {@code endpoint}, and GCS's {@code https://storage.googleapis.com}
   * when a site is of kind {@code gcs}), e.g. a gateway. A signed-URL upload never carries
   * credentials; one to any other endpoint fails with 403 before a byte is sent.
   */
  public List<String> signedUrlEndpoints() {
    return signedUrlEndpoints;
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
        + placements.stream().map(Placement::id).toList() + ", localSite=" + localSite
        + (profile == null ? "" : ", profile=" + profile)
        + (routing.isEmpty() ? "" : ", routing=" + routing.values()) + "}";
  }

  /** Builds {@link HybridStorageOptions}; {@link #build()} validates. */
  public static final class Builder {
    private final Map<String, SiteConfig> sites = new LinkedHashMap<>();
    private final List<Placement> placements = new ArrayList<>();
    @Nullable private String localSite;
    private String projectId = "hybrid-storage";
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private long seed = 1;
    @Nullable private Path journalDirectory;
    private final Map<String, Profile> profiles = new LinkedHashMap<>();
    @Nullable private String profile;
    private StoreDecorator storeDecorator = NO_DECORATION;
    private final Map<String, NotificationSink> notificationSinks = new LinkedHashMap<>();
    private ConfigSection routing = ConfigSection.empty(ROUTING);
    private ConfigSection gateway = ConfigSection.empty(GATEWAY);
    private final List<String> signedUrlEndpoints = new ArrayList<>();

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

    /**
     * How the router waits; set it with a {@link #clock(Clock)} that is not the system's, e.g. a
     * test's virtual clock and the sleeper that waits on it (see {@link Sleeper}). Configuration
     * files cannot set it. Default: {@link Sleeper#system()}.
     */
    public Builder sleeper(Sleeper value) {
      this.sleeper = requireNonNull(value, "sleeper");
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

    /** Adds (or replaces, by name) a BU profile. */
    public Builder profile(Profile value) {
      profiles.put(value.name(), value);
      return this;
    }

    /**
     * Wraps the stores {@link HybridStorageOptions#getService()} assembles: each site's before the
     * router sees it, and the routed one (see {@link StoreDecorator} for the order and the
     * ownership rule). For tests and instrumentation; configuration files cannot set it. Default:
     * no wrapping.
     */
    public Builder storeDecorator(StoreDecorator value) {
      this.storeDecorator = requireNonNull(value, "storeDecorator");
      return this;
    }

    /**
     * Makes {@code site} emit GCS object-change notifications into {@code sink}, as a GCS bucket
     * publishes to Pub/Sub: {@link HybridStorageOptions#getService()} wraps the site's store, as
     * opened and before any {@link #storeDecorator} or the router, in a {@link NotifyingStore}, so
     * every change that reaches the site — the SDK's writes, the router's replication, a
     * gateway's calls — publishes for the configurations created with {@code
     * Storage.createNotification} (which the facade serves from that store when the bucket's
     * authority is this site). Typically the {@code gcp} site of the embedded world, so that tests
     * and the sync engine have a feed. Code only, like {@link #storeDecorator}; the configurations
     * live in memory with the store. Replaces an earlier sink of the same site.
     */
    public Builder notifications(String site, NotificationSink sink) {
      notificationSinks.put(requireNonNull(site, "site"), requireNonNull(sink, "sink"));
      return this;
    }

    /**
     * The router's tuning, as the configuration file's {@code routing:} section gives it (key →
     * value as text, e.g. {@code callTimeout → 10s}); replaces any set before. The router checks
     * the keys and values when {@link HybridStorageOptions#getService()} opens it (see {@link
     * HybridStorageOptions#routing()}). Empty (the default): the router's defaults.
     */
    public Builder routing(Map<String, String> values) {
      return routing(new ConfigSection(ROUTING, "(set by HybridStorageOptions.Builder.routing)", values));
    }

    /**
     * The JSON API gateway's settings (key → value, as the file's {@code gateway:} section gives
     * them; see {@link HybridStorageOptions#gateway()}). Replaces the section; its problems still
     * name the file it was read from, if any.
     */
    public Builder gateway(Map<String, String> values) {
      String origin = gateway.isEmpty() ? "(set by HybridStorageOptions.Builder.gateway)" : gateway.origin();
      return gateway(new ConfigSection(GATEWAY, origin, values));
    }

    /** The gateway section as read from a file: its problems name the file. */
    Builder gateway(ConfigSection section) {
      this.gateway = requireNonNull(section, "gateway");
      return this;
    }

    /** The routing section as read from a file: its problems name the file. */
    Builder routing(ConfigSection section) {
      this.routing = requireNonNull(section, "routing");
      return this;
    }

    /**
     * Allows {@code Storage.writer(URL)} to upload to {@code endpoint} ({@code scheme://host[:port]},
     * http or https), besides the sites' endpoints; see {@link
     * HybridStorageOptions#signedUrlEndpoints()}.
     */
    public Builder signedUrlEndpoint(String endpoint) {
      signedUrlEndpoints.add(requireNonNull(endpoint, "endpoint"));
      return this;
    }

    /** Makes the named profile active (it must be configured); {@code null}: no profile, no bounds. */
    public Builder profile(@Nullable String name) {
      this.profile = name;
      return this;
    }

    /**
     * Validates and builds. Throws {@link IllegalArgumentException} listing every problem: no
     * sites, an unknown local site, a placement naming unknown sites or an impossible
     * policy/consistency combination, two placements for the same bucket and prefix, a routing
     * section with fewer than two sites (it would be ignored); a bucket not covered by any
     * placement is fine — only configured buckets route. The routing section's keys and values
     * are the router's to check, at {@link HybridStorageOptions#getService()}.
     */
    /**
     * A profile's {@code bucket} or {@code bucket/prefix/} entry: a valid bucket, and a prefix that
     * is a folder — ending with '/', without '.'/'..' segments — since {@code scratch/bu-sales}
     * would also grant {@code scratch/bu-sales-archive/}.
     */
    private static List<String> bucketEntryProblems(String profile, String entry) {
      int slash = entry.indexOf('/');
      String problem = Names.bucketProblem(slash < 0 ? entry : entry.substring(0, slash));
      if (problem != null) {
        return List.of("profile '" + profile + "': bucket entry '" + entry + "': " + problem);
      }
      String prefix = slash < 0 ? "" : entry.substring(slash + 1);
      if (Names.hasDotSegment(prefix)) {
        return List.of("profile '" + profile + "': bucket entry '" + entry + "' has a '.' or '..' segment; write "
            + "the folder it means without them");
      }
      if (!prefix.isEmpty() && !prefix.endsWith("/")) {
        return List.of("profile '" + profile + "': bucket entry '" + entry + "' would also grant every other name "
            + "starting with '" + prefix + "' (e.g. " + entry + "-archive/); write '" + entry + "/' to grant that "
            + "folder");
      }
      return List.of();
    }

    public HybridStorageOptions build() {
      List<String> problems = new ArrayList<>();
      if (sites.isEmpty()) {
        problems.add("sites: at least one site must be configured");
      }
      if (localSite != null && !sites.containsKey(localSite)) {
        problems.add("localSite: '" + localSite + "' is not a configured site " + sites.keySet());
      }
      for (String site : notificationSinks.keySet()) {
        if (!sites.containsKey(site)) {
          problems.add("notifications: '" + site + "' is not a configured site " + sites.keySet());
        }
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
      java.util.Set<String> placementIds = new java.util.LinkedHashSet<>();
      placements.forEach(p -> placementIds.add(p.id()));
      for (Profile p : profiles.values()) {
        for (String id : p.placements()) {
          Placement granted = placements.stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
          if (granted == null) {
            problems.add("profile '" + p.name() + "': placement '" + id + "' is not a configured placement "
                + placementIds);
          } else if (!granted.prefix().isEmpty() && !granted.prefix().endsWith("/")) {
            problems.add("profile '" + p.name() + "': placement '" + id + "' has a prefix without a trailing '/', "
                + "so granting it would also grant every other name starting with '" + granted.prefix() + "' (e.g. "
                + granted.bucket() + "/" + granted.prefix() + "-archive/); grant a placement whose prefix ends with "
                + "'/' (e.g. bucket: " + id + "/)");
          }
        }
        for (String entry : p.buckets()) {
          problems.addAll(bucketEntryProblems(p.name(), entry));
        }
      }
      if (!routing.isEmpty() && sites.size() < 2) {
        problems.add("routing: tunes the router, which only runs with several sites, but " + sites.size()
            + " site" + (sites.size() == 1 ? " is" : "s are") + " configured " + sites.keySet()
            + "; remove the routing section or add sites");
      }
      for (int i = 0; i < signedUrlEndpoints.size(); i++) {
        String problem = endpointProblem(signedUrlEndpoints.get(i));
        if (problem != null) {
          problems.add("signedUrlEndpoints[" + i + "]: " + problem + "; write scheme://host[:port], e.g. "
              + "https://gateway.example.com");
        }
      }
      if (profile != null && !profiles.containsKey(profile)) {
        problems.add("profile: '" + profile + "' is not a configured profile " + profiles.keySet());
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("invalid hybrid storage configuration:\n  - "
            + String.join("\n  - ", problems));
      }
      return new HybridStorageOptions(this);
    }

    /** What is wrong with {@code endpoint}, quoting it only when it holds no user info (a password). */
    @Nullable
    private static String endpointProblem(String endpoint) {
      java.net.URI uri;
      try {
        uri = new java.net.URI(endpoint.strip());
      } catch (java.net.URISyntaxException e) {
        return "a value of " + endpoint.length() + " characters (not shown) is not a URL";
      }
      if (uri.getRawUserInfo() != null) {
        return "a URL with user info (not shown) is not an endpoint; credentials never go in the configuration";
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return "'" + endpoint + "' is not an http or https URL";
      }
      if (uri.getHost() == null) {
        return "'" + endpoint + "' has no host";
      }
      String path = uri.getRawPath();
      if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        return "'" + endpoint + "' has a path or query; an endpoint is scheme, host and port only";
      }
      return null;
    }
  }
}
