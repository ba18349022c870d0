package io.hybridstorage.routing.policy;

import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.internal.Replicator;
import io.hybridstorage.routing.internal.RoutingContext;
import io.hybridstorage.routing.internal.SiteHandle;
import io.hybridstorage.routing.journal.JournalEntry;
import io.hybridstorage.routing.journal.JournalEntry.Op;
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
 *       failure removes the version from replicas that committed it (the generation is unique to
 *       this write, so nothing else is touched).
 *   <li><b>primary first</b> (the primary assigns its own generation, e.g. GCS): bytes stream to
 *       the primary and up to {@code teeBufferBytes} are kept; after the primary commits, the
 *       replicas are written in parallel from that buffer, or — for larger bodies — read back
 *       from the primary.
 * </ul>
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

  public ObjectWriter openWrite(Route route, WriteRequest request) {
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
    private final Checksums checksums = new Checksums();
    @Nullable private String crc32c;
    @Nullable private byte[] buffer;
    private int buffered;
    private boolean open = true;
    private boolean committed;
    private final int attempt;
    /**
     * Parallel path: the journal entries for the replicas that are not written synchronously,
     * appended (and held back from replay) as soon as the write is open, so their fsync overlaps
     * the body's streaming and the primary's commit instead of starting at commit.
     */
    @Nullable private CompletableFuture<Void> journal;

    RoutedWriter(Route route, WriteRequest request) {
      this(route, request, 0);
    }

    RoutedWriter(Route route, WriteRequest request, int attempt) {
      this.route = route;
      this.request = request;
      this.attempt = attempt;
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
            opening.put(s, CompletableFuture.supplyAsync(() -> s.store().openWrite(replica), ctx.pool()));
          }
        }
      }
      // kept for the replicas (primary-first path) or to retry a write whose generation lost a race
      if (!parallel || request.generation() == 0) {
        this.buffer = new byte[Math.min(ctx.settings().teeBufferBytes(), 8 * 1024)];
      }
      ObjectWriter primary;
      try {
        primary = route.primary().store().openWrite(parallel ? request.withGeneration(generation) : request);
      } catch (RuntimeException e) {
        opening.values().forEach(f -> f.thenAccept(ObjectWriter::close));
        throw e;
      }
      this.primaryWriter = primary;
      if (parallel) {
        // The generation is fixed already, so the entries can be made durable while the body streams.
        // If the write never commits (failure, abandon), replay finds no such generation at the
        // source and skips them; until then hold() keeps replay away from the version in flight.
        ctx.journal().hold(request.bucket(), request.name(), generation);
        journal = appendJournal(route, Op.WRITE, request.bucket(), request.name(), generation, route.journaled());
      }
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
        return parallel ? commitParallel() : commitPrimaryFirst();
      } finally {
        close();
      }
    }

    /** The journal entries were appended at open and are held until {@link #close()} (after the commit). */
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
        compensate(sync, b, n, e);
        observeAfterFailure(e);
        if (canRetry(e)) {
          return retryFromBuffer();
        }
        throw e;
      }
      ctx.generations().observe(b, n, info.generation());
      if (conditional) {
        replicaWriters.forEach((site, w) -> sync.put(site, commitAsync(site, w)));
      }
      replicaFailures.forEach((site, t) -> sync.put(site, CompletableFuture.failedFuture(t)));
      replicasSkipped.forEach(site -> sync.put(site, CompletableFuture.supplyAsync(() -> skippedOrCollided(site),
          ctx.pool())));
      replicaWriters.clear();
      settle(route, Op.WRITE, b, n, info.generation(), sync, journal, "write");
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
          crc32c())) {
        throw HybridStorageException.conflict("write", request.bucket(), request.name(), site.name(),
            "generation " + generation + " is held with other bytes (two writers drew one generation)");
      }
      return Replicator.Outcome.SKIPPED;
    }

    private CompletableFuture<Object> commitAsync(SiteHandle site, ObjectWriter w) {
      return CompletableFuture.supplyAsync(() -> {
        try {
          return w.commit();
        } catch (HybridStorageException e) {
          if (e.code() == 412) {
            return skippedOrCollided(site);
          }
          throw e;
        } catch (IOException e) {
          throw new CompletionException(e);
        }
      }, ctx.pool());
    }

    /** The CRC32C of the bytes written so far (all of them, at commit). */
    private synchronized String crc32c() {
      if (crc32c == null) {
        crc32c = checksums.finish()[0];
      }
      return crc32c;
    }

    /**
     * The primary failed: take back the replicas' copies of this write's generation — unless the
     * primary refused it (412), because it holds this generation or a newer one, live or deleted.
     * Then a copy that stays is older than what the primary holds (the newer version, or the
     * delete, that beat it replaces it), or it collides with another writer's acknowledged bytes
     * of the same generation (see GenerationClock), which that writer's journal entry puts in
     * its place; deleting it would leave a tombstone at this generation that keeps the winner's
     * bytes off the replica for good.
     */
    private void compensate(Map<SiteHandle, CompletableFuture<?>> sync, String b, String n, Exception failure) {
      boolean refused = failure instanceof HybridStorageException h && h.code() == 412;
      sync.forEach((site, f) -> {
        try {
          if (f.handle((v, t) -> t == null).join() && !refused) {
            ctx.replicator().deleteVersion(b, n, generation, site);
          }
        } catch (RuntimeException e) {
          log.warn("could not remove gs://{}/{}#{} from {} after the primary refused it; repair will", b, n,
              generation, site, e);
        }
      });
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
      ObjectInfo info = primaryWriter.commit();
      long g = info.generation();
      ctx.generations().observe(request.bucket(), request.name(), g);
      String b = request.bucket();
      String n = request.name();
      CompletableFuture<Void> journal = appendJournal(route, Op.WRITE, b, n, g, route.journaled());
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
      settle(route, Op.WRITE, b, n, g, sync, journal, "write");
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
        if (journal != null) {
          ctx.journal().release(request.bucket(), request.name(), generation);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------ deletes

  /**
   * Deletes at the primary, then the replicas delete their live version up to the deleted
   * generation (or exactly {@code id.generation()} when one is named).
   */
  public boolean delete(Route route, ObjectId id, Conditions conditions) {
    String b = id.bucket();
    String n = id.name();
    if (route.failsWhenReplicaDown()) {
      List<SiteHandle> down = route.synchronous().stream().filter(SiteHandle::isOpen).toList();
      if (!down.isEmpty()) {
        throw downError("delete", b, n, route, down);
      }
    }
    SiteHandle primary = route.primary();
    long deleted;
    Op op;
    if (id.generation() != 0) {
      if (!primary.store().delete(id, conditions)) {
        return false;
      }
      deleted = id.generation();
      op = Op.DELETE_VERSION;
    } else {
      op = Op.DELETE;
      Long match = conditions.ifGenerationMatch();
      if (match != null && match != 0) {
        if (!primary.store().delete(id, conditions)) {
          return false;
        }
        deleted = match;
      } else {
        deleted = -1;
        for (int attempt = 0; attempt < 8 && deleted < 0; attempt++) {
          Optional<ObjectInfo> live = primary.store().head(ObjectId.of(b, n), Conditions.none());
          if (live.isEmpty()) {
            return primary.store().delete(id, conditions); // nothing live: the store answers (false or 412)
          }
          long g = live.get().generation();
          try {
            if (!primary.store().delete(id, conditions.withGenerationMatch(g))) {
              return false;
            }
            deleted = g;
          } catch (HybridStorageException e) {
            if (e.code() != 412 || match != null) {
              throw e;
            }
            // the caller's own conditions still hold? re-check them against the new live version
            Optional<ObjectInfo> now = primary.store().head(ObjectId.of(b, n), Conditions.none());
            if (!conditions.test(now.orElse(null))) {
              throw e;
            }
          }
        }
        if (deleted < 0) {
          throw new HybridStorageException(503, "contention", "delete", b, n, primary.name(),
              "the object kept changing while deleting", null);
        }
      }
    }
    long g = deleted;
    ctx.generations().observe(b, n, g); // a re-creation must be newer than the tombstone it leaves
    Op finalOp = op;
    CompletableFuture<Void> journal = appendJournal(route, op, b, n, g, route.journaled());
    Map<SiteHandle, CompletableFuture<?>> sync = fanOut(route, s -> () -> finalOp == Op.DELETE_VERSION
        ? ctx.replicator().deleteVersion(b, n, g, s)
        : ctx.replicator().deleteUpTo(b, n, g, s));
    settle(route, op, b, n, g, sync, journal, "delete");
    if (op == Op.DELETE) {
      session.deleted(b, n, g);
    }
    return true;
  }

  // ------------------------------------------------------------------------- metadata, copy, compose

  public ObjectInfo updateMetadata(Route route, ObjectId id, MetadataPatch patch, Conditions conditions) {
    ObjectInfo info = route.primary().store().updateMetadata(id, patch, conditions);
    if (!info.isLive()) {
      return info; // a noncurrent version: replicas keep their own noncurrent metadata
    }
    replicateResult(route, Op.METADATA, info, "updateMetadata");
    return info;
  }

  /** Copies at the target's primary (natively there), then replicates the new version. */
  public ObjectInfo copy(Route targetRoute, CopyRequest request) {
    ObjectInfo info = targetRoute.primary().store().copy(request);
    replicateResult(targetRoute, Op.WRITE, info, "copy");
    return info;
  }

  public ObjectInfo compose(Route route, ComposeRequest request) {
    ObjectInfo info = route.primary().store().compose(request);
    replicateResult(route, Op.WRITE, info, "compose");
    return info;
  }

  private void replicateResult(Route route, Op op, ObjectInfo info, String what) {
    String b = info.bucket();
    String n = info.name();
    long g = info.generation();
    ctx.generations().observe(b, n, g);
    CompletableFuture<Void> journal = appendJournal(route, op, b, n, g, route.journaled());
    Map<SiteHandle, CompletableFuture<?>> sync = fanOut(route, s -> () -> op == Op.METADATA
        ? ctx.replicator().metadata(b, n, g, route.primary(), s)
        : ctx.replicator().copy(b, n, g, route.primary(), s, false));
    settle(route, op, b, n, g, sync, journal, what);
    session.wrote(b, n, g);
  }

  private Map<SiteHandle, CompletableFuture<?>> fanOut(Route route,
      java.util.function.Function<SiteHandle, Supplier<Replicator.Outcome>> task) {
    Map<SiteHandle, CompletableFuture<?>> sync = new LinkedHashMap<>();
    for (SiteHandle s : route.synchronous()) {
      sync.put(s, s.isOpen()
          ? CompletableFuture.failedFuture(new IllegalStateException("circuit open"))
          : CompletableFuture.supplyAsync(task.apply(s), ctx.pool()));
    }
    return sync;
  }

  // ------------------------------------------------------------------------------------ policy

  private CompletableFuture<Void> appendJournal(Route route, Op op, String b, String n, long g,
      List<SiteHandle> targets) {
    if (targets.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    long now = ctx.clock().millis();
    List<JournalEntry> entries = new ArrayList<>(targets.size());
    for (SiteHandle t : targets) {
      entries.add(JournalEntry.of(op, b, n, g, route.primary().name(), t.name(), now));
    }
    return ctx.journal().append(entries);
  }

  /**
   * Applies the acknowledgement rule: waits for the synchronous replicas (all of them, or until
   * the quorum is reached), journals every replica that failed or has not answered yet, waits
   * for the journal's fsync when the policy is durable, and fails with 503 naming the sites when
   * too few acknowledged. A failed write has still reached the primary and will converge.
   */
  void settle(Route route, Op op, String b, String n, long g, Map<SiteHandle, CompletableFuture<?>> sync,
      CompletableFuture<Void> asyncJournal, String what) {
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
          } else {
            failed.put(e.getKey(), t instanceof CompletionException && t.getCause() != null ? t.getCause() : t);
          }
        }
      }
    }
    List<SiteHandle> lagging = new ArrayList<>(failed.keySet());
    lagging.addAll(remaining.keySet()); // still running: journal too, replay is idempotent
    CompletableFuture<Void> laggingJournal = appendJournal(route, op, b, n, g, lagging);
    failed.forEach((site, t) -> log.info("{} gs://{}/{}#{} to {} failed; journaled: {}", what, b, n, g, site,
        t.toString()));
    if (route.durableJournal() || !lagging.isEmpty()) {
      awaitDurable(asyncJournal, what, b, n);
      awaitDurable(laggingJournal, what, b, n);
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

  private void awaitDurable(CompletableFuture<Void> f, String what, String b, String n) {
    try {
      f.join();
    } catch (CompletionException e) {
      throw new HybridStorageException(503, "journalUnavailable", what, b, n, null,
          "the replication journal could not persist the pending replica changes: " + e.getCause(), e.getCause());
    }
  }
}
