package io.hybridstorage.routing.internal.policy;

import static io.hybridstorage.routing.internal.policy.WriteCoordinator.isRefusal;

import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.routing.internal.RoutingContext;
import io.hybridstorage.routing.internal.SiteHandle;
import io.hybridstorage.routing.internal.journal.JournalEntry.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import javax.annotation.Nullable;

/**
 * Carries out, for {@link WriteCoordinator}, the changes the primary makes from what it already
 * holds, in one call and with no body from the caller: a metadata patch, a copy (the source has the
 * target's primary; a copy across primaries is streamed as a write by the router) and a compose.
 * Each is made at the route's primary under its write-ahead {@link Intent}, then the version it
 * produced is copied to the replicas and settled by the policy ({@link #change}).
 *
 * <p>The primary's call is made once. When its outcome is unknown (a retryable failure: it may
 * have been applied, its acknowledgement lost) and {@code ifGenerationMatch} guards it, the
 * primary's live version is compared with what the change would produce ({@link Expected}: size,
 * CRC32C, component count) before the call is repeated. Thread-safe.
 */
final class ServerSideChanges {

  private final WriteCoordinator coordinator;
  private final RoutingContext ctx;
  private final SessionTracker session;

  ServerSideChanges(WriteCoordinator coordinator) {
    this.coordinator = coordinator;
    this.ctx = coordinator.ctx;
    this.session = coordinator.session;
  }

  /** A noncurrent version's patch stays on the primary: replicas copy only the live version's metadata. */
  ObjectInfo updateMetadata(Route placed, ObjectId id, MetadataPatch patch, Conditions conditions) {
    Route route = coordinator.decidingRoute(placed, !conditions.isEmpty(), id.bucket(), id.name());
    // retried by the site's resilience only under a metageneration condition; not resolved further
    return change(route, Op.METADATA, id.bucket(), id.name(), "updateMetadata", Conditions.none(), 0,
        g -> route.primary().store().updateMetadata(id, patch, conditions), g -> {
          throw new IllegalStateException("not repeated");
        }, Optional::empty);
  }

  /** Copies at the target's primary (natively there), then replicates the new version. */
  ObjectInfo copy(Route placed, CopyRequest request) {
    Route targetRoute = coordinator.decidingRoute(placed, !request.targetConditions().isEmpty(),
        request.targetBucket(), request.targetName(), request.source().name());
    SiteHandle primary = targetRoute.primary();
    return change(targetRoute, Op.WRITE, request.targetBucket(), request.targetName(), "copy",
        request.targetConditions(), request.generation(), g -> primary.store().copyOnce(request.withGeneration(g)),
        g -> primary.store().copy(request.withGeneration(g)),
        () -> primary.store().head(request.source(), Conditions.none())
            .map(src -> new Expected(src.size(), src.crc32c(), -1)));
  }

  ObjectInfo compose(Route placed, ComposeRequest request) {
    List<String> names = new ArrayList<>();
    names.add(request.targetName());
    request.sources().forEach(src -> names.add(src.name()));
    Route route = coordinator.decidingRoute(placed, !request.targetConditions().isEmpty(), request.bucket(),
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
    try (Intent intent = coordinator.intentFor(route, op, b, n, 0, what)) {
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
      coordinator.replicate(route, op, b, n, committed, intent, what, s -> () -> op == Op.METADATA
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
}
