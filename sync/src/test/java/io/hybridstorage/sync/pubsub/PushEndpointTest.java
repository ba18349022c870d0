package io.hybridstorage.sync.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.pubsub.v1.PublisherGrpc;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.SubscriberGrpc;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.Topic;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.hybridstorage.sync.Change;
import io.hybridstorage.sync.ChangeQueue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link PushEndpoint} on a real Jetty server, called over HTTP as Pub/Sub calls it. */
class PushEndpointTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Change> durable = new CopyOnWriteArrayList<>();
  private Server server;
  private PushEndpoint endpoint;
  private URI uri;

  private void serve(PushEndpoint.Builder builder) throws Exception {
    endpoint = builder.site("gcp").build();
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(endpoint);
    server.start();
    uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/push");
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  static String envelope(Map<String, String> attributes, byte[] data, String messageId) {
    ObjectNode message = JSON.createObjectNode();
    message.set("attributes", JSON.valueToTree(attributes));
    message.put("data", Base64.getEncoder().encodeToString(data));
    message.put("messageId", messageId);
    message.put("publishTime", "2026-12-07T06:00:00.123Z");
    ObjectNode env = JSON.createObjectNode();
    env.set("message", message);
    env.put("subscription", "projects/p/subscriptions/push-sync");
    return env.toString();
  }

  static String finalizeEnvelope(String name, long generation) {
    return envelope(Notifications.attributes("OBJECT_FINALIZE", "b", name, generation, 0,
        "2026-12-07T06:00:00Z"), Notifications.payload("b", name, generation, 5, "AAAAAA=="), "m-" + name);
  }

  private HttpResponse<String> post(String body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answers204OnlyAfterTheChangeIsDurable() throws Exception {
    CountDownLatch putCalled = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    serve(PushEndpoint.builder().queue(changes -> {
      putCalled.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      durable.addAll(changes);
    }));

    CompletableFuture<HttpResponse<String>> response = http.sendAsync(
        HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(finalizeEnvelope("o", 42)))
            .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(putCalled.await(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(300);
    assertThat(response).isNotDone(); // no acknowledgement while put has not returned
    release.countDown();

    assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
    assertThat(durable).containsExactly(new Change(Change.Kind.FINALIZE, "gcp", "b", "o", 42, 0, 5,
        "AAAAAA==", Instant.parse("2026-12-07T06:00:00Z"), "push"));
    assertThat(endpoint.accepted()).isEqualTo(1);
  }

  @Test
  void answers503WhenPutThrowsSoTheSenderDeliversAgain() throws Exception {
    AtomicInteger failuresLeft = new AtomicInteger(2);
    serve(PushEndpoint.builder().queue(changes -> {
      if (failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("journal disk full");
      }
      durable.addAll(changes);
    }));

    // the sender, as Pub/Sub: deliver again until acknowledged
    List<Integer> statuses = new ArrayList<>();
    String body = finalizeEnvelope("retried", 7);
    for (int attempt = 0; attempt < 5 && (statuses.isEmpty() || statuses.get(statuses.size() - 1) >= 300);
        attempt++) {
      statuses.add(post(body).statusCode());
    }

    assertThat(statuses).containsExactly(503, 503, 204);
    assertThat(durable).extracting(Change::name).containsExactly("retried");
    assertThat(endpoint.failed()).isEqualTo(2);
    assertThat(endpoint.accepted()).isEqualTo(1);
  }

  @Test
  void poisonIsAcknowledgedAndLoggedNotQueued() throws Exception {
    serve(PushEndpoint.builder().queue(durable::addAll));
    Map<String, String> badGeneration = Notifications.attributes("OBJECT_FINALIZE", "b", "x", 1, 0,
        "2026-12-07T06:00:00Z");
    badGeneration.put("objectGeneration", "-x-");
    ObjectNode badData = (ObjectNode) JSON.readTree(finalizeEnvelope("y", 1));
    ((ObjectNode) badData.get("message")).put("data", "%%% not base64 %%%");
    ObjectNode attributesNotObject = (ObjectNode) JSON.readTree(finalizeEnvelope("z", 1));
    ((ObjectNode) attributesNotObject.get("message")).put("attributes", "eventType=OBJECT_FINALIZE");

    List<Integer> statuses = List.of(
        post(envelope(badGeneration, new byte[0], "p1")).statusCode(),
        post(envelope(Notifications.attributes("OBJECT_FINALIZE", "b", "w", 1, 0, "2026-12-07T06:00:00Z"),
            "{oops".getBytes(StandardCharsets.UTF_8), "p2")).statusCode(),
        post(badData.toString()).statusCode(),
        post(attributesNotObject.toString()).statusCode());

    assertThat(statuses).containsOnly(204);
    assertThat(durable).isEmpty();
    assertThat(endpoint.poison()).isEqualTo(4);
    assertThat(endpoint.accepted()).isZero();
  }

  @Test
  void messagesThatAreNotObjectNotificationsAreAcknowledgedAndDropped() throws Exception {
    serve(PushEndpoint.builder().queue(durable::addAll));
    assertThat(post(envelope(Map.of("eventType", "TEST_NOTIFICATION", "bucketId", "b"), new byte[0], "t"))
        .statusCode()).isEqualTo(204);
    assertThat(post(envelope(Map.of(), "hello".getBytes(StandardCharsets.UTF_8), "u")).statusCode())
        .isEqualTo(204);
    assertThat(durable).isEmpty();
    assertThat(endpoint.dropped()).isEqualTo(2);
  }

  @Test
  void aBodyThatIsNotAPushEnvelopeIsABadRequest() throws Exception {
    serve(PushEndpoint.builder().queue(durable::addAll));
    HttpResponse<String> notJson = post("eventType=OBJECT_FINALIZE");
    HttpResponse<String> noMessage = post("{\"subscription\":\"projects/p/subscriptions/s\"}");
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("not a Pub/Sub push envelope");
    assertThat(noMessage.statusCode()).isEqualTo(400);
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(durable).isEmpty();
  }

  @Test
  void aTooLargeBodyIsRefused() throws Exception {
    serve(PushEndpoint.builder().queue(durable::addAll).maxBodyBytes(1024));
    assertThat(post(envelope(Map.of("eventType", "OBJECT_FINALIZE"), new byte[2048], "big")).statusCode())
        .isEqualTo(413);
    assertThat(post(finalizeEnvelope("small", 1)).statusCode()).isEqualTo(204);
    assertThat(durable).extracting(Change::name).containsExactly("small");
  }

  @Test
  void aTokenCheckAdmitsOnlyItsBearerToken() throws Exception {
    serve(PushEndpoint.builder().queue(durable::addAll).tokenCheck("s3cret"::equals));
    String body = finalizeEnvelope("guarded", 1);
    int none = post(body).statusCode();
    int wrong = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Authorization", "Bearer guess").build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    int right = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Authorization", "Bearer s3cret").build(), HttpResponse.BodyHandlers.ofString()).statusCode();

    assertThat(List.of(none, wrong, right)).containsExactly(401, 401, 204);
    assertThat(durable).extracting(Change::name).containsExactly("guarded");
  }

  /** The official emulator pushes to the endpoint and, on 503, pushes again. */
  @Test
  void theOfficialEmulatorPushesAndRedeliversAfter503() throws Exception {
    Optional<Path> jar = PubSubEmulator.jar();
    assumeTrue(jar.isPresent(), "the Pub/Sub emulator (gcloud component pubsub-emulator) is not installed");
    AtomicInteger failuresLeft = new AtomicInteger(1);
    ChangeQueue queue = changes -> {
      if (failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("not yet");
      }
      durable.addAll(changes);
    };
    serve(PushEndpoint.builder().queue(queue));
    try (PubSubEmulator emulator = PubSubEmulator.start(jar.get())) {
      ManagedChannel admin = ManagedChannelBuilder.forTarget(emulator.endpoint()).usePlaintext().build();
      try {
        String topic = "projects/p/topics/gcs";
        PublisherGrpc.newBlockingStub(admin).createTopic(Topic.newBuilder().setName(topic).build());
        SubscriberGrpc.newBlockingStub(admin).createSubscription(Subscription.newBuilder()
            .setName("projects/p/subscriptions/push-sync").setTopic(topic).setAckDeadlineSeconds(10)
            .setPushConfig(PushConfig.newBuilder().setPushEndpoint(uri.toString())).build());
        try (PubSubSink sink = PubSubSink.builder().project("p").transport(emulator.transport()).build()) {
          sink.publish("gcs", Notifications.attributes("OBJECT_FINALIZE", "b", "pushed", 11, 10,
              "2026-12-07T06:00:00Z"), Notifications.payload("b", "pushed", 11, 5, "AAAAAA=="));
          sink.flush(Duration.ofSeconds(10));
        }
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (durable.isEmpty() && System.nanoTime() < end) {
          Thread.sleep(100);
        }
      } finally {
        admin.shutdownNow();
      }
    }
    assertThat(durable).extracting(Change::name, Change::generation, Change::overwroteGeneration)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("pushed", 11L, 10L));
    assertThat(endpoint.failed()).isEqualTo(1);
  }
}
