package io.hybridstorage.routing;

import static java.util.Objects.requireNonNull;

import javax.annotation.Nullable;

/**
 * One way a replica's copy of an object differs from the authority's (see {@link
 * RoutingStore#verify}).
 *
 * @param site the replica site
 * @param expectedGeneration the authority's live generation; 0 when the authority has none
 * @param actualGeneration the replica's live generation; -1 when it has none, 0 for a foreign copy
 * @param repaired whether {@link RoutingStore#repair} fixed it
 */
public record Difference(
    Kind kind,
    String bucket,
    String name,
    String site,
    long expectedGeneration,
    long actualGeneration,
    @Nullable String expectedCrc32c,
    @Nullable String actualCrc32c,
    boolean repaired) {

  /** The kinds of difference. */
  public enum Kind {
    /** The replica lacks the object. Repair copies the authority's generation. */
    MISSING,
    /** The replica holds an older generation. Repair copies the authority's generation. */
    STALE,
    /** Same generation, different CRC32C: the replica's bytes are damaged. Repair replaces them. */
    CORRUPTED,
    /**
     * The replica holds a copy without our generation (generation 0: written by another tool, e.g.
     * SyncEngine or NFS). Reported apart; repair replaces it with the authority's generation.
     */
    FOREIGN,
    /** The replica holds an object the authority does not. Repair deletes it (if not newer). */
    EXTRA,
    /** The replica holds a newer generation than the authority (a change still on its way). Not repaired. */
    NEWER
  }

  public Difference {
    requireNonNull(kind, "kind");
    requireNonNull(bucket, "bucket");
    requireNonNull(name, "name");
    requireNonNull(site, "site");
  }

  Difference asRepaired() {
    return new Difference(kind, bucket, name, site, expectedGeneration, actualGeneration, expectedCrc32c,
        actualCrc32c, true);
  }
}
