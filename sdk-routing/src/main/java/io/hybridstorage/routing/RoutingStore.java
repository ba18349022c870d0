package io.hybridstorage.routing;

import io.hybridstorage.api.BucketInfo;
import io.hybridstorage.api.BucketListRequest;
import io.hybridstorage.api.BucketPatch;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.SignUrlRequest;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.api.spi.Replicating;
import io.hybridstorage.routing.internal.CallScope;
import io.hybridstorage.routing.internal.CommitDecoratedWriter;
import io.hybridstorage.routing.internal.CeilingFile;
import io.hybridstorage.routing.internal.GenerationClock;
import io.hybridstorage.routing.internal.Listeners;
import io.hybridstorage.routing.internal.ObservedWriter;
import io.hybridstorage.routing.internal.Replicator;
import io.hybridstorage.routing.internal.ResilientStore;
import io.hybridstorage.routing.internal.RoutingContext;
import io.hybridstorage.routing.internal.SiteHandle;
import io.hybridstorage.routing.internal.Watermarks;
import io.hybridstorage.routing.internal.journal.Replayer;
import io.hybridstorage.routing.internal.journal.ReplicationJournal;
import io.hybridstorage.routing.internal.policy.ReadCoordinator;
import io.hybridstorage.routing.internal.policy.SessionTracker;
import io.hybridstorage.routing.internal.policy.WriteCoordinator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import javax.annotation.Nullable;

/**
 * An {@link ObjectStore} spanning named sites: each object is placed, written, replicated and read
 * by the {@link Placement} covering it (docs/architecture.md, "Placements and policies").
 *
 * <p>Decorator stack, outermost first (STYLE.md: "facade translates; decorators decide"):
 *
 * <pre>
 * StorageFacade                        (translates com.google.cloud.storage.Storage, decides nothing)
 *  └ ProfileGuardStore                 (when a business-unit profile is selected: 403 outside it)
 *     └ RoutingStore                   (placement → route; write policy, read policy, consistency;
 *        │                              generations; replication journal; verify/repair)
 *        └ per site: Retry( CircuitBreaker( TimeLimiter( Bulkhead( site store ) ) ) )   — ResilientStore
 *             └ the site's store         (GcsStore, VastStore, InMemoryStore; in tests wrapped by
 *                                         the testkit's FaultInjectingStore)
 * </pre>
 *
 * <p>Inside, one part per job. This class builds them (the sites, journal, generation clock and
 * {@link RoutingContext} they share), hands each call to one of them, re-issues their errors as
 * its own ({@link #site()}, the failing site named in the message) and closes them:
 *
 * <pre>
 * RoutingStore            the ObjectStore surface and the operator's controls; builds and closes the parts
 *  ├ ObjectRouter         object calls: placement → Route; causality; a copy across placements streamed through
 *  │  ├ ReadCoordinator   reads by read policy and consistency                     (internal.policy)
 *  │  └ WriteCoordinator  changes by write policy: write-ahead intent, commit, acknowledgement (internal.policy)
 *  ├ BucketRouter         bucket calls: the authority first, then every site; the merged, paged bucket listing
 *  ├ JournalControl       replay passes (periodic and {@link #replayNow}), watermarks, {@link #drain}
 *  └ Verifier             {@link #verify} and {@link #repair}
 * </pre>
 *
 * <p>Generations: every change is decided at the route's primary (the authority; the local site
 * under LOCAL_THEN_ASYNC), which checks preconditions and fixes the generation; replicas receive
 * that generation through {@link WriteRequest#generation()} and refuse older ones, so
 * replication never replaces a newer generation with an older one. Deletes replicate as "delete
 * the live version if not newer than g". Every site that is not an authority must therefore
 * support {@link Capability#ASSIGNED_GENERATIONS}; this is checked when the router is built.
 *
 * <p>Journal: changes for replicas that are written asynchronously (or were down) go to the
 * replication journal in {@link HybridStorageOptions#journalDirectory()} — durable before the
 * acknowledgement under AUTHORITY_THEN_ASYNC, LOCAL_THEN_ASYNC, QUORUM and DUAL_WRITE_SYNC,
 * best effort under AUTHORITY_ONLY — and replayed in order per object every {@link
 * RoutingSettings#replayInterval()} to the sites that answer. A router opened on the same journal
 * directory after a crash replays what the previous process acknowledged.
 *
 * <p>Time: every wait of the router — the replay and watermark intervals, {@link #drain},
 * retries, hedge delays, circuit-breaker open waits — runs on {@link HybridStorageOptions#clock()}
 * and {@link HybridStorageOptions#sleeper()}, so a test on a virtual clock never sleeps; only the
 * per-call time limit and the bulkhead's wait stay on real time (see {@link ResilientStore}).
 *
 * <p>Buckets exist on every site named by a placement covering them: bucket changes go to the
 * bucket's authority first (its answer — 409, 404 — is the answer), then to the other sites.
 * Listings are served by the primaries of the placements owning the listed names, merged.
 *
 * <p>Not thread-confined: one instance serves any number of threads. SESSION consistency is per
 * instance.
 */
public final class RoutingStore implements ObjectStore, Replicating {

  private static final Logger log = LoggerFactory.getLogger(RoutingStore.class);

  private final HybridStorageOptions options;
  private final Replicator replicator;
  private final RoutingSettings settings;
  private final Map<String, SiteHandle> sites;
  private final RoutingContext ctx;
  private final ReplicationJournal journal;
  private final ObjectRouter objects;
  private final BucketRouter buckets;
  private final JournalControl journalControl;
  private final Verifier verifier;
  private final Listeners listeners = new Listeners();
  private final ExecutorService pool;
  private final Set<Capability> capabilities;
  private final String siteName;
  /** The journal directory this store made itself (none was configured); deleted on close. */
  @Nullable private final Path temporaryJournal;
  private volatile boolean closed;

  private RoutingStore(Map<String, ObjectStore> stores, HybridStorageOptions options, RoutingSettings settings) {
    this(stores, options, settings, GenerationClock.newNodeId());
  }

  /** {@code generationNodeId}: the low bits of the generations this router issues (tests force it). */
  private RoutingStore(Map<String, ObjectStore> stores, HybridStorageOptions options, RoutingSettings settings,
      int generationNodeId) {
    this.options = options;
    this.settings = settings;
    this.pool = Executors.newCachedThreadPool(daemon("hs-routing"));
    Map<String, SiteHandle> handles = new LinkedHashMap<>();
    for (Map.Entry<String, SiteConfig> e : options.sites().entrySet()) {
      ObjectStore store = stores.get(e.getKey());
      if (store != null) {
        ResilientStore resilient = new ResilientStore(store, settings, pool, options.clock(), options.sleeper(),
            listeners);
        SiteHandle handle = new SiteHandle(e.getKey(), e.getValue(), resilient);
        resilient.breaker().getEventPublisher().onStateTransition(ev -> listeners.breakerStateChanged(handle.name(),
            ev.getStateTransition().getFromState().name(), ev.getStateTransition().getToState().name()));
        handles.put(e.getKey(), handle);
      }
    }
    this.sites = java.util.Collections.unmodifiableMap(handles);
    this.siteName = "routing[" + String.join(",", handles.keySet()) + "]";
    validate(options, this.sites);
    this.temporaryJournal = options.journalDirectory().isPresent() ? null
        : temporaryJournalDirectory(handles.values().stream().allMatch(SiteHandle::isInProcess));
    // a temporary directory is deleted on close and no later process reads it: fsyncing into it
    // would make nothing durable, so that journal (and the generation ceiling) live in memory
    this.journal = temporaryJournal != null ? ReplicationJournal.inMemory(options.clock())
        : ReplicationJournal.open(options.journalDirectory().get(), options.clock(), settings.journalBatchMax());
    journal.onAppended(listeners::journalAppended);
    Watermarks watermarks = new Watermarks(journal, options.clock(), settings, journalDirectory(), authorities(options),
        sites.keySet(), pool);
    journal.onAppended((entries, depth) -> watermarks.appended());
    // a replica's entry waits only for a pending roll-forward of a write towards its source
    this.replicator = new Replicator(this::site, options::placementFor, (op, site, b, n, g) -> journal.hasPending(
        site, b, n) && journal.pending(site, b, n).stream().anyMatch(e -> e.op() == op && e.generation() == g),
        listeners);
    GenerationClock generations = new GenerationClock(options.clock(), generationNodeId,
        GenerationClock.DEFAULT_MAX_LEAD, GenerationClock.DEFAULT_CAPACITY, options.sleeper(),
        temporaryJournal != null ? GenerationClock.Ceiling.NONE : new CeilingFile(journalDirectory()));
    // the coordinators' fan-out carries the caller's call scope (which sites a routed call touched)
    this.ctx = new RoutingContext(options, settings, sites, journal, replicator, generations,
        CallScope.propagating(pool), watermarks);
    SessionTracker session = new SessionTracker(settings.sessionCapacity());
    ReadCoordinator reads = new ReadCoordinator(ctx, session);
    WriteCoordinator writes = new WriteCoordinator(ctx, session);
    this.verifier = new Verifier(ctx);
    Replayer replayer = new Replayer(journal, replicator, name -> !site(name).isOpen(), pool, settings.replayThreads(),
        listeners, options.clock());
    this.journalControl = new JournalControl(ctx, replayer);
    this.buckets = new BucketRouter(ctx, journalControl);
    this.objects = new ObjectRouter(ctx, reads, writes, siteName, this); // only stored: used once constructed
    journalControl.start();
    Set<Capability> caps = EnumSet.allOf(Capability.class);
    for (SiteHandle h : sites.values()) {
      caps.retainAll(h.store().capabilities());
    }
    this.capabilities = java.util.Collections.unmodifiableSet(caps);
  }

  /**
   * A router over {@code sites} (site name → store) with {@link RoutingSettings#defaults()}
   * changed by the options' routing section ({@link HybridStorageOptions#routing()}, the
   * configuration file's {@code routing:}).
   *
   * @throws IllegalArgumentException as {@link RoutingSettings#withConfiguration} (a bad routing
   *     section) and {@link #create(Map, HybridStorageOptions, RoutingSettings)} do
   */
  public static RoutingStore create(Map<String, ObjectStore> sites, HybridStorageOptions options) {
    return create(sites, options, RoutingSettings.defaults().withConfiguration(options.routing()));
  }

  /**
   * A router over {@code sites} with exactly {@code settings}: the options' routing section is not
   * applied (apply it with {@link RoutingSettings#withConfiguration}). Throws {@link IllegalArgumentException} naming the placement and
   * site when a placement names a site without a store, or a replica that must receive assigned
   * generations cannot ({@link Capability#ASSIGNED_GENERATIONS}).
   */
  public static RoutingStore create(Map<String, ObjectStore> sites, HybridStorageOptions options,
      RoutingSettings settings) {
    return new RoutingStore(sites, options, settings);
  }

  /**
   * As {@link #create(Map, HybridStorageOptions, RoutingSettings)} with the node id of the
   * router's generations forced (tests: two routers sharing one id must still never acknowledge
   * two writes under one generation).
   */
  static RoutingStore create(Map<String, ObjectStore> sites, HybridStorageOptions options, RoutingSettings settings,
      int generationNodeId) {
    return new RoutingStore(sites, options, settings, generationNodeId);
  }

  private static void validate(HybridStorageOptions options, Map<String, SiteHandle> sites) {
    List<String> problems = new ArrayList<>();
    for (Placement p : options.placements()) {
      String primary = p.writePolicy() == WritePolicy.LOCAL_THEN_ASYNC
          ? options.localSite().orElse(p.authority()) : p.authority();
      for (String name : p.replicas()) {
        SiteHandle h = sites.get(name);
        if (h == null) {
          problems.add("placement '" + p.id() + "': no store was given for site '" + name + "'");
        } else if (!name.equals(primary) && !h.assignsGenerations()) {
          problems.add("placement '" + p.id() + "': site '" + name + "' receives replicated writes but its store ("
              + h.raw().getClass().getSimpleName() + ") cannot take assigned generations (ASSIGNED_GENERATIONS); "
              + "make it the authority or use another backend");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid routing configuration:\n  - " + String.join("\n  - ", problems));
    }
  }

  /**
   * A fresh temporary journal directory, for when none is configured. Its random name means no
   * later process can reopen it, so {@link #close()} deletes it; a restart loses what it held.
   */
  private static Path temporaryJournalDirectory(boolean sitesEndWithProcess) {
    try {
      Path dir = Files.createTempDirectory("hybrid-storage-journal");
      if (sitesEndWithProcess) { // an in-memory journal loses nothing the sites would keep
        log.debug("no journal directory configured: the replication journal lives in memory, as the sites do");
      } else {
        log.warn("no journal directory configured: the replication journal lives in memory (router files in {},"
            + " deleted on close) and does not survive a restart; set HybridStorageOptions.journalDirectory", dir);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where this router publishes its replication watermark: the authorities of its placements. */
  private List<SiteHandle> authorities(HybridStorageOptions options) {
    Set<String> names = new LinkedHashSet<>();
    for (Placement p : options.placements()) {
      names.add(p.authority());
    }
    List<SiteHandle> result = new ArrayList<>();
    for (String n : names) {
      result.add(sites.get(n));
    }
    return result;
  }

  static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private SiteHandle site(String name) {
    return ctx == null ? sites.get(name) : ctx.site(name);
  }

  // ------------------------------------------------------------------------ ObjectStore

  /** {@code routing[gcp,dc1,dc2]}: the name errors of this store carry (with the failing site in the message). */
  @Override
  public String site() {
    return siteName;
  }

  /** Re-issues a site's error as this store's: see {@link HybridStorageException#reissuedBy}. */
  private HybridStorageException translate(HybridStorageException e) {
    return e.reissuedBy(siteName);
  }

  private <T> T guard(Supplier<T> call) {
    try {
      return call.get();
    } catch (HybridStorageException e) {
      throw translate(e);
    }
  }

  /**
   * {@link #guard}ed, and, while listeners are registered, in a {@link CallScope} that ends with
   * {@link RoutingListener#routedCallFinished} ({@code generation} read off the result).
   */
  private <T> T routed(String op, @Nullable String bucket, @Nullable String object, @Nullable String sourceBucket,
      Supplier<T> call, ToLongFunction<? super T> generation) {
    if (listeners.isEmpty()) {
      return guard(call);
    }
    CallScope scope = CallScope.open(op, bucket, object, sourceBucket);
    T result;
    try (CallScope.Entered ignored = scope.enter()) {
      result = guard(call);
    } catch (RuntimeException e) {
      finish(scope, bucket, object, 0, e);
      throw e;
    }
    long g = 0;
    try {
      g = generation.applyAsLong(result);
    } catch (RuntimeException e) {
      log.debug("no generation for {} of {}/{}", op, bucket, object, e);
    }
    finish(scope, bucket, object, g, null);
    return result;
  }

  private <T> T routed(String op, @Nullable String bucket, @Nullable String object, Supplier<T> call,
      ToLongFunction<? super T> generation) {
    return routed(op, bucket, object, null, call, generation);
  }

  private void finish(CallScope scope, @Nullable String bucket, @Nullable String object, long generation,
      @Nullable Exception failure) {
    Placement placement = bucket == null ? null : options.placementFor(bucket, object == null ? "" : object).orElse(null);
    RoutedCall event = scope.finish(generation, placement,
        failure == null ? SiteCall.OK : ResilientStore.codeOf(failure),
        failure == null ? null : ResilientStore.reasonOf(failure));
    if (event != null) {
      listeners.routedCallFinished(event);
    }
  }

  private static final ToLongFunction<Object> NO_GENERATION = r -> 0;

  /** What every site can do (the intersection). */
  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public BucketInfo createBucket(BucketSpec spec) {
    return routed("createBucket", spec.name(), null, () -> buckets.createBucket(spec), NO_GENERATION);
  }

  @Override
  public Optional<BucketInfo> getBucket(String bucket) {
    return routed("getBucket", bucket, null, () -> buckets.getBucket(bucket), NO_GENERATION);
  }

  /** Buckets of every site, merged by name (the authority's view of each), paged by name. */
  @Override
  public ListPage<BucketInfo> listBuckets(BucketListRequest request) {
    return routed("listBuckets", null, null, () -> buckets.listBuckets(request), NO_GENERATION);
  }

  @Override
  public BucketInfo updateBucket(String bucket, BucketPatch patch) {
    return routed("updateBucket", bucket, null, () -> buckets.updateBucket(bucket, patch), NO_GENERATION);
  }

  @Override
  public boolean deleteBucket(String bucket) {
    return routed("deleteBucket", bucket, null, () -> buckets.deleteBucket(bucket), NO_GENERATION);
  }

  @Override
  public Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
    return routed("head", id.bucket(), id.name(), () -> objects.head(id, conditions),
        found -> found.map(ObjectInfo::generation).orElse(0L));
  }

  @Override
  public ObjectContent read(ReadRequest request) {
    return routed("read", request.id().bucket(), request.id().name(), () -> objects.read(request),
        content -> content.info().generation());
  }

  @Override
  public ObjectWriter openWrite(WriteRequest request) {
    if (listeners.isEmpty()) {
      return translated(guard(() -> objects.openWrite(request)));
    }
    // one routed call from openWrite to the end of commit (or the body's first failure)
    CallScope scope = CallScope.open("write", request.bucket(), request.name(), null);
    ObjectWriter writer;
    try (CallScope.Entered ignored = scope.enter()) {
      writer = guard(() -> objects.openWrite(request));
    } catch (RuntimeException e) {
      finish(scope, request.bucket(), request.name(), 0, e);
      throw e;
    }
    return new ObservedWriter(translated(writer), scope, (info, failure) -> finish(scope, request.bucket(),
        request.name(), info == null ? 0 : info.generation(), failure));
  }

  private ObjectWriter translated(ObjectWriter writer) {
    return new CommitDecoratedWriter(writer, commit -> {
      try {
        return commit.commit();
      } catch (HybridStorageException e) {
        throw translate(e);
      }
    }, e -> e instanceof HybridStorageException h ? translate(h) : e);
  }

  @Override
  public boolean delete(ObjectId id, Conditions conditions) {
    return routed("delete", id.bucket(), id.name(), () -> objects.delete(id, conditions), r -> id.generation());
  }

  /**
   * {@link ObjectStore#deleteUpTo} at every replica of the object's placement, the authority
   * included, one after the other; whether any of them removed a live version. Not journaled: a
   * site that fails fails the call (after its retries), and the caller repeats it (it is
   * idempotent). 501 naming the site when a replica of the placement cannot take assigned
   * generations. A write through this router afterwards gets a generation above {@code
   * generation}.
   */
  @Override
  public boolean deleteUpTo(String bucket, String name, long generation) {
    return routed("deleteUpTo", bucket, name, () -> objects.deleteUpTo(bucket, name, generation), r -> generation);
  }

  /**
   * Served by the primaries of the placements owning the listed names, merged ({@link
   * ObjectRouter#list}).
   */
  @Override
  public ListPage<ObjectInfo> list(ListRequest request) {
    ListPage<ObjectInfo> page = routed("list", request.bucket(), null, () -> objects.list(request), NO_GENERATION);
    // a caller that saw a generation in a listing is causally after it, as after a read
    for (ObjectInfo info : page.items()) {
      ctx.generations().observe(info.bucket(), info.name(), info.generation());
    }
    return page;
  }

  /**
   * Natively at the target's primary when source and target share it; else the source is streamed
   * through this router (read by its read policy, written by the target's write policy).
   */
  @Override
  public ObjectInfo copy(CopyRequest request) {
    return routed("copy", request.targetBucket(), request.targetName(), request.source().bucket(),
        () -> objects.copy(request), ObjectInfo::generation);
  }

  @Override
  public ObjectInfo compose(ComposeRequest request) {
    return routed("compose", request.bucket(), request.targetName(), () -> objects.compose(request),
        ObjectInfo::generation);
  }

  @Override
  public ObjectInfo updateMetadata(ObjectId id, MetadataPatch patch, Conditions conditions) {
    return routed("updateMetadata", id.bucket(), id.name(), () -> objects.updateMetadata(id, patch, conditions),
        ObjectInfo::generation);
  }

  /** Signed by the authority of the object's placement (501 when its backend cannot sign). */
  @Override
  public URL signUrl(SignUrlRequest request) {
    return routed("signUrl", request.bucket(), request.name(), () -> objects.signUrl(request), NO_GENERATION);
  }

  // ------------------------------------------------------------------------ replication, verify, repair

  /**
   * Registers a listener for journal, replay, breaker and call events (for metrics, traces and
   * logs; see {@link RoutingListener} for the threads they arrive on). Until the first listener is
   * added, the router measures no call. It hears events from now on, after the
   * listeners added before it; one that throws is logged and skipped, and disturbs neither the
   * others nor the routing. May be called at any time, from any thread; there is no removal (a
   * listener lives as long as the router).
   *
   * @throws NullPointerException when {@code listener} is null
   */
  public void addListener(RoutingListener listener) {
    listeners.add(listener);
  }

  /** Pending replica changes in the journal. */
  @Override
  public int journalDepth() {
    return journal.depth();
  }

  /**
   * Pending replica changes towards {@code site}.
   *
   * @throws IllegalArgumentException when this router has no such site (a misspelt name must not
   *     read as an empty backlog)
   */
  @Override
  public int journalDepth(String site) {
    return journal.depth(known(site));
  }

  /** Age of the oldest pending replica change (zero when none), by the options' clock. */
  public Duration journalAge() {
    return journal.oldestAge();
  }

  /**
   * Age of the oldest pending replica change towards {@code site} (zero when none).
   *
   * @throws IllegalArgumentException when this router has no such site
   */
  public Duration journalAge(String site) {
    return journal.oldestAge(known(site));
  }

  /**
   * Runs one replay pass now (besides the periodic ones), then publishes this router's
   * replication watermark if the pass changed what it must say (waiting for a publication under
   * way); returns the entries replayed or skipped.
   */
  @Override
  public int replayNow() {
    return journalControl.replayNow();
  }

  /**
   * Replays until the journal is empty or {@code timeout} passed on the options' {@link
   * HybridStorageOptions#clock() clock}; returns whether it drained. At least one pass runs. After
   * a pass that replayed nothing it waits: for appends of this router still being made durable
   * (best-effort journaling acknowledges before that), until the journal commits them; otherwise
   * (sites down, breakers open) {@value JournalControl#DRAIN_POLL_MILLIS} ms, or what is left of the timeout,
   * through the options' {@link HybridStorageOptions#sleeper() sleeper} — on virtual time, until
   * the test advances the clock. Sites that are down keep their entries. An interrupt ends it with
   * {@code false} (the flag set).
   */
  @Override
  public boolean drain(Duration timeout) {
    return journalControl.drain(timeout);
  }

  /**
   * Whether a site's circuit breaker currently rejects calls (forced open, or open and its open
   * wait not yet passed on the options' clock; a breaker past its open wait or half-open lets a
   * trial call through and is not open).
   *
   * @throws IllegalArgumentException when this router has no such site
   */
  public boolean isSiteOpen(String site) {
    return site(known(site)).isOpen();
  }

  /**
   * The state of a site's circuit breaker: {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN} (a
   * trial call is let through), {@code FORCED_OPEN} … (Resilience4j's state names). A breaker
   * that reads {@code OPEN} past its open wait is not {@link #isSiteOpen open}: the next call tries
   * the site.
   *
   * @throws IllegalArgumentException when this router has no such site
   */
  public String breakerState(String site) {
    return site(known(site)).store().breaker().getState().name();
  }

  /**
   * Calls in flight at a site now (each holds one of its bulkhead's {@link
   * RoutingSettings#bulkheadMaxConcurrent()} permits; a call finding none waits, then fails 503).
   *
   * @throws IllegalArgumentException when this router has no such site
   */
  public int siteCallsInFlight(String site) {
    return site(known(site)).store().callsInFlight();
  }

  /**
   * Reports, for the listeners ({@link RoutingListener#syncLag}), how far {@code site} lags behind
   * the changes of {@code placement}: for a change feed applying changes outside the journal (the
   * sync module), so that its lag shows with the router's metrics. Cheap; does nothing without
   * listeners.
   *
   * @param placement the placement's id ({@link Placement#id()})
   * @throws IllegalArgumentException when this router has no such site or {@code lag} is negative
   */
  public void reportSyncLag(String placement, String site, Duration lag) {
    known(site);
    if (lag.isNegative()) {
      throw new IllegalArgumentException("sync lag of " + site + " for placement " + placement + " is negative: " + lag);
    }
    listeners.syncLag(java.util.Objects.requireNonNull(placement, "placement"), site, lag);
  }

  private String known(String site) {
    if (!sites.containsKey(site)) {
      throw new IllegalArgumentException("no site '" + site + "' in this router; its sites are " + sites.keySet());
    }
    return site;
  }

  /**
   * Compares one page ({@code pageSize} names, 0 = 1000) of {@code bucket/prefix} between the
   * authority and the other replicas of each object's placement (the most specific one for its
   * name, so a nested {@code bkt/tmp/} is judged by its own sites): missing, stale, corrupted (same
   * generation, different CRC32C), foreign (generation 0), extra and newer copies; {@link
   * Difference.Kind#PENDING} for those {@link #repair} leaves alone for now (younger than {@link
   * RoutingSettings#repairHorizon()}, or still in this router's journal). Pass the returned {@link
   * VerifyReport#nextPageToken()} to continue; run disjoint prefixes in parallel to partition a
   * bucket.
   */
  public VerifyReport verify(String bucket, String prefix, String pageToken, int pageSize) {
    return verifier.run("verify", bucket, prefix, pageToken, pageSize == 0 ? ListRequest.DEFAULT_PAGE_SIZE : pageSize,
        false);
  }

  /**
   * Like {@link #verify}, and repairs what is older than the repair horizon, rolling forward,
   * never back: copies the authority's generation to missing, stale and foreign copies, replaces
   * corrupted ones in place, copies extra and newer replica copies <em>to</em> the authority (a
   * write that has not reached it) and deletes one only when the authority refuses it (it deleted
   * that generation or holds a newer one; {@link Difference#rolledForward()} tells which). See
   * {@link Difference.Kind}. Idempotent and resumable by page token.
   */
  public VerifyReport repair(String bucket, String prefix, String pageToken, int pageSize) {
    return verifier.run("repair", bucket, prefix, pageToken, pageSize == 0 ? ListRequest.DEFAULT_PAGE_SIZE : pageSize,
        true);
  }

  /**
   * Brings {@code target} to what {@code source} holds of {@code bucket/name} now, by the same
   * rules as journal replay (DESIGN.md, "The replication journal"): rolling forward, never back.
   * For change feeds (the sync module) and operators: changes made at a site outside this router.
   *
   * <ul>
   *   <li>the source holds a live version with a generation: the target gets that generation
   *       (its bytes read from the source and written with their CRC32C, so the target verifies
   *       them) unless it holds it or a newer one ({@link Reconciled#UNCHANGED}, or {@link
   *       Reconciled#METADATA} when only the metadata differed); a target's copy without
   *       generation (written outside the SDK) with the same size and CRC32C counts as a replica
   *       ({@link Reconciled#FOREIGN_REPLICA});
   *   <li>the source holds nothing live: the target's live version up to {@code deletedUpTo} is
   *       removed and its tombstone raised, so an older write arriving later is refused ({@code
   *       deletedUpTo} 0: no delete is known, nothing is done).
   * </ul>
   *
   * <p>Idempotent: repeating it, or calling it for an older change of the same object, changes
   * nothing more.
   *
   * @throws IllegalArgumentException when either site is not one of this router's
   * @throws HybridStorageException 409 when the source's live version has no generation (an
   *     object written there outside the SDK: bring it in through {@link #write} instead), or what
   *     a site answered (503 when it is down)
   */
  public Reconciled reconcile(String bucket, String name, String source, String target, long deletedUpTo) {
    SiteHandle from = site(known(source));
    SiteHandle to = site(known(target));
    return guard(() -> {
      Optional<ObjectInfo> live = from.store().head(ObjectId.of(bucket, name), Conditions.none());
      if (live.isEmpty()) {
        if (deletedUpTo <= 0 || from == to) {
          return Reconciled.UNCHANGED;
        }
        return replicator.deleteUpTo(bucket, name, deletedUpTo, to) == Replicator.Outcome.APPLIED
            ? Reconciled.DELETED : Reconciled.UNCHANGED;
      }
      ObjectInfo src = live.get();
      if (src.generation() == 0) {
        throw new HybridStorageException(409, "foreignSource", "reconcile", bucket, name, source,
            "the live version at " + source + " has no generation (written outside the SDK); write it through the"
                + " router to give it one", null);
      }
      if (from == to) {
        return Reconciled.UNCHANGED;
      }
      Optional<ObjectInfo> held = to.store().head(ObjectId.of(bucket, name), Conditions.none());
      if (held.isPresent() && held.get().generation() == 0 && sameBytes(src, held.get(), to)) {
        return Reconciled.FOREIGN_REPLICA;
      }
      if (held.isPresent() && held.get().generation() > src.generation()) {
        return Reconciled.UNCHANGED;
      }
      if (held.isPresent() && held.get().generation() == src.generation()) {
        if (!held.get().metadata().equals(src.metadata())) {
          return replicator.metadata(bucket, name, src.generation(), from, to) == Replicator.Outcome.APPLIED
              ? Reconciled.METADATA : Reconciled.UNCHANGED;
        }
        // same generation: the roll-forward below tells a collision (other bytes) from a replica
      }
      return replicator.rollForward(bucket, name, src.generation(), from, to) == Replicator.Outcome.APPLIED
          ? Reconciled.COPIED : Reconciled.UNCHANGED;
    });
  }

  /**
   * Whether the foreign copy {@code copy} at {@code site} has the bytes of {@code src}: the same size
   * and CRC32C — the copy's read from its bytes when its store does not know it (a foreign object
   * on VAST: a local read instead of a copy across sites).
   */
  private static boolean sameBytes(ObjectInfo src, ObjectInfo copy, SiteHandle site) {
    if (src.size() != copy.size() || src.crc32c() == null) {
      return false;
    }
    return src.crc32c().equals(Verifier.crcOf(copy, site));
  }

  /** Stops replay, closes the journal (pending entries stay for the next router) and, if owned, the sites. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    journalControl.close(); // the periodic tasks, replay, a last watermark
    ctx.generations().close(); // a ceiling being raised beside the journal is on disk first
    journal.close();
    if (temporaryJournal != null) {
      try {
        com.google.common.io.MoreFiles.deleteRecursively(temporaryJournal);
      } catch (IOException e) {
        log.warn("could not delete the temporary journal {}", temporaryJournal, e);
      }
    }
    pool.shutdownNow();
    if (settings.ownsSites()) {
      for (SiteHandle s : sites.values()) {
        try {
          s.store().close();
        } catch (RuntimeException e) {
          log.warn("closing site {} failed", s.name(), e);
        }
      }
    }
  }

  /**
   * Each site's store as this router calls it (site name → store, in configuration order): the
   * site's own store behind the router's retry, circuit breaker, time limit and bulkhead. For
   * operators and tools that must look at one site (which sites hold an object, a change feed
   * applying a copy): calls through it bypass placements, generations and the journal.
   */
  public Map<String, ObjectStore> siteStores() {
    Map<String, ObjectStore> result = new LinkedHashMap<>();
    for (SiteHandle h : sites.values()) {
      result.put(h.name(), h.store());
    }
    return java.util.Collections.unmodifiableMap(result);
  }

  /** The options this router was built from (sites, placements, profiles). */
  public HybridStorageOptions options() {
    return options;
  }

  /** Where the replication journal lives: the configured directory, or a temporary one deleted on close. */
  public Path journalDirectory() {
    return options.journalDirectory().orElse(temporaryJournal);
  }

  /**
   * The tuning this router runs with: as given to {@link #create(Map, HybridStorageOptions,
   * RoutingSettings)}, or the defaults changed by the configuration's routing section.
   */
  public RoutingSettings settings() {
    return settings;
  }

  @Override
  public String toString() {
    return "RoutingStore" + sites.keySet() + " " + options.placements().stream().map(Placement::id).toList();
  }
}
