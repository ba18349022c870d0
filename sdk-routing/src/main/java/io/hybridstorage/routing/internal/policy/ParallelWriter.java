package io.hybridstorage.routing.internal.policy;

import static io.hybridstorage.routing.internal.policy.WriteCoordinator.isRefusal;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.internal.Replicator;
import io.hybridstorage.routing.internal.SiteHandle;
import io.hybridstorage.routing.internal.journal.JournalEntry.Op;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parallel tee: a streamed write whose generation the router issues up front, so that every
 * synchronous site can take the body at once (every one of them accepts caller-assigned
 * generations, or the caller assigned one). Each buffer goes to the primary and to every
 * synchronous replica (memory bounded by the caller's buffer). At commit the primary commits first
 * when the caller set preconditions (they are decided there), else all sites commit in parallel —
 * the latency of the slowest site, not the sum.
 *
 * <p>A primary that fails after replicas committed does not make them undo it: the write-ahead
 * entries — one for the primary itself among them, since its replicas may commit first — roll
 * every site forward to one state. A replica that refuses the generation holds it or a newer one
 * (skipped), unless it holds it with other bytes (two writers drew one generation: 409, journaled).
 *
 * <p>Lost races: when a newer generation went live at the primary between issuing this write's and
 * publishing it, the write is retried from the kept copy of the body with a new generation ({@link
 * #canRetry}), up to eight times — an unconditional write must still succeed, as on GCS.
 */
final class ParallelWriter extends RoutedWriter {

  private static final Logger log = LoggerFactory.getLogger(ParallelWriter.class);

  private final long generation;
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
  private final int attempt;

  /**
   * Opens a writer on every synchronous replica (in parallel) and on the primary, and appends the
   * intent: for every site besides the primary and, for an unconditional write with synchronous
   * replicas, the primary too, since they may commit before it. {@code attempt}: how many times
   * this write lost a race before (0 for the caller's).
   */
  ParallelWriter(WriteCoordinator coordinator, Route route, WriteRequest request, int attempt) {
    // kept to retry a write whose generation lost a race
    super(coordinator, route, request, request.generation() == 0);
    this.attempt = attempt;
    if (request.generation() != 0) {
      ctx.generations().observe(request.bucket(), request.name(), request.generation());
    }
    // above the generation the caller's condition names: the primary holds it, and would refuse
    // a generation not newer although the condition holds (another router's clock ahead of ours)
    Long match = request.conditions().ifGenerationMatch();
    this.generation = request.generation() != 0 ? request.generation()
        : ctx.generations().next(request.bucket(), request.name(), match == null ? 0 : match);
    Map<SiteHandle, CompletableFuture<ObjectWriter>> opening = new LinkedHashMap<>();
    WriteRequest replica = Replicator.replicaRequest(request, generation);
    for (SiteHandle s : route.synchronous()) {
      if (s.isOpen()) {
        replicaFailures.put(s, new IllegalStateException("circuit open"));
      } else {
        opening.put(s, s.isInProcess() ? opened(s, replica)
            : CompletableFuture.supplyAsync(() -> s.store().openWrite(replica), ctx.pool()));
      }
    }
    ObjectWriter primary;
    try {
      primary = route.primary().store().openWrite(request.withGeneration(generation));
    } catch (RuntimeException e) {
      opening.values().forEach(f -> f.thenAccept(ObjectWriter::close));
      throw e;
    }
    this.primaryWriter = primary;
    List<SiteHandle> targets = Intent.targets(route);
    if (request.conditions().isEmpty() && !route.synchronous().isEmpty()) {
      targets.add(route.primary()); // its replicas may commit first: the primary may need rolling forward
    }
    // If the write never commits anywhere (failure, abandon), replay finds no such generation and
    // skips the entries; until the write settles they are held back from replay.
    this.intent = Intent.append(ctx, route, Op.WRITE, request.bucket(), request.name(), generation, targets);
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
  int send(ByteBuffer source, int n) throws IOException {
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
    return request.generation() == 0
        && failure instanceof HybridStorageException h && h.code() == 412
        && (request.conditions().isEmpty() || h.heldGeneration() > 0) && buffer != null && attempt < 8;
  }

  /** The write-ahead entries were appended at open and are held until {@link #close()} (after the commit). */
  @Override
  ObjectInfo commitVerified() throws IOException {
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
    coordinator.settle(route, b, n, info.generation(), sync, intent, "write", true);
    session.wrote(b, n, info.generation());
    return info;
  }

  private ObjectInfo retryFromBuffer() throws IOException {
    log.debug("gs://{}/{}: generation {} lost a race, retrying (attempt {})", request.bucket(), request.name(),
        generation, attempt + 1);
    replicaWriters.values().forEach(ObjectWriter::close);
    replicaWriters.clear();
    try (RoutedWriter retry = new ParallelWriter(coordinator, route, request, attempt + 1)) {
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

  /** The replicas that received every byte too (the primary's is handed over by the base). */
  @Override
  void handOver(String crc32c, @Nullable String md5) {
    if (lostRace == null) {
      super.handOver(crc32c, md5);
      replicaWriters.values().forEach(w -> w.precomputedChecksums(crc32c, md5));
    }
  }

  /** Opens a replica's writer on this thread (a site whose calls never wait). */
  private static CompletableFuture<ObjectWriter> opened(SiteHandle site, WriteRequest replica) {
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

  @Override
  void closeReplicas() {
    replicaWriters.values().forEach(ObjectWriter::close);
    replicaWriters.clear();
  }
}
