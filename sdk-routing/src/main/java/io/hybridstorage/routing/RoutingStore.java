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
import io.hybridstorage.api.Listing;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.Names;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.SignUrlRequest;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.Sleeper;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.api.spi.Replicating;
import io.hybridstorage.routing.internal.CommitDecoratedWriter;
import io.hybridstorage.routing.internal.CeilingFile;
import io.hybridstorage.routing.internal.GenerationClock;
import io.hybridstorage.routing.internal.Listeners;
import io.hybridstorage.routing.internal.Replicator;
import io.hybridstorage.routing.internal.ResilientStore;
import io.hybridstorage.routing.internal.RoutingContext;
import io.hybridstorage.routing.internal.SiteHandle;
import io.hybridstorage.routing.internal.Watermarks;
import io.hybridstorage.routing.internal.journal.JournalEntry;
import io.hybridstorage.routing.internal.journal.Replayer;
import io.hybridstorage.routing.internal.journal.ReplicationJournal;
import io.hybridstorage.routing.internal.policy.ReadCoordinator;
import io.hybridstorage.routing.internal.policy.Route;
import io.hybridstorage.routing.internal.policy.SessionTracker;
import io.hybridstorage.routing.internal.policy.WriteCoordinator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import javax.annotation.Nullable;

/**
 * An {@link ObjectStore} spanning named sites: each object is placed, written, replicated and read
 * by the {@link Placement} covering it (DESIGN.md, "Policies").
 *
 * <p>Decorator stack, outermost first (STYLE.md: "facade translates; decorators decide"):
 *
 * <pre>
 * StorageFacade                        (translates com.google.cloud.storage.Storage, decides nothing)
 *  └ RoutingStore                      (placement → route; write policy, read policy, consistency;
 *     │                                 generations; replication journal; verify/repair)
 *     └ per site: Retry( CircuitBreaker( TimeLimiter( Bulkhead( site store ) ) ) )   — ResilientStore
 *          └ the site's store            (GcsStore, VastStore, InMemoryStore; in tests wrapped by
 *                                         the testkit's FaultInjectingStore)
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
  private final RoutingSettings settings;
  private final Map<String, SiteHandle> sites;
  private final RoutingContext ctx;
  private final ReplicationJournal journal;
  private final Replayer replayer;
  private final SessionTracker session;
  private final WriteCoordinator writes;
  private final ReadCoordinator reads;
  private final Verifier verifier;
  private final Map<Placement, Route> routes = new ConcurrentHashMap<>();
  private final Listeners listeners = new Listeners();
  private final ExecutorService pool;
  private final Watermarks watermarks;
  /** Runs the periodic tasks (replay, watermarks): one thread each, waiting its interval on the sleeper. */
  private final ExecutorService timers;
  private final Set<Capability> capabilities;
  private final String siteName;
  /** Signalled at each group commit of the journal: {@link #drain} waits on it for appends in flight. */
  private final Object commitSignal = new Object();
  /** Group commits of the journal so far; guarded by {@link #commitSignal}. */
  private long journalCommits;
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
    this.timers = Executors.newFixedThreadPool(2, daemon("hs-routing-timer"));
    Map<String, SiteHandle> handles = new LinkedHashMap<>();
    for (Map.Entry<String, SiteConfig> e : options.sites().entrySet()) {
      ObjectStore store = stores.get(e.getKey());
      if (store != null) {
        ResilientStore resilient = new ResilientStore(store, settings, pool, options.clock(), options.sleeper());
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
    journal.onAppended((entries, depth) -> {
      synchronized (commitSignal) {
        journalCommits++;
        commitSignal.notifyAll();
      }
    });
    this.watermarks = new Watermarks(journal, options.clock(), settings, journalDirectory(), authorities(options),
        sites.keySet(), pool);
    journal.onAppended((entries, depth) -> watermarks.appended());
    // a replica's entry waits only for a pending roll-forward of a write towards its source
    Replicator replicator = new Replicator(this::site, options::placementFor, (op, site, b, n, g) -> journal.hasPending(
        site, b, n) && journal.pending(site, b, n).stream().anyMatch(e -> e.op() == op && e.generation() == g),
        listeners);
    GenerationClock generations = new GenerationClock(options.clock(), generationNodeId,
        GenerationClock.DEFAULT_MAX_LEAD, GenerationClock.DEFAULT_CAPACITY, options.sleeper(),
        temporaryJournal != null ? GenerationClock.Ceiling.NONE : new CeilingFile(journalDirectory()));
    this.ctx = new RoutingContext(options, settings, sites, journal, replicator, generations, pool, watermarks);
    this.session = new SessionTracker(settings.sessionCapacity());
    this.writes = new WriteCoordinator(ctx, session);
    this.reads = new ReadCoordinator(ctx, session);
    this.verifier = new Verifier(ctx);
    this.replayer = new Replayer(journal, replicator, name -> !site(name).isOpen(), pool, settings.replayThreads(),
        listeners);
    every(settings.replayInterval(), this::replayQuietly);
    every(settings.watermarkInterval(), watermarks::publishQuietly);
    watermarks.appended(); // entries an earlier process left pending: announce them soon
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

  private static ThreadFactory daemon(String prefix) {
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

  // ------------------------------------------------------------------------ routing

  private Placement placement(String op, String bucket, String name) {
    return options.placementFor(bucket, name).orElseThrow(() -> HybridStorageException.invalid(op, bucket, name, null,
        "no placement covers gs://" + bucket + "/" + name + "; configure one (bucket '*' for a default)"));
  }

  /**
   * The placement of a change (write, copy, compose, metadata update, delete) of {@code
   * bucket/name}: 400 when the name has a {@code .} or {@code ..} segment and a replica cannot
   * hold such names ({@link Capability#DOT_SEGMENT_NAMES}: an S3 site, whose paths would resolve
   * it). Decided before any site is touched, so no site commits a change another one must refuse
   * and the journal never keeps an entry that can never be replayed.
   */
  private Placement changing(String op, String bucket, String name) {
    Placement p = placement(op, bucket, name);
    if (Names.hasDotSegment(name)) {
      for (String replica : p.replicas()) {
        if (!site(replica).store().capabilities().contains(Capability.DOT_SEGMENT_NAMES)) {
          throw HybridStorageException.invalid(op, bucket, name, replica, "Invalid object name for placement '"
              + p.id() + "': it has a '.' or '..' segment, and its replica " + replica + " cannot hold such names "
              + "(an S3 path would resolve them into another object); name the object without '.' and '..' "
              + "segments, or place it on sites that store names literally");
        }
      }
    }
    return p;
  }

  private Route route(Placement p) {
    return routes.computeIfAbsent(p, x -> Route.of(x, ctx));
  }

  /** The sites holding a bucket: every replica of every placement that may cover it. */
  private List<SiteHandle> bucketSites(String bucket) {
    Set<String> names = new LinkedHashSet<>();
    Placement own = bucketPlacement(bucket);
    if (own != null) {
      names.add(own.authority());
    }
    for (Placement p : options.placements()) {
      if (p.bucket().equals(bucket) || p.bucket().equals(Placement.ANY_BUCKET)) {
        names.addAll(p.replicas());
      }
    }
    List<SiteHandle> result = new ArrayList<>();
    for (String n : names) {
      result.add(site(n));
    }
    return result;
  }

  private Placement bucketPlacement(String bucket) {
    return options.placementFor(bucket, "").orElseGet(() -> options.placements().stream()
        .filter(p -> p.bucket().equals(bucket)).findFirst().orElse(null));
  }

  private SiteHandle bucketAuthority(String op, String bucket) {
    Placement p = bucketPlacement(bucket);
    if (p == null) {
      throw HybridStorageException.invalid(op, bucket, null, null,
          "no placement covers bucket " + bucket + "; configure one (bucket '*' for a default)");
    }
    return site(p.authority());
  }

  // ------------------------------------------------------------------------ ObjectStore

  /** {@code routing[gcp,dc1,dc2]}: the name errors of this store carry (with the failing site in the message). */
  @Override
  public String site() {
    return siteName;
  }

  /**
   * Re-issues a site's error as this store's: same code and reason, {@link #site()} as the site,
   * and the failing site named in the message ({@code write gs://b/o on routing[gcp,dc1,dc2]: at
   * gcp: ifGenerationMatch=0 failed, current=7}); the site's exception is the cause.
   */
  private HybridStorageException translate(HybridStorageException e) {
    if (siteName.equals(e.site())) {
      return e;
    }
    String prefix = HybridStorageException.describe(e.operation(), e.bucket(), e.object(), e.site()) + ": ";
    String message = String.valueOf(e.getMessage());
    String detail = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    if (e.site() != null) {
      detail = "at " + e.site() + ": " + detail;
    }
    return new HybridStorageException(e.code(), e.reason(), e.operation(), e.bucket(), e.object(), siteName, detail, e);
  }

  private <T> T guard(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (HybridStorageException e) {
      throw translate(e);
    }
  }

  /** What every site can do (the intersection). */
  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public BucketInfo createBucket(BucketSpec spec) {
    return guard(() -> createBucketRouted(spec));
  }

  private BucketInfo createBucketRouted(BucketSpec spec) {
    SiteHandle authority = bucketAuthority("createBucket", spec.name());
    BucketInfo info = authority.store().createBucket(spec);
    for (SiteHandle s : bucketSites(spec.name())) {
      if (s != authority) {
        try {
          s.store().createBucket(spec);
        } catch (HybridStorageException e) {
          if (e.code() != 409) {
            throw e;
          }
        }
      }
    }
    return info;
  }

  @Override
  public Optional<BucketInfo> getBucket(String bucket) {
    return guard(() -> getBucketRouted(bucket));
  }

  private Optional<BucketInfo> getBucketRouted(String bucket) {
    return bucketAuthority("getBucket", bucket).store().getBucket(bucket);
  }

  /** Buckets of every site, merged by name (the authority's view of each), paged by name. */
  @Override
  public ListPage<BucketInfo> listBuckets(BucketListRequest request) {
    return guard(() -> listBucketsRouted(request));
  }

  private ListPage<BucketInfo> listBucketsRouted(BucketListRequest request) {
    TreeMap<String, BucketInfo> all = new TreeMap<>(Verifier::compareUtf8);
    for (SiteHandle s : sites.values()) {
      String token = null;
      do {
        ListPage<BucketInfo> page = s.store().listBuckets(new BucketListRequest(request.prefix(), 0, token));
        for (BucketInfo b : page.items()) {
          if (!b.name().equals(settings.watermarkBucket())) { // the routers' own (replication watermarks)
            all.putIfAbsent(b.name(), b);
          }
        }
        token = page.nextPageToken();
      } while (token != null);
    }
    String after = request.pageToken() == null ? null
        : new String(Base64.getUrlDecoder().decode(request.pageToken()), StandardCharsets.UTF_8);
    int size = request.pageSize() == 0 ? ListRequest.DEFAULT_PAGE_SIZE : request.pageSize();
    List<BucketInfo> items = new ArrayList<>();
    String next = null;
    for (BucketInfo b : (after == null ? all : all.tailMap(after, false)).values()) {
      if (items.size() == size) {
        next = Base64.getUrlEncoder().encodeToString(items.get(size - 1).name().getBytes(StandardCharsets.UTF_8));
        break;
      }
      Placement p = bucketPlacement(b.name());
      if (p != null && sites.containsKey(p.authority())) {
        b = site(p.authority()).store().getBucket(b.name()).orElse(b);
      }
      items.add(b);
    }
    return ListPage.of(items, next);
  }

  @Override
  public BucketInfo updateBucket(String bucket, BucketPatch patch) {
    return guard(() -> updateBucketRouted(bucket, patch));
  }

  private BucketInfo updateBucketRouted(String bucket, BucketPatch patch) {
    SiteHandle authority = bucketAuthority("updateBucket", bucket);
    BucketInfo info = authority.store().updateBucket(bucket, patch);
    for (SiteHandle s : bucketSites(bucket)) {
      if (s != authority) {
        s.store().updateBucket(bucket, patch);
      }
    }
    return info;
  }

  @Override
  public boolean deleteBucket(String bucket) {
    return guard(() -> deleteBucketRouted(bucket));
  }

  private boolean deleteBucketRouted(String bucket) {
    SiteHandle authority = bucketAuthority("deleteBucket", bucket);
    // every site must be empty first: under async policies a replica may hold objects the
    // authority does not have yet, and a half-deleted bucket would lose them. Replicate what this
    // router still has pending for the bucket, so its own deletes have reached every site — its
    // best-effort appends (acknowledged before their fsync) included, once they are durable.
    awaitAppendsDurable();
    for (int pass = 0; pass < 5 && journal.hasPending(bucket); pass++) {
      replayPass();
    }
    for (SiteHandle s : bucketSites(bucket)) {
      if (s.store().getBucket(bucket).isPresent()
          && !s.store().list(ListRequest.of(bucket).withVersions(true).withPageSize(1)).items().isEmpty()) {
        throw HybridStorageException.conflict("deleteBucket", bucket, null, s.name(),
            "The bucket you tried to delete is not empty (site " + s.name() + " still holds object versions).");
      }
    }
    boolean deleted = authority.store().deleteBucket(bucket);
    for (SiteHandle s : bucketSites(bucket)) {
      if (s != authority) {
        deleted |= s.store().deleteBucket(bucket);
      }
    }
    return deleted;
  }

  @Override
  public Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
    return guard(() -> headRouted(id, conditions));
  }

  private Optional<ObjectInfo> headRouted(ObjectId id, Conditions conditions) {
    Optional<ObjectInfo> info = reads.head(placement("head", id.bucket(), id.name()), id, conditions);
    // a write after this read is newer
    info.ifPresent(i -> ctx.generations().observe(id.bucket(), id.name(), i.generation()));
    return info;
  }

  @Override
  public ObjectContent read(ReadRequest request) {
    return guard(() -> readRouted(request));
  }

  private ObjectContent readRouted(ReadRequest request) {
    ObjectId id = request.id();
    ObjectContent content = reads.read(placement("read", id.bucket(), id.name()), request);
    // a write after this read is newer (causality)
    ctx.generations().observe(id.bucket(), id.name(), content.info().generation());
    return content;
  }

  @Override
  public ObjectWriter openWrite(WriteRequest request) {
    ObjectWriter writer = guard(() -> writes.openWrite(route(changing("write", request.bucket(), request.name())),
        request));
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
    return guard(() -> deleteRouted(id, conditions));
  }

  private boolean deleteRouted(ObjectId id, Conditions conditions) {
    return writes.delete(route(changing("delete", id.bucket(), id.name())), id, conditions);
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
    return guard(() -> deleteUpToRouted(bucket, name, generation));
  }

  private boolean deleteUpToRouted(String bucket, String name, long generation) {
    String op = "deleteUpTo";
    Placement p = changing(op, bucket, name);
    List<SiteHandle> targets = new ArrayList<>();
    for (String replica : p.replicas()) {
      SiteHandle h = site(replica);
      if (!h.assignsGenerations()) {
        throw HybridStorageException.unsupported(op, bucket, name, replica);
      }
      targets.add(h);
    }
    ctx.generations().observe(bucket, name, generation);
    boolean removed = false;
    for (SiteHandle h : targets) {
      removed |= h.store().deleteUpTo(bucket, name, generation);
    }
    return removed;
  }

  @Override
  public ListPage<ObjectInfo> list(ListRequest request) {
    ListPage<ObjectInfo> page = guard(() -> listRouted(request));
    // a caller that saw a generation in a listing is causally after it, as after a read
    for (ObjectInfo info : page.items()) {
      ctx.generations().observe(info.bucket(), info.name(), info.generation());
    }
    return page;
  }

  /**
   * Served by the primary of the placement owning the names (see {@link PlacementScope}): one
   * site when one placement owns every name under the prefix; else each owner's names from its own
   * primary, merged into one listing ({@link Listing}: UTF-8 order, delimiters, offsets, glob,
   * versions, page tokens that resume after the last entry).
   */
  private ListPage<ObjectInfo> listRouted(ListRequest request) {
    String prefix = request.prefix() == null ? "" : request.prefix();
    PlacementScope scope = PlacementScope.of(options, request.bucket(), prefix);
    if (scope.isEmpty()) {
      placement("list", request.bucket(), prefix); // throws: no placement covers it
    }
    if (scope.isSingle() && scope.placements().get(0).covers(request.bucket(), prefix)) {
      return route(scope.placements().get(0)).primary().store().list(request);
    }
    return Listing.page(request, scope.source(p -> route(p).primary().store(), request), ObjectInfo::name,
        ObjectInfo::generation, "list", siteName);
  }

  @Override
  public ObjectInfo copy(CopyRequest request) {
    return guard(() -> copyRouted(request));
  }

  private ObjectInfo copyRouted(CopyRequest request) {
    Placement target = changing("copy", request.targetBucket(), request.targetName());
    Placement source = placement("copy", request.source().bucket(), request.source().name());
    Route route = route(target).forConditions(!request.targetConditions().isEmpty());
    if (!route(source).primary().name().equals(route.primary().name())) {
      // the source lives elsewhere: stream it through the router (read by policy, write by policy)
      try (ObjectContent content = reads.read(source, new ReadRequest(request.source(),
          io.hybridstorage.api.ByteRange.all(), request.sourceConditions()))) {
        ObjectInfo src = content.info();
        WriteRequest w = new WriteRequest(request.targetBucket(), request.targetName(),
            request.metadata() == null ? src.metadata() : request.metadata(), request.targetConditions(),
            src.crc32c(), null, 0, src.size());
        return write(w, content.stream());
      } catch (IOException e) {
        throw HybridStorageException.io("copy", request.targetBucket(), request.targetName(), null, e);
      }
    }
    return writes.copy(route, request);
  }

  @Override
  public ObjectInfo compose(ComposeRequest request) {
    return guard(() -> composeRouted(request));
  }

  private ObjectInfo composeRouted(ComposeRequest request) {
    return writes.compose(route(changing("compose", request.bucket(), request.targetName())), request);
  }

  @Override
  public ObjectInfo updateMetadata(ObjectId id, MetadataPatch patch, Conditions conditions) {
    return guard(() -> updateMetadataRouted(id, patch, conditions));
  }

  private ObjectInfo updateMetadataRouted(ObjectId id, MetadataPatch patch, Conditions conditions) {
    return writes.updateMetadata(route(changing("updateMetadata", id.bucket(), id.name())), id, patch,
        conditions);
  }

  /** Signed by the authority of the object's placement (501 when its backend cannot sign). */
  @Override
  public URL signUrl(SignUrlRequest request) {
    return guard(() -> signUrlRouted(request));
  }

  private URL signUrlRouted(SignUrlRequest request) {
    return site(placement("signUrl", request.bucket(), request.name()).authority()).store().signUrl(request);
  }

  // ------------------------------------------------------------------------ replication, verify, repair

  /**
   * Registers a listener for journal, replay and breaker events (for metrics and logs; see {@link
   * RoutingListener} for the threads they arrive on). It hears events from now on, after the
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

  /** Runs one replay pass now (besides the periodic ones); returns the entries replayed or skipped. */
  @Override
  public int replayNow() {
    return replayPass();
  }

  /** One replay pass, then the replication watermark if the pass changed what it must say. */
  private int replayPass() {
    int replayed = replayer.replayOnce();
    watermarks.publishQuietly();
    return replayed;
  }

  /**
   * Replays until the journal is empty or {@code timeout} passed on the options' {@link
   * HybridStorageOptions#clock() clock}; returns whether it drained. At least one pass runs. After
   * a pass that replayed nothing it waits: for appends of this router still being made durable
   * (best-effort journaling acknowledges before that), until the journal commits them; otherwise
   * (sites down, breakers open) {@value #DRAIN_POLL_MILLIS} ms, or what is left of the timeout,
   * through the options' {@link HybridStorageOptions#sleeper() sleeper} — on virtual time, until
   * the test advances the clock. Sites that are down keep their entries. An interrupt ends it with
   * {@code false} (the flag set).
   */
  @Override
  public boolean drain(Duration timeout) {
    Clock clock = options.clock();
    Sleeper sleeper = options.sleeper();
    Instant deadline = plusSaturated(clock.instant(), timeout);
    try {
      while (journal.depth() > 0) {
        long commits = journalCommits();
        int replayed = replayPass();
        if (journal.depth() == 0) {
          break;
        }
        boolean inFlight = replayed == 0 && appendsInFlight();
        if (inFlight) {
          // appends not yet durable are not replayable yet: a wait for the committer thread (real
          // time, bounded), before the deadline is judged — the deadline is on the options' clock,
          // which on virtual time does not move while the committer works
          awaitJournalCommitAfter(commits);
        }
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
          return false;
        }
        if (replayed == 0 && !inFlight) {
          sleeper.sleep(left.compareTo(DRAIN_POLL) < 0 ? left : DRAIN_POLL);
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static final long DRAIN_POLL_MILLIS = 10;
  private static final Duration DRAIN_POLL = Duration.ofMillis(DRAIN_POLL_MILLIS);

  /** Whether the journal holds appends not yet durable (not yet replayable): its depth counts them. */
  private boolean appendsInFlight() {
    return journal.inFlight() > 0;
  }

  /**
   * Waits until the journal commits a group after the {@code seen}-th: a wait for the committer
   * thread, not for time, so it is real; bounded by {@link #DRAIN_POLL} in case a commit fails.
   */
  private void awaitJournalCommitAfter(long seen) throws InterruptedException {
    synchronized (commitSignal) {
      if (journalCommits == seen) {
        commitSignal.wait(DRAIN_POLL_MILLIS);
      }
    }
  }

  /**
   * Waits (real time: for the journal's committer thread) until this router's appends are
   * durable and so replayable, at most {@link #APPEND_WAIT}; then the caller goes on regardless.
   */
  private void awaitAppendsDurable() {
    long deadline = System.nanoTime() + APPEND_WAIT.toNanos();
    try {
      while (appendsInFlight() && System.nanoTime() - deadline < 0) {
        awaitJournalCommitAfter(journalCommits());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final Duration APPEND_WAIT = Duration.ofSeconds(10);

  private long journalCommits() {
    synchronized (commitSignal) {
      return journalCommits;
    }
  }

  private static Instant plusSaturated(Instant start, Duration amount) {
    try {
      return start.plus(amount);
    } catch (DateTimeException | ArithmeticException e) {
      return amount.isNegative() ? Instant.MIN : Instant.MAX;
    }
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

  /** Runs {@code task} on a timer thread every {@code interval}, waited on the sleeper, until closed. */
  private void every(Duration interval, Runnable task) {
    timers.execute(() -> {
      while (!closed) {
        try {
          options.sleeper().sleep(interval);
        } catch (InterruptedException e) {
          return; // closed
        }
        if (!closed) {
          task.run();
        }
      }
    });
  }

  private void replayQuietly() {
    if (closed) {
      return;
    }
    try {
      replayPass();
    } catch (RuntimeException e) {
      log.warn("journal replay pass failed", e);
    }
  }

  /** Stops replay, closes the journal (pending entries stay for the next router) and, if owned, the sites. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    timers.shutdownNow(); // interrupts their waits
    replayer.stop();
    watermarks.close(); // a last watermark: deleted when nothing is pending, else marked closed
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
