package io.hybridstorage.routing.internal;

import io.hybridstorage.api.ByteRange;
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
import java.util.Optional;
import java.util.function.Function;
import javax.annotation.Nullable;

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
 */
public final class Replicator {

  /** What a replication did. */
  public enum Outcome {
    APPLIED,
    /** Nothing to do: superseded at the source, or the target already has it or newer. */
    SKIPPED
  }

  private final Function<String, SiteHandle> sites;

  public Replicator(Function<String, SiteHandle> sites) {
    this.sites = sites;
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
    try (content) {
      ObjectInfo info = content.info();
      WriteRequest w = new WriteRequest(bucket, name, info.metadata(), Conditions.none(), info.crc32c(), null, g,
          info.size());
      target.store().write(w, content.stream());
    } catch (HybridStorageException e) {
      if (e.code() != 412) {
        throw e;
      }
      return Outcome.SKIPPED; // the target holds g or newer
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
