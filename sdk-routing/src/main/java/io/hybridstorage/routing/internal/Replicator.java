package io.hybridstorage.routing.internal;

import io.hybridstorage.api.ByteRange;
import io.hybridstorage.api.Checksums;
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
import io.hybridstorage.routing.internal.journal.JournalEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>A target refuses a generation (412) only when it holds that generation or a newer one, live
 * or deleted (the stores' tombstones, {@code Capability.ASSIGNED_GENERATIONS}), so a refusal means
 * "nothing to do" — except when the target holds the <em>same</em> generation with other bytes:
 * two writers drew one generation (routers sharing a node id, see {@link GenerationClock}) or the
 * copy is corrupted. {@link #holdsOtherBytes} tells that case apart by size and CRC32C, and a
 * copy from the authority then replaces the target's ({@code generation = g, ifGenerationMatch =
 * g}): the authority's bytes of {@code g} are the ones acknowledged. Between two non-authority
 * sites (LOCAL_THEN_ASYNC) a deterministic tie-break decides, so every site ends on one copy.
 */
public final class Replicator {

  private static final Logger log = LoggerFactory.getLogger(Replicator.class);

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

  /**
   * Whether the journal still has an {@code op} entry of generation {@code g} of {@code
   * bucket/name} towards {@code site}: the same change's entry for its primary. Only that one is waited
   * for — waiting for any write towards the source would let two changes with different primaries
   * (a LOCAL_THEN_ASYNC router's local writes and its conditional writes decided at the
   * authority) wait for each other forever.
   */
  @FunctionalInterface
  public interface PendingAt {
    boolean test(JournalEntry.Op op, String site, String bucket, String name, long g);
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
        if (held == live) {
          Copy c = sameGeneration(bucket, name, live, source, target);
          if (c != Copy.MOVED) {
            return c.outcome();
          }
          continue; // the source moved on while we looked: look again
        }
        if (held > live) {
          if (activeActive(bucket, name)) {
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
        if (pendingAt.test(JournalEntry.Op.WRITE, source.name(), bucket, name, g)) {
          throw new HybridStorageException(503, "awaitingSource", "replicate", bucket, name, target.name(),
              "generation " + g + " is still to be rolled forward to " + source.name() + " first", null);
        }
        if (liveGeneration(source, bucket, name) >= g) {
          // the source's own entry was applied (then removed) between the read above and the
          // journal's answer: look again, or g would be skipped here although the source holds it
          continue;
        }
        return Outcome.SKIPPED;
      }
      SiteHandle holder = findLive(bucket, name, g, source, target);
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

  /**
   * A site of the placement other than {@code source} holding generation {@code g} live; null
   * when every other site answered and none does (g was never committed anywhere). A site that
   * cannot be asked (its breaker open, a retryable failure) may be the one that committed g: if
   * no answering site holds it, this throws 503 and the entry is tried again later — concluding
   * "never committed" from a site that did not answer would drop the roll-forward of a write a
   * replica committed, and leave that replica ahead of the authority for good.
   */
  @Nullable
  private SiteHandle findLive(String bucket, String name, long g, SiteHandle source, SiteHandle target) {
    String unanswered = null;
    for (String siteName : placements.apply(bucket, name).map(Placement::replicas).orElse(List.of())) {
      SiteHandle s = sites.apply(siteName);
      if (s.name().equals(source.name())) {
        continue;
      }
      if (s.isOpen()) {
        unanswered = s.name();
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
        unanswered = s.name(); // that site is down: another may hold g
      }
    }
    if (unanswered != null) {
      throw new HybridStorageException(503, "awaitingReplica", "replicate", bucket, name, target.name(),
          "generation " + g + " is not at " + source.name() + " nor at any site that answered; " + unanswered
              + " did not answer and may hold it", null);
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
    ObjectInfo info = content.info();
    try (content) {
      WriteRequest w = new WriteRequest(bucket, name, info.metadata(), Conditions.none(), info.crc32c(), null, g,
          info.size());
      target.store().write(w, content.stream());
    } catch (HybridStorageException e) {
      if (e.code() != 412) {
        throw e;
      }
      Optional<ObjectInfo> other = otherCopy(target, bucket, name, g, info.size(), info.crc32c());
      return other.isEmpty()
          ? Copy.REFUSED // the target holds g or newer, or deleted a newer one
          : resolveCollision(bucket, name, g, info, source, target, other.get());
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
   * (the delete's outcome was unknown and it did not happen) — unless the journal also holds the
   * same delete towards the source itself (its outcome there was unknown, and its own entry rolls
   * it forward: a LOCAL_THEN_ASYNC delete) — else {@link #deleteUpTo}.
   */
  private Outcome replayDelete(String bucket, String name, long g, SiteHandle source, SiteHandle target) {
    // the journal first, the source second: the source's own entry is removed only after it was
    // applied, so once the journal has none, the source shows its outcome. The other order let a
    // concurrent replay apply and remove it between the two questions, and this delete was
    // skipped although the source had deleted (ActiveActiveTest saw dc2 keep the version)
    if (source != target && !pendingAt.test(JournalEntry.Op.DELETE, source.name(), bucket, name, g)
        && liveGeneration(source, bucket, name) == g) {
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
      if (e.code() != 412) {
        throw e;
      }
      String crc32c = base.crc32c() != null ? base.crc32c() : Checksums.crc32c(Arrays.copyOf(bytes, length));
      if (!holdsOtherBytes(target, base.bucket(), base.name(), g, length, crc32c)) {
        return Outcome.SKIPPED;
      }
      // the primary (the authority) committed these bytes as g: they replace the colliding copy
      try {
        target.store().write(w.withConditions(Conditions.generationMatch(g)), new ByteArrayInputStream(bytes, 0, length));
        return Outcome.APPLIED;
      } catch (HybridStorageException again) {
        if (again.code() == 412) {
          return Outcome.SKIPPED; // g is no longer live there: replaced by a newer one meanwhile
        }
        throw again;
      }
    }
  }

  /**
   * The request a replica gets: same metadata, checksums and declared size, generation {@code g},
   * no preconditions — but a repair ({@code generation = g} with {@code ifGenerationMatch = g})
   * stays one, so the replicas' copies of {@code g} are replaced too.
   */
  public static WriteRequest replicaRequest(WriteRequest base, long g) {
    Long match = base.conditions().ifGenerationMatch();
    boolean repair = base.generation() == g && match != null && match == g;
    return base.withConditions(repair ? Conditions.generationMatch(g) : Conditions.none()).withGeneration(g);
  }

  /**
   * Whether {@code target} holds generation {@code g} of {@code bucket/name} with other bytes than
   * {@code size}/{@code crc32c} (a collision, or a corrupted copy). False when it holds no version
   * {@code g} (a newer one, or a tombstone: nothing to repair) or the same size and CRC32C; an
   * unknown CRC32C on either side compares sizes only.
   */
  public static boolean holdsOtherBytes(SiteHandle target, String bucket, String name, long g, long size,
      @Nullable String crc32c) {
    return otherCopy(target, bucket, name, g, size, crc32c).isPresent();
  }

  /** The target's copy of {@code g} when it has other bytes (see {@link #holdsOtherBytes}). */
  private static Optional<ObjectInfo> otherCopy(SiteHandle target, String bucket, String name, long g, long size,
      @Nullable String crc32c) {
    Optional<ObjectInfo> held = target.store().head(ObjectId.of(bucket, name, g), Conditions.none());
    if (held.isEmpty() || held.get().generation() != g) {
      return Optional.empty();
    }
    ObjectInfo h = held.get();
    boolean other = h.size() != size || (crc32c != null && h.crc32c() != null && !crc32c.equals(h.crc32c()));
    return other ? held : Optional.empty();
  }

  /**
   * Source and target both hold generation {@code g} live: nothing to do unless their bytes
   * differ (then {@link #resolveCollision}). {@code MOVED} when the source no longer holds it.
   */
  private Copy sameGeneration(String bucket, String name, long g, SiteHandle source, SiteHandle target) {
    Optional<ObjectInfo> mine = source.store().head(ObjectId.of(bucket, name, g), Conditions.none());
    if (mine.isEmpty()) {
      return Copy.MOVED;
    }
    Optional<ObjectInfo> other = otherCopy(target, bucket, name, g, mine.get().size(), mine.get().crc32c());
    return other.isEmpty() ? Copy.REFUSED : resolveCollision(bucket, name, g, mine.get(), source, target, other.get());
  }

  /**
   * The target holds {@code g} with other bytes than the source's {@code copy}: two writers drew
   * one generation (or the target's copy is corrupted). When the source is the authority of the
   * name, its bytes are the acknowledged ones: they replace the target's ({@code generation = g,
   * ifGenerationMatch = g}), and an authority keeps its own against any other site. Only under
   * LOCAL_THEN_ASYNC (each router's local site acknowledged its own write) is the tie broken
   * between equals, the same way on every site whatever order the copies arrive in: the copy with
   * the greater (CRC32C, size) wins, so all sites converge on one.
   */
  private Copy resolveCollision(String bucket, String name, long g, ObjectInfo copy, SiteHandle source,
      SiteHandle target, ObjectInfo held) {
    Optional<Placement> placement = placements.apply(bucket, name);
    boolean fromAuthority = placement.map(p -> p.authority().equals(source.name())).orElse(true);
    boolean toAuthority = placement.map(p -> p.authority().equals(target.name())).orElse(false);
    if (!fromAuthority && toAuthority && !activeActive(bucket, name)) {
      log.warn("gs://{}/{}#{}: {} holds other bytes than the authority {} under one generation; the authority's "
          + "stand", bucket, name, g, source.name(), target.name());
      return Copy.REFUSED;
    }
    if (!fromAuthority && tieBreak(copy, held) <= 0) {
      log.warn("gs://{}/{}#{}: {} and {} hold other bytes under one generation; {}'s win the tie", bucket, name, g,
          source.name(), target.name(), target.name());
      listener.conflict(target.name(), bucket, name, g, g);
      return Copy.REFUSED;
    }
    log.warn("gs://{}/{}#{}: {} holds other bytes than {} under one generation; replacing them with {}'s{}", bucket,
        name, g, target.name(), source.name(), source.name(), fromAuthority ? " (the authority's)" : " (tie won)");
    ObjectContent content;
    try {
      content = source.store().read(new ReadRequest(ObjectId.of(bucket, name), ByteRange.all(),
          Conditions.generationMatch(g)));
    } catch (HybridStorageException e) {
      if (e.code() == 404 || e.code() == 412) {
        return Copy.MOVED; // superseded at the source: its newer version or delete follows
      }
      throw e;
    }
    try (content) {
      ObjectInfo info = content.info();
      WriteRequest w = new WriteRequest(bucket, name, info.metadata(), Conditions.generationMatch(g), info.crc32c(),
          null, g, info.size());
      target.store().write(w, content.stream());
      return Copy.APPLIED;
    } catch (HybridStorageException e) {
      if (e.code() == 412) {
        return Copy.REFUSED; // g is no longer live on the target: a newer version replaced it
      }
      throw e;
    } catch (IOException e) {
      throw HybridStorageException.io("replicate", bucket, name, source.name(), e);
    }
  }

  /** Orders two copies of one generation: by CRC32C (unknown first), then size. */
  private static int tieBreak(ObjectInfo a, ObjectInfo b) {
    String ca = a.crc32c() == null ? "" : a.crc32c();
    String cb = b.crc32c() == null ? "" : b.crc32c();
    int c = ca.compareTo(cb);
    return c != 0 ? c : Long.compare(a.size(), b.size());
  }

  /**
   * Deletes the target's live version if its generation is {@code <= g}, and leaves a tombstone of
   * {@code g} there even when it holds nothing yet ({@link io.hybridstorage.api.ObjectStore#deleteUpTo}): a write of
   * {@code g} or older that reaches the target after this delete (a slow commit, another router's
   * replication) is then refused instead of living on there alone. APPLIED when a live version
   * was removed. A target without assigned generations (a GCS primary) cannot take tombstones
   * nor older writes: there, a HEAD and a generation-conditioned delete.
   */
  public Outcome deleteUpTo(String bucket, String name, long g, SiteHandle target) {
    if (target.assignsGenerations()) {
      return target.store().deleteUpTo(bucket, name, g) ? Outcome.APPLIED : Outcome.SKIPPED;
    }
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
