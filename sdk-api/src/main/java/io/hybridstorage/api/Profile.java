package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * A business unit's profile: the buckets (or bucket prefixes) and placements it may touch. The
 * active profile is chosen by {@code HYBRID_STORAGE_PROFILE} (or {@link
 * HybridStorageOptions.Builder#profile(String)}); every call outside it fails with a {@code
 * StorageException} of code 403 naming the BU, the operation and the bucket.
 *
 * <p>Access to {@code bucket/name} is granted when
 *
 * <ul>
 *   <li>an entry of {@link #buckets()} is {@code bucket} itself (the whole bucket), or is {@code
 *       bucket/prefix/} and {@code name} lies within {@code prefix/}; or
 *   <li>a placement named in {@link #placements()} (by its id, {@code bucket} or {@code
 *       bucket/prefix/}) covers {@code bucket/name} and {@code name} lies within its prefix.
 * </ul>
 *
 * <p>A name lies within a prefix when it starts with it both as written and as a path would
 * resolve it: {@code .} and {@code ..} segments are legal in GCS names (stored literally), but
 * S3 sites, proxies and URL parsers resolve them, so {@code bu-sales/../../finance/ledger.csv}
 * is outside {@code bu-sales/} (and, under a whole-bucket grant, {@code ../finance/x} is outside
 * the bucket), while {@code bu-sales/a/../b} is inside. The resolution is the most eager one
 * (empty segments collapsed too), so no server can resolve a granted name to a name outside.
 *
 * <p>Prefix entries end with {@code /} ({@link HybridStorageOptions.Builder#build()} refuses
 * {@code scratch/bu-sales}, which would also grant {@code scratch/bu-sales-archive/}).
 *
 * <p>Bucket administration (create, update, delete a bucket) needs whole-bucket access; reading
 * a bucket's metadata needs access to some part of it; a listing needs its prefix to lie inside a
 * granted prefix.
 *
 * @param name the BU's name, as errors show it
 * @param buckets {@code bucket} or {@code bucket/prefix} entries
 * @param placements ids of configured placements ({@link Placement#id()})
 */
public record Profile(String name, List<String> buckets, List<String> placements) {

  public Profile {
    requireNonNull(name, "name");
    buckets = List.copyOf(buckets);
    placements = List.copyOf(placements);
    if (name.isBlank()) {
      throw new IllegalArgumentException("profile name must not be blank");
    }
  }

  /** Whether this profile may read or write objects named {@code name} in {@code bucket}. */
  public boolean allowsObject(String bucket, String name, List<Placement> configured) {
    for (String entry : buckets) {
      int slash = entry.indexOf('/');
      String entryBucket = slash < 0 ? entry : entry.substring(0, slash);
      if (entryBucket.equals(bucket) && within(name, slash < 0 ? "" : entry.substring(slash + 1))) {
        return true;
      }
    }
    for (Placement p : granted(configured)) {
      if (p.covers(bucket, name) && within(name, p.prefix())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code name} starts with {@code prefix} as written and, when it has {@code .} or
   * {@code ..} segments, also as resolved: the resolution neither climbs above the bucket nor
   * ends outside {@code prefix}.
   */
  static boolean within(String name, String prefix) {
    if (!name.startsWith(prefix)) {
      return false;
    }
    if (!Names.hasDotSegment(name)) {
      return true;
    }
    String resolved = resolve(name);
    return resolved != null && resolved.startsWith(resolve(prefix));
  }

  /**
   * {@code path} with {@code .}, {@code ..} and empty segments resolved (RFC 3986 §5.2.4, plus
   * collapsed {@code //}, as the most eager server does); a trailing {@code /} — or a trailing dot
   * segment, which names a directory — is kept. {@code null} when a {@code ..} climbs above the
   * root.
   */
  @Nullable
  static String resolve(String path) {
    java.util.ArrayDeque<String> segments = new java.util.ArrayDeque<>();
    String[] parts = path.split("/", -1);
    boolean directory = false;
    for (String part : parts) {
      directory = part.isEmpty() || part.equals(".") || part.equals("..");
      if (part.equals("..")) {
        if (segments.pollLast() == null) {
          return null;
        }
      } else if (!part.isEmpty() && !part.equals(".")) {
        segments.addLast(part);
      }
    }
    String joined = String.join("/", segments);
    return directory && !segments.isEmpty() ? joined + "/" : joined;
  }

  /**
   * Whether this profile may list {@code bucket} with {@code prefix}: whole-bucket access, or a
   * granted prefix that {@code prefix} starts with.
   */
  public boolean allowsListing(String bucket, @Nullable String prefix, List<Placement> configured) {
    return allowsObject(bucket, prefix == null ? "" : prefix, configured);
  }

  /** Whether this profile has whole-bucket access to {@code bucket} (needed to administer it). */
  public boolean allowsWholeBucket(String bucket, List<Placement> configured) {
    return allowsObject(bucket, "", configured);
  }

  /** Whether this profile may touch any part of {@code bucket} (needed to read its metadata). */
  public boolean allowsAnyOf(String bucket, List<Placement> configured) {
    for (String entry : buckets) {
      int slash = entry.indexOf('/');
      if ((slash < 0 ? entry : entry.substring(0, slash)).equals(bucket)) {
        return true;
      }
    }
    for (Placement p : granted(configured)) {
      if (p.bucket().equals(bucket) || p.bucket().equals(Placement.ANY_BUCKET)) {
        return true;
      }
    }
    return false;
  }

  private List<Placement> granted(List<Placement> configured) {
    Set<String> ids = Set.copyOf(placements);
    return configured.stream().filter(p -> ids.contains(p.id())).toList();
  }
}
