package io.hybridstorage.sync.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.NotFoundException;
import com.google.pubsub.v1.PubsubMessage;
import io.hybridstorage.sync.ChangeFeed.Delivery;
import com.google.api.gax.batching.BatchingSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The round trip against {@link EmbeddedPubSub}, plus its fault hooks seen through {@link PubSubFeed}. */
class EmbeddedPubSubFeedTest extends PubSubFeedContract {

  private static EmbeddedPubSub pubsub;

  @BeforeAll
  static void start() throws Exception {
    pubsub = EmbeddedPubSub.start();
  }

  @AfterAll
  static void stop() {
    pubsub.close();
  }

  @Override
  String endpoint() {
    return pubsub.endpoint();
  }

  @Test
  void theMessageKeepsItsAttributesAndDataExactly() throws Exception {
    createTopicAndSubscription(10);
    Map<String, String> attributes = Notifications.attributes("OBJECT_FINALIZE", "b", "x", 5, 4,
        "2026-12-07T06:00:00Z");
    byte[] payload = Notifications.payload("b", "x", 5, 12, "AAAAAA==");
    PubSubSink sink = sink();
    sink.publish(topic, attributes, payload);
    sink.flush(Duration.ofSeconds(10));

    List<PubsubMessage> published = pubsub.published(topic);
    assertThat(published).hasSize(1);
    assertThat(published.get(0).getAttributesMap()).isEqualTo(attributes);
    assertThat(published.get(0).getData().toByteArray()).isEqualTo(payload);
    assertThat(published.get(0).getMessageId()).isNotEmpty();
  }

  @Test
  void poisonAndForeignMessagesAreAcknowledgedSoNothingIsLeft() throws Exception {
    createTopicAndSubscription(10);
    pubsub.setAckDeadline(subscription, Duration.ofMillis(300));
    PubSubSink sink = sink();
    sink.publish(topic, Map.of("eventType", "TEST_NOTIFICATION", "bucketId", "b"), new byte[0]);
    sink.publish(topic, Notifications.attributes("OBJECT_FINALIZE", "b", "bad", 1, 0, "yesterday"),
        new byte[0]);
    sink.flush(Duration.ofSeconds(10));
    PubSubFeed feed = feed(10, Duration.ofSeconds(30));

    assertThat(feed.poll(10, Duration.ofSeconds(2))).isEmpty();

    // a 300 ms deadline: were they not acknowledged, they would be back by now
    assertThat(pubsub.awaitDrained(subscription, Duration.ofSeconds(2))).isTrue();
    assertThat(pubsub.deliveries(subscription)).isEqualTo(2);
    assertThat(feed.dropped()).isEqualTo(1);
    assertThat(feed.poison()).isEqualTo(1);
  }

  @Test
  void aDuplicatedMessageIsTwoDeliveriesOfOneChange() throws Exception {
    createTopicAndSubscription(10);
    pubsub.duplicateNext(subscription);
    PubSubSink sink = sink();
    publishFinalize(sink, "twice", 8);
    sink.flush(Duration.ofSeconds(10));
    PubSubFeed feed = feed(10, Duration.ofSeconds(30));

    List<Delivery> got = pollFor(feed, 2, Duration.ofSeconds(10));

    assertThat(got).hasSize(2);
    assertThat(feed.backlog()).isEqualTo(2);
    assertThat(got.get(0).change()).isEqualTo(got.get(1).change());
    assertThat(got.get(0).change().generation()).isEqualTo(8);
    got.get(0).ack();
    assertThat(pubsub.backlog(subscription)).isEqualTo(1); // the other delivery is its own
    got.get(1).ack();
    got.get(1).nack(); // settled already: nothing
    assertThat(feed.backlog()).isZero();
    assertThat(pubsub.backlog(subscription)).isZero();
    assertThat(feed.poll(10, Duration.ofMillis(500))).isEmpty();
  }

  @Test
  void aDroppedMessageNeverComesAndTheNextOneDoes() throws Exception {
    createTopicAndSubscription(10);
    pubsub.dropNext(subscription);
    PubSubSink sink = sink();
    publishFinalize(sink, "lost", 1);
    sink.flush(Duration.ofSeconds(10)); // two batches may reach the server in either order: one at a time
    publishFinalize(sink, "kept", 1);
    sink.flush(Duration.ofSeconds(10));
    PubSubFeed feed = feed(10, Duration.ofSeconds(30));

    List<Delivery> got = pollFor(feed, 2, Duration.ofSeconds(2));

    assertThat(got).extracting(d -> d.change().name()).containsExactly("kept");
    assertThat(pubsub.published(topic)).hasSize(2);
  }

  @Test
  void reorderedMessagesComeInReverse() throws Exception {
    createTopicAndSubscription(10);
    pubsub.reorderNext(subscription, 3);
    PubSubSink sink = sink();
    for (int g = 1; g <= 3; g++) {
      publishFinalize(sink, "same", g);
      sink.flush(Duration.ofSeconds(10)); // one publish request each: their order is known
    }
    PubSubFeed feed = feed(10, Duration.ofSeconds(30));

    List<Delivery> got = pollFor(feed, 3, Duration.ofSeconds(10));

    assertThat(got).extracting(d -> d.change().generation()).containsExactly(3L, 2L, 1L);
  }

  @Test
  void aDelayedMessageComesAfterItsDelay() throws Exception {
    createTopicAndSubscription(10);
    pubsub.delayNext(subscription, Duration.ofMillis(1500));
    PubSubSink sink = sink();
    publishFinalize(sink, "late", 1);
    sink.flush(Duration.ofSeconds(10)); // the fault takes the next message to arrive: one at a time
    publishFinalize(sink, "prompt", 1);
    sink.flush(Duration.ofSeconds(10));
    long published = System.nanoTime();
    PubSubFeed feed = feed(10, Duration.ofSeconds(30));

    List<Delivery> first = pollFor(feed, 1, Duration.ofSeconds(5));
    List<Delivery> second = pollFor(feed, 1, Duration.ofSeconds(5));

    assertThat(first).extracting(d -> d.change().name()).containsExactly("prompt");
    assertThat(second).extracting(d -> d.change().name()).containsExactly("late");
    assertThat(Duration.ofNanos(System.nanoTime() - published)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
  }

  @Test
  void pullingAMissingSubscriptionFailsWithNotFound() {
    PubSubFeed feed = PubSubFeed.builder().subscription("projects/p/subscriptions/none").site(SITE)
        .transport(pubsub.transport()).build();
    closeables.add(feed);
    assertThatThrownBy(() -> feed.poll(1, Duration.ofSeconds(1))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void aRawPublishOfBytesIsNotTouched() throws Exception {
    createTopicAndSubscription(10);
    PubSubSink sink = sink();
    byte[] data = {0, (byte) 0xff, 'x'};
    sink.publish(topic, Map.of(), data);
    sink.flush(Duration.ofSeconds(10));
    assertThat(pubsub.published(topic).get(0).getData().toByteArray()).isEqualTo(data);
  }

  @Test
  void closeSendsWhatThePublisherStillHolds() throws Exception {
    createTopicAndSubscription(10);
    PubSubSink sink = PubSubSink.builder().project(PROJECT).transport(pubsub.transport())
        .batching(BatchingSettings.newBuilder().setElementCountThreshold(1000L)
            .setRequestByteThreshold(10_000_000L).setDelayThresholdDuration(Duration.ofHours(1)).build())
        .build();
    for (int i = 0; i < 5; i++) {
      publishFinalize(sink, "held" + i, 1);
    }
    Thread.sleep(200);
    assertThat(pubsub.published(topic)).isEmpty(); // batched, not sent

    sink.close();

    assertThat(pubsub.published(topic)).hasSize(5);
    assertThat(sink.published()).isEqualTo(5);
    assertThatThrownBy(() -> publishFinalize(sink, "late", 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aPublishThatFailsIsCountedNotThrown() throws Exception {
    PubSubSink sink = sink();
    sink.publish("projects/" + PROJECT + "/topics/does-not-exist", Map.of("eventType", "OBJECT_FINALIZE"),
        new byte[0]);
    sink.flush(Duration.ofSeconds(30));
    assertThat(sink.failures()).isEqualTo(1);
    assertThat(sink.published()).isZero();
  }

  @Test
  void aFeedThatDiesWithUnacknowledgedChangesLeavesThemToAnother() throws Exception {
    createTopicAndSubscription(10);
    PubSubSink sink = sink();
    for (int i = 0; i < 20; i++) {
      publishFinalize(sink, "o" + i, 1);
    }
    sink.flush(Duration.ofSeconds(10));
    PubSubFeed dying = feed(20, Duration.ofSeconds(1));
    List<Delivery> taken = pollFor(dying, 20, Duration.ofSeconds(10));
    assertThat(taken).hasSize(20);
    dying.acknowledge(taken.subList(0, 5)); // made durable before the crash
    dying.close();                          // the rest is neither acked nor nacked

    PubSubFeed survivor = feed(20, Duration.ofSeconds(30));
    List<Delivery> again = pollFor(survivor, 15, Duration.ofSeconds(10));

    assertThat(again).extracting(d -> d.change().name())
        .containsExactlyInAnyOrderElementsOf(taken.subList(5, 20).stream().map(d -> d.change().name()).toList());
    survivor.acknowledge(again);
    assertThat(pubsub.awaitDrained(subscription, Duration.ofSeconds(2))).isTrue();
  }

  @Test
  void anInterruptedPollStopsAtOnce() throws Exception {
    createTopicAndSubscription(10);
    PubSubFeed feed = feed(10, Duration.ofSeconds(30));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread poller = new Thread(() -> {
      try {
        feed.poll(10, Duration.ofSeconds(30));
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    poller.start();
    Thread.sleep(300);
    long interrupted = System.nanoTime();
    poller.interrupt();
    poller.join(5_000);

    assertThat(poller.isAlive()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - interrupted)).isLessThan(Duration.ofSeconds(3));
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
  }
}
