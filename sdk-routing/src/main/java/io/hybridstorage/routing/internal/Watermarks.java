package io.hybridstorage.routing.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.RoutingSettings;
import io.hybridstorage.routing.internal.journal.ReplicationJournal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replication watermarks: how far behind each site may be with the changes that any router (any
 * process) still holds in its journal, published where every router can read them, so an
 * EVENTUAL read bounds a replica's staleness across processes and not only by its own journal.
 *
 * <p><b>Publishing.</b> A router with pending journal entries keeps one small object, {@code
 * watermarks/<router id>} in {@link RoutingSettings#watermarkBucket()}, on the authority of each of
 * its placements (the bucket is created there on demand). It says: "as of {@code publishedAt}, my
 * oldest pending change towards site S was enqueued at T(S)", for each S with pending entries, and
 * how often it republishes ({@link RoutingSettings#watermarkInterval()}). It is written
 * <ul>
 *   <li>at once when a site gets pending entries that the published object does not cover (the
 *       journal tells after each group commit, and each replay pass checks);
 *   <li>every watermark interval while anything is pending (so it stays recent);
 *   <li>otherwise at most once per interval when things improved — and deleted once nothing is
 *       pending: a router with nothing pending has nothing to say and costs no call;
 *   <li>on {@link #close()}: marked {@code closed} when entries remain (they wait for a router
 *       reopened on the same journal, which has the same id, to replay them), deleted when none.
 * </ul>
 * The router id lives in the journal directory ({@code router-id}), so a router reopened on a
 * journal after {@code kill -9} takes over its predecessor's watermark; a marker file ({@code
 * watermark-published}) tells it that one may still be published.
 *
 * <p><b>Reading.</b> {@link #lag} lists and reads the watermarks at a placement's authority,
 * cached: refetched in the background once older than a quarter of the staleness bound asked
 * about, and by the reading thread itself once older than half of it. It answers, for a site S,
 * the largest of
 * <ul>
 *   <li>the age of the snapshot (a router whose entries appeared after it was fetched is unseen);
 *   <li>now - T(S) for every watermark listing S;
 *   <li>now - publishedAt for every watermark not republished within twice its interval and not
 *       closed: its router died or cannot reach the authority, and may hold entries towards any
 *       site that it could not announce.
 * </ul>
 * Without a snapshot (the authority never answered) the lag is unknown: {@link Duration} of {@link
 * Long#MAX_VALUE} seconds.
 *
 * <p>Limits: times are each router's clock, so clock skew between routers adds to the error; a
 * change acknowledged before its router's first announcement for that site landed (one round trip
 * to the authority; the whole time it cannot reach the authority) is not seen by other routers;
 * a router killed with entries pending keeps readers off the replicas until its journal is
 * reopened and drained, or its watermark object is deleted by an operator after a repair.
 *
 * <p>Thread-safe. Time from the injected clock.
 */
public final class Watermarks {

  private static final Logger log = LoggerFactory.getLogger(Watermarks.class);

  /** Where the watermark objects live in the watermark bucket: {@code watermarks/<router id>}. */
  public static final String PREFIX = "watermarks/";
  /** A lag that cannot be known. */
  public static final Duration UNKNOWN = Duration.ofSeconds(Long.MAX_VALUE);
  static final String ID_FILE = "router-id";
  static final String MARKER_FILE = "watermark-published";

  private final ReplicationJournal journal;
  private final Clock clock;
  private final String bucket;
  private final long intervalMillis;
  private final String routerId;
  private final Path marker;
  private final List<String> targets;
  private final List<SiteHandle> publishTo;
  private final Executor executor;

  private final ReentrantLock publishLock = new ReentrantLock();
  /** What every publishing site holds for this router (site → T); null: unknown, publish at the next chance. */
  @Nullable private volatile Map<String, Long> published;
  private long publishedAt = Long.MIN_VALUE;
  private final AtomicBoolean publishQueued = new AtomicBoolean();
  private volatile boolean closed;

  private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
  private final Map<String, ReentrantLock> refreshing = new ConcurrentHashMap<>();

  /** One router's published watermark. */
  record Record(String router, long publishedAt, long intervalMillis, boolean closed, Map<String, Long> pending) {}

  /** The watermarks at one authority, fetched starting at {@code fetchedAt} (the reader's clock). */
  private record Snapshot(long fetchedAt, List<Record> records) {}

  /**
   * @param journalDirectory where the router id and the publication marker are kept
   * @param publishTo the sites this router publishes its watermark to (the placements' authorities)
   * @param targets every site name entries may target
   * @param executor runs a publication the journal asked for (off the journal's committer thread)
   */
  public Watermarks(ReplicationJournal journal, Clock clock, RoutingSettings settings, Path journalDirectory,
      Collection<SiteHandle> publishTo, Collection<String> targets, Executor executor) {
    this.journal = journal;
    this.clock = clock;
    this.bucket = settings.watermarkBucket();
    this.intervalMillis = Math.max(1, settings.watermarkInterval().toMillis());
    this.publishTo = List.copyOf(publishTo);
    this.targets = List.copyOf(targets);
    this.executor = executor;
    this.routerId = routerId(journalDirectory);
    this.marker = journalDirectory.resolve(MARKER_FILE);
    // an earlier process on this journal may have left a watermark: publish the truth at the first chance
    this.published = Files.exists(marker) ? null : Map.of();
  }

  private static String routerId(Path directory) {
    Path file = directory.resolve(ID_FILE);
    try {
      if (Files.exists(file)) {
        String id = Files.readString(file, UTF_8).trim();
        if (!id.isEmpty()) {
          return id;
        }
      }
      String id = UUID.randomUUID().toString();
      Path tmp = directory.resolve(ID_FILE + ".tmp");
      Files.writeString(tmp, id, UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the router id " + file, e);
    }
  }

  /** This router's id: the name of its watermark object under {@link #PREFIX}. */
  public String routerId() {
    return routerId;
  }

  // ------------------------------------------------------------------------------ publishing

  /**
   * The journal made entries durable: when a site now has pending entries the published
   * watermark does not cover, publish soon (on the executor; at most one queued publication).
   * Cheap; called on the journal's committer thread.
   */
  public void appended() {
    if (closed) {
      return;
    }
    Map<String, Long> view = published;
    boolean uncovered = view == null;
    for (int i = 0; !uncovered && i < targets.size(); i++) {
      String t = targets.get(i);
      uncovered = journal.depth(t) > 0 && !view.containsKey(t);
    }
    if (uncovered && publishQueued.compareAndSet(false, true)) {
      try {
        executor.execute(() -> {
          publishQueued.set(false);
          // wait for a publication under way (a timer's may have computed before this append)
          // rather than skip it: skipping leaves the new pending site unannounced a whole interval
          publishAfterOthersQuietly();
        });
      } catch (RejectedExecutionException e) {
        publishQueued.set(false); // closing
      }
    }
  }

  /** {@link #publish()}, logging instead of throwing: for timers and replay passes. */
  public void publishQuietly() {
    try {
      publish();
    } catch (RuntimeException e) {
      log.warn("publishing the replication watermark of router {} failed", routerId, e);
    }
  }

  /**
   * Publishes this router's watermark when needed (see the class comment): at once when it does
   * not cover a site with pending entries or is unknown, else when the interval is due and there
   * is anything to say. A failure at a site leaves the watermark unknown, so the next chance tries
   * again. Returns without a call when nothing is needed.
   */
  public void publish() {
    publish(false, false);
  }

  /**
   * {@link #publishQuietly()}, but waiting for a publication another thread has under way rather
   * than skipping: that one may have computed what to say before the caller's change, so
   * skipping could leave a withdrawn or narrowed watermark unsaid until the next interval. For
   * explicit replay passes ({@code RoutingStore.replayNow}), whose caller expects the watermark
   * to say what the pass left.
   */
  public void publishAfterOthersQuietly() {
    try {
      publish(false, true);
    } catch (RuntimeException e) {
      log.warn("publishing the replication watermark of router {} failed", routerId, e);
    }
  }

  private void publish(boolean closing, boolean wait) {
    if (wait) {
      publishLock.lock();
    } else if (!publishLock.tryLock()) {
      return; // another thread is publishing (a slow site): a periodic replay pass must not wait behind it
    }
    try {
      if (closed && !closing) {
        return;
      }
      long now = clock.millis();
      Map<String, Long> current = pending(now);
      Map<String, Long> held = published;
      boolean silent = held != null && held.isEmpty() && current.isEmpty();
      boolean due = publishedAt == Long.MIN_VALUE || now - publishedAt >= intervalMillis;
      if (!(held == null || uncovered(current, held) || (closing || due) && !silent)) {
        return;
      }
      boolean ok = true;
      for (SiteHandle site : publishTo) {
        ok &= publishTo(site, current, now, closing);
      }
      if (ok) {
        published = current;
        publishedAt = now;
        if (current.isEmpty()) {
          deleteMarker();
        }
      } else {
        published = null;
      }
    } finally {
      publishLock.unlock();
    }
  }

  /** Whether some site in {@code current} is missing from {@code held} or held with a later time. */
  private static boolean uncovered(Map<String, Long> current, Map<String, Long> held) {
    for (Map.Entry<String, Long> e : current.entrySet()) {
      Long t = held.get(e.getKey());
      if (t == null || t > e.getValue()) {
        return true;
      }
    }
    return false;
  }

  /** Site → enqueue time (this router's clock) of its oldest pending entry, for sites with any. */
  private Map<String, Long> pending(long now) {
    Map<String, Long> result = new LinkedHashMap<>();
    for (String t : targets) {
      if (journal.depth(t) > 0) {
        // the age is taken after now: now - age is never later than the entry's own time
        result.put(t, now - journal.oldestAge(t).toMillis());
      }
    }
    return result;
  }

  private boolean publishTo(SiteHandle site, Map<String, Long> current, long now, boolean closing) {
    ObjectId id = ObjectId.of(bucket, PREFIX + routerId);
    try {
      if (current.isEmpty()) {
        site.store().delete(id, Conditions.none());
      } else {
        createMarker();
        byte[] body = encode(new Record(routerId, now, intervalMillis, closing, current));
        try {
          site.store().write(WriteRequest.of(bucket, id.name()).withExpectedSize(body.length),
              new ByteArrayInputStream(body));
        } catch (HybridStorageException e) {
          if (e.code() != 404) {
            throw e;
          }
          createBucket(site);
          site.store().write(WriteRequest.of(bucket, id.name()).withExpectedSize(body.length),
              new ByteArrayInputStream(body));
        }
      }
      log.debug("router {} published its watermark {} at {}", routerId, current, site.name());
      return true;
    } catch (HybridStorageException e) {
      if (current.isEmpty() && e.code() == 404) {
        return true; // no bucket: nothing to delete
      }
      log.debug("publishing the watermark of router {} at {} failed (retried at the next chance)", routerId,
          site.name(), e);
      return false;
    }
  }

  private void createBucket(SiteHandle site) {
    try {
      site.store().createBucket(BucketSpec.of(bucket));
      log.info("created the replication watermark bucket {} at {}", bucket, site.name());
    } catch (HybridStorageException e) {
      if (e.code() != 409) {
        throw e;
      }
    }
  }

  private void createMarker() {
    if (Files.exists(marker)) {
      return;
    }
    try (OutputStream out = Files.newOutputStream(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.SYNC)) {
      out.write(routerId.getBytes(UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + marker, e);
    }
  }

  private void deleteMarker() {
    try {
      Files.deleteIfExists(marker);
    } catch (IOException e) {
      log.warn("cannot delete {} (the next router on this journal deletes the watermark again)", marker, e);
    }
  }

  /**
   * Stops publishing after a last publication: a watermark marked closed when entries remain
   * (readers stay off their sites until a router reopened on this journal replays them), deleted
   * when none do. Makes no call when nothing was published.
   */
  public void close() {
    closed = true;
    try {
      publish(true, true);
    } catch (RuntimeException e) {
      log.warn("publishing the last replication watermark of router {} failed", routerId, e);
    }
  }

  // ------------------------------------------------------------------------------ reading

  /**
   * How far behind {@code site} may be with the changes routers still hold, by the watermarks at
   * {@code authority} (see the class comment); {@link #UNKNOWN} when they could never be read.
   * Refetches them (one list and one small read per router with pending entries) when the cached
   * ones are older than half of {@code bound} (in the background from a quarter); while another
   * thread refetches, answers from the cache.
   */
  public Duration lag(SiteHandle authority, String site, Duration bound) {
    Snapshot s = snapshots.get(authority.name());
    long half = bound.toMillis() / 2;
    long age = s == null ? Long.MAX_VALUE : clock.millis() - s.fetchedAt();
    if (age > half) {
      s = refresh(authority, s);
    } else if (age > half / 2) {
      refreshSoon(authority); // before it expires, so steady readers do not wait for it
    }
    if (s == null) {
      return UNKNOWN;
    }
    long now = clock.millis();
    long lag = now - s.fetchedAt();
    for (Record r : s.records()) {
      Long t = r.pending().get(site);
      if (t != null) {
        lag = Math.max(lag, now - t);
      }
      if (!r.closed() && now - r.publishedAt() > 2 * r.intervalMillis()) {
        lag = Math.max(lag, now - r.publishedAt());
      }
    }
    return Duration.ofMillis(Math.max(0, lag));
  }

  private void refreshSoon(SiteHandle authority) {
    ReentrantLock lock = refreshing.computeIfAbsent(authority.name(), k -> new ReentrantLock());
    if (!lock.isLocked()) {
      try {
        executor.execute(() -> refresh(authority, snapshots.get(authority.name())));
      } catch (RejectedExecutionException e) {
        // closing: the next read refreshes for itself
      }
    }
  }

  @Nullable
  private Snapshot refresh(SiteHandle authority, @Nullable Snapshot previous) {
    ReentrantLock lock = refreshing.computeIfAbsent(authority.name(), k -> new ReentrantLock());
    if (!lock.tryLock()) {
      return previous;
    }
    try {
      long started = clock.millis();
      List<Record> records = new ArrayList<>();
      String token = null;
      do {
        ListPage<ObjectInfo> page;
        try {
          page = authority.store().list(ListRequest.of(bucket).withPrefix(PREFIX).withPageToken(token));
        } catch (HybridStorageException e) {
          if (e.code() != 404) {
            throw e;
          }
          break; // no watermark bucket: no router has published anything
        }
        for (ObjectInfo info : page.items()) {
          Record r = read(authority, info.name());
          if (r != null) {
            records.add(r);
          }
        }
        token = page.nextPageToken();
      } while (token != null);
      return snapshots.merge(authority.name(), new Snapshot(started, List.copyOf(records)),
          (old, fetched) -> fetched.fetchedAt() >= old.fetchedAt() ? fetched : old);
    } catch (HybridStorageException | UncheckedIOException e) {
      log.debug("reading the replication watermarks at {} failed; the cached ones age", authority.name(), e);
      return previous;
    } finally {
      lock.unlock();
    }
  }

  @Nullable
  private Record read(SiteHandle authority, String name) {
    byte[] body;
    try (ObjectContent content = authority.store().read(ReadRequest.of(ObjectId.of(bucket, name)))) {
      body = content.stream().readAllBytes();
    } catch (HybridStorageException e) {
      if (e.code() == 404) {
        return null; // deleted since the listing: its router has nothing pending
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Record r = decode(body);
    if (r == null) {
      log.warn("ignoring the unreadable replication watermark gs://{}/{} at {}", bucket, name, authority.name());
    }
    return r;
  }

  static byte[] encode(Record r) {
    StringBuilder sb = new StringBuilder()
        .append("router=").append(r.router()).append('\n')
        .append("publishedAt=").append(r.publishedAt()).append('\n')
        .append("interval=").append(r.intervalMillis()).append('\n')
        .append("closed=").append(r.closed()).append('\n');
    for (Map.Entry<String, Long> e : r.pending().entrySet()) {
      sb.append("pending.").append(e.getKey()).append('=').append(e.getValue()).append('\n');
    }
    return sb.toString().getBytes(UTF_8);
  }

  @Nullable
  static Record decode(byte[] body) {
    String router = null;
    Long publishedAt = null;
    long interval = 0;
    boolean closed = false;
    Map<String, Long> pending = new LinkedHashMap<>();
    try {
      for (String line : new String(body, UTF_8).split("\n")) {
        int eq = line.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String key = line.substring(0, eq);
        String value = line.substring(eq + 1).trim();
        switch (key) {
          case "router" -> router = value;
          case "publishedAt" -> publishedAt = Long.parseLong(value);
          case "interval" -> interval = Long.parseLong(value);
          case "closed" -> closed = Boolean.parseBoolean(value);
          default -> {
            if (key.startsWith("pending.")) {
              pending.put(key.substring("pending.".length()), Long.parseLong(value));
            }
          }
        }
      }
    } catch (NumberFormatException e) {
      return null;
    }
    if (router == null || publishedAt == null || interval <= 0) {
      return null;
    }
    return new Record(router, publishedAt, interval, closed, Map.copyOf(pending));
  }
}
