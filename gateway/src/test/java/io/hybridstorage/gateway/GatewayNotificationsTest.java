package io.hybridstorage.gateway;

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
import io.hybridstorage.api.HybridStorageConfigException;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.Profile;
import io.hybridstorage.memory.InMemoryNotificationSink;
import io.hybridstorage.memory.InMemoryNotificationSink.Message;
import io.hybridstorage.memory.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's {@code notificationConfigs} calls and what it publishes, through the real client
 * and raw HTTP: the client's four notification calls, a write's message whose payload is
 * byte for byte what {@code objects.get} answers, 404s, 501 without a sink, a BU's bound, and the
 * {@code gateway.notificationSink} setting.
 */
class GatewayNotificationsTest {

  private static final String TOPIC = "projects/retail/topics/lake-changes";

  @TempDir
  Path dir;

  private static Gateway emitting(InMemoryNotificationSink sink) {
    InMemoryStore memory = new InMemoryStore("gcp");
    return Gateway.builder(memory).allowAnonymous().stopTimeout(Duration.ofSeconds(1)).owning(memory::close)
        .notificationSink(sink).start();
  }

  @Test
  void theRealClientsNotificationCallsAndTheMessageOfAWrite() throws Exception {
    InMemoryNotificationSink sink = new InMemoryNotificationSink();
    try (Gateway gateway = emitting(sink);
        Storage client = LoopbackGateway.of(gateway).clientOptions().build().getService()) {
      client.create(BucketInfo.of("lake"));
      Notification plain = client.createNotification("lake", NotificationInfo.of(TOPIC));
      assertThat(plain.getNotificationId()).isNotBlank();
      assertThat(plain.getTopic()).isEqualTo("//pubsub.googleapis.com/" + TOPIC);
      assertThat(plain.getPayloadFormat()).as("the client sends NONE when none is set").isEqualTo(PayloadFormat.NONE);
      assertThat(plain.getSelfLink()).isEqualTo(gateway.endpoint() + "/storage/v1/b/lake/notificationConfigs/"
          + plain.getNotificationId());
      Notification full = client.createNotification("lake", NotificationInfo.newBuilder(TOPIC)
          .setPayloadFormat(PayloadFormat.JSON_API_V1).setEventTypes(EventType.OBJECT_FINALIZE)
          .setObjectNamePrefix("sales/").setCustomAttributes(Map.of("team", "sales")).build());
      assertThat(full.getEventTypes()).containsExactly(EventType.OBJECT_FINALIZE);
      assertThat(full.getCustomAttributes()).isEqualTo(Map.of("team", "sales"));
      assertThat(client.listNotifications("lake")).extracting(Notification::getNotificationId)
          .containsExactly(plain.getNotificationId(), full.getNotificationId());
      assertThat(client.getNotification("lake", full.getNotificationId()).getObjectNamePrefix()).isEqualTo("sales/");

      long generation = client.create(BlobInfo.newBuilder("lake", "sales/dt=2026-12-07/part-0.parquet")
          .setContentType("application/octet-stream").build(), "rows".getBytes(StandardCharsets.UTF_8)).getGeneration();
      List<Message> ms = sink.messages(TOPIC);
      assertThat(ms).hasSize(2);
      Message none = ms.stream().filter(m -> m.attribute("payloadFormat").equals("NONE")).findFirst().orElseThrow();
      Message json = ms.stream().filter(m -> m.attribute("payloadFormat").equals("JSON_API_V1")).findFirst()
          .orElseThrow();
      assertThat(none.payload()).isEmpty();
      assertThat(json.attributes()).containsEntry("eventType", "OBJECT_FINALIZE").containsEntry("bucketId", "lake")
          .containsEntry("objectId", "sales/dt=2026-12-07/part-0.parquet")
          .containsEntry("objectGeneration", String.valueOf(generation)).containsEntry("team", "sales")
          .containsEntry("notificationConfig", "projects/_/buckets/lake/notificationConfigs/" + full.getNotificationId());
      // the payload is the object resource exactly as objects.get returns it
      RawHttp.Response get = RawHttp.get(gateway.port(), "/storage/v1/b/lake/o/sales%2Fdt%3D2026-12-07%2Fpart-0.parquet");
      assertThat(get.status()).isEqualTo(200);
      assertThat(json.payloadText()).isEqualTo(get.text());

      assertThat(client.deleteNotification("lake", plain.getNotificationId())).isTrue();
      assertThat(client.deleteNotification("lake", plain.getNotificationId())).isFalse();
      assertThat(client.getNotification("lake", plain.getNotificationId())).isNull();
    }
  }

  @Test
  void rawCallsGetGcsCodes() throws Exception {
    try (Gateway gateway = emitting(new InMemoryNotificationSink());
        Storage client = LoopbackGateway.of(gateway).clientOptions().build().getService()) {
      int port = gateway.port();
      Map<String, String> json = Map.of("Content-Type", "application/json");
      assertThat(RawHttp.get(port, "/storage/v1/b/nope/notificationConfigs").status()).isEqualTo(404);
      assertThat(RawHttp.get(port, "/storage/v1/b/nope/notificationConfigs/1").status()).isEqualTo(404);
      assertThat(RawHttp.send(port, "DELETE", "/storage/v1/b/nope/notificationConfigs/1", new byte[0]).status())
          .isEqualTo(404);
      client.create(BucketInfo.of("lake"));
      assertThat(RawHttp.get(port, "/storage/v1/b/lake/notificationConfigs/42").status()).isEqualTo(404);
      RawHttp.Response noTopic = RawHttp.send(port, "POST", "/storage/v1/b/lake/notificationConfigs", json,
          "{}".getBytes(StandardCharsets.UTF_8));
      assertThat(noTopic.status()).isEqualTo(400);
      assertThat(noTopic.text()).contains("topic");
      RawHttp.Response badEvent = RawHttp.send(port, "POST", "/storage/v1/b/lake/notificationConfigs", json,
          ("{\"topic\":\"" + TOPIC + "\",\"event_types\":[\"OBJECT_EXPLODE\"]}").getBytes(StandardCharsets.UTF_8));
      assertThat(badEvent.status()).isEqualTo(400);
      assertThat(badEvent.text()).contains("event_types", "OBJECT_EXPLODE");
      RawHttp.Response badTopic = RawHttp.send(port, "POST", "/storage/v1/b/lake/notificationConfigs", json,
          "{\"topic\":\"projects/retail/subscriptions/s\"}".getBytes(StandardCharsets.UTF_8));
      assertThat(badTopic.status()).isEqualTo(400);
      assertThat(badTopic.text()).contains("projects/retail/subscriptions/s", "lake");
      RawHttp.Response badFormat = RawHttp.send(port, "POST", "/storage/v1/b/lake/notificationConfigs", json,
          ("{\"topic\":\"" + TOPIC + "\",\"payload_format\":\"XML\"}").getBytes(StandardCharsets.UTF_8));
      assertThat(badFormat.status()).isEqualTo(400);
      RawHttp.Response created = RawHttp.send(port, "POST", "/storage/v1/b/lake/notificationConfigs", json,
          ("{\"topic\":\"" + TOPIC + "\"}").getBytes(StandardCharsets.UTF_8));
      assertThat(created.status()).isEqualTo(200);
      assertThat(created.text()).contains("\"kind\":\"storage#notification\"", "\"payload_format\":\"JSON_API_V1\"",
          "\"topic\":\"//pubsub.googleapis.com/" + TOPIC + "\"");
      assertThat(RawHttp.send(port, "PUT", "/storage/v1/b/lake/notificationConfigs", json, new byte[0]).status())
          .isEqualTo(405);
    }
  }

  @Test
  void withoutASinkTheCallsAre501NamingTheCallAndTheGateway() throws Exception {
    try (LoopbackGateway server = LoopbackGateway.start(new InMemoryStore("gcp"));
        Storage client = server.clientOptions().build().getService()) {
      client.create(BucketInfo.of("lake"));
      StorageException e = catchThrowableOfType(StorageException.class,
          () -> client.createNotification("lake", NotificationInfo.of(TOPIC)));
      assertThat(e.getCode()).isEqualTo(501);
      assertThat(e.getMessage()).contains("notifications.insert", "lake", "gateway");
      assertThat(catchThrowableOfType(StorageException.class, () -> client.listNotifications("lake")).getCode())
          .isEqualTo(501);
      assertThat(server.gateway().notificationSink()).isEmpty();
    }
  }

  @Test
  void aBuTokenManagesOnlyTheNotificationsOfItsOwnBuckets() throws Exception {
    InMemoryNotificationSink sink = new InMemoryNotificationSink();
    InMemoryStore memory = new InMemoryStore("gcp");
    Profile sales = new Profile("sales", List.of("sales-data"), List.of());
    try (Gateway gateway = Gateway.builder(memory).owning(memory::close).stopTimeout(Duration.ofSeconds(1))
        .unboundedToken("tok-ops").token("tok-sales", sales).notificationSink(sink).start();
        Storage ops = BearerClients.client(gateway, "tok-ops");
        Storage bu = BearerClients.client(gateway, "tok-sales")) {
      ops.create(BucketInfo.of("sales-data"));
      ops.create(BucketInfo.of("fin-data"));
      assertThat(bu.createNotification("sales-data", NotificationInfo.of(TOPIC)).getNotificationId()).isNotBlank();
      StorageException e = catchThrowableOfType(StorageException.class,
          () -> bu.createNotification("fin-data", NotificationInfo.of(TOPIC)));
      assertThat(e.getCode()).isEqualTo(403);
      assertThat(e.getMessage()).contains("sales", "fin-data");
      assertThat(catchThrowableOfType(StorageException.class, () -> bu.listNotifications("fin-data")).getCode())
          .isEqualTo(403);
      bu.create(BlobInfo.newBuilder("sales-data", "x").build(), new byte[] {1});
      assertThat(sink.messages(TOPIC)).hasSize(1);
    }
  }

  @Test
  void theConfigurationsNotificationSinkMemoryEmitsIntoTheGatewaysSink() throws Exception {
    HybridStorageOptions options = HybridStorageOptions.fromFile(GatewayConfigTest.config(dir,
        "  accessFile: ACCESS_FILE\n", "  notificationSink: memory\n"));
    try (Gateway gateway = GatewayConfig.start(options, Map.<String, String>of()::get);
        Storage ops = BearerClients.client(gateway, "tok-ops")) {
      InMemoryNotificationSink sink = (InMemoryNotificationSink) gateway.notificationSink().orElseThrow();
      ops.create(BucketInfo.of("sales-data"));
      ops.createNotification("sales-data", NotificationInfo.of(TOPIC));
      ops.create(BlobInfo.newBuilder("sales-data", "q4.csv").build(), "rows".getBytes(StandardCharsets.UTF_8));
      assertThat(sink.messages(TOPIC)).extracting(m -> m.attribute("objectId")).containsExactly("q4.csv");
    }
    HybridStorageOptions bad = HybridStorageOptions.fromFile(GatewayConfigTest.config(dir.resolve(".."),
        "  accessFile: ACCESS_FILE\n", "  notificationSink: pubsub\n"));
    assertThatThrownBy(() -> GatewayConfig.start(bad, Map.<String, String>of()::get))
        .isInstanceOf(HybridStorageConfigException.class).hasMessageContaining("notificationSink");
  }
}
