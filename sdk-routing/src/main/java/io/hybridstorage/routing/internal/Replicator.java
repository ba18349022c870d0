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
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.journal.JournalEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one site hold what another holds of one object version — the single place where replica
 * changes are made, shared by the synchronous fan-out, journal replay, read-through fill and
 * repair. Every change is compare-and-skip on generations, so repeating one is harmless:
 *
 * <ul>
 *   <li>a write copies the source's bytes of generation {@code g} only while {@code g} is the
 *       source's live version (else it is superseded: a newer write or a delete will follow) and
 *       writes them with {@code WriteRequest.generation = g}, which the target refuses (412 →
 *       skipped) when it already holds {@code g} or newer;
 *   <li>after a replayed write, the source is checked again: if the object was deleted there
 *       meanwhile, version {@code g} is removed from the target — so a replayed older write never
 *       resurrects a delete the source has seen;
 *   <li>a delete removes the target's live version only when its generation is {@code <=} the
 *       deleted one, so a newer write that reached the target first survives.
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

  private final Function<String, SiteHandle> sites;
  /** The authority of {@code bucket/name}: whose bytes of a generation win a collision. */
  private final BiFunction<String, String, SiteHandle> authority;

  /** A replicator that treats each copy's source as the authority of what it copies. */
  public Replicator(Function<String, SiteHandle> sites) {
    this(sites, (b, n) -> null);
  }

  /**
   * @param authority the authority site of {@code bucket/name} (null: the source of each copy),
   *     whose bytes of a generation replace a colliding copy
   */
  public Replicator(Function<String, SiteHandle> sites, BiFunction<String, String, SiteHandle> authority) {
    this.sites = sites;
    this.authority = authority;
  }

  /** Applies a journal entry. Throws (to be retried later) when a site fails. */
  public Outcome apply(JournalEntry e) {
    SiteHandle target = sites.apply(e.target());
    SiteHandle source = sites.apply(e.source());
    return switch (e.op()) {
      case WRITE -> copy(e.bucket(), e.name(), e.generation(), source, target, true);
      case DELETE -> deleteUpTo(e.bucket(), e.name(), e.generation(), target);
      case DELETE_VERSION -> deleteVersion(e.bucket(), e.name(), e.generation(), target);
      case METADATA -> metadata(e.bucket(), e.name(), e.generation(), source, target);
    };
  }

  /** Copies version {@code g} of {@code bucket/name} from {@code source} to {@code target}. */
  public Outcome copy(String bucket, String name, long g, SiteHandle source, SiteHandle target, boolean recheck) {
    ObjectContent content;
    try {
      content = source.store().read(new ReadRequest(ObjectId.of(bucket, name), ByteRange.all(),
          Conditions.generationMatch(g)));
    } catch (HybridStorageException e) {
      if (e.code() == 404 || e.code() == 412) {
        return Outcome.SKIPPED; // deleted or superseded at the source
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
      Optional<ObjectInfo> held = otherCopy(target, bucket, name, g, info.size(), info.crc32c());
      if (held.isEmpty()) {
        return Outcome.SKIPPED; // the target holds g or newer
      }
      return resolveCollision(bucket, name, g, info, source, target, held.get());
    } catch (IOException e) {
      throw HybridStorageException.io("replicate", bucket, name, source.name(), e);
    }
    if (recheck && source.store().head(ObjectId.of(bucket, name), Conditions.none()).isEmpty()) {
      deleteVersion(bucket, name, g, target); // deleted at the source while we copied
    }
    return Outcome.APPLIED;
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
   * The target holds {@code g} with other bytes than the source's {@code copy}: two writers drew
   * one generation (or the target's copy is corrupted). When the source is the authority of the
   * name, its bytes are the acknowledged ones: they replace the target's ({@code generation = g,
   * ifGenerationMatch = g}). When it is not (LOCAL_THEN_ASYNC: each router's local site
   * acknowledged its own write), the tie is broken the same way on every site, whatever order the
   * copies arrive in: the copy with the greater (CRC32C, size) wins, so all sites converge on one.
   */
  private Outcome resolveCollision(String bucket, String name, long g, ObjectInfo copy, SiteHandle source,
      SiteHandle target, ObjectInfo held) {
    SiteHandle auth = authority.apply(bucket, name);
    boolean fromAuthority = auth == null || auth.name().equals(source.name());
    if (!fromAuthority && tieBreak(copy, held) <= 0) {
      log.warn("gs://{}/{}#{}: {} and {} hold other bytes under one generation; {}'s win the tie", bucket, name, g,
          source.name(), target.name(), target.name());
      return Outcome.SKIPPED;
    }
    log.warn("gs://{}/{}#{}: {} holds other bytes than {} under one generation; replacing them with {}'s{}", bucket,
        name, g, target.name(), source.name(), source.name(), fromAuthority ? " (the authority's)" : " (tie won)");
    ObjectContent content;
    try {
      content = source.store().read(new ReadRequest(ObjectId.of(bucket, name), ByteRange.all(),
          Conditions.generationMatch(g)));
    } catch (HybridStorageException e) {
      if (e.code() == 404 || e.code() == 412) {
        return Outcome.SKIPPED; // superseded at the source: its newer version or delete follows
      }
      throw e;
    }
    try (content) {
      ObjectInfo info = content.info();
      WriteRequest w = new WriteRequest(bucket, name, info.metadata(), Conditions.generationMatch(g), info.crc32c(),
          null, g, info.size());
      target.store().write(w, content.stream());
      return Outcome.APPLIED;
    } catch (HybridStorageException e) {
      if (e.code() == 412) {
        return Outcome.SKIPPED; // g is no longer live on the target: a newer version replaced it
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
    if (src.isEmpty() || src.get().generation() != g) {
      return Outcome.SKIPPED;
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
