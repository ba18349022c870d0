package io.hybridstorage.routing;

import static java.util.Objects.requireNonNull;

import io.hybridstorage.api.Placement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * One call of a {@link RoutingStore}'s caller, finished ({@link RoutingListener#routedCallFinished}):
 * the operation, the object, the placement that routed it, the site calls it made and its
 * outcome. For a streamed write the call runs from {@code openWrite} to the end of {@code commit}
 * (or to the first failure of a {@code write} of its body); a writer closed without committing
 * raises none. A call the router makes through itself (a copy across placements writes through
 * the router) is part of the outer call, not a call of its own.
 *
 * <p>{@link #siteCalls()} are the calls to sites for this call's bucket (or its source bucket)
 * made on the caller's thread and on the routing threads working for it, until it finished:
 * the sites it touched. A replica a policy writes later, through the journal, is not among them
 * (it shows as {@link RoutingListener#replayed}).
 *
 * @param operation the {@code ObjectStore} method called (names as in {@link SiteCall#operation()})
 * @param bucket the bucket, or null (a bucket listing)
 * @param object the object (a copy's or compose's target), or null
 * @param generation the generation the call produced (a write, copy, compose or metadata patch),
 *     or the one it named (a delete of a version, a read's result); 0 when none
 * @param placement the placement covering the name (for bucket calls, the bucket's), or null
 * @param siteCalls the site calls made for it, in the order they finished
 * @param startedAt when it began (real time, {@link java.time.Clock#systemUTC()})
 * @param startNanos when it began, by {@link System#nanoTime()}: {@link SiteCall#startNanos()} - this
 *     is a site call's offset into the call
 * @param duration how long it took (real time)
 * @param code 200 when it succeeded, else the error's code (500 for an exception that is not a
 *     {@code HybridStorageException})
 * @param reason null when it succeeded, else the error's reason
 */
public record RoutedCall(String operation, @Nullable String bucket, @Nullable String object, long generation,
    @Nullable Placement placement, List<SiteCall> siteCalls, Instant startedAt, long startNanos,
    Duration duration, int code, @Nullable String reason) {

  private static final Set<String> MUTATING = Set.of("createBucket", "updateBucket", "deleteBucket", "openWrite",
      "write", "delete", "deleteUpTo", "copy", "compose", "updateMetadata");

  public RoutedCall {
    requireNonNull(operation, "operation");
    siteCalls = List.copyOf(siteCalls);
    requireNonNull(startedAt, "startedAt");
    requireNonNull(duration, "duration");
  }

  /** Whether {@code operation} changes what a site holds (writes, deletes, copies, composes, patches, bucket changes). */
  public static boolean isMutating(String operation) {
    return MUTATING.contains(operation);
  }

  /** Whether this call changes what a site holds. */
  public boolean mutating() {
    return isMutating(operation);
  }

  /** Whether the call returned (as opposed to throwing). */
  public boolean succeeded() {
    return code == SiteCall.OK;
  }

  /** The placement's id ({@code bucket} or {@code bucket/prefix}), or {@code "none"}. */
  public String placementId() {
    return placement == null ? "none" : placement.id();
  }

  /**
   * The policy that applied: the placement's write policy for a change, its read policy
   * otherwise ({@code "none"} without a placement).
   */
  public String policy() {
    if (placement == null) {
      return "none";
    }
    return mutating() ? placement.writePolicy().name() : placement.readPolicy().name();
  }

  /** The sites called for this call, in the order their first call finished. */
  public Set<String> sitesTouched() {
    Set<String> sites = new LinkedHashSet<>();
    for (SiteCall c : siteCalls) {
      sites.add(c.site());
    }
    return sites;
  }

  /**
   * The sites where a change of this call succeeded: for a change, the sites holding it when the
   * call returned (others may get it later from the journal); empty for a read.
   */
  public Set<String> sitesAcknowledged() {
    Set<String> sites = new LinkedHashSet<>();
    for (SiteCall c : siteCalls) {
      if (c.succeeded() && c.mutating() && !"openWrite".equals(c.operation())) {
        sites.add(c.site());
      }
    }
    return sites;
  }
}
