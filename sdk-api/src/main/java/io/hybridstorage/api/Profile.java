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
 *       bucket/prefix} and {@code name} starts with {@code prefix}; or
 *   <li>a placement named in {@link #placements()} (by its id, {@code bucket} or {@code
 *       bucket/prefix}) covers {@code bucket/name}.
 * </ul>
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
      if (slash < 0 ? entry.equals(bucket)
          : entry.substring(0, slash).equals(bucket) && name.startsWith(entry.substring(slash + 1))) {
        return true;
      }
    }
    for (Placement p : granted(configured)) {
      if (p.covers(bucket, name)) {
        return true;
      }
    }
    return false;
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
