package io.hybridstorage.gateway;

import com.google.cloud.storage.HybridBridge;
import com.google.cloud.storage.Notification;
import com.google.cloud.storage.NotificationInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.NotificationConfig;
import io.hybridstorage.api.NotificationConfig.EventType;
import io.hybridstorage.api.NotificationConfig.PayloadFormat;
import io.hybridstorage.api.spi.Notifications;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link Notifications} through the real GCS client's {@code createNotification}, {@code
 * getNotification}, {@code listNotifications} and {@code deleteNotification}, so that the
 * notifications contract runs over HTTP. The client's errors come back as {@link
 * HybridStorageException}s of the same code. The topic goes out as given (the client's own check
 * of its form is skipped, so that the server's is what is tested).
 */
final class ClientNotifications implements Notifications {

  private final Storage client;

  ClientNotifications(Storage client) {
    this.client = client;
  }

  @Override
  public NotificationConfig createNotification(String bucket, NotificationConfig config) {
    NotificationInfo.Builder b = HybridBridge.notificationBuilder(null, config.topic())
        .setPayloadFormat(NotificationInfo.PayloadFormat.valueOf(config.payloadFormat().name()));
    if (!config.objectNamePrefix().isEmpty()) {
      b.setObjectNamePrefix(config.objectNamePrefix());
    }
    if (!config.customAttributes().isEmpty()) {
      b.setCustomAttributes(config.customAttributes());
    }
    if (!config.eventTypes().isEmpty()) {
      b.setEventTypes(config.eventTypes().stream().map(t -> NotificationInfo.EventType.valueOf(t.name()))
          .toArray(NotificationInfo.EventType[]::new));
    }
    return config(call("createNotification", bucket, () -> client.createNotification(bucket, b.build())));
  }

  @Override
  public Optional<NotificationConfig> getNotification(String bucket, String id) {
    return Optional.ofNullable(call("getNotification", bucket, () -> client.getNotification(bucket, id)))
        .map(ClientNotifications::config);
  }

  @Override
  public List<NotificationConfig> listNotifications(String bucket) {
    return call("listNotifications", bucket, () -> client.listNotifications(bucket)).stream()
        .map(ClientNotifications::config).toList();
  }

  @Override
  public boolean deleteNotification(String bucket, String id) {
    return call("deleteNotification", bucket, () -> client.deleteNotification(bucket, id));
  }

  static NotificationConfig config(Notification n) {
    Set<EventType> types = EnumSet.noneOf(EventType.class);
    if (n.getEventTypes() != null) {
      n.getEventTypes().forEach(t -> types.add(EventType.valueOf(t.name())));
    }
    return new NotificationConfig(n.getNotificationId(), n.getTopic(), n.getPayloadFormat() == null ? null
        : PayloadFormat.valueOf(n.getPayloadFormat().name()), types, n.getObjectNamePrefix(),
        n.getCustomAttributes(), n.getEtag(), n.getSelfLink());
  }

  private static <T> T call(String op, String bucket, Supplier<T> body) {
    try {
      return body.get();
    } catch (StorageException e) {
      throw new HybridStorageException(e.getCode(), String.valueOf(e.getReason()), op, bucket, null, "gateway",
          String.valueOf(e.getMessage()), e);
    }
  }
}
