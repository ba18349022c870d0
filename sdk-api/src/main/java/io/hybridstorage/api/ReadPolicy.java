package io.hybridstorage.api;

/** Where reads go, per placement (DESIGN.md, "Policies"). */
public enum ReadPolicy {
  /** The lowest-latency healthy replica that has it; falls back on a miss or failure. */
  NEAREST,
  /** The authority only. */
  AUTHORITY,
  /** Metadata from the authority, bytes from the nearest replica holding that generation. */
  NEAREST_VERIFIED,
  /** The nearest replica, and a second one if the first has not answered within the hedge delay. */
  HEDGED,
  /** The nearest replica; on a miss, the authority, and the copy fills the local site. */
  READ_THROUGH
}
