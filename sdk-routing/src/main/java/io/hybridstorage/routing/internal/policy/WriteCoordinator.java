package io.hybridstorage.routing.internal.policy;

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
import io.hybridstorage.routing.internal.journal.JournalEntry;
import io.hybridstorage.routing.internal.journal.JournalEntry.Op;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out changes (writes, deletes, metadata patches, copies, composes) by a {@link Route}: the
 * routing layer's one door to them, and the rules every change follows.
 *
 * <p>Every change is decided at the route's primary — the authority, or the local site under
 * LOCAL_THEN_ASYNC — which checks the caller's preconditions and fixes the generation. The other
 * replicas then get exactly that generation (compare-and-skip), synchronously or through the
 * journal as the policy says; {@link #settle} applies the policy's acknowledgement rule.
 *
 * <p>This class decides which site a change is decided at ({@link #decidingRoute}), refuses a
 * change up front when the placement says so and a replica is down, and settles every change; the
 * changes themselves are carried out by:
 *
 * <pre>
 * WriteCoordinator        the route that decides; replicas down; the write-ahead intent; settle
 *  ├ ParallelWriter       a streamed write, parallel tee    ┐ both a RoutedWriter: size and checksums,
 *  ├ PrimaryFirstWriter   a streamed write, primary first   ┘ the kept copy of the body, the intent
 *  ├ Deleter              deletes: a named version, the live one, LOCAL_THEN_ASYNC's delete of what it saw
 *  └ ServerSideChanges    metadata patch, copy, compose: one call at the primary, then replicated
 * </pre>
 *
 * <p>Streamed writes ({@link RoutedWriter}; {@link #openWrite} picks the path) take one of two:
 *
 * <ul>
 *   <li><b>parallel tee</b> ({@link ParallelWriter}; when the primary and every synchronous
 *       replica accept caller-assigned generations): the router issues the generation up front,
 *       opens a writer on every synchronous site at once and passes each buffer to all of them
 *       (memory bounded by the caller's buffer). At commit the primary commits first when the
 *       caller set preconditions (they are decided there), else all sites commit in parallel —
 *       latency of the slowest site, not the sum. A primary that fails after replicas committed
 *       does not make them undo it: the write-ahead entries (one for the primary itself among
 *       them) roll every site forward to one state.
 *   <li><b>primary first</b> ({@link PrimaryFirstWriter}; the primary assigns its own generation,
 *       e.g. GCS): bytes stream to the primary and up to {@code teeBufferBytes} are kept; after the
 *       primary commits, the replicas are written in parallel from that buffer, or — for larger
 *       bodies — read back from the primary.
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

  final RoutingContext ctx;
  final SessionTracker session;
  private final Deleter deleter;
  private final ServerSideChanges serverSide;

  public WriteCoordinator(RoutingContext ctx, SessionTracker session) {
    this.ctx = ctx;
    this.session = session;
    this.deleter = new Deleter(this);
    this.serverSide = new ServerSideChanges(this);
  }

  // ------------------------------------------------------------------------------------ changes

  /**
   * A writer for {@code request} on the route that decides it: the parallel tee when the caller
   * assigned the generation, or when the primary and every synchronous replica accept the router's
   * generations and {@link io.hybridstorage.routing.RoutingSettings#parallelTee()} is on (or there
   * is no synchronous replica); else primary first. 503 when a synchronous replica is down and the
   * placement fails writes then.
   */
  public ObjectWriter openWrite(Route placed, WriteRequest request) {
    Route route = decidingRoute(placed, !request.conditions().isEmpty(), request.bucket(), request.name());
    if (route.failsWhenReplicaDown()) {
      List<SiteHandle> down = route.synchronous().stream().filter(SiteHandle::isOpen).toList();
      if (!down.isEmpty()) {
        throw downError("write", request.bucket(), request.name(), route, down);
      }
    }
    boolean preassignable = route.primary().assignsGenerations()
        && route.synchronous().stream().allMatch(SiteHandle::assignsGenerations);
    boolean parallel = request.generation() != 0
        || (preassignable && (ctx.settings().parallelTee() || route.synchronous().isEmpty()));
    return parallel ? new ParallelWriter(this, route, request, 0) : new PrimaryFirstWriter(this, route, request);
  }

  /** Deletes a version or the live one ({@link Deleter}). */
  public boolean delete(Route placed, ObjectId id, Conditions conditions) {
    return deleter.delete(placed, id, conditions);
  }

  /** A noncurrent version's patch stays on the primary: replicas copy only the live version's metadata. */
  public ObjectInfo updateMetadata(Route placed, ObjectId id, MetadataPatch patch, Conditions conditions) {
    return serverSide.updateMetadata(placed, id, patch, conditions);
  }

  /** Copies at the target's primary (natively there), then replicates the new version. */
  public ObjectInfo copy(Route placed, CopyRequest request) {
    return serverSide.copy(placed, request);
  }

  public ObjectInfo compose(Route placed, ComposeRequest request) {
    return serverSide.compose(placed, request);
  }

  // ------------------------------------------------------------------ rules every change follows

  /** 503 for a change refused up front: {@code down} are open, and the placement fails writes then. */
  static HybridStorageException downError(String op, String bucket, String name, Route route,
      List<SiteHandle> down) {
    return new HybridStorageException(503, "replicaUnavailable", op, bucket, name, down.get(0).name(),
        "replica site(s) " + down + " unavailable and placement '" + route.placement().id()
            + "' fails writes when a replica is down (failWritesWhenReplicaDown=true)", null);
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
  Route decidingRoute(Route placed, boolean conditional, String bucket, String... names) {
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

  Intent intentFor(Route route, Op op, String b, String n, long g, String what) {
    return intentFor(route, op, b, n, g, what, true);
  }

  /** Appends the write-ahead intent and, for a durable journal, waits for it before the primary acts. */
  Intent intentFor(Route route, Op op, String b, String n, long g, String what, boolean await) {
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

  /** Runs {@code task} on every synchronous replica and settles the change by the policy. */
  void replicate(Route route, Op op, String b, String n, long g, Intent intent, String what,
      java.util.function.Function<SiteHandle, Supplier<Replicator.Outcome>> task) {
    Map<SiteHandle, CompletableFuture<?>> sync = new LinkedHashMap<>();
    for (SiteHandle s : route.synchronous()) {
      sync.put(s, s.isOpen()
          ? CompletableFuture.failedFuture(new IllegalStateException("circuit open"))
          : CompletableFuture.supplyAsync(task.apply(s), ctx.pool()));
    }
    settle(route, b, n, g, sync, intent, what, op == Op.WRITE);
  }

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
