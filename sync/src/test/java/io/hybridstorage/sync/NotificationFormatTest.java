package io.hybridstorage.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.NotificationInfo;
import com.google.cloud.storage.NotificationInfo.PayloadFormat;
import com.google.cloud.storage.Storage;
import io.hybridstorage.gateway.Gateway;
import io.hybridstorage.memory.InMemoryNotificationSink;
import io.hybridstorage.memory.InMemoryNotificationSink.Message;
import io.hybridstorage.memory.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the embedded JSON API server publishes is what the sync module reads: a writer that
 * bypasses the SDK (the real GCS client against the gateway) changes objects, and every message
 * the gateway's notification sink receives parses with {@link GcsNotifications#toChange} into the
 * change that was made: kind, generation, replaced generation, size, CRC32C and time.
 */
class NotificationFormatTest {

  private static final String TOPIC = "projects/retail/topics/gcp-changes";

  @Test
  void everyMessageOfTheGatewayParsesIntoTheChangeMade() throws Exception {
    InMemoryNotificationSink sink = new InMemoryNotificationSink();
    InMemoryStore gcp = new InMemoryStore("gcp");
    try (Gateway gateway = Gateway.builder(gcp).allowAnonymous().stopTimeout(Duration.ofSeconds(1))
        .notificationSink(sink).start();
        Storage client = GatewayClient.anonymous(gateway, "retail")) {
      client.create(BucketInfo.of("lake"));
      client.createNotification("lake", NotificationInfo.newBuilder(TOPIC).setPayloadFormat(PayloadFormat.JSON_API_V1)
          .build());
      Blob first = client.create(BlobInfo.newBuilder("lake", "sales/dt=2026-12-07/a.csv").build(),
          "a,b\n".getBytes(StandardCharsets.UTF_8));
      Blob second = client.create(BlobInfo.newBuilder("lake", "sales/dt=2026-12-07/a.csv").build(),
          "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
      client.update(second.toBuilder().setContentType("text/csv").build());
      client.delete(BlobId.of("lake", "sales/dt=2026-12-07/a.csv"));

      List<Change> changes = sink.messages(TOPIC).stream()
          .map(m -> GcsNotifications.toChange("gcp", m.attributes(), m.payload(), "pubsub").orElseThrow()).toList();
      assertThat(changes).extracting(c -> c.kind() + "#" + c.generation()).containsExactly(
          "FINALIZE#" + first.getGeneration(),
          "FINALIZE#" + second.getGeneration(),
          "DELETE#" + first.getGeneration(),
          "METADATA_UPDATE#" + second.getGeneration(),
          "DELETE#" + second.getGeneration());
      Change created = changes.get(0);
      assertThat(created.site()).isEqualTo("gcp");
      assertThat(created.bucket()).isEqualTo("lake");
      assertThat(created.name()).isEqualTo("sales/dt=2026-12-07/a.csv");
      assertThat(created.size()).isEqualTo(4);
      assertThat(created.crc32c()).isEqualTo(first.getCrc32c());
      assertThat(created.overwroteGeneration()).isZero();
      // eventTime is as precise as the store's clock; the resource's times are in milliseconds, as GCS's
      assertThat(created.eventTime().truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
          .isEqualTo(first.getUpdateTimeOffsetDateTime().toInstant());
      Change overwrite = changes.get(1);
      assertThat(overwrite.overwroteGeneration()).isEqualTo(first.getGeneration());
      assertThat(overwrite.size()).isEqualTo(8);
      assertThat(overwrite.crc32c()).isEqualTo(second.getCrc32c());
      assertThat(changes.get(2).size()).as("the replaced version's resource").isEqualTo(4);
      assertThat(changes).allSatisfy(c -> assertThat(c.origin()).isEqualTo("pubsub"));
    }
  }

  @Test
  void aMessageWithoutPayloadParsesFromItsAttributes() throws Exception {
    InMemoryNotificationSink sink = new InMemoryNotificationSink();
    InMemoryStore gcp = new InMemoryStore("gcp");
    try (Gateway gateway = Gateway.builder(gcp).allowAnonymous().stopTimeout(Duration.ofSeconds(1))
        .notificationSink(sink).start();
        Storage client = GatewayClient.anonymous(gateway, "retail")) {
      client.create(BucketInfo.of("lake"));
      client.createNotification("lake", NotificationInfo.of(TOPIC)); // the client's default: NONE
      Blob blob = client.create(BlobInfo.newBuilder("lake", "x").build(), new byte[] {1, 2});
      Message m = sink.take(TOPIC);
      assertThat(m.payload()).isEmpty();
      Change c = GcsNotifications.toChange("gcp", m.attributes(), m.payload(), "pubsub").orElseThrow();
      assertThat(c.kind()).isEqualTo(Change.Kind.FINALIZE);
      assertThat(c.generation()).isEqualTo(blob.getGeneration());
      assertThat(c.size()).as("unknown without a payload").isEqualTo(-1);
    }
  }
}
