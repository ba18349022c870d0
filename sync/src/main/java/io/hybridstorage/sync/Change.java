package io.hybridstorage.sync;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import javax.annotation.Nullable;

/**
 * One change of one object at one site, as a change feed reports it: a GCS notification, a scan
 * finding, an event of the router's journal. A change is a <em>hint</em>: applying it reconciles
 * the object's current state at {@link #site()} with the sites its hot-set rule names (rolling
 * forward, never back), so a duplicated, reordered or late change is harmless and changes of one
 * object coalesce.
 *
 * @param kind what happened
 * @param site the site where it happened (the source the sync copies from)
 * @param bucket the bucket
 * @param name the object name
 * @param generation the generation written or deleted ({@code objectGeneration}); 0 when the
 *     source has none (a foreign object on VAST, a scan of a store without generations)
 * @param overwroteGeneration the generation this change replaced ({@code overwroteGeneration}), 0
 *     when none or unknown
 * @param size the object's size in bytes, -1 when unknown
 * @param crc32c the object's CRC32C (base64, big-endian, as GCS reports it), null when unknown
 * @param eventTime when the change happened at the source (the staleness clock starts here)
 * @param origin which feed reported it ({@code pubsub}, {@code push}, {@code scan}, {@code
 *     journal}, {@code memory}), for logs and metrics
 */
public record Change(
    Kind kind,
    String site,
    String bucket,
    String name,
    long generation,
    long overwroteGeneration,
    long size,
    @Nullable String crc32c,
    Instant eventTime,
    String origin) {

  /** The kinds of change, named as GCS notifications name them ({@code eventType}). */
  public enum Kind {
    /** A new object or a new generation of one ({@code OBJECT_FINALIZE}). */
    FINALIZE,
    /** A live version was deleted or replaced ({@code OBJECT_DELETE}). */
    DELETE,
    /** A live version became noncurrent in a versioned bucket ({@code OBJECT_ARCHIVE}). */
    ARCHIVE,
    /** The metadata of a live version changed ({@code OBJECT_METADATA_UPDATE}). */
    METADATA_UPDATE
  }

  public Change {
    requireNonNull(kind, "kind");
    requireNonNull(site, "site");
    requireNonNull(bucket, "bucket");
    requireNonNull(name, "name");
    requireNonNull(eventTime, "eventTime");
    requireNonNull(origin, "origin");
    if (generation < 0) {
      throw new IllegalArgumentException("generation (" + generation + ") must be >= 0");
    }
  }

  /** {@code gs://bucket/name#generation} at {@code site}, for messages. */
  @Override
  public String toString() {
    return kind + " gs://" + bucket + "/" + name + "#" + generation + " at " + site + " (" + origin + ")";
  }
}
