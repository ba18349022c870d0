package io.hybridstorage.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Notification;
import com.google.cloud.storage.NotificationInfo;
import com.google.cloud.storage.NotificationInfo.PayloadFormat;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.Profile;
import io.hybridstorage.memory.InMemoryNotificationSink;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The embedded world with a site that emits GCS notifications ({@code
 * HybridStorageOptions.Builder.notifications}): every change reaching that site publishes, and the
 * facade serves the notification calls of the buckets it is the authority of.
 */
class EmbeddedWorldNotificationsTest {

  private static final String TOPIC = "projects/p/topics/changes";

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theEmbeddedWorldsGcpSiteEmitsWhatReachesIt() throws Exception {
    InMemoryNotificationSink sink = new InMemoryNotificationSink();
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites().notifications("gcp", sink).build();
    try (Storage storage = options.getService()) {
      storage.create(BucketInfo.of("lake"));
      Notification config = storage.createNotification("lake", NotificationInfo.newBuilder(TOPIC)
          .setPayloadFormat(PayloadFormat.JSON_API_V1).build());
      long first = storage.create(BlobInfo.newBuilder("lake", "t/1").build(), bytes("one")).getGeneration();
      long second = storage.create(BlobInfo.newBuilder("lake", "t/1").build(), bytes("two")).getGeneration();
      storage.delete("lake", "t/1");
      List<String> events = sink.messages(TOPIC).stream().map(m -> m.attribute("eventType") + "#"
          + m.attribute("objectGeneration")).toList();
      // one message per change at the gcp site, whatever the other two replicas did
      assertThat(events).containsExactly("OBJECT_FINALIZE#" + first, "OBJECT_FINALIZE#" + second,
          "OBJECT_DELETE#" + first, "OBJECT_DELETE#" + second);
      assertThat(storage.listNotifications("lake")).containsExactly(config);
    }
  }

  @Test
  void aBucketWhoseAuthorityDoesNotEmitAnswers501() throws Exception {
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites()
        .notifications("dc1", new InMemoryNotificationSink()).build();
    try (Storage storage = options.getService()) {
      storage.create(BucketInfo.of("lake"));
      StorageException e = catchThrowableOfType(() -> storage.listNotifications("lake"), StorageException.class);
      assertThat(e.getCode()).isEqualTo(501);
      assertThat(e.getMessage()).contains("listNotifications", "lake");
    }
  }

  @Test
  void aBuProfileMayManageNotificationsOnlyOfBucketsItHoldsWhole() throws Exception {
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites()
        .notifications("gcp", new InMemoryNotificationSink())
        .profile(new Profile("sales", List.of("sales", "shared/sales/"), List.of()))
        .profile("sales")
        .build();
    try (Storage storage = options.getService()) {
      storage.create(BucketInfo.of("sales"));
      assertThat(storage.createNotification("sales", NotificationInfo.of(TOPIC)).getNotificationId()).isNotBlank();
      StorageException e = catchThrowableOfType(() -> storage.createNotification("shared", NotificationInfo.of(TOPIC)),
          StorageException.class);
      assertThat(e.getCode()).isEqualTo(403);
    }
  }

}
