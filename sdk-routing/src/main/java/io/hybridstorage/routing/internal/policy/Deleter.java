package io.hybridstorage.routing.internal.policy;

import static io.hybridstorage.routing.internal.policy.WriteCoordinator.downError;
import static io.hybridstorage.routing.internal.policy.WriteCoordinator.isRefusal;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.routing.internal.RoutingContext;
import io.hybridstorage.routing.internal.SiteHandle;
import io.hybridstorage.routing.internal.journal.JournalEntry.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * Carries out deletes for {@link WriteCoordinator}, in one of three ways:
 *
 * <ul>
 *   <li>a named generation ({@code id.generation() != 0}): deleted at the primary, then exactly that
 *       version at the replicas;
 *   <li>the live version: read at the primary first and deleted there conditioned on its generation,
 *       so exactly that generation's deletion is journaled and replicated ("delete the live version
 *       up to g"); decided again when a writer replaced it meanwhile;
 *   <li>an unconditional delete through the local site of a LOCAL_THEN_ASYNC placement ({@link
 *       #deleteSeen}): up to the newest generation this router knows of the name, with tombstones,
 *       so a version the caller saw elsewhere cannot arrive later and live on.
 * </ul>
 *
 * <p>Each appends its write-ahead {@link Intent} before the primary acts and settles by the policy
 * ({@link WriteCoordinator#replicate}). A delete whose acknowledgement was lost and is retried
 * finds the generation gone: it has reached the state it produces, a success. Thread-safe.
 */
final class Deleter {

  private final WriteCoordinator coordinator;
  private final RoutingContext ctx;
  private final SessionTracker session;

  Deleter(WriteCoordinator coordinator) {
    this.coordinator = coordinator;
    this.ctx = coordinator.ctx;
    this.session = coordinator.session;
  }

  /**
   * Deletes at the primary, then the replicas delete their live version up to the deleted
   * generation (or exactly {@code id.generation()} when one is named). The live generation is read
   * first and the delete is conditioned on it, so exactly that generation's deletion is journaled
   * (write-ahead) and replicated; a retry that finds it gone — the first attempt's acknowledgement
   * was lost, or another delete won — has reached the state this delete produces: a success.
   */
  boolean delete(Route placed, ObjectId id, Conditions conditions) {
    Route route = coordinator.decidingRoute(placed, !conditions.isEmpty(), id.bucket(), id.name());
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
      try (Intent intent = coordinator.intentFor(route, Op.DELETE_VERSION, b, n, g, "delete")) {
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
        coordinator.replicate(route, Op.DELETE_VERSION, b, n, g, intent, "delete",
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
      try (Intent intent = coordinator.intentFor(route, Op.DELETE, b, n, g, "delete", attempt == 0)) {
        Boolean deleted = deleteGeneration(primary, id, conditions.withGenerationMatch(g));
        if (deleted == null) {
          continue; // g was replaced meanwhile: decide again (the entries stay, harmless: up to g only)
        }
        ctx.generations().observe(b, n, g); // a re-creation must be newer than the tombstone it leaves
        coordinator.replicate(route, Op.DELETE, b, n, g, intent, "delete",
            s -> () -> ctx.replicator().deleteUpTo(b, n, g, s));
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
      coordinator.replicate(route, Op.DELETE, b, n, t, intent, "delete",
          s -> () -> ctx.replicator().deleteUpTo(b, n, t, s));
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
}
