package io.hybridstorage.api.internal;

import com.google.cloud.storage.Storage;
import io.hybridstorage.api.spi.Notifications;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the calls only GCS has go (ACLs, IAM policies, HMAC keys, notifications, the service
 * account, retention locks, POST policies): to the native GCS {@code Storage} of the bucket's GCS
 * authority, unchanged, when one is configured; otherwise a {@code StorageException} 501 naming
 * the method, the bucket and the site. Routing decides which buckets have a GCS authority, and the
 * lookups may refuse a call (403 under a BU profile); this class only asks.
 *
 * <p>Notification configurations are the exception: without a native client they go to the
 * bucket's store when it emits notifications itself ({@link Notifications}, e.g. the embedded
 * world's gcp site wrapped in a {@code NotifyingStore}); only without either are they 501.
 *
 * <p>The native clients belong to whoever supplied them (typically the GCS site's store); the
 * facade never closes them.
 */
final class ControlPlane {

  private final Function<String, Optional<Storage>> byBucket;
  private final Function<String, Optional<Storage>> byProjectCall;
  private final Function<String, Optional<Notifications>> notificationsByBucket;
  private final String site;

  /**
   * @param byBucket bucket name → its authority's native client (empty: none)
   * @param byProjectCall method name of a project-level call → the native client (empty: none)
   * @param notificationsByBucket bucket name → the store that keeps its notification configurations
   *     (empty: none)
   */
  ControlPlane(Function<String, Optional<Storage>> byBucket, Function<String, Optional<Storage>> byProjectCall,
      Function<String, Optional<Notifications>> notificationsByBucket, String site) {
    this.byBucket = byBucket;
    this.byProjectCall = byProjectCall;
    this.notificationsByBucket = notificationsByBucket;
    this.site = site;
  }

  /** The native client for {@code bucket}'s GCS authority, if it has one. */
  Optional<Storage> nativeFor(String bucket) {
    Optional<Storage> found = byBucket.apply(bucket);
    return found == null ? Optional.empty() : found;
  }

  /**
   * Where {@code bucket}'s notification configurations are kept when it has no native client: the
   * store's {@link Notifications} mixin, or 501.
   */
  Notifications notifications(String method, String bucket) {
    Optional<Notifications> found = notificationsByBucket.apply(bucket);
    if (found == null || found.isEmpty()) {
      throw Errors.unsupported(method, bucket, null, site, method + " is a GCS control-plane call and bucket "
          + bucket + " has neither a GCS authority with a native client configured nor a store that emits "
          + "notifications (a NotifyingStore)");
    }
    return found.get();
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
