package io.hybridstorage.sync;

import static java.util.Objects.requireNonNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.Reconciled;
import io.hybridstorage.routing.RoutingListener;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.sync.internal.Pending;
import io.hybridstorage.sync.internal.SyncQueue;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings objects written outside the SDK to the sites their hot-set rules name (issue 15): feeds
 * ({@link ChangeFeed}s such as a Pub/Sub subscription, a push endpoint through {@link #queue()},
 * and {@link #scanNow scans}) report changes; each is made durable in the engine's queue before its
 * feed acknowledges it; workers apply them.
 *
 * <p>Applying a change of {@code bucket/name} reconciles the object's <em>current</em> state, so
 * duplicated, reordered and late changes are harmless and changes of one object coalesce:
 *
 * <ol>
 *   <li>at each of the rule's {@link HotSetRule#writers() writer sites} (where NFS or S3 tools write
 *       on VAST), a copy without generation written no earlier than the authority's version (to
 *       the second) and with other bytes is written <em>through the router</em> (conditioned on
 *       the authority's generation), so the authority decides and assigns its generation — last
 *       writer by update time wins;
 *   <li>for each site the rule names: an object in the rule's window is brought to the authority's
 *       state ({@link RoutingStore#reconcile}: its generation, CRC32C-verified bytes, metadata, a
 *       tombstone for a delete; never an older generation over a newer one); one that left the
 *       window is evicted there once the authority holds the same or a newer generation (verified
 *       by CRC32C when the same) — never from the authority.
 * </ol>
 *
 * <p>Changes the same router replicated through its journal are not copied again: the engine
 * listens to the router's replays and skips a site that already received that generation (and
 * {@link RoutingStore#reconcile} finds a site that holds it anyway, without copying).
 *
 * <p>Lag — from a change's time at its source to applied — is kept per rule and site ({@link
 * #staleness()}) and told to {@link SyncListener}s. Thread-safe; {@link #close} stops it.
 */
public final class SyncEngine implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final int FEED_BATCH = 1000;

  private final RoutingStore router;
  private final SyncConfig config;
  private final Clock clock;
  private final SyncQueue queue;
  private final Scanner scanner;
  private final Staleness staleness = new Staleness();
  private final List<SyncListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<ChangeFeed> feeds = new ArrayList<>();
  /** site \n bucket \n name → the newest generation the router's journal replayed there. */
  private final Cache<String, Long> replayed = CacheBuilder.newBuilder().maximumSize(100_000)
      .expireAfterWrite(Duration.ofMinutes(10)).build();
  private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
  private final AtomicLong appliedCount = new AtomicLong();

  private final ExecutorService workers;
  private final ExecutorService feedThreads;
  private final ScheduledExecutorService timer;
  private volatile boolean closed;
  private boolean started;

  private SyncEngine(RoutingStore router, SyncConfig config, Clock clock, List<ChangeFeed> feeds) {
    this.router = requireNonNull(router, "router");
    this.config = requireNonNull(config, "config");
    this.clock = clock;
    this.feeds.addAll(feeds);
    this.queue = SyncQueue.open(config.stateDirectory());
    this.scanner = new Scanner(router, config, queue, clock);
    this.workers = Executors.newFixedThreadPool(config.workers(), daemon("hs-sync-apply"));
    this.feedThreads = Executors.newCachedThreadPool(daemon("hs-sync-feed"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("hs-sync-timer"));
    router.addListener(new RoutingListener() {
      @Override
      public void replayed(String site, String bucket, String name, long generation, boolean skipped) {
        replayed.asMap().merge(site + "\n" + bucket + "\n" + name, generation, Math::max);
      }
    });
  }

  /** An engine over {@code router} (whose sites and placements the rules name) with {@code config}. */
  public static Builder builder(RoutingStore router, SyncConfig config) {
    return new Builder(router, config);
  }

  /** Builds a {@link SyncEngine}; nothing runs before {@link SyncEngine#start}. */
  public static final class Builder {
    private final RoutingStore router;
    private final SyncConfig config;
    private final List<ChangeFeed> feeds = new ArrayList<>();
    private final List<SyncListener> listeners = new ArrayList<>();
    private Clock clock;

    private Builder(RoutingStore router, SyncConfig config) {
      this.router = router;
      this.config = config;
      this.clock = router.options().clock();
    }

    /** A feed to poll (a Pub/Sub subscription, an in-memory topic); closed with the engine. */
    public Builder feed(ChangeFeed feed) {
      feeds.add(requireNonNull(feed, "feed"));
      return this;
    }

    public Builder listener(SyncListener listener) {
      listeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    /** The clock lags and windows are measured on (default: the router's options' clock). */
    public Builder clock(Clock value) {
      this.clock = requireNonNull(value, "clock");
      return this;
    }

    public SyncEngine build() {
      SyncEngine e = new SyncEngine(router, config, clock, feeds);
      e.listeners.addAll(listeners);
      return e;
    }
  }

  /**
   * Starts the workers, the feeds' pollers and the periodic scan. Entries an earlier process left in
   * the state directory are applied first.
   */
  public synchronized SyncEngine start() {
    if (started) {
      return this;
    }
    started = true;
    for (int i = 0; i < config.workers(); i++) {
      workers.execute(this::work);
    }
    for (ChangeFeed f : feeds) {
      feedThreads.execute(() -> pollLoop(f));
    }
    if (!config.scanInterval().isZero()) {
      long ms = config.scanInterval().toMillis();
      timer.scheduleWithFixedDelay(() -> {
        try {
          scanNow();
        } catch (RuntimeException e) {
          log.warn("periodic scan failed; the next one retries", e);
        }
      }, ms, ms, TimeUnit.MILLISECONDS);
    }
    log.info("sync started: {} rule(s), {} feed(s), {} worker(s), {} pending from before, scans every {} (partition {}"
        + " of {})", config.rules().size(), feeds.size(), config.workers(), queue.depth(), config.scanInterval(),
        config.partition(), config.partitions());
    return this;
  }

  /** Where feeds without a poller of their own (a push endpoint) hand changes: durable when {@code put} returns. */
  public ChangeQueue queue() {
    return queue;
  }

  /** Adds a listener (metrics, logs). */
  public void addListener(SyncListener listener) {
    listeners.add(requireNonNull(listener, "listener"));
  }

  /**
   * Scans every rule now (this process's partition of it): lists the authority and the rule's sites
   * and queues every difference. Returns the changes queued. Resumes from the durable cursor a
   * killed scan left.
   */
  public int scanNow() {
    return scanner.scanAll();
  }

  /** Objects with changes not yet applied. */
  public int pending() {
    return queue.depth();
  }

  /** Changes applied (every site of their rule done) since start. */
  public long applied() {
    return appliedCount.get();
  }

  /** The age of the oldest change not yet applied (zero when none). */
  public Duration oldestPendingAge() {
    return queue.oldestEvent().map(t -> Duration.between(t, clock.instant())).orElse(Duration.ZERO);
  }

  /** Lag per rule and site. */
  public Staleness staleness() {
    return staleness;
  }

  /** Waits until nothing is pending (real time); returns whether that happened within {@code timeout}. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!queue.isIdle() || feeds.stream().anyMatch(f -> f.backlog() > 0)) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  // ------------------------------------------------------------------ feeds

  private void pollLoop(ChangeFeed feed) {
    while (!closed) {
      List<ChangeFeed.Delivery> batch;
      try {
        batch = feed.poll(FEED_BATCH, POLL);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!closed) {
          log.warn("polling feed {} failed; polling again", feed, e);
          sleepQuietly(POLL);
        }
        continue;
      }
      handOver(feed, batch);
    }
  }

  /** Makes a polled batch durable in the queue, then acknowledges it (or nacks it when that failed). */
  private void handOver(ChangeFeed feed, List<ChangeFeed.Delivery> batch) {
    {
      if (batch.isEmpty()) {
        return;
      }
      List<Change> changes = new ArrayList<>(batch.size());
      for (ChangeFeed.Delivery d : batch) {
        changes.add(d.change());
      }
      try {
        queue.put(changes); // durable: only now may the feed forget them
      } catch (RuntimeException e) {
        log.error("could not make {} change(s) durable; the feed delivers them again", changes.size(), e);
        batch.forEach(ChangeFeed.Delivery::nack);
        return;
      }
      feed.acknowledge(batch);
    }
  }

  // ------------------------------------------------------------------ apply

  private void work() {
    while (!closed) {
      Optional<Pending> next;
      try {
        next = queue.take(POLL);
      } catch (InterruptedException e) {
        return;
      }
      if (next.isEmpty()) {
        continue;
      }
      Pending p = next.get();
      Optional<HotSetRule> rule = config.ruleFor(p.bucket(), p.name());
      try {
        if (rule.isPresent()) {
          apply(rule.get(), p);
        } else {
          log.debug("gs://{}/{}: no hot-set rule covers it; dropped", p.bucket(), p.name());
        }
        attempts.remove(p.key());
        if (queue.complete(p)) {
          appliedCount.incrementAndGet();
        }
      } catch (RuntimeException e) {
        int attempt = attempts.merge(p.key(), 1, Integer::sum);
        Duration delay = backoff(attempt);
        log.debug("applying gs://{}/{} failed (attempt {}), again in {}: {}", p.bucket(), p.name(), attempt, delay,
            e.toString());
        if (attempt == 1 || attempt % 10 == 0) {
          log.warn("applying gs://{}/{} failed (attempt {}); it stays queued and is tried again in {}: {}",
              p.bucket(), p.name(), attempt, delay, e.getMessage());
        }
        String ruleId = rule.map(HotSetRule::id).orElse("-");
        listeners.forEach(l -> notify(() -> l.failed(ruleId, p.bucket(), p.name(), attempt, e)));
        if (!closed) {
          queue.retryLater(p, delay, timer);
        }
      }
    }
  }

  private static Duration backoff(int attempt) {
    long ms = 50L << Math.min(attempt - 1, 10);
    return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
  }

  /** Applies one object's coalesced changes for {@code rule}; throws when a site failed (retried later). */
  void apply(HotSetRule rule, Pending p) {
    String b = p.bucket();
    String n = p.name();
    ObjectStore authority = site(rule.authority());
    for (String s : rule.writers()) {
      ingestForeign(rule, s, b, n); // a newer copy written there outside the SDK goes to the authority first
    }
    Optional<ObjectInfo> truth = authority.head(ObjectId.of(b, n), Conditions.none());
    Instant now = clock.instant();
    boolean hot = truth.isPresent() && rule.isHot(n, updated(truth.get()), now);
    RuntimeException failure = null;
    for (String target : rule.sites()) {
      try {
        if (truth.isPresent() && !hot) {
          evict(rule, target, b, n, truth.get());
          continue;
        }
        Long done = replayed.getIfPresent(target + "\n" + b + "\n" + n);
        Reconciled outcome = truth.isPresent() && done != null && done >= truth.get().generation()
            ? Reconciled.UNCHANGED // the router's journal brought it there
            : router.reconcile(b, n, rule.authority(), target, truth.isPresent() ? 0 : deletedUpTo(rule, p));
        Duration measured = Duration.between(p.eventTime(), clock.instant());
        Duration lag = measured.isNegative() ? Duration.ZERO : measured; // clocks apart: not stale
        staleness.record(rule.id(), target, lag);
        router.reportSyncLag(rule.placement(), target, lag); // with the router's metrics (observability)
        listeners.forEach(l -> notify(() -> l.applied(rule.id(), target, b, n, outcome, lag)));
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * The newest generation known deleted when the authority holds nothing: the deletes reported, and
   * any generation the authority itself reported (it held that generation and holds nothing now:
   * deleted, even if the delete's own notification was lost).
   */
  private static long deletedUpTo(HotSetRule rule, Pending p) {
    return Math.max(p.deletedUpTo(), p.sites().contains(rule.authority()) ? p.generation() : 0);
  }

  @Nullable
  private static Instant updated(ObjectInfo i) {
    return i.updateTime() != null ? i.updateTime() : i.createTime();
  }

  /**
   * A copy without generation at {@code siteName} (written there outside the SDK) newer than the
   * authority's and with other bytes is written through the router, conditioned on what the
   * authority held, so the authority assigns it a generation; a 412 (the authority changed
   * meanwhile) is judged again.
   */
  private void ingestForeign(HotSetRule rule, String siteName, String b, String n) {
    ObjectStore site = site(siteName);
    for (int attempt = 0; attempt < 4; attempt++) {
      Optional<ObjectInfo> local = site.head(ObjectId.of(b, n), Conditions.none());
      if (local.isEmpty() || local.get().generation() != 0) {
        return; // nothing there, or a copy with a generation: the authority's business
      }
      ObjectInfo foreign = local.get();
      if (!rule.isHot(n, updated(foreign), clock.instant())) {
        return;
      }
      Optional<ObjectInfo> truth = site(rule.authority()).head(ObjectId.of(b, n), Conditions.none());
      if (truth.isPresent()) {
        ObjectInfo t = truth.get();
        if (t.size() == foreign.size() && t.crc32c() != null
            && t.crc32c().equals(io.hybridstorage.api.Checksums.crc32c(site, foreign))) {
          return; // the same bytes (read here when the site does not know their CRC32C): a replica already
        }
        Instant tu = updated(t);
        Instant fu = updated(foreign);
        if (tu != null && fu != null && fu.isBefore(tu.truncatedTo(ChronoUnit.SECONDS))) {
          return; // the authority's is newer: it wins, and reaches this site as any change does
        }
        // written in the same second or later (S3 and NFS times have one-second resolution): it wins
      }
      Conditions cond = truth.isPresent() ? Conditions.generationMatch(truth.get().generation())
          : Conditions.doesNotExist();
      try (ObjectContent content = site.read(ReadRequest.of(ObjectId.of(b, n)));
           InputStream in = content.stream()) {
        ObjectInfo src = content.info();
        ObjectInfo written = router.write(new WriteRequest(b, n, src.metadata(), cond, src.crc32c(), null, 0,
            src.size()), in);
        log.info("gs://{}/{} written at {} outside the SDK: now generation {} at {}", b, n, siteName,
            written.generation(), rule.authority());
        listeners.forEach(l -> notify(() -> l.ingested(rule.id(), siteName, b, n, written.generation())));
        return;
      } catch (HybridStorageException e) {
        if (e.code() != 412 && e.code() != 404) {
          throw e;
        }
        // the authority or the site changed while we looked: judge again
      } catch (IOException e) {
        throw HybridStorageException.io("sync", b, n, siteName, e);
      }
    }
    throw new HybridStorageException(503, "contention", "sync", b, n, siteName,
        "the object kept changing while bringing the copy written at " + siteName + " to " + rule.authority(), null);
  }

  /**
   * Removes the copy at {@code target} of an object that left the window, once the authority holds
   * that generation with the same CRC32C, or a newer one. A copy newer than the authority's (a write
   * still on its way there) is left alone.
   */
  private void evict(HotSetRule rule, String target, String b, String n, ObjectInfo truth) {
    ObjectStore site = site(target);
    Optional<ObjectInfo> copy = site.head(ObjectId.of(b, n), Conditions.none());
    if (copy.isEmpty()) {
      return;
    }
    ObjectInfo c = copy.get();
    boolean verified = c.generation() < truth.generation()
        || ((c.generation() == truth.generation() || c.generation() == 0) && Scanner.sameBytes(truth, c));
    if (!verified) {
      log.warn("gs://{}/{} left the hot set of {} but its copy at {} (generation {}) is not verified against {}"
          + " (generation {}); kept", b, n, rule.id(), target, c.generation(), rule.authority(), truth.generation());
      return;
    }
    boolean removed = c.generation() > 0 && site.capabilities()
        .contains(io.hybridstorage.api.Capability.ASSIGNED_GENERATIONS)
        ? site.deleteUpTo(b, n, c.generation())
        : deleteExactly(site, b, n, c);
    if (removed) {
      log.debug("gs://{}/{}#{} evicted from {} (left the window of {})", b, n, c.generation(), target, rule.id());
      listeners.forEach(l -> notify(() -> l.evicted(rule.id(), target, b, n, c.generation())));
    }
  }

  private static boolean deleteExactly(ObjectStore site, String b, String n, ObjectInfo c) {
    try {
      return site.delete(ObjectId.of(b, n), c.generation() == 0 ? Conditions.none()
          : Conditions.generationMatch(c.generation()));
    } catch (HybridStorageException e) {
      if (e.code() == 412 || e.code() == 404) {
        return false;
      }
      throw e;
    }
  }

  private ObjectStore site(String name) {
    ObjectStore s = router.siteStores().get(name);
    if (s == null) {
      throw new IllegalArgumentException("no site '" + name + "' in " + router);
    }
    return s;
  }

  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("a sync listener failed", e);
    }
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemon(String prefix) {
    return new ThreadFactoryBuilder().setNameFormat(prefix + "-%d").setDaemon(true).build();
  }

  /** Stops feeds, scans and workers (a change being applied finishes or is retried by the next process), then the queue. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ChangeFeed f : feeds) {
      try {
        f.close();
      } catch (RuntimeException e) {
        log.warn("closing feed {} failed", f, e);
      }
    }
    timer.shutdownNow();
    feedThreads.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(10, TimeUnit.SECONDS);
      feedThreads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    queue.close();
  }
}
