package io.hybridstorage.sync.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.pubsub.v1.PublisherGrpc;
import com.google.pubsub.v1.SubscriberGrpc;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.Topic;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.hybridstorage.sync.Change;
import io.hybridstorage.sync.ChangeFeed.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The round trip a real {@code Publisher} ({@link PubSubSink}) → a Pub/Sub server → {@link
 * PubSubFeed}, run against {@link EmbeddedPubSub} and, where installed, the official emulator, so
 * the embedded server is held to the real one's semantics.
 */
abstract class PubSubFeedContract {

  static final String PROJECT = "test-project";
  static final String SITE = "gcp";
  private static final AtomicInteger IDS = new AtomicInteger();

  /** Where the Pub/Sub server under test listens ({@code host:port}). */
  abstract String endpoint();

  ManagedChannel admin;
  String topic;
  String subscription;
  final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void names() {
    admin = ManagedChannelBuilder.forTarget(endpoint()).usePlaintext().build();
    int id = IDS.incrementAndGet();
    topic = "projects/" + PROJECT + "/topics/gcs-" + id + "-" + System.nanoTime();
    subscription = "projects/" + PROJECT + "/subscriptions/sync-" + id + "-" + System.nanoTime();
  }

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(closeables);
    for (AutoCloseable c : closeables) {
      c.close();
    }
    admin.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Creates the topic and a subscription with the given ack deadline through the gRPC API. */
  void createTopicAndSubscription(int ackDeadlineSeconds) {
    PublisherGrpc.newBlockingStub(admin).createTopic(Topic.newBuilder().setName(topic).build());
    SubscriberGrpc.newBlockingStub(admin).createSubscription(Subscription.newBuilder()
        .setName(subscription).setTopic(topic).setAckDeadlineSeconds(ackDeadlineSeconds).build());
  }

  PubSubSink sink() {
    PubSubSink sink = PubSubSink.builder().project(PROJECT)
        .transport(PubSubTransport.emulator(endpoint())).build();
    closeables.add(sink);
    return sink;
  }

  PubSubFeed feed(int maxMessages, Duration ackDeadline) {
    PubSubFeed feed = PubSubFeed.builder().project(PROJECT)
        .subscription(subscription.substring(subscription.lastIndexOf('/') + 1))
        .site(SITE).maxMessages(maxMessages).ackDeadline(ackDeadline)
        .transport(PubSubTransport.emulator(endpoint())).build();
    closeables.add(feed);
    return feed;
  }

  void publishFinalize(PubSubSink sink, String name, long generation) {
    sink.publish(topic, Notifications.attributes("OBJECT_FINALIZE", "b", name, generation, 0,
        "2026-12-07T06:00:00Z"), Notifications.payload("b", name, generation, 5, "AAAAAA=="));
  }

  /** Polls until {@code n} deliveries came or {@code timeout} passed. */
  static List<Delivery> pollFor(PubSubFeed feed, int n, Duration timeout) throws InterruptedException {
    List<Delivery> out = new ArrayList<>();
    long end = System.nanoTime() + timeout.toNanos();
    while (out.size() < n && System.nanoTime() < end) {
      out.addAll(feed.poll(n - out.size(), Duration.ofMillis(500)));
    }
    return out;
  }

  @Test
  void attributesAndPayloadSurviveTheRoundTrip() throws Exception {
    createTopicAndSubscription(10);
    PubSubSink sink = sink();
    sink.publish(topic.substring(topic.lastIndexOf('/') + 1),
        Notifications.attributes("OBJECT_FINALIZE", "b", "sales/dt=2026-12-01/p.parquet", 1765000000123456L,
            1765000000000001L, "2026-12-07T06:00:01.5Z"),
        Notifications.payload("b", "sales/dt=2026-12-01/p.parquet", 1765000000123456L, 1024, "yZRlqg=="));
    sink.publish(topic, Notifications.attributes("OBJECT_METADATA_UPDATE", "b", "m", 7, 0,
        "2026-12-07T06:00:02Z"), Notifications.payload("b", "m", 7, 3, "AAAAAA=="));
    Map<String, String> delete = Notifications.attributes("OBJECT_DELETE", "b", "d", 9, 0,
        "2026-12-07T06:00:03Z");
    delete.put("payloadFormat", "NONE");
    sink.publish(topic, delete, new byte[0]);
    sink.flush(Duration.ofSeconds(10));
    assertThat(sink.published()).isEqualTo(3);

    PubSubFeed feed = feed(10, Duration.ofSeconds(30));
    List<Delivery> got = pollFor(feed, 3, Duration.ofSeconds(20));

    assertThat(got).extracting(Delivery::change).containsExactlyInAnyOrder(
        new Change(Change.Kind.FINALIZE, SITE, "b", "sales/dt=2026-12-01/p.parquet", 1765000000123456L,
            1765000000000001L, 1024, "yZRlqg==", Instant.parse("2026-12-07T06:00:01.5Z"), "pubsub"),
        new Change(Change.Kind.METADATA_UPDATE, SITE, "b", "m", 7, 0, 3, "AAAAAA==",
            Instant.parse("2026-12-07T06:00:02Z"), "pubsub"),
        new Change(Change.Kind.DELETE, SITE, "b", "d", 9, 0, -1, null,
            Instant.parse("2026-12-07T06:00:03Z"), "pubsub"));
    feed.acknowledge(got);
  }

  @Test
  void anAcknowledgedChangeIsNotDeliveredAgain() throws Exception {
    createTopicAndSubscription(10);
    PubSubSink sink = sink();
    publishFinalize(sink, "acked", 1);
    publishFinalize(sink, "left", 1);
    sink.flush(Duration.ofSeconds(10));
    PubSubFeed feed = feed(10, Duration.ofSeconds(1));
    List<Delivery> got = pollFor(feed, 2, Duration.ofSeconds(20));
    assertThat(got).hasSize(2);
    got.stream().filter(d -> d.change().name().equals("acked")).forEach(Delivery::ack);

    // after the 1 s deadline only the unacknowledged one comes back, however long we pull
    List<Delivery> again = new ArrayList<>();
    long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
    while (System.nanoTime() < end) {
      List<Delivery> d = feed.poll(10, Duration.ofMillis(500));
      again.addAll(d);
      d.forEach(Delivery::ack);
    }
    assertThat(again).extracting(d -> d.change().name()).containsOnly("left").isNotEmpty();
  }

  @Test
  void aChangeNotAcknowledgedWithinItsDeadlineIsDeliveredAgain() throws Exception {
    createTopicAndSubscription(10);
    PubSubSink sink = sink();
    publishFinalize(sink, "slow", 4);
    sink.flush(Duration.ofSeconds(10));
    PubSubFeed feed = feed(10, Duration.ofSeconds(1));
    List<Delivery> first = pollFor(feed, 1, Duration.ofSeconds(20));
    assertThat(first).hasSize(1);
    long pulled = System.nanoTime();

    List<Delivery> second = pollFor(feed, 1, Duration.ofSeconds(15));

    assertThat(second).hasSize(1);
    assertThat(second.get(0).change()).isEqualTo(first.get(0).change());
    assertThat(Duration.ofNanos(System.nanoTime() - pulled)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    second.get(0).ack();
    first.get(0).ack(); // a stale ack id: harmless
  }

  @Test
  void aNackedChangeIsDeliveredAgainWithoutWaitingForItsDeadline() throws Exception {
    createTopicAndSubscription(60);
    PubSubSink sink = sink();
    publishFinalize(sink, "nacked", 2);
    sink.flush(Duration.ofSeconds(10));
    PubSubFeed feed = feed(10, Duration.ofSeconds(600));
    List<Delivery> first = pollFor(feed, 1, Duration.ofSeconds(20));
    assertThat(first).hasSize(1);
    first.get(0).nack();

    // the deadline is 600 s: only the nack can bring it back within 8 s
    List<Delivery> again = pollFor(feed, 1, Duration.ofSeconds(8));

    assertThat(again).extracting(Delivery::change).containsExactly(first.get(0).change());
    again.get(0).ack();
  }

  @Test
  void twoFeedsOnOneSubscriptionShareTheMessagesAndLoseNone() throws Exception {
    createTopicAndSubscription(60);
    PubSubSink sink = sink();
    int n = 300;
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < n; i++) {
      publishFinalize(sink, "o" + i, i + 1);
      expected.add("o" + i);
    }
    sink.flush(Duration.ofSeconds(20));
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Map<Integer, AtomicInteger> perFeed = new ConcurrentHashMap<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(2);
    for (int f = 0; f < 2; f++) {
      PubSubFeed feed = feed(10, Duration.ofSeconds(60));
      AtomicInteger count = perFeed.computeIfAbsent(f, k -> new AtomicInteger());
      Thread t = new Thread(() -> {
        try {
          long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (seen.size() < n && System.nanoTime() < end) {
            List<Delivery> batch = feed.poll(10, Duration.ofMillis(300));
            for (Delivery d : batch) {
              seen.add(d.change().name());
              count.incrementAndGet();
            }
            Thread.sleep(batch.isEmpty() ? 0 : 10); // the engine's work on the batch
            feed.acknowledge(batch);
          }
        } catch (Throwable e) {
          failure.set(e);
        } finally {
          done.countDown();
        }
      }, "feed-" + f);
      t.start();
    }
    assertThat(done.await(90, TimeUnit.SECONDS)).isTrue();
    assertThat(failure.get()).isNull();
    assertThat(seen).isEqualTo(expected);
    assertThat(perFeed.get(0).get()).isPositive();
    assertThat(perFeed.get(1).get()).isPositive();
    assertThat(perFeed.get(0).get() + perFeed.get(1).get()).isGreaterThanOrEqualTo(n);
  }

  @Test
  void messagesThatAreNotObjectNotificationsOrArePoisonAreDroppedNotReturned() throws Exception {
    createTopicAndSubscription(10);
    PubSubSink sink = sink();
    sink.publish(topic, Map.of("notificationConfig", "x", "eventType", "TEST_NOTIFICATION",
        "bucketId", "b"), new byte[0]);
    sink.publish(topic, Map.of("hello", "world"), "not a notification".getBytes(StandardCharsets.UTF_8));
    Map<String, String> badGeneration = Notifications.attributes("OBJECT_FINALIZE", "b", "bad", 1, 0,
        "2026-12-07T06:00:00Z");
    badGeneration.put("objectGeneration", "twelve");
    sink.publish(topic, badGeneration, new byte[0]);
    sink.publish(topic, Notifications.attributes("OBJECT_FINALIZE", "b", "notjson", 1, 0,
        "2026-12-07T06:00:00Z"), "{not json".getBytes(StandardCharsets.UTF_8));
    publishFinalize(sink, "good", 3);
    sink.flush(Duration.ofSeconds(10));
    PubSubFeed feed = feed(10, Duration.ofSeconds(30));

    List<Delivery> got = new ArrayList<>();
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while ((feed.dropped() + feed.poison() < 4 || got.isEmpty()) && System.nanoTime() < end) {
      got.addAll(feed.poll(10, Duration.ofMillis(500)));
    }

    assertThat(got).extracting(d -> d.change().name()).containsExactly("good");
    assertThat(feed.dropped()).isEqualTo(2);
    assertThat(feed.poison()).isEqualTo(2);
    assertThat(feed.delivered()).isEqualTo(1);
    feed.acknowledge(got);
  }
}
