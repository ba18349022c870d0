package io.hybridstorage.api;

/** When a write is acknowledged, per placement (DESIGN.md, "Policies"). */
public enum WritePolicy {
  /** The authority wrote it; other replicas are filled later (SyncEngine or the journal). */
  AUTHORITY_ONLY,
  /** Every replica wrote it, in parallel. */
  DUAL_WRITE_SYNC,
  /** {@code writeQuorum} of the replicas (including the authority) wrote it; the rest via journal. */
  QUORUM,
  /** The authority wrote it and the other replicas' copies are durably journaled. */
  AUTHORITY_THEN_ASYNC,
  /** The caller's local site wrote it and the other replicas' copies are durably journaled. */
  LOCAL_THEN_ASYNC;

  /** Whether acknowledged writes may still be pending for some replicas. */
  public boolean isAsync() {
    return this == AUTHORITY_ONLY || this == QUORUM || this == AUTHORITY_THEN_ASYNC || this == LOCAL_THEN_ASYNC;
  }
}
