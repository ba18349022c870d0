package io.hybridstorage.routing;

import static java.util.Objects.requireNonNull;

import javax.annotation.Nullable;

/**
 * One way a replica's copy of an object differs from the authority's (see {@link
 * RoutingStore#verify}). Each object is judged against the authority and replicas of its own
 * placement: the most specific one for its name.
 *
 * @param site the replica site
 * @param expectedGeneration the authority's live generation; 0 when the authority has none
 * @param actualGeneration the replica's live generation; -1 when it has none, 0 for a foreign copy
 * @param repaired whether {@link RoutingStore#repair} fixed it
 * @param rolledForward whether the repair was to copy the replica's generation <em>to the
 *     authority</em> (an {@link Kind#EXTRA} or {@link Kind#NEWER} copy that was a write the
 *     authority never received): the replica's copy won, nothing was deleted
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
    boolean repaired,
    boolean rolledForward) {

  /**
   * The kinds of difference. Repair never rolls a copy back: a replica's copy that the authority
   * lacks or has older is rolled forward to the authority, and deleted only when the authority
   * refuses it (it holds something newer or deleted that generation).
   */
  public enum Kind {
    /** The replica lacks the object. Repair copies the authority's generation. */
    MISSING,
    /** The replica holds an older generation. Repair copies the authority's generation. */
    STALE,
    /**
     * Same generation, different CRC32C: the replica's bytes are damaged. Repair replaces them in
     * place with the authority's bytes of that generation.
     */
    CORRUPTED,
    /**
     * The replica holds a copy without our generation (generation 0: written by another tool, e.g.
     * SyncEngine or NFS). Reported apart; repair replaces it with the authority's generation.
     */
    FOREIGN,
    /**
     * The replica holds an object the authority does not. Repair rolls it forward (copies it to
     * the authority with its generation); when the authority refuses (it deleted that generation
     * or holds a newer one), or cannot take assigned generations (a GCS authority, where the copy
     * can only be a delete that did not reach the replica), it deletes the replica's copy.
     */
    EXTRA,
    /**
     * The replica holds a newer generation than the authority (a change that has not reached it).
     * Repair rolls it forward to the authority, or, when the authority refuses it for a newer
     * one, copies that to the replica. Left alone when the authority cannot take assigned
     * generations.
     */
    NEWER,
    /**
     * A difference repair leaves alone for now: the replica's copy is younger than {@link
     * RoutingSettings#repairHorizon()} (a write may still be on its way to the authority), or this
     * router's journal still holds a change of the object. Generations tell what differs; a later
     * run judges it again.
     */
    PENDING
  }

  public Difference {
    requireNonNull(kind, "kind");
    requireNonNull(bucket, "bucket");
    requireNonNull(name, "name");
    requireNonNull(site, "site");
    if (rolledForward && !repaired) {
      throw new IllegalArgumentException("a difference rolled forward is repaired");
    }
  }

  /** A difference not rolled forward (the form before {@code rolledForward} existed). */
  public Difference(Kind kind, String bucket, String name, String site, long expectedGeneration,
      long actualGeneration, @Nullable String expectedCrc32c, @Nullable String actualCrc32c, boolean repaired) {
    this(kind, bucket, name, site, expectedGeneration, actualGeneration, expectedCrc32c, actualCrc32c, repaired,
        false);
  }

  Difference asRepaired() {
    return new Difference(kind, bucket, name, site, expectedGeneration, actualGeneration, expectedCrc32c,
        actualCrc32c, true, false);
  }

  Difference asRolledForward() {
    return new Difference(kind, bucket, name, site, expectedGeneration, actualGeneration, expectedCrc32c,
        actualCrc32c, true, true);
  }

  Difference asPending() {
    return new Difference(Kind.PENDING, bucket, name, site, expectedGeneration, actualGeneration, expectedCrc32c,
        actualCrc32c, false, false);
  }
}
