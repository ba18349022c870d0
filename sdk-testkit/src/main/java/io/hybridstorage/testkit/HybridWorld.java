package io.hybridstorage.testkit;

import io.hybridstorage.memory.InMemoryStore;
import static java.util.Objects.requireNonNull;

import com.google.cloud.storage.Storage;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.spi.Replicating;
import io.hybridstorage.api.spi.StoreDecorator;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.fault.Operation;
import io.hybridstorage.testkit.time.Sleeper;
import io.hybridstorage.testkit.time.VirtualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hybrid world for a test: the {@code Storage} that {@link HybridStorageOptions#getService()}
 * opens, plus a handle on every site to see "what is where" and to inject faults. {@link
 * HybridStorageExtension} opens one per test (or per class); without JUnit, open and close one
 * yourself:
 *
 * <pre>{@code
 * try (HybridWorld world = HybridWorld.open(HybridStorageOptions.inMemoryThreeSites().build())) {
 *   Storage storage = world.storage();               // hand this to the code under test
 *   world.faults("dc2").partition();                 // dc2 unreachable from now on
 *   ...
 *   world.assertThat("gcp").has("bucket", "name");
 * }
 * }</pre>
 *
 * <p>The stack, outermost first: {@code Storage} (the facade) → the router (with several sites;
 * found with {@code ServiceLoader}, so {@code hybrid-storage-routing} must be on the test
 * classpath) → per site a {@link FaultInjectingStore} → the site's store as its provider opened
 * it ({@link InMemoryStore} for kind {@code memory}). The fault injectors forward every call
 * unchanged until a test adds a rule or a partition; their seeds derive from {@link
 * HybridStorageOptions#seed()} and the site's name, and their delays take virtual time when the
 * options' clock is a {@link VirtualClock}.
 *
 * <p>A world of several sites with no configured {@link HybridStorageOptions#journalDirectory()
 * journal directory} journals in memory, as the embedded default does: nothing outlives the
 * world, and no write waits for an fsync. Thread-safe.
 */
public final class HybridWorld implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HybridWorld.class);

  /** How long {@link #drain()} waits: longer than the router's default circuit-breaker wait (5 s). */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private final HybridStorageOptions options;
  private final Storage storage;
  private final Map<String, ObjectStore> sites;
  private final Map<String, FaultInjectingStore> faults;
  @Nullable private final Replicating replication;
  private final Duration startupTime;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HybridWorld(HybridStorageOptions options, Storage storage, Recorder recorder, Duration startupTime) {
    this.options = options;
    this.storage = storage;
    this.sites = Collections.unmodifiableMap(recorder.sites);
    this.faults = Collections.unmodifiableMap(recorder.faults);
    this.replication = recorder.service instanceof Replicating r ? r : null;
    this.startupTime = startupTime;
  }

  /**
   * Opens a new world: new, empty stores for every site of {@code options}. A {@link
   * HybridStorageOptions#storeDecorator()} already set in {@code options} still applies, around
   * this world's fault injectors. A {@link HybridStorageOptions#journalDirectory()} set in {@code
   * options} is used as it is — to reopen a world on the journal of an earlier one, as a crash
   * test does — so two worlds open at once must not share one; leave it unset for a private one.
   *
   * @throws IllegalStateException naming the missing artifact when a site's kind or (with several
   *     sites) the router is not on the classpath
   */
  public static HybridWorld open(HybridStorageOptions options) {
    long start = System.nanoTime();
    Recorder recorder = new Recorder(options);
    HybridStorageOptions.Builder effective = options.toBuilder().storeDecorator(recorder);
    Storage storage = effective.build().getService();
    Duration startup = Duration.ofNanos(System.nanoTime() - start);
    log.debug("opened hybrid world {} in {} µs", options.sites().keySet(), startup.toNanos() / 1000);
    return new HybridWorld(options, storage, recorder, startup);
  }

  /** The options this world was opened with. */
  public HybridStorageOptions options() {
    return options;
  }

  /** The {@code Storage} to hand to the code under test; the same instance for the life of the world. */
  public Storage storage() {
    checkOpen("storage()");
    return storage;
  }

  /**
   * The store of {@code site} as its provider opened it (an {@link InMemoryStore} for kind {@code
   * memory}): below the router and the fault injector, so reading it shows what the site holds,
   * even while the site is partitioned, and changes nothing the router would notice.
   *
   * @throws IllegalArgumentException naming the sites of this world when there is no such site
   */
  public ObjectStore site(String site) {
    return lookup(sites, site);
  }

  /** The fault injector in front of {@code site}: {@code faults("dc2").partition()}, rules, the call log. */
  public FaultInjectingStore faults(String site) {
    return lookup(faults, site);
  }

  /** The site names, in configuration order. */
  public List<String> siteNames() {
    return List.copyOf(sites.keySet());
  }

  /** AssertJ assertions on what {@code site} holds: {@code assertThat("dc1").has("bucket", "name")}. */
  public SiteAssert assertThat(String site) {
    return new SiteAssert(site(site));
  }

  /**
   * The live version of {@code bucket/name} on each site that has one, by site in configuration
   * order; a site without the object (or the bucket) is absent. Read below the fault injectors.
   */
  public Map<String, ObjectInfo> whereIs(String bucket, String name) {
    Map<String, ObjectInfo> found = new LinkedHashMap<>();
    sites.forEach((site, store) -> headQuietly(store, bucket, name).ifPresent(info -> found.put(site, info)));
    return found;
  }

  static Optional<ObjectInfo> headQuietly(ObjectStore store, String bucket, String name) {
    try {
      return store.head(ObjectId.of(bucket, name), Conditions.none());
    } catch (HybridStorageException e) {
      if (e.code() == 404) {
        return Optional.empty(); // no such bucket on this site
      }
      throw e;
    }
  }

  /** Heals every partition and removes every fault rule, on every site. */
  public void heal() {
    faults.values().forEach(f -> {
      f.heal();
      f.clearRules();
    });
  }

  /** Replica changes still pending in the router's journal; 0 with a single site. */
  public int journalDepth() {
    return replication == null ? 0 : replication.journalDepth();
  }

  /** Replica changes pending towards {@code site}; 0 with a single site. */
  public int journalDepth(String site) {
    lookup(sites, site);
    return replication == null ? 0 : replication.journalDepth(site);
  }

  /**
   * Runs one replay pass of the router's journal now (besides its periodic ones); returns the
   * entries replayed or skipped. 0 with a single site.
   */
  public int replayNow() {
    checkOpen("replayNow()");
    return replication == null ? 0 : replication.replayNow();
  }

  /**
   * Replays the router's journal until nothing is pending or {@code timeout} passed; returns
   * whether it drained. Changes for a partitioned site stay pending: heal first. With a single
   * site there is no journal and this returns {@code true}.
   *
   * <p>The timeout is on the options' clock. With a {@link VirtualClock}, waiting moves the clock
   * as fault delays do: after each pass that leaves entries pending the clock advances {@value
   * #VIRTUAL_DRAIN_STEP_MILLIS} ms, so a circuit breaker opened during a partition lets replay
   * through once its open wait has passed on that clock.
   */
  public boolean drain(Duration timeout) {
    checkOpen("drain()");
    if (replication == null) {
      return true;
    }
    if (!(options.clock() instanceof VirtualClock virtual)) {
      return replication.drain(timeout);
    }
    Duration step = Duration.ofMillis(VIRTUAL_DRAIN_STEP_MILLIS);
    for (Duration waited = Duration.ZERO; !replication.drain(Duration.ZERO); waited = waited.plus(step)) {
      if (waited.compareTo(timeout) >= 0) {
        return false;
      }
      virtual.advance(step);
    }
    return true;
  }

  /** How far {@link #drain(Duration)} moves a virtual clock after a pass that left entries pending. */
  static final long VIRTUAL_DRAIN_STEP_MILLIS = 10;

  /**
   * {@link #drain(Duration)} with 30 s (virtual time with a {@link VirtualClock}), longer than the
   * router's default circuit-breaker wait, so
   * a site whose breaker opened during a partition is replayed once the breaker lets calls
   * through again. Fails at once, without waiting, when a site with pending changes is still
   * partitioned for writes.
   *
   * @throws AssertionError naming what is still pending, per site, when the journal cannot or did
   *     not drain
   */
  public void drain() {
    if (pending(true).isEmpty() && drain(DRAIN_TIMEOUT)) {
      return;
    }
    List<String> blocked = pending(true);
    throw new AssertionError("the replication journal " + (blocked.isEmpty() ? "did not drain within "
        + DRAIN_TIMEOUT : "cannot drain") + "; pending " + pending(false) + " — heal partitioned sites "
        + "(faults(site).heal() or heal()) before draining");
  }

  /** "site: depth" of every site with pending changes (only those partitioned for writes, if asked). */
  private List<String> pending(boolean partitionedOnly) {
    List<String> pending = new ArrayList<>();
    for (String site : sites.keySet()) {
      int depth = journalDepth(site);
      boolean cut = faults.get(site).partitionedKinds().contains(Operation.Kind.WRITE);
      if (depth > 0 && (cut || !partitionedOnly)) {
        pending.add(site + ": " + depth + (cut ? " (partitioned)" : ""));
      }
    }
    return pending;
  }

  /** How long {@link #open} took: options, site stores, router, journal and facade. */
  public Duration startupTime() {
    return startupTime;
  }

  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Closes the {@code Storage} (the router stops its threads and closes its journal, then the
   * site stores). Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      storage.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing hybrid world " + sites.keySet() + " failed", e);
    }
  }

  @Override
  public String toString() {
    return "HybridWorld" + sites.keySet() + (closed.get() ? " (closed)" : "");
  }

  private void checkOpen(String call) {
    if (closed.get()) {
      throw new IllegalStateException(call + " on a closed " + this + ": a world lives for one test (or one class "
          + "with perClass()); do not keep its Storage in a static field");
    }
  }

  private <T> T lookup(Map<String, T> map, String site) {
    T value = map.get(requireNonNull(site, "site"));
    if (value == null) {
      throw new IllegalArgumentException("no site '" + site + "' in this world; its sites are " + sites.keySet());
    }
    return value;
  }

  /** Puts a fault injector in front of every site and keeps the stores to hand out. */
  private static final class Recorder implements StoreDecorator {
    private final HybridStorageOptions options;
    private final StoreDecorator inner;
    private final Map<String, ObjectStore> sites = new LinkedHashMap<>();
    private final Map<String, FaultInjectingStore> faults = new LinkedHashMap<>();
    @Nullable private ObjectStore service;

    Recorder(HybridStorageOptions options) {
      this.options = options;
      this.inner = options.storeDecorator();
    }

    @Override
    public ObjectStore site(SiteConfig site, ObjectStore store) {
      FaultInjectingStore injector = FaultInjectingStore.builder(store)
          .seed(options.seed() * 31 + site.name().hashCode())
          .sleeper(options.clock() instanceof VirtualClock virtual ? virtual.advancingSleeper() : Sleeper.system())
          .build();
      sites.put(site.name(), store);
      faults.put(site.name(), injector);
      return inner.site(site, injector);
    }

    @Override
    public ObjectStore service(ObjectStore store) {
      service = store;
      return inner.service(store);
    }

    @Override
    public String toString() {
      return "HybridWorld's fault injectors, then " + inner;
    }
  }
}
