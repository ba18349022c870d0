package io.hybridstorage.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Notification;
import com.google.cloud.storage.NotificationInfo;
import com.google.cloud.storage.NotificationInfo.EventType;
import com.google.cloud.storage.NotificationInfo.PayloadFormat;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.HybridStorage;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.NotifyingStore;
import io.hybridstorage.memory.InMemoryNotificationSink;
import io.hybridstorage.memory.InMemoryNotificationSink.Message;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The facade's {@code createNotification}, {@code getNotification}, {@code listNotifications} and
 * {@code deleteNotification} without a native GCS client: served by a {@link NotifyingStore} found
 * under the store's decorators, else 501. The embedded world's sites: sdk-routing's {@code
 * EmbeddedWorldNotificationsTest}.
 */
class NotificationsFacadeTest {

  private static final String TOPIC = "projects/p/topics/changes";

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theClientsNotificationCallsOverANotifyingStore() throws Exception {
    InMemoryNotificationSink sink = new InMemoryNotificationSink();
    // found under a decorator, as a fault injector or metrics store would sit in front of it
    try (Storage storage = HybridStorage.over(FaultInjectingStore.builder(
        NotifyingStore.builder(new InMemoryStore("gcp"), sink).build()).seed(1).build())) {
      storage.create(BucketInfo.of("sales"));
      Notification created = storage.createNotification("sales", NotificationInfo.newBuilder(TOPIC)
          .setPayloadFormat(PayloadFormat.JSON_API_V1).setEventTypes(EventType.OBJECT_FINALIZE)
          .setObjectNamePrefix("in/").setCustomAttributes(Map.of("team", "sales")).build());
      assertThat(created.getNotificationId()).isNotBlank();
      assertThat(created.getTopic()).isEqualTo("//pubsub.googleapis.com/" + TOPIC);
      assertThat(created.getEventTypes()).containsExactly(EventType.OBJECT_FINALIZE);
      assertThat(created.getObjectNamePrefix()).isEqualTo("in/");
      assertThat(created.getCustomAttributes()).isEqualTo(Map.of("team", "sales"));
      assertThat(created.getEtag()).isNotBlank();
      assertThat(created.getSelfLink()).endsWith("/storage/v1/b/sales/notificationConfigs/" + created.getNotificationId());
      assertThat(created.getStorage()).isSameAs(storage);

      long generation = storage.create(BlobInfo.newBuilder("sales", "in/a.csv").build(), bytes("x")).getGeneration();
      storage.create(BlobInfo.newBuilder("sales", "out/b.csv").build(), bytes("y"));
      Message m = sink.take(TOPIC);
      assertThat(m.attributes()).containsEntry("eventType", "OBJECT_FINALIZE").containsEntry("objectId", "in/a.csv")
          .containsEntry("objectGeneration", String.valueOf(generation)).containsEntry("team", "sales");
      assertThat(sink.pending(TOPIC)).isZero();

      assertThat(storage.getNotification("sales", created.getNotificationId())).isEqualTo(created);
      assertThat(storage.listNotifications("sales")).containsExactly(created);
      assertThat(storage.deleteNotification("sales", created.getNotificationId())).isTrue();
      assertThat(storage.getNotification("sales", created.getNotificationId())).isNull();
      assertThat(storage.deleteNotification("sales", created.getNotificationId())).isFalse();
      assertThat(storage.listNotifications("sales")).isEmpty();
    }
  }

  @Test
  void errorsAreTheClientsStorageExceptions() throws Exception {
    try (Storage storage = HybridStorage.over(NotifyingStore.builder(new InMemoryStore("gcp"),
        new InMemoryNotificationSink()).build())) {
      StorageException missing = catchThrowableOfType(() -> storage.createNotification("nope",
          NotificationInfo.of(TOPIC)), StorageException.class);
      assertThat(missing.getCode()).isEqualTo(404);
      assertThat(missing.getMessage()).contains("createNotification", "nope", "gcp");
      assertThat(catchThrowableOfType(() -> storage.listNotifications("nope"), StorageException.class).getCode())
          .isEqualTo(404);
      assertThat(catchThrowableOfType(() -> storage.getNotification("nope", "1"), StorageException.class).getCode())
          .isEqualTo(404);
    }
  }

  @Test
  void aStoreThatDoesNotEmitAnswers501NamingTheCall() throws Exception {
    try (Storage storage = HybridStorage.over(new InMemoryStore("mem"))) {
      storage.create(BucketInfo.of("sales"));
      StorageException e = catchThrowableOfType(() -> storage.createNotification("sales", NotificationInfo.of(TOPIC)),
          StorageException.class);
      assertThat(e.getCode()).isEqualTo(501);
      assertThat(e.getMessage()).contains("createNotification", "sales", "mem", "NotifyingStore");
    }
  }

  @Test
  void notificationsOfAnUnknownSiteFailTheBuild() {
    assertThatThrownBy(() -> HybridStorageOptions.inMemoryThreeSites()
        .notifications("gcp2", new InMemoryNotificationSink()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("notifications: 'gcp2' is not a configured site");
  }
}
