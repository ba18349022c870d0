package io.hybridstorage.routing.internal;

import io.hybridstorage.api.ByteRange;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.RoutingListener;
import io.hybridstorage.routing.journal.JournalEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import javax.annotation.Nullable;

/**
 * Makes one site hold what another holds of one object — the single place where replica changes
 * are made, shared by the synchronous fan-out, journal replay, read-through fill and repair. Every
 * change is compare-and-skip on generations, so repeating one is harmless, and every change rolls
 * <em>forward</em> (DESIGN.md, "The replication journal"): nothing here deletes a generation to undo
 * a write whose outcome was failed or unknown.
 *
 * <ul>
 *   <li>a journaled write of generation {@code g} ({@link #rollForward}) brings the target to the
 *       source's live version when that is {@code g} or newer — so a write whose own entry never
 *       became durable (a process killed between the authority's commit and the fsync) still
 *       reaches every site through the entry of any older write; when the source does not hold
 *       {@code g} but another site of the placement does (a parallel tee whose replicas committed
 *       before the primary failed or lost its acknowledgement), the primary's own entry rolls it
 *       forward there first, and the replicas' entries wait for it. Generation 0 means "whatever
 *       the source holds live": the write-ahead intent of a change whose generation the source
 *       assigns (GCS), or of a copy, compose or metadata patch;
 *   <li>after a copy from the source, the source is checked again: if the object was deleted there
 *       meanwhile, the copied version is removed from the target — so a replayed older write never
 *       resurrects a delete the source has seen;
 *   <li>a delete removes the target's live version only when its generation is {@code <=} the
 *       deleted one (a newer write that reached the target first survives), and a journaled
 *       delete whose generation the source still holds live did not happen there (its outcome was
 *       unknown and it failed): it is skipped.
 * </ul>
 */
public final class Replicator {

  /** What a replication did. */
  public enum Outcome {
    APPLIED,
    /** Nothing to do: superseded at the source, or the target already has it or newer. */
    SKIPPED
  }

  /** What one copy did: {@code MOVED} when the source no longer holds that version live. */
  private enum Copy {
    APPLIED,
    REFUSED,
    MOVED;

    Outcome outcome() {
      return this == APPLIED ? Outcome.APPLIED : Outcome.SKIPPED;
    }
  }

  private static final int ATTEMPTS = 6;

  private final Function<String, SiteHandle> sites;
  private final BiFunction<String, String, Optional<Placement>> placements;
  private final PendingAt pendingAt;
  private final RoutingListener listener;

  /** Whether the journal still has an entry for {@code bucket/name} towards {@code site}. */
  @FunctionalInterface
  public interface PendingAt {
    boolean test(String site, String bucket, String name);
  }

  /**
   * @param sites site name → handle
   * @param placements bucket, object name → the placement holding it (whose sites may hold a
   *     generation the source lacks)
   * @param pendingAt whether the journal still has an entry towards a site for an object
   * @param listener told of conflicts between concurrent LOCAL_THEN_ASYNC changes
   */
  public Replicator(Function<String, SiteHandle> sites, BiFunction<String, String, Optional<Placement>> placements,
      PendingAt pendingAt, RoutingListener listener) {
    this.sites = sites;
    this.placements = placements;
    this.pendingAt = pendingAt;
    this.listener = listener;
  }

  /** Applies a journal entry. Throws (to be retried later) when a site fails. */
  public Outcome apply(JournalEntry e) {
    SiteHandle target = sites.apply(e.target());
    SiteHandle source = sites.apply(e.source());
    return switch (e.op()) {
      case WRITE -> rollForward(e.bucket(), e.name(), e.generation(), source, target);
      case DELETE -> replayDelete(e.bucket(), e.name(), e.generation(), source, target);
      case DELETE_VERSION -> source != target
          && source.store().head(ObjectId.of(e.bucket(), e.name(), e.generation()), Conditions.none()).isPresent()
          ? Outcome.SKIPPED // the source still holds that version: the delete did not happen there
          : deleteVersion(e.bucket(), e.name(), e.generation(), target);
      case METADATA -> metadata(e.bucket(), e.name(), e.generation(), source, target);
    };
  }

  /**
   * Brings {@code target} to hold generation {@code g} of {@code bucket/name}, or what the source
   * holds live now if that is newer ({@code g == 0}: whatever the source holds live). When the
   * source does not hold {@code g}: an entry whose target is the source itself (a parallel tee's
   * primary that failed after its replicas committed) copies {@code g} from a site of the
   * placement that holds it; any other entry waits (503, tried again later) while this journal
   * still has such an entry for the source, and is otherwise skipped — {@code g} never reached
   * the source and nothing will bring it there (a write refused or abandoned).
   */
  public Outcome rollForward(String bucket, String name, long g, SiteHandle source, SiteHandle target) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      long live = liveGeneration(source, bucket, name);
      if (live > 0 && live >= g) {
        if (target == source) {
          return Outcome.SKIPPED;
        }
        long held = liveGeneration(target, bucket, name);
        if (held >= live) {
          if (held > live && activeActive(bucket, name)) {
            // the target holds a change the source has not seen: a concurrent write through another
            // site, newer by generation, wins (last writer wins)
            listener.conflict(target.name(), bucket, name, live, held);
          }
          return Outcome.SKIPPED; // the target holds it or newer
        }
        Copy c = copyLive(bucket, name, live, source, target, true);
        if (c != Copy.MOVED) {
          return c.outcome();
        }
        continue; // the source moved on while we read it: look again
      }
      if (g == 0) {
        return Outcome.SKIPPED; // nothing live at the source: a delete replicates by its own entry
      }
      if (target != source) {
        if (pendingAt.test(source.name(), bucket, name)) {
          throw new HybridStorageException(503, "awaitingSource", "replicate", bucket, name, target.name(),
              "generation " + g + " is still to be rolled forward to " + source.name() + " first", null);
        }
        return Outcome.SKIPPED;
      }
      SiteHandle holder = findLive(bucket, name, g, source);
      return holder == null
          ? Outcome.SKIPPED // g was never committed anywhere (a failed or abandoned write)
          : copyLive(bucket, name, g, holder, source, false).outcome();
    }
    throw new HybridStorageException(503, "contention", "replicate", bucket, name, target.name(),
        "the object kept changing while rolling generation " + g + " forward from " + source.name(), null);
  }

  /** Whether {@code bucket/name} is placed LOCAL_THEN_ASYNC: written through several sites at once. */
  private boolean activeActive(String bucket, String name) {
    return placements.apply(bucket, name).map(p -> p.writePolicy() == WritePolicy.LOCAL_THEN_ASYNC).orElse(false);
  }

  /** The live generation on {@code site}, -1 when none (a foreign copy is 0). */
  private static long liveGeneration(SiteHandle site, String bucket, String name) {
    return site.store().head(ObjectId.of(bucket, name), Conditions.none()).map(ObjectInfo::generation).orElse(-1L);
  }

  /** A site of the placement other than {@code source} holding generation {@code g} live; null if none. */
  @Nullable
  private SiteHandle findLive(String bucket, String name, long g, SiteHandle source) {
    for (String siteName : placements.apply(bucket, name).map(Placement::replicas).orElse(List.of())) {
      SiteHandle s = sites.apply(siteName);
      if (s.name().equals(source.name()) || s.isOpen()) {
        continue;
      }
      try {
        if (liveGeneration(s, bucket, name) == g) {
          return s;
        }
      } catch (HybridStorageException e) {
        if (!e.isRetryable()) {
          throw e;
        }
        // that site is down: another may hold g; if none answers, the entry is tried again later
      }
    }
    return null;
  }

  /**
   * Copies version {@code g} of {@code bucket/name} from {@code source} to {@code target}: skipped
   * when the source no longer holds {@code g} live (superseded or deleted there) or the target
   * holds {@code g} or newer. With {@code recheck}, a version the source deleted meanwhile is
   * removed again from the target.
   */
  public Outcome copy(String bucket, String name, long g, SiteHandle source, SiteHandle target, boolean recheck) {
    return copyLive(bucket, name, g, source, target, recheck).outcome();
  }

  private Copy copyLive(String bucket, String name, long g, SiteHandle source, SiteHandle target, boolean recheck) {
    ObjectContent content;
    try {
      content = source.store().read(new ReadRequest(ObjectId.of(bucket, name), ByteRange.all(),
          Conditions.generationMatch(g)));
    } catch (HybridStorageException e) {
      if (e.code() == 404 || e.code() == 412) {
        return Copy.MOVED; // deleted or superseded at the source
      }
      throw e;
    }
    try (content) {
      ObjectInfo info = content.info();
      WriteRequest w = new WriteRequest(bucket, name, info.metadata(), Conditions.none(), info.crc32c(), null, g,
          info.size());
      target.store().write(w, content.stream());
    } catch (HybridStorageException e) {
      if (e.code() != 412) {
        throw e;
      }
      return Copy.REFUSED; // the target holds g or newer, or deleted a newer one
    } catch (IOException e) {
      throw HybridStorageException.io("replicate", bucket, name, source.name(), e);
    }
    if (recheck && source.store().head(ObjectId.of(bucket, name), Conditions.none()).isEmpty()) {
      deleteVersion(bucket, name, g, target); // deleted at the source while we copied
    }
    return Copy.APPLIED;
  }

  /**
   * A journaled delete of generation {@code g}: skipped when the source still holds {@code g} live
   * (the delete's outcome was unknown and it did not happen), else {@link #deleteUpTo}.
   */
  private Outcome replayDelete(String bucket, String name, long g, SiteHandle source, SiteHandle target) {
    if (source != target && liveGeneration(source, bucket, name) == g) {
      return Outcome.SKIPPED;
    }
    return deleteUpTo(bucket, name, g, target);
  }

  /** Writes {@code length} buffered bytes as version {@code g} (the tee when the primary assigned g). */
  public Outcome writeBytes(WriteRequest base, long g, byte[] bytes, int length, SiteHandle target) {
    WriteRequest w = replicaRequest(base, g);
    try {
      target.store().write(w, new ByteArrayInputStream(bytes, 0, length));
      return Outcome.APPLIED;
    } catch (HybridStorageException e) {
      if (e.code() == 412) {
        return Outcome.SKIPPED;
      }
      throw e;
    }
  }

  /**
   * The request a replica gets: same metadata, checksums and declared size, no preconditions,
   * generation {@code g}.
   */
  public static WriteRequest replicaRequest(WriteRequest base, long g) {
    return base.withConditions(Conditions.none()).withGeneration(g);
  }

  /** Deletes the target's live version if its generation is {@code <= g}. */
  public Outcome deleteUpTo(String bucket, String name, long g, SiteHandle target) {
    for (int attempt = 0; attempt < 8; attempt++) {
      Optional<ObjectInfo> live = target.store().head(ObjectId.of(bucket, name), Conditions.none());
      if (live.isEmpty() || live.get().generation() > g) {
        return Outcome.SKIPPED;
      }
      long current = live.get().generation();
      try {
        target.store().delete(ObjectId.of(bucket, name),
            current == 0 ? Conditions.none() : Conditions.generationMatch(current));
        return Outcome.APPLIED;
      } catch (HybridStorageException e) {
        if (e.code() != 412) {
          throw e;
        }
      }
    }
    throw new HybridStorageException(503, "contention", "replicateDelete", bucket, name, target.name(),
        "the live version kept changing while deleting up to generation " + g, null);
  }

  /** Deletes exactly version {@code g} from the target (absent: skipped). */
  public Outcome deleteVersion(String bucket, String name, long g, SiteHandle target) {
    try {
      return target.store().delete(ObjectId.of(bucket, name, g), Conditions.none())
          ? Outcome.APPLIED : Outcome.SKIPPED;
    } catch (HybridStorageException e) {
      if (e.code() == 404 || e.code() == 412) {
        return Outcome.SKIPPED;
      }
      throw e;
    }
  }

  /** Copies the source's metadata of live version {@code g} to the target's copy of {@code g}. */
  public Outcome metadata(String bucket, String name, long g, SiteHandle source, SiteHandle target) {
    Optional<ObjectInfo> src = source.store().head(ObjectId.of(bucket, name), Conditions.none());
    if (src.isEmpty() || (g != 0 && src.get().generation() != g)) {
      return Outcome.SKIPPED;
    }
    if (g == 0) {
      g = src.get().generation(); // a write-ahead intent: whatever the source holds live
    }
    Optional<ObjectInfo> tgt = target.store().head(ObjectId.of(bucket, name), Conditions.none());
    if (tgt.isEmpty() || tgt.get().generation() < g) {
      return copy(bucket, name, g, source, target, true);
    }
    if (tgt.get().generation() > g || tgt.get().metadata().equals(src.get().metadata())) {
      return Outcome.SKIPPED;
    }
    try {
      target.store().updateMetadata(ObjectId.of(bucket, name), replaceAll(src.get().metadata()),
          Conditions.generationMatch(g));
      return Outcome.APPLIED;
    } catch (HybridStorageException e) {
      if (e.code() == 412 || e.code() == 404) {
        return Outcome.SKIPPED;
      }
      throw e;
    }
  }

  /** A patch that makes any metadata equal to {@code m}. */
  public static MetadataPatch replaceAll(ObjectMetadata m) {
    return new MetadataPatch(orClear(m.contentType()), orClear(m.contentEncoding()), orClear(m.contentDisposition()),
        orClear(m.contentLanguage()), orClear(m.cacheControl()), m.custom(), true);
  }

  private static String orClear(@Nullable String value) {
    return value == null ? "" : value;
  }
}
