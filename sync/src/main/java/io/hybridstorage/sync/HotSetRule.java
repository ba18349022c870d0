package io.hybridstorage.sync;

import static java.util.Objects.requireNonNull;

import io.hybridstorage.api.Glob;
import java.time.Instant;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Which objects of a placement must be on which sites: the placement's bucket and prefix (or a
 * narrower prefix), optionally filtered by name globs, optionally limited to a time {@link Window}
 * (a partition key in the name, such as {@code dt=2026-12-01}, or the object's update time). An
 * object the rule covers is brought to every site in {@link #sites()} from its placement's
 * authority; one that leaves the window is evicted from those sites — never from the authority,
 * and only once the authority's copy is verified.
 *
 * @param id how logs, metrics and reports name the rule ({@code bucket/prefix} unless given)
 * @param placement the id of the placement the rule belongs to ({@code bucket} or {@code bucket/prefix})
 * @param bucket the bucket (a concrete one: scans list it)
 * @param prefix the object-name prefix the rule covers ({@code ""}: the whole bucket)
 * @param include name globs ({@link Glob}); empty: every name under the prefix
 * @param window the time window, or null for "always"
 * @param authority the placement's authority: the truth every site is brought to
 * @param sites the sites that must hold the hot set (the authority excluded)
 * @param writers sites where writers outside the SDK write the rule's objects (NFS or S3 tools on
 *     VAST): a copy there without generation, written after the authority's version and with other
 *     bytes, is a new version and is brought to the authority (last writer by update time wins).
 *     At any other site such a copy is only compared by CRC32C (a replica when equal, e.g. VAST
 *     SyncEngine's) and otherwise replaced by the authority's version: a copier's late copy of an
 *     older version must not win over a newer write.
 */
public record HotSetRule(
    String id,
    String placement,
    String bucket,
    String prefix,
    List<Glob> include,
    @Nullable Window window,
    String authority,
    List<String> sites,
    List<String> writers) {

  public HotSetRule {
    requireNonNull(id, "id");
    requireNonNull(placement, "placement");
    requireNonNull(bucket, "bucket");
    requireNonNull(prefix, "prefix");
    include = List.copyOf(include);
    requireNonNull(authority, "authority");
    sites = List.copyOf(sites);
    writers = List.copyOf(writers);
    if (sites.contains(authority)) {
      throw new IllegalArgumentException("rule " + id + ": the authority " + authority
          + " is not a target of its own rule");
    }
  }

  /** Whether the rule covers the name (bucket, prefix and globs), whatever the window says. */
  public boolean covers(String bucketName, String name) {
    if (!bucket.equals(bucketName) || !name.startsWith(prefix)) {
      return false;
    }
    if (include.isEmpty()) {
      return true;
    }
    for (Glob g : include) {
      if (g.matches(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether an object the rule covers is in the hot set at {@code now}: in the window, or no
   * window. {@code updated} is the object's update time at the authority (null: unknown, then an
   * update-time window keeps the object).
   */
  public boolean isHot(String name, @Nullable Instant updated, Instant now) {
    return window == null || window.contains(name, updated, now);
  }
}
