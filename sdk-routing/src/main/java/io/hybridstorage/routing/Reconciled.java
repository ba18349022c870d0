package io.hybridstorage.routing;

/** What {@link RoutingStore#reconcile} did at its target. */
public enum Reconciled {
  /** The source's live version was copied (its generation, its bytes verified by CRC32C). */
  COPIED,
  /** The target's copy had the source's generation and older metadata: the metadata was copied. */
  METADATA,
  /** The target's live version was removed (and its tombstone raised) after a delete at the source. */
  DELETED,
  /**
   * The target holds an object without generation (written outside the SDK, e.g. by VAST
   * SyncEngine) with the source's size and CRC32C: it counts as a replica and was left alone.
   */
  FOREIGN_REPLICA,
  /** Nothing to do: the target already holds what the source holds, or something newer. */
  UNCHANGED
}
