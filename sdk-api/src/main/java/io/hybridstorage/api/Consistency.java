package io.hybridstorage.api;

/** What a reader may observe after a write, per placement. */
public enum Consistency {
  /** Linearizable per object: every read sees the latest acknowledged write. */
  STRONG,
  /** Read-your-writes within one {@code Storage} instance; others may see older data. */
  SESSION,
  /** Reads may be stale by at most the placement's staleness bound. */
  EVENTUAL
}
