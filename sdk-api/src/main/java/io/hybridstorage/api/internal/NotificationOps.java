package io.hybridstorage.api.internal;

import com.google.cloud.storage.HybridBridge;
import com.google.cloud.storage.Notification;
import com.google.cloud.storage.NotificationInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.NotificationConfig;
import io.hybridstorage.api.NotificationConfig.EventType;
import io.hybridstorage.api.NotificationConfig.PayloadFormat;
import io.hybridstorage.api.spi.Notifications;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code createNotification}, {@code getNotification}, {@code listNotifications} and {@code
 * deleteNotification}: to the bucket's native GCS client when it has one (unchanged, as every
 * control-plane call), else to the store's {@link Notifications} mixin, translated both ways;
 * else 501 ({@link ControlPlane#notifications}). As the client does, a missing configuration is
 * {@code null} from {@code getNotification} and {@code false} from {@code deleteNotification}; a
 * missing bucket is a 404.
 */
final class NotificationOps {

  private final ControlPlane control;
  private final Storage facade;

  NotificationOps(ControlPlane control, Storage facade) {
    this.control = control;
    this.facade = facade;
  }

  Notification create(String bucket, NotificationInfo info) {
    Optional<Storage> nativeClient = control.nativeFor(bucket);
    if (nativeClient.isPresent()) {
      return nativeClient.get().createNotification(bucket, info);
    }
    Notifications store = control.notifications("createNotification", bucket);
    return bind(Errors.call(() -> store.createNotification(bucket, config(info))));
  }

  Notification get(String bucket, String id) {
    Optional<Storage> nativeClient = control.nativeFor(bucket);
    if (nativeClient.isPresent()) {
      return nativeClient.get().getNotification(bucket, id);
    }
    Notifications store = control.notifications("getNotification", bucket);
    return Errors.call(() -> store.getNotification(bucket, id)).map(this::bind).orElse(null);
  }

  List<Notification> list(String bucket) {
    Optional<Storage> nativeClient = control.nativeFor(bucket);
    if (nativeClient.isPresent()) {
      return nativeClient.get().listNotifications(bucket);
    }
    Notifications store = control.notifications("listNotifications", bucket);
    List<Notification> out = new ArrayList<>();
    Errors.call(() -> store.listNotifications(bucket)).forEach(c -> out.add(bind(c)));
    return out;
  }

  boolean delete(String bucket, String id) {
    Optional<Storage> nativeClient = control.nativeFor(bucket);
    if (nativeClient.isPresent()) {
      return nativeClient.get().deleteNotification(bucket, id);
    }
    Notifications store = control.notifications("deleteNotification", bucket);
    return Errors.call(() -> store.deleteNotification(bucket, id));
  }

  /** The client's configuration as the SPI's; no payload format means NONE, as the client sends it. */
  static NotificationConfig config(NotificationInfo info) {
    Set<EventType> types = EnumSet.noneOf(EventType.class);
    if (info.getEventTypes() != null) {
      info.getEventTypes().forEach(t -> types.add(EventType.valueOf(t.name())));
    }
    PayloadFormat format = info.getPayloadFormat() == null ? PayloadFormat.NONE
        : PayloadFormat.valueOf(info.getPayloadFormat().name());
    return new NotificationConfig(null, info.getTopic(), format, types, info.getObjectNamePrefix(),
        info.getCustomAttributes(), null, null);
  }

  private Notification bind(NotificationConfig c) {
    NotificationInfo.Builder b = HybridBridge.notificationBuilder(c.id(), c.topic())
        .setPayloadFormat(NotificationInfo.PayloadFormat.valueOf(c.payloadFormat().name()))
        .setEtag(c.etag())
        .setSelfLink(c.selfLink());
    if (!c.objectNamePrefix().isEmpty()) {
      b.setObjectNamePrefix(c.objectNamePrefix());
    }
    if (!c.customAttributes().isEmpty()) {
      b.setCustomAttributes(c.customAttributes());
    }
    if (!c.eventTypes().isEmpty()) {
      b.setEventTypes(c.eventTypes().stream().map(t -> NotificationInfo.EventType.valueOf(t.name()))
          .toArray(NotificationInfo.EventType[]::new));
    }
    return HybridBridge.bind(facade, b.build());
  }
}
