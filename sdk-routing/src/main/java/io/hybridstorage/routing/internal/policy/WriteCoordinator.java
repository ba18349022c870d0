package io.hybridstorage.routing.internal.policy;

import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.internal.Replicator;
import io.hybridstorage.routing.internal.RoutingContext;
import io.hybridstorage.routing.internal.SiteHandle;
import io.hybridstorage.routing.internal.journal.JournalEntry;
import io.hybridstorage.routing.internal.journal.JournalEntry.Op;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out changes (writes, deletes, metadata patches, copies, composes) by a {@link Route}.
 *
 * <p>Every change is decided at the route's primary — the authority, or the local site under
 * LOCAL_THEN_ASYNC — which checks the caller's preconditions and fixes the generation. The other
 * replicas then get exactly that generation (compare-and-skip), synchronously or through the
 * journal as the policy says; {@link #settle} applies the policy's acknowledgement rule.
 *
 * <p>Streamed writes ({@link RoutedWriter}) take one of two paths:
 *
 * <ul>
 *   <li><b>parallel tee</b> (when every synchronous site accepts caller-assigned generations): the
 *       router issues the generation up front, opens a writer on every synchronous site at once
 *       and passes each buffer to all of them (memory bounded by the caller's buffer). At commit
 *       the primary commits first when the caller set preconditions (they are decided there),
 *       else all sites commit in parallel — latency of the slowest site, not the sum. A primary
 *       that fails after replicas committed does not make them undo it: the write-ahead entries
 *       (one for the primary itself among them) roll every site forward to one state.
 *   <li><b>primary first</b> (the primary assigns its own generation, e.g. GCS): bytes stream to
 *       the primary and up to {@code teeBufferBytes} are kept; after the primary commits, the
 *       replicas are written in parallel from that buffer, or — for larger bodies — read back
 *       from the primary.
 * </ul>
 *
 * <p>Every change first appends its write-ahead {@link Intent} — a journal entry per site besides
 * the primary — and, for policies with a durable journal, waits for its fsync before the first
 * commit anywhere; sites that confirm drop their entry. A change the primary refused (a decided
 * 4xx, so no site holds it) drops them all; one whose outcome is unknown (503, a reset, a lost
 * acknowledgement) keeps them, and replay resolves it by reading the source. Nothing is ever
 * rolled back by deleting.
 */
public final class WriteCoordinator {

  private static final Logger log = LoggerFactory.getLogger(WriteCoordinator.class);

  private final RoutingContext ctx;
  private final SessionTracker session;

  public WriteCoordinator(RoutingContext ctx, SessionTracker session) {
    this.ctx = ctx;
    this.session = session;
  }

  // ------------------------------------------------------------------------------------ writes

  public ObjectWriter openWrite(Route placed, WriteRequest request) {
    Route route = decidingRoute(placed, !request.conditions().isEmpty(), request.bucket(), request.name());
    if (route.failsWhenReplicaDown()) {
      List<SiteHandle> down = route.synchronous().stream().filter(SiteHandle::isOpen).toList();
      if (!down.isEmpty()) {
        throw downError("write", request.bucket(), request.name(), route, down);
      }
    }
    return new RoutedWriter(route, request);
  }

  private static HybridStorageException downError(String op, String bucket, String name, Route route,
      List<SiteHandle> down) {
    return new HybridStorageException(503, "replicaUnavailable", op, bucket, name, down.get(0).name(),
        "replica site(s) " + down + " unavailable and placement '" + route.placement().id()
            + "' fails writes when a replica is down (failWritesWhenReplicaDown=true)", null);
  }

  private final class RoutedWriter implements ObjectWriter {
    private final Route route;
    private final WriteRequest request;
    private final boolean parallel;
    private final long generation; // 0 until known on the primary-first path
    private final ObjectWriter primaryWriter;
    private final Map<SiteHandle, ObjectWriter> replicaWriters = new LinkedHashMap<>();
    private final Map<SiteHandle, Throwable> replicaFailures = new LinkedHashMap<>();
    /** Replicas that refused this generation while the body streamed: they hold it or newer. */
    private final List<SiteHandle> replicasSkipped = new ArrayList<>();
    /**
     * The primary's 412 for this generation when it came from {@code write} (a store that decides
     * as the bytes start, e.g. a streamed PUT) and the write can be retried from the buffer: the
     * rest of the body is only buffered, and commit retries.
     */
    @Nullable private HybridStorageException lostRace;
    private final Checksums checksums;
    /** The CRC32C of the whole body, once committing. */
    @Nullable private volatile String crc32c;
    @Nullable private byte[] buffer;
    private int buffered;
    private boolean open = true;
    private boolean committed;
    private final int attempt;
    /**
     * The write-ahead entries (every site besides the primary; on the parallel path of an
     * unconditional write with synchronous replicas, the primary too, since they may commit before
     * it), appended as soon as the write is open so that their fsync overlaps the body's streaming.
     */
    @Nullable private Intent intent;

    RoutedWriter(Route route, WriteRequest request) {
      this(route, request, 0);
    }

    RoutedWriter(Route route, WriteRequest request, int attempt) {
      this.route = route;
      this.request = request;
      this.attempt = attempt;
      // the router sees every byte: it decides size and checksums before any site commits
      // MD5 costs ~35 CRC32Cs: computed here only to verify the caller's, or to hand it to sites
      // that would compute it themselves (in-process ones), once for all of them
      this.checksums = request.md5() != null || route.primary().isInProcess()
          || route.synchronous().stream().anyMatch(SiteHandle::isInProcess) ? new Checksums() : Checksums.withoutMd5();
      if (request.generation() != 0) {
        ctx.generations().observe(request.bucket(), request.name(), request.generation());
      }
      boolean preassignable = route.primary().assignsGenerations()
          && route.synchronous().stream().allMatch(SiteHandle::assignsGenerations);
      this.parallel = request.generation() != 0
          || (preassignable && (ctx.settings().parallelTee() || route.synchronous().isEmpty()));
      // above the generation the caller's condition names: the primary holds it, and would refuse
      // a generation not newer although the condition holds (another router's clock ahead of ours)
      Long match = request.conditions().ifGenerationMatch();
      this.generation = request.generation() != 0 ? request.generation()
          : parallel ? ctx.generations().next(request.bucket(), request.name(), match == null ? 0 : match) : 0;
      Map<SiteHandle, CompletableFuture<ObjectWriter>> opening = new LinkedHashMap<>();
      if (parallel) {
        WriteRequest replica = Replicator.replicaRequest(request, generation);
        for (SiteHandle s : route.synchronous()) {
          if (s.isOpen()) {
            replicaFailures.put(s, new IllegalStateException("circuit open"));
          } else {
            opening.put(s, s.isInProcess() ? opened(s, replica)
                : CompletableFuture.supplyAsync(() -> s.store().openWrite(replica), ctx.pool()));
          }
        }
      }
      // kept for the replicas (primary-first path) or to retry a write whose generation lost a race
      if (!parallel || request.generation() == 0) {
        long declared = request.expectedSize();
        this.buffer = new byte[(int) Math.min(ctx.settings().teeBufferBytes(),
            declared == WriteRequest.UNKNOWN_SIZE ? 8 * 1024 : declared)];
      }
      ObjectWriter primary;
      try {
        primary = route.primary().store().openWrite(parallel ? request.withGeneration(generation) : request);
      } catch (RuntimeException e) {
        opening.values().forEach(f -> f.thenAccept(ObjectWriter::close));
        throw e;
      }
      this.primaryWriter = primary;
      List<SiteHandle> targets = Intent.targets(route);
      if (parallel && request.conditions().isEmpty() && !route.synchronous().isEmpty()) {
        targets.add(route.primary()); // its replicas may commit first: the primary may need rolling forward
      }
      // If the write never commits anywhere (failure, abandon), replay finds no such generation and
      // skips the entries; until the write settles they are held back from replay.
      this.intent = Intent.append(ctx, route, Op.WRITE, request.bucket(), request.name(), parallel ? generation : 0,
          targets);
      opening.forEach((site, f) -> {
        try {
          replicaWriters.put(site, f.get());
        } catch (ExecutionException e) {
          replicaFailures.put(site, e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          replicaFailures.put(site, e);
        }
      });
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
      if (!open) {
        throw new IOException("write of gs://" + request.bucket() + "/" + request.name() + " is closed");
      }
      int n = source.remaining();
      try {
        // decided once here, not by each site: a 400 is the caller's, not a replica failure
        request.checkWritable(checksums.size() + n, route.primary().name());
      } catch (RuntimeException e) {
        close();
        throw e;
      }
      checksums.update(source);
      if (lostRace != null) {
        keep(source, n);
        if (buffer == null) {
          close();
          throw lostRace; // the body outgrew the buffer: it cannot be retried
        }
        source.position(source.limit());
        return n;
      }
      for (var it = replicaWriters.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        try {
          ByteBuffer copy = source.duplicate();
          while (copy.hasRemaining()) {
            e.getValue().write(copy);
          }
        } catch (IOException | RuntimeException failure) {
          if (failure instanceof HybridStorageException h && h.code() == 412) {
            // a store may decide at the first bytes (a streamed PUT): as a 412 at commit, a skip
            replicasSkipped.add(e.getKey());
          } else {
            replicaFailures.put(e.getKey(), failure);
          }
          e.getValue().close();
          it.remove();
        }
      }
      keep(source, n);
      try {
        while (source.hasRemaining()) {
          primaryWriter.write(source);
        }
      } catch (HybridStorageException e) {
        if (!canRetry(e)) {
          throw e;
        }
        // as a 412 at commit (below), but decided as the bytes started: nothing was committed
        // anywhere, so the replicas' copies are dropped now and commit retries from the buffer
        lostRace = e;
        primaryWriter.close();
        replicaWriters.values().forEach(ObjectWriter::close);
        replicaWriters.clear();
        source.position(source.limit());
      }
      return n;
    }

    /** Adds the buffer's {@code n} remaining bytes to the kept copy, or drops it past {@code teeBufferBytes}. */
    private void keep(ByteBuffer source, int n) {
      if (buffer != null) {
        if (buffered + n <= ctx.settings().teeBufferBytes()) {
          if (buffered + n > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(ctx.settings().teeBufferBytes(),
                Math.max(buffer.length * 2, buffered + n)));
          }
          source.duplicate().get(buffer, buffered, n);
          buffered += n;
        } else {
          buffer = null; // too large: replicas read it back from the primary
          buffered = -1;
        }
      }
    }

    /**
     * Whether the primary's {@code failure} means that a newer generation went live between issuing
     * ours and publishing it (another writer won the race), and this write can be retried: an
     * unconditional write must still succeed, as on GCS — again, newer. A conditional write is
     * retried only when the primary refused the generation itself ({@link
     * HybridStorageException#heldGeneration()}: it checks the caller's conditions first, so they
     * held): the primary held a newer one, live or deleted, e.g. issued by a router whose clock is
     * ahead; the retry's generation is above it and the conditions are decided again.
     */
    private boolean canRetry(Exception failure) {
      return parallel && request.generation() == 0
          && failure instanceof HybridStorageException h && h.code() == 412
          && (request.conditions().isEmpty() || h.heldGeneration() > 0) && buffer != null && attempt < 8;
    }

    @Override
    public ObjectInfo commit() throws IOException {
      if (committed) {
        throw new IllegalStateException("commit() called twice for gs://" + request.bucket() + "/" + request.name());
      }
      if (!open) {
        throw new java.nio.channels.ClosedChannelException(); // abandoned (closed, or failed on a write)
      }
      committed = true;
      try {
        String[] sums = checksums.finish();
        crc32c = sums[0];
        request.verify(checksums.size(), sums[0], sums[1], route.primary().name());
        if (lostRace == null) { // the sites' writers got every byte: they may store these sums
          primaryWriter.precomputedChecksums(sums[0], sums[1]);
          replicaWriters.values().forEach(w -> w.precomputedChecksums(sums[0], sums[1]));
        }
        if (route.durableJournal()) {
          intent.awaitDurable("write"); // write-ahead: durable before the first commit anywhere
        }
        return parallel ? commitParallel() : commitPrimaryFirst();
      } finally {
        close();
      }
    }

    /** The write-ahead entries were appended at open and are held until {@link #close()} (after the commit). */
    private ObjectInfo commitParallel() throws IOException {
      String b = request.bucket();
      String n = request.name();
      Map<SiteHandle, CompletableFuture<?>> sync = new LinkedHashMap<>();
      boolean conditional = !request.conditions().isEmpty();
      if (lostRace != null) {
        observeAfterFailure(lostRace);
        return retryFromBuffer();
      }
      if (!conditional) {
        replicaWriters.forEach((site, w) -> sync.put(site, commitAsync(site, w)));
      }
      ObjectInfo info;
      try {
        info = primaryWriter.commit();
      } catch (IOException | RuntimeException e) {
        // Never roll back: replicas that committed this generation keep it and the write-ahead
        // entries bring every site to one state. Their commits must end before the writers close.
        sync.values().forEach(f -> f.handle((v, t) -> null).join());
        replicaWriters.clear();
        if (conditional && isRefusal(e)) {
          intent.cancel(); // decided at the primary first: no site committed it
        }
        observeAfterFailure(e);
        if (canRetry(e)) {
          return retryFromBuffer();
        }
        throw e;
      }
      ctx.generations().observe(b, n, info.generation());
      intent.confirm(route.primary());
      if (conditional) {
        replicaWriters.forEach((site, w) -> sync.put(site, commitAsync(site, w)));
      }
      replicaFailures.forEach((site, t) -> sync.put(site, CompletableFuture.failedFuture(t)));
      replicasSkipped.forEach(site -> sync.put(site, CompletableFuture.supplyAsync(() -> skippedOrCollided(site),
          ctx.pool())));
      replicaWriters.clear();
      settle(route, b, n, info.generation(), sync, intent, "write", true);
      session.wrote(b, n, info.generation());
      return info;
    }

    private ObjectInfo retryFromBuffer() throws IOException {
      log.debug("gs://{}/{}: generation {} lost a race, retrying (attempt {})", request.bucket(), request.name(),
          generation, attempt + 1);
      replicaWriters.values().forEach(ObjectWriter::close);
      replicaWriters.clear();
      try (RoutedWriter retry = new RoutedWriter(route, request, attempt + 1)) {
        ByteBuffer body = ByteBuffer.wrap(buffer, 0, buffered);
        while (body.hasRemaining()) {
          retry.write(body);
        }
        return retry.commit();
      }
    }

    /**
     * A replica refused this write's generation: it holds it or a newer one (skipped) — unless it
     * holds it with other bytes, another writer's that drew the same generation: then it is not
     * acknowledged (409), and the journal entry replaces them with the authority's.
     */
    private Replicator.Outcome skippedOrCollided(SiteHandle site) {
      if (Replicator.holdsOtherBytes(site, request.bucket(), request.name(), generation, checksums.size(),
          crc32c)) {
        throw HybridStorageException.conflict("write", request.bucket(), request.name(), site.name(),
            "generation " + generation + " is held with other bytes (two writers drew one generation)");
      }
      return Replicator.Outcome.SKIPPED;
    }

    /** Opens a replica's writer on this thread (a site whose calls never wait). */
    private CompletableFuture<ObjectWriter> opened(SiteHandle site, WriteRequest replica) {
      try {
        return CompletableFuture.completedFuture(site.store().openWrite(replica));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    /** Commits a replica on the pool, or on this thread for a site whose calls never wait. */
    private CompletableFuture<Object> commitAsync(SiteHandle site, ObjectWriter w) {
      java.util.function.Supplier<Object> commit = () -> {
        try {
          return w.commit();
        } catch (HybridStorageException e) {
          if (e.code() == 412) {
            return skippedOrCollided(site); // the replica holds this generation or newer, or a collision
          }
          throw e;
        } catch (IOException e) {
          throw new CompletionException(e);
        }
      };
      if (site.isInProcess()) {
        try {
          return CompletableFuture.completedFuture(commit.get());
        } catch (RuntimeException e) {
          return CompletableFuture.failedFuture(e instanceof CompletionException c && c.getCause() != null
              ? c.getCause() : e);
        }
      }
      return CompletableFuture.supplyAsync(commit, ctx.pool());
    }

    private void observeAfterFailure(Exception e) {
      if (e instanceof HybridStorageException h && h.code() == 412) {
        // a refused generation names the highest one the primary held, deleted ones included
        ctx.generations().observe(request.bucket(), request.name(), h.heldGeneration());
        try {
          route.primary().store().head(ObjectId.of(request.bucket(), request.name()), Conditions.none())
              .ifPresent(i -> ctx.generations().observe(request.bucket(), request.name(), i.generation()));
        } catch (RuntimeException ignored) {
          // only an optimisation for the caller's retry
        }
      }
    }

    private ObjectInfo commitPrimaryFirst() throws IOException {
      ObjectInfo info;
      try {
        info = primaryWriter.commit();
      } catch (IOException | RuntimeException e) {
        if (isRefusal(e)) {
          intent.cancel(); // nothing committed anywhere
        }
        throw e; // else the outcome is unknown: the entries sync every site to what the primary holds
      }
      long g = info.generation();
      ctx.generations().observe(request.bucket(), request.name(), g);
      String b = request.bucket();
      String n = request.name();
      Map<SiteHandle, CompletableFuture<?>> sync = new LinkedHashMap<>();
      byte[] bytes = buffer;
      int length = buffered;
      for (SiteHandle s : route.synchronous()) {
        if (s.isOpen()) {
          sync.put(s, CompletableFuture.failedFuture(new IllegalStateException("circuit open")));
        } else if (bytes != null) {
          sync.put(s, CompletableFuture.supplyAsync(
              () -> ctx.replicator().writeBytes(request.withCrc32c(info.crc32c()), g, bytes, length, s), ctx.pool()));
        } else {
          sync.put(s, CompletableFuture.supplyAsync(
              () -> ctx.replicator().copy(b, n, g, route.primary(), s, false), ctx.pool()));
        }
      }
      settle(route, b, n, g, sync, intent, "write", true);
      session.wrote(b, n, g);
      return info;
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      if (!open) {
        return;
      }
      open = false;
      try {
        primaryWriter.close();
        replicaWriters.values().forEach(ObjectWriter::close);
        replicaWriters.clear();
      } finally {
        intent.close();
      }
    }
  }

  /**
   * Whether {@code failure} is the site's decided refusal (a 4xx other than 408/429: a failed
   * precondition, a bad request, a missing bucket), so it holds nothing of the change — as
   * opposed to an unknown outcome (a 5xx, a time-out, a reset, a lost acknowledgement).
   */
  static boolean isRefusal(Throwable failure) {
    return failure instanceof HybridStorageException h && h.code() >= 400 && h.code() < 500
        && !h.isRetryable();
  }

  /**
   * The route for a change with (or without) preconditions, {@link Route#forConditions}: when it
   * moves the decision from the local site to the authority, the authority first gets what this
   * router has still journaled for it of {@code names} (its own earlier changes there), so the
   * precondition is decided on them, as a single client of GCS would expect. 503 when that fails:
   * a precondition cannot be decided without the authority.
   */
  private Route decidingRoute(Route placed, boolean conditional, String bucket, String... names) {
    Route route = placed.forConditions(conditional);
    if (route != placed) {
      for (String name : names) {
        for (JournalEntry e : ctx.journal().pending(route.primary().name(), bucket, name)) {
          if (!ctx.journal().isHeld(e)) {
            try {
              ctx.replicator().apply(e);
              ctx.journal().remove(e);
            } catch (HybridStorageException waiting) {
              if (!"awaitingSource".equals(waiting.reason()) && !"awaitingReplica".equals(waiting.reason())) {
                throw waiting;
              }
              // it waits for another change of this object still in flight: replay applies it later
            }
          }
        }
      }
    }
    return route;
  }

  // ------------------------------------------------------------------------------------ deletes

  /**
   * Deletes at the primary, then the replicas delete their live version up to the deleted
   * generation (or exactly {@code id.generation()} when one is named). The live generation is read
   * first and the delete is conditioned on it, so exactly that generation's deletion is journaled
   * (write-ahead) and replicated; a retry that finds it gone — the first attempt's acknowledgement
   * was lost, or another delete won — has reached the state this delete produces: a success.
   */
  public boolean delete(Route placed, ObjectId id, Conditions conditions) {
    Route route = decidingRoute(placed, !conditions.isEmpty(), id.bucket(), id.name());
    String b = id.bucket();
    String n = id.name();
    if (route.failsWhenReplicaDown()) {
      List<SiteHandle> down = route.synchronous().stream().filter(SiteHandle::isOpen).toList();
      if (!down.isEmpty()) {
        throw downError("delete", b, n, route, down);
      }
    }
    SiteHandle primary = route.primary();
    if (id.generation() == 0 && conditions.isEmpty() && route.placement().writePolicy() == WritePolicy.LOCAL_THEN_ASYNC
        && primary.assignsGenerations()) {
      return deleteSeen(route, b, n);
    }
    if (id.generation() != 0) {
      long g = id.generation();
      try (Intent intent = intentFor(route, Op.DELETE_VERSION, b, n, g, "delete")) {
        boolean deleted;
        try {
          deleted = primary.store().delete(id, conditions);
        } catch (RuntimeException e) {
          if (isRefusal(e)) {
            intent.cancel();
          }
          throw e;
        }
        if (!deleted) {
          return false; // no such version (the entries stay: removing an absent version is harmless)
        }
        ctx.generations().observe(b, n, g); // a re-creation must be newer than the tombstone it leaves
        replicate(route, Op.DELETE_VERSION, b, n, g, intent, "delete",
            s -> () -> ctx.replicator().deleteVersion(b, n, g, s));
        return true;
      }
    }
    for (int attempt = 0; attempt < 8; attempt++) {
      Optional<ObjectInfo> live = primary.store().head(ObjectId.of(b, n), Conditions.none());
      if (live.isEmpty()) {
        // nothing live: not found, decided at the head. Not a call to the primary, which would
        // delete whatever a concurrent write committed meanwhile — at the primary alone, with no
        // intent, so the replicas would keep it (the history suite's QUORUM and DUAL_WRITE_SYNC
        // divergences: a replica holding what the authority had lost to a delete)
        return false;
      }
      conditions.check(live.get(), "delete", b, n, primary.name());
      long g = live.get().generation();
      // write-ahead: the first attempt waits for the intent's fsync before the primary deletes; one
      // that lost a race to a writer journals in parallel (a crash then leaves an unacknowledged
      // delete that repair completes), or a hot object's delete would never win
      try (Intent intent = intentFor(route, Op.DELETE, b, n, g, "delete", attempt == 0)) {
        Boolean deleted = deleteGeneration(primary, id, conditions.withGenerationMatch(g));
        if (deleted == null) {
          continue; // g was replaced meanwhile: decide again (the entries stay, harmless: up to g only)
        }
        ctx.generations().observe(b, n, g); // a re-creation must be newer than the tombstone it leaves
        replicate(route, Op.DELETE, b, n, g, intent, "delete", s -> () -> ctx.replicator().deleteUpTo(b, n, g, s));
        session.deleted(b, n, g);
        return deleted;
      }
    }
    throw new HybridStorageException(503, "contention", "delete", b, n, primary.name(),
        "the object kept changing while deleting", null);
  }

  /**
   * An unconditional delete through one datacenter of a LOCAL_THEN_ASYNC placement. The local
   * site may not hold what the caller saw yet (a version written through another datacenter,
   * read from there), or hold an older one: deleting only the local live version would let the
   * version the client saw arrive later and live on, although the delete is causally after it.
   * So the delete's generation {@code t} is the newest this router knows of the name — the local
   * live one, or any it issued or observed (reads, listings, writes; {@link
   * io.hybridstorage.routing.internal.GenerationClock#seen}) — and every site deletes its live
   * version up to {@code t} and keeps a tombstone of {@code t} ({@code ObjectStore.deleteUpTo}),
   * so a copy of {@code t} or older that arrives later is refused. A write through another
   * datacenter newer than {@code t} — one this delete did not see — survives it: last writer wins
   * by generation, the delete's generation being what it saw. The primary is a target of the
   * intent too: its delete may fail with an unknown outcome, and replay completes it (idempotent).
   * True when the local site held a live version (read before the delete: a retried call after a
   * lost answer finds none).
   */
  private boolean deleteSeen(Route route, String b, String n) {
    SiteHandle primary = route.primary();
    Optional<ObjectInfo> live = primary.store().head(ObjectId.of(b, n), Conditions.none());
    long t = Math.max(live.map(ObjectInfo::generation).orElse(0L), ctx.generations().seen(b, n));
    if (t <= 0) {
      return false; // nothing live, nothing known: not found (no call that could delete a concurrent write unjournaled)
    }
    List<SiteHandle> targets = new ArrayList<>(Intent.targets(route));
    targets.add(0, primary);
    try (Intent intent = Intent.append(ctx, route, Op.DELETE, b, n, t, targets)) {
      intent.awaitDurable("delete");
      boolean deleted = primary.store().deleteUpTo(b, n, t) || live.isPresent();
      intent.confirm(primary);
      ctx.generations().observe(b, n, t); // a re-creation must be newer than the tombstone it leaves
      replicate(route, Op.DELETE, b, n, t, intent, "delete", s -> () -> ctx.replicator().deleteUpTo(b, n, t, s));
      session.deleted(b, n, t);
      return deleted;
    }
  }

  /**
   * Deletes the live version the conditions name ({@code ifGenerationMatch} is set): true when it
   * did; false when it was already gone (another delete won); null when a newer version replaced
   * it (412). A first attempt whose outcome is unknown (a retryable failure: the delete may have
   * happened, its acknowledgement lost) is repeated — harmless, being conditioned on the
   * generation — and a repeat that finds the generation gone has reached the state this delete
   * produces: true.
   */
  @Nullable
  private static Boolean deleteGeneration(SiteHandle primary, ObjectId id, Conditions conditions) {
    HybridStorageException unknown;
    try {
      return primary.store().deleteOnce(id, conditions);
    } catch (HybridStorageException e) {
      if (e.code() == 412) {
        return null;
      }
      if (!e.isRetryable()) {
        throw e;
      }
      unknown = e;
    }
    try {
      primary.store().delete(id, conditions);
      return true;
    } catch (HybridStorageException e) {
      if (e.code() == 412) {
        throw unknown; // replaced since: whether the first attempt deleted it cannot be told
      }
      throw e;
    }
  }

  private Intent intentFor(Route route, Op op, String b, String n, long g, String what) {
    return intentFor(route, op, b, n, g, what, true);
  }

  /** Appends the write-ahead intent and, for a durable journal, waits for it before the primary acts. */
  private Intent intentFor(Route route, Op op, String b, String n, long g, String what, boolean await) {
    Intent intent = Intent.append(ctx, route, op, b, n, g, Intent.targets(route));
    if (await && route.durableJournal()) {
      try {
        intent.awaitDurable(what);
      } catch (RuntimeException e) {
        intent.close();
        throw e;
      }
    }
    return intent;
  }

  // ------------------------------------------------------------------------- metadata, copy, compose

  /** A noncurrent version's patch stays on the primary: replicas copy only the live version's metadata. */
  public ObjectInfo updateMetadata(Route placed, ObjectId id, MetadataPatch patch, Conditions conditions) {
    Route route = decidingRoute(placed, !conditions.isEmpty(), id.bucket(), id.name());
    // retried by the site's resilience only under a metageneration condition; not resolved further
    return change(route, Op.METADATA, id.bucket(), id.name(), "updateMetadata", Conditions.none(), 0,
        g -> route.primary().store().updateMetadata(id, patch, conditions), g -> {
          throw new IllegalStateException("not repeated");
        }, Optional::empty);
  }

  /** Copies at the target's primary (natively there), then replicates the new version. */
  public ObjectInfo copy(Route placed, CopyRequest request) {
    Route targetRoute = decidingRoute(placed, !request.targetConditions().isEmpty(), request.targetBucket(),
        request.targetName(), request.source().name());
    SiteHandle primary = targetRoute.primary();
    return change(targetRoute, Op.WRITE, request.targetBucket(), request.targetName(), "copy",
        request.targetConditions(), request.generation(), g -> primary.store().copyOnce(request.withGeneration(g)),
        g -> primary.store().copy(request.withGeneration(g)),
        () -> primary.store().head(request.source(), Conditions.none())
            .map(src -> new Expected(src.size(), src.crc32c(), -1)));
  }

  public ObjectInfo compose(Route placed, ComposeRequest request) {
    List<String> names = new ArrayList<>();
    names.add(request.targetName());
    request.sources().forEach(src -> names.add(src.name()));
    Route route = decidingRoute(placed, !request.targetConditions().isEmpty(), request.bucket(),
        names.toArray(String[]::new));
    SiteHandle primary = route.primary();
    return change(route, Op.WRITE, request.bucket(), request.targetName(), "compose", request.targetConditions(),
        request.generation(), g -> primary.store().composeOnce(request.withGeneration(g)),
        g -> primary.store().compose(request.withGeneration(g)), () -> {
          long size = 0;
          int components = 0;
          Integer crc = null;
          for (ComposeRequest.Source s : request.sources()) {
            Optional<ObjectInfo> part = primary.store().head(ObjectId.of(request.bucket(), s.name(), s.generation()),
                Conditions.none());
            if (part.isEmpty() || part.get().crc32c() == null) {
              return Optional.empty(); // the result cannot be recognised
            }
            int partCrc = Checksums.crc32cValue(part.get().crc32c());
            crc = crc == null ? partCrc : Checksums.combineCrc32c(crc, partCrc, part.get().size());
            size += part.get().size();
            components += Math.max(1, part.get().componentCount());
          }
          return Optional.of(new Expected(size, crc == null ? null
              : Checksums.crc32cBase64(com.google.common.hash.HashCode.fromInt(crc)), components));
        });
  }

  /** What a change would produce: size, CRC32C (null: unknown) and component count (-1: any). */
  private record Expected(long size, @Nullable String crc32c, int components) {
    boolean matches(ObjectInfo i, long newerThan) {
      return i.generation() > newerThan && i.size() == size && crc32c != null && crc32c.equals(i.crc32c())
          && (components < 0 || i.componentCount() == 0 || i.componentCount() == components);
    }
  }

  /**
   * Makes a change at the route's primary with its write-ahead intent ("bring every site to what
   * the primary holds live"), then replicates the version it produced. The call is made once; when
   * its outcome is unknown (a retryable failure: it may have been applied, its acknowledgement
   * lost) and {@code ifGenerationMatch} guards it, the primary is read: a live version newer than
   * the condition's generation with exactly the expected size and CRC32C is this change, a success;
   * otherwise the call is repeated (harmless under the condition), and a 412 then is resolved the
   * same way — unrecognised, the first failure stands (the outcome stays unknown; the intent rolls
   * whatever happened forward).
   */
  private ObjectInfo change(Route route, Op op, String b, String n, String what, Conditions target, long requested,
      LongFunction<ObjectInfo> once, LongFunction<ObjectInfo> again, Supplier<Optional<Expected>> expected) {
    try (Intent intent = intentFor(route, op, b, n, 0, what)) {
      // a new version made at a primary that takes assigned generations gets one from this router's
      // clock, as writes do: a generation the primary chose itself could equal one another router
      // issued for another write of the same name
      boolean issued = requested == 0 && op != Op.METADATA && route.primary().assignsGenerations();
      Long match = target.ifGenerationMatch();
      long g = requested != 0 ? requested : issued ? ctx.generations().next(b, n, match == null ? 0 : match) : 0;
      ObjectInfo info = null;
      for (int attempt = 0; info == null; attempt++) {
        try {
          info = once.apply(g);
        } catch (HybridStorageException e) {
          if (issued && target.isEmpty() && e.code() == 412 && e.heldGeneration() > 0 && attempt < 8) {
            // an unconditional change lost a race to a newer version: again, newer (GCS never 412s it)
            ctx.generations().observe(b, n, e.heldGeneration());
            g = ctx.generations().next(b, n, 0);
            continue;
          }
          if (!e.isRetryable() || match == null) {
            if (isRefusal(e)) {
              intent.cancel();
            }
            throw e;
          }
          long generation = g;
          info = applied(route.primary(), b, n, match, generation, expected).orElseGet(() -> {
            try {
              return again.apply(generation);
            } catch (HybridStorageException second) {
              if (second.code() != 412) {
                throw second;
              }
              return applied(route.primary(), b, n, match, generation, expected).orElseThrow(() -> e);
            }
          });
        }
      }
      long committed = info.generation();
      ctx.generations().observe(b, n, committed);
      replicate(route, op, b, n, committed, intent, what, s -> () -> op == Op.METADATA
          ? ctx.replicator().metadata(b, n, committed, route.primary(), s)
          : ctx.replicator().copy(b, n, committed, route.primary(), s, false));
      session.wrote(b, n, committed);
      return info;
    }
  }

  /** The primary's live version of {@code b/n} if it is what the change would have produced. */
  private static Optional<ObjectInfo> applied(SiteHandle primary, String b, String n, long match, long issued,
      Supplier<Optional<Expected>> expected) {
    Optional<Expected> want = expected.get();
    if (want.isEmpty()) {
      return Optional.empty();
    }
    // with a generation this router issued, that exact generation is the change's identity
    return primary.store().head(ObjectId.of(b, n), Conditions.none())
        .filter(i -> want.get().matches(i, match) && (issued == 0 || i.generation() == issued));
  }

  /** Runs {@code task} on every synchronous replica and settles the change by the policy. */
  private void replicate(Route route, Op op, String b, String n, long g, Intent intent, String what,
      java.util.function.Function<SiteHandle, Supplier<Replicator.Outcome>> task) {
    Map<SiteHandle, CompletableFuture<?>> sync = new LinkedHashMap<>();
    for (SiteHandle s : route.synchronous()) {
      sync.put(s, s.isOpen()
          ? CompletableFuture.failedFuture(new IllegalStateException("circuit open"))
          : CompletableFuture.supplyAsync(task.apply(s), ctx.pool()));
    }
    settle(route, b, n, g, sync, intent, what, op == Op.WRITE);
  }

  // ------------------------------------------------------------------------------------ policy

  /**
   * Applies the acknowledgement rule: waits for the synchronous replicas (all of them, or until
   * the quorum is reached), drops the intent entry of every site that confirmed (now, or later
   * for one still running), leaves the others' entries for replay, waits for their fsync when
   * the policy is durable or a site failed, and fails with 503 naming the sites when too few
   * acknowledged. A failed change has still reached the primary and will converge.
   */
  void settle(Route route, String b, String n, long g, Map<SiteHandle, CompletableFuture<?>> sync, Intent intent,
      String what, boolean newVersion) {
    int acks = 1;
    Map<SiteHandle, CompletableFuture<?>> remaining = new LinkedHashMap<>(sync);
    Map<SiteHandle, Throwable> failed = new LinkedHashMap<>();
    while (!remaining.isEmpty() && (route.waitForAll() || acks < route.requiredAcks())) {
      CompletableFuture.anyOf(remaining.values().toArray(CompletableFuture[]::new))
          .handle((v, t) -> null).join();
      for (var it = remaining.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        if (e.getValue().isDone()) {
          it.remove();
          Throwable t = e.getValue().handle((v, x) -> x).join();
          if (t == null) {
            acks++;
            intent.confirm(e.getKey());
          } else {
            failed.put(e.getKey(), t instanceof CompletionException && t.getCause() != null ? t.getCause() : t);
          }
        }
      }
    }
    // still running (a quorum was reached without them): their entries go once they confirm. A new
    // version that lands there after the acknowledgement may land after a delete of it already
    // passed that site (which then had nothing to delete): so it is checked against the primary,
    // and removed again when the primary no longer holds anything live
    remaining.forEach((site, f) -> f.thenRunAsync(() -> {
      if (newVersion && route.primary().store().head(ObjectId.of(b, n), Conditions.none()).isEmpty()) {
        ctx.replicator().deleteUpTo(b, n, g, site);
      }
      intent.confirm(site);
    }, ctx.pool()).exceptionally(t -> {
      log.debug("late replica {} of gs://{}/{}#{}: {}", site, b, n, g, t.toString()); // the entry stays
      return null;
    }));
    failed.forEach((site, t) -> log.info("{} gs://{}/{}#{} to {} failed; journaled: {}", what, b, n, g, site,
        t.toString()));
    if (route.durableJournal() || !failed.isEmpty() || !remaining.isEmpty()) {
      intent.awaitDurable(what);
    }
    if (acks < route.requiredAcks()) {
      String sites = failed.keySet().stream().map(SiteHandle::name).collect(Collectors.joining(", "));
      Throwable first = failed.values().stream().findFirst().orElse(null);
      throw new HybridStorageException(503, "replicaUnavailable", what, b, n, sites,
          acks + " of " + route.requiredAcks() + " required sites acknowledged generation " + g + " (placement '"
              + route.placement().id() + "', " + route.placement().writePolicy() + "); failed: [" + sites
              + "]; the change is on " + route.primary().name() + " and journaled for the others", first);
    }
  }
}
