package io.hybridstorage.gateway.internal;

import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.NotificationConfig;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.Profile;
import io.hybridstorage.api.spi.Notifications;
import java.util.List;
import java.util.Optional;

/**
 * A BU tenant's view of the notification configurations: only of buckets its profile grants whole
 * (a configuration sees every object of the bucket), else 403 naming the profile, the call and the
 * bucket; as the facade bounds these calls under a profile.
 */
public final class BoundedNotifications implements Notifications {

  private final Notifications delegate;
  private final Profile profile;
  private final List<Placement> placements;
  private final String site;

  public BoundedNotifications(Notifications delegate, Profile profile, List<Placement> placements, String site) {
    this.delegate = delegate;
    this.profile = profile;
    this.placements = List.copyOf(placements);
    this.site = site;
  }

  private void check(String op, String bucket) {
    if (!profile.allowsWholeBucket(bucket, placements)) {
      throw new HybridStorageException(403, "forbidden", op, bucket, null, site, "BU '" + profile.name()
          + "' may not manage the notifications of bucket '" + bucket + "', which its profile does not grant whole "
          + "(buckets " + profile.buckets() + ", placements " + profile.placements() + ")", null);
    }
  }

  @Override
  public NotificationConfig createNotification(String bucket, NotificationConfig config) {
    check("createNotification", bucket);
    return delegate.createNotification(bucket, config);
  }

  @Override
  public Optional<NotificationConfig> getNotification(String bucket, String id) {
    check("getNotification", bucket);
    return delegate.getNotification(bucket, id);
  }

  @Override
  public List<NotificationConfig> listNotifications(String bucket) {
    check("listNotifications", bucket);
    return delegate.listNotifications(bucket);
  }

  @Override
  public boolean deleteNotification(String bucket, String id) {
    check("deleteNotification", bucket);
    return delegate.deleteNotification(bucket, id);
  }
}
