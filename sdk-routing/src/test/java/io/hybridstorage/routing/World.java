package io.hybridstorage.routing;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.Sleeper;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.time.VirtualClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A three-site in-memory world (gcp authority, dc1 local, dc2 far), each site behind a fault injector. */
final class World implements AutoCloseable {

  static final String GCP = HybridStorageOptions.GCP;
  static final String DC1 = HybridStorageOptions.DC1;
  static final String DC2 = HybridStorageOptions.DC2;
  /** The bucket the tests use. */
  static final String BUCKET = "bkt";

  final Map<String, InMemoryStore> memory = new LinkedHashMap<>();
  final Map<String, FaultInjectingStore> faults = new LinkedHashMap<>();
  /**
   * The time injected delays ({@code Fault.delay}) sleep in: a delayed call is held until the test
   * advances it, so a test needs no real-time bound to tell a held call from a finished one.
   * {@link #close} releases whatever is still held.
   */
  final VirtualClock faultTime;
  final Path journalDir;
  final HybridStorageOptions options;
  final RoutingStore router;

  /**
   * Fast settings for tests: short waits, quick breakers, frequent replay. Retries do not pause: on
   * a virtual clock a pause would hold the retrying thread until the test advances time.
   */
  static RoutingSettings testSettings() {
    return RoutingSettings.defaults()
        .withCallTimeout(Duration.ofSeconds(5))
        .withRetry(2, Duration.ZERO)
        .withBreaker(4, 2, 50f, Duration.ofMillis(100))
        .withJournal(512, Duration.ofMillis(20), 2);
  }

  /** The canonical placement per write policy (with a valid read policy and consistency). */
  static Placement placement(WritePolicy policy) {
    Placement.Builder b = Placement.builder(Placement.ANY_BUCKET).replicas(GCP, DC1, DC2).authority(GCP);
    return switch (policy) {
      case AUTHORITY_ONLY -> b.write(policy).read(ReadPolicy.AUTHORITY).consistency(Consistency.STRONG).build();
      case DUAL_WRITE_SYNC -> b.write(policy).read(ReadPolicy.NEAREST_VERIFIED).consistency(Consistency.STRONG)
          .build();
      case QUORUM -> b.quorum(2).read(ReadPolicy.NEAREST_VERIFIED).consistency(Consistency.STRONG).build();
      case AUTHORITY_THEN_ASYNC -> b.write(policy).read(ReadPolicy.NEAREST_VERIFIED)
          .consistency(Consistency.STRONG).build();
      case LOCAL_THEN_ASYNC -> b.write(policy).read(ReadPolicy.NEAREST).consistency(Consistency.SESSION).build();
    };
  }

  World(WritePolicy policy) {
    this(placement(policy));
  }

  World(Placement placement) {
    this(placement, Clock.systemUTC(), testSettings());
  }

  /**
   * A world whose router runs on {@code clock}; on a {@link VirtualClock} it also waits on it
   * ({@link VirtualClock#sleeper()}): breakers, hedges, replay and drains then move only when the
   * test advances that clock.
   */
  World(Placement placement, Clock clock, RoutingSettings settings) {
    this(List.of(placement), clock, settings);
  }

  /** A world with several placements (e.g. a bucket and a nested prefix of it); local site dc1. */
  World(List<Placement> placements, Clock clock, RoutingSettings settings) {
    this(placements, clock, settings, tempDir(), DC1, null, false);
  }

  /** A world over existing site stores (sharing them with another router) or new ones when {@code shared} is null. */
  private World(Placement placement, Clock clock, RoutingSettings settings, Path journalDir, String localSite,
      World shared) {
    this(List.of(placement), clock, settings, journalDir, localSite, shared, false);
  }

  /**
   * A world over existing site stores (sharing them with another router) or new ones when {@code
   * shared} is null; with {@code ownLinks}, the shared stores are reached through fault injectors
   * of this router's own (its links can be cut without cutting the other router's).
   */
  private World(List<Placement> placements, Clock clock, RoutingSettings settings, Path journalDir, String localSite,
      World shared, boolean ownLinks) {
    this.journalDir = journalDir;
    if (shared != null && ownLinks) {
      faultTime = shared.faultTime;
      memory.putAll(shared.memory);
      memory.forEach((site, store) -> faults.put(site,
          FaultInjectingStore.builder(store).seed(7).sleeper(faultTime.sleeper()).build()));
    } else if (shared == null) {
      faultTime = VirtualClock.create();
      for (String site : new String[] {GCP, DC1, DC2}) {
        InMemoryStore store = new InMemoryStore(site, clock);
        memory.put(site, store);
        faults.put(site, FaultInjectingStore.builder(store).seed(7).sleeper(faultTime.sleeper()).build());
      }
    } else {
      faultTime = shared.faultTime;
      memory.putAll(shared.memory);
      faults.putAll(shared.faults);
    }
    HybridStorageOptions.Builder builder = HybridStorageOptions.newBuilder()
        .site(SiteConfig.memory(GCP, Duration.ofMillis(20)))
        .site(SiteConfig.memory(DC1, Duration.ofMillis(1)))
        .site(SiteConfig.memory(DC2, Duration.ofMillis(30)))
        .localSite(localSite)
        .clock(clock)
        .sleeper(clock instanceof VirtualClock virtual ? virtual.sleeper() : Sleeper.system())
        .seed(11)
        .journalDirectory(journalDir);
    placements.forEach(builder::placement);
    this.options = builder.build();
    this.router = RoutingStore.create(new LinkedHashMap<>(faults), options,
        shared == null ? settings : settings.withOwnsSites(false));
  }

  static Path tempDir() {
    try {
      return Files.createTempDirectory("routing-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A second router over this world's site stores (same placements and clock), local at {@code
   * localSite}, with its own journal; it does not close the stores.
   */
  World peer(String localSite, RoutingSettings settings) {
    return new World(options.placements(), options.clock(), settings, tempDir(), localSite, this, false);
  }

  /**
   * Like {@link #peer}, but the new router reaches the sites through links of its own ({@link
   * #faults} of the returned world): partitioning them cuts only that router off, as a network
   * fault between one datacenter and a site does.
   */
  World peerWithOwnLinks(String localSite, RoutingSettings settings) {
    return new World(options.placements(), options.clock(), settings, tempDir(), localSite, this, true);
  }

  /** A second router as {@link #peer(String, RoutingSettings)}, on its own {@code clock} (e.g. skewed). */
  World peer(String localSite, RoutingSettings settings, Clock clock) {
    return new World(options.placements().get(0), clock, settings, tempDir(), localSite, this);
  }

  /**
   * The next incarnation of {@code peer} (a router made by {@link #peer(String, RoutingSettings,
   * Clock)} over this world's sites): closes its router, as a process that stops, and opens a new
   * one on the same journal directory, local site and {@code clock}, as the restarted process.
   */
  World restart(World peer, RoutingSettings settings, Clock clock) {
    peer.router.close();
    return new World(options.placements().get(0), clock, settings, peer.journalDir, peer.options.localSite()
        .orElseThrow(), this);
  }

  ObjectStore site(String name) {
    return memory.get(name);
  }

  /** Writes {@code value} as the whole object {@code BUCKET/name}. */
  static ObjectInfo put(ObjectStore store, String name, String value) {
    return store.write(WriteRequest.of(BUCKET, name), new ByteArrayInputStream(value.getBytes(UTF_8)));
  }

  /** The live version of {@code BUCKET/name} as text. */
  static String get(ObjectStore store, String name) throws IOException {
    try (ObjectContent content = store.read(ReadRequest.of(ObjectId.of(BUCKET, name)))) {
      return new String(content.stream().readAllBytes(), UTF_8);
    }
  }

  /**
   * Drains this router's journal. On a {@link VirtualClock} nothing else moves the clock, and the
   * router's own drain would wait on it for ever when a pass replays nothing (an open breaker): so,
   * as the testkit's {@code HybridWorld.drain} does, each pass that leaves entries pending advances
   * the clock 10 ms, until {@code timeout} of virtual time.
   */
  boolean drain(Duration timeout) {
    if (!(options.clock() instanceof VirtualClock virtual)) {
      return router.drain(timeout);
    }
    Duration step = Duration.ofMillis(10);
    for (Duration waited = Duration.ZERO; !router.drain(Duration.ZERO); waited = waited.plus(step)) {
      if (waited.compareTo(timeout) >= 0) {
        return false;
      }
      virtual.advance(step);
    }
    return true;
  }

  @Override
  public void close() {
    faultTime.advance(Duration.ofDays(365));
    router.close();
    try {
      com.google.common.io.MoreFiles.deleteRecursively(journalDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
