package io.hybridstorage.api.internal;

import com.google.cloud.storage.Storage;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the calls only GCS has go (ACLs, IAM policies, HMAC keys, notifications, the service
 * account, retention locks, POST policies): to the native GCS {@code Storage} of the bucket's GCS
 * authority, unchanged, when one is configured; otherwise a {@code StorageException} 501 naming
 * the method, the bucket and the site. Routing decides which buckets have a GCS authority, and the
 * lookups may refuse a call (403 under a BU profile); this class only asks.
 *
 * <p>The native clients belong to whoever supplied them (typically the GCS site's store); the
 * facade never closes them.
 */
final class ControlPlane {

  private final Function<String, Optional<Storage>> byBucket;
  private final Function<String, Optional<Storage>> byProjectCall;
  private final String site;

  /**
   * @param byBucket bucket name → its authority's native client (empty: none)
   * @param byProjectCall method name of a project-level call → the native client (empty: none)
   */
  ControlPlane(Function<String, Optional<Storage>> byBucket, Function<String, Optional<Storage>> byProjectCall,
      String site) {
    this.byBucket = byBucket;
    this.byProjectCall = byProjectCall;
    this.site = site;
  }

  /** The native client for {@code bucket}'s GCS authority, or 501. */
  Storage bucket(String method, String bucket) {
    Optional<Storage> found = byBucket.apply(bucket);
    if (found == null || found.isEmpty()) {
      throw Errors.unsupported(method, bucket, null, site, method + " is a GCS control-plane call and"
          + " bucket " + bucket + " has no GCS authority with a native client configured");
    }
    return found.get();
  }

  /** The native client for project-level calls (HMAC keys, service account), or 501. */
  Storage project(String method) {
    Optional<Storage> found = byProjectCall.apply(method);
    if (found == null || found.isEmpty()) {
      throw Errors.unsupported(method, null, null, site, method + " is a GCS control-plane call and"
          + " no native GCS client is configured for the project");
    }
    return found.get();
  }
}
