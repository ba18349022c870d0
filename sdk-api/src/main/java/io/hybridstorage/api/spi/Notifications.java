package io.hybridstorage.api.spi;

import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.NotificationConfig;
import io.hybridstorage.api.ObjectStore;
import java.util.List;
import java.util.Optional;

/**
 * A mixin for an {@link ObjectStore} that emits GCS object-change notifications (sdk-api's {@code
 * NotifyingStore}): the notification configurations of its buckets, as GCS's JSON API {@code
 * notifications} resource ({@code /storage/v1/b/{bucket}/notificationConfigs}) manages them. The
 * {@code Storage} facade's {@code createNotification}, {@code getNotification}, {@code
 * listNotifications} and {@code deleteNotification} and the gateway's {@code notificationConfigs}
 * calls are served by it when the bucket has no native GCS client; without either they answer 501.
 *
 * <p>Errors are GCS's, as {@link io.hybridstorage.api.HybridStorageException}: 404 when the bucket
 * does not exist, 400 for a bad configuration (a topic not of the form {@code
 * projects/P/topics/T}), each naming the operation, the bucket and the site.
 */
public interface Notifications {

  /**
   * Adds a configuration to {@code bucket}; returns it with the id, etag and self link the store
   * assigned. Not idempotent: each call adds one.
   */
  NotificationConfig createNotification(String bucket, NotificationConfig config);

  /** The configuration {@code id} of {@code bucket}; empty when there is none (404 when the bucket is missing). */
  Optional<NotificationConfig> getNotification(String bucket, String id);

  /** The configurations of {@code bucket}, in creation order (404 when the bucket is missing). */
  List<NotificationConfig> listNotifications(String bucket);

  /** Removes configuration {@code id}; {@code false} when there was none (404 when the bucket is missing). */
  boolean deleteNotification(String bucket, String id);

  /**
   * The notifications mixin of {@code store} or of a decorator below it ({@link
   * ForwardingObjectStore#unwrap}), or empty. A profile's bound ends the search: what is below it
   * is not reached around the bound.
   */
  static Optional<Notifications> of(ObjectStore store) {
    return ForwardingObjectStore.unwrap(store, Notifications.class);
  }
}
