package io.hybridstorage.testkit.tck;

import static io.hybridstorage.testkit.tck.Tck.bytes;
import static io.hybridstorage.testkit.tck.Tck.expect;
import static io.hybridstorage.testkit.tck.Tck.put;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.NotificationConfig;
import io.hybridstorage.api.NotificationConfig.EventType;
import io.hybridstorage.api.NotificationConfig.PayloadFormat;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.api.spi.Notifications;
import io.hybridstorage.memory.InMemoryNotificationSink;
import io.hybridstorage.memory.InMemoryNotificationSink.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of a store that emits GCS object-change notifications ({@link Notifications}): the
 * events, attributes and payload each change publishes, the prefix and event-type filters, and the
 * configurations' CRUD and its errors. Parameterized by three views of one system: {@link
 * #store()} makes the changes, {@link #notifications()} manages the configurations and {@link
 * #sink()} receives what is published.
 *
 * <pre>{@code
 * class NotifyingInMemoryTest implements NotificationsTester {
 *   final InMemoryNotificationSink sink = new InMemoryNotificationSink();
 *   final NotifyingStore store = NotifyingStore.builder(new InMemoryStore("gcp"), sink).build();
 *   public ObjectStore store() { return store; }
 *   public Notifications notifications() { return store; }
 *   public InMemoryNotificationSink sink() { return sink; }
 * }
 * }</pre>
 *
 * <p>The same tests run through HTTP with the real GCS client (the gateway's tests): the changes
 * go through a {@code GcsStore}, the configurations through {@code Storage.createNotification} and
 * the rest. Every test uses topics of its own, so one sink may serve a whole class. Publishing may
 * be asynchronous: the tests wait (up to {@link #deliveryTimeout()}) for what they expect, and
 * prove that something was <em>not</em> published by a later change that was.
 */
public interface NotificationsTester extends StoreTester {

  /** Manages the notification configurations of {@link #store()}'s buckets. */
  Notifications notifications();

  /** Where {@link #store()} publishes. */
  InMemoryNotificationSink sink();

  /** How long a message may take to arrive. Default 10 s. */
  default Duration deliveryTimeout() {
    return Duration.ofSeconds(10);
  }

  // ------------------------------------------------------------------ events

  @Test
  default void aWritePublishesFinalizeWithTheObjectResource() {
    String bucket = newBucket();
    String topic = NotificationFixtures.topic();
    NotificationConfig config = notifications().createNotification(bucket, NotificationConfig.of(topic));
    ObjectInfo info = put(store(), WriteRequest.of(bucket, "dir/a b").withMetadata(
        new ObjectMetadata("text/plain", null, null, null, null, Map.of("k", "v"))), bytes("content"));

    Message m = NotificationFixtures.only(this, topic, 1).get(0);
    assertThat(m.attributes()).containsEntry("eventType", "OBJECT_FINALIZE")
        .containsEntry("payloadFormat", "JSON_API_V1")
        .containsEntry("bucketId", bucket)
        .containsEntry("objectId", "dir/a b")
        .containsEntry("objectGeneration", String.valueOf(info.generation()))
        .containsEntry("notificationConfig", "projects/_/buckets/" + bucket + "/notificationConfigs/" + config.id())
        .doesNotContainKeys("overwroteGeneration", "overwrittenByGeneration");
    assertThat(Instant.parse(m.attribute("eventTime"))).isNotNull();
    JsonNode payload = NotificationFixtures.json(m);
    assertThat(payload.path("kind").asText()).isEqualTo("storage#object");
    assertThat(payload.path("bucket").asText()).isEqualTo(bucket);
    assertThat(payload.path("name").asText()).isEqualTo("dir/a b");
    assertThat(payload.path("generation").asText()).isEqualTo(String.valueOf(info.generation()));
    assertThat(payload.path("metageneration").asText()).isEqualTo("1");
    assertThat(payload.path("size").asText()).isEqualTo("7");
    assertThat(payload.path("crc32c").asText()).isEqualTo(info.crc32c()).isEqualTo(Tck.crc32c(bytes("content")));
    assertThat(payload.path("md5Hash").asText()).isEqualTo(info.md5());
    assertThat(payload.path("contentType").asText()).isEqualTo("text/plain");
    assertThat(payload.path("metadata").path("k").asText()).isEqualTo("v");
    assertThat(payload.has("timeDeleted")).isFalse();
  }

  @Test
  default void anOverwritePublishesFinalizeOfTheNewAndDeleteOfTheOld() {
    String bucket = newBucket(false);
    String topic = NotificationFixtures.topic();
    notifications().createNotification(bucket, NotificationConfig.of(topic));
    ObjectInfo first = put(store(), bucket, "o", "one");
    ObjectInfo second = put(store(), bucket, "o", "two!");

    List<Message> ms = NotificationFixtures.only(this, topic, 3);
    assertThat(NotificationFixtures.events(ms)).containsExactly(
        "OBJECT_FINALIZE o#" + first.generation(), "OBJECT_FINALIZE o#" + second.generation(),
        "OBJECT_DELETE o#" + first.generation());
    assertThat(ms.get(1).attributes()).containsEntry("overwroteGeneration", String.valueOf(first.generation()));
    assertThat(ms.get(2).attributes()).containsEntry("overwrittenByGeneration", String.valueOf(second.generation()))
        .doesNotContainKey("overwroteGeneration");
    assertThat(NotificationFixtures.json(ms.get(2)).path("size").asText()).isEqualTo("3");
    assertThat(NotificationFixtures.json(ms.get(1)).path("size").asText()).isEqualTo("4");
  }

  @Test
  @Requires(Capability.OBJECT_VERSIONING)
  default void anOverwriteInAVersionedBucketArchivesTheOld() {
    String bucket = newBucket(true);
    String topic = NotificationFixtures.topic();
    notifications().createNotification(bucket, NotificationConfig.of(topic));
    ObjectInfo first = put(store(), bucket, "o", "one");
    ObjectInfo second = put(store(), bucket, "o", "two");

    List<Message> ms = NotificationFixtures.only(this, topic, 3);
    assertThat(NotificationFixtures.events(ms)).containsExactly(
        "OBJECT_FINALIZE o#" + first.generation(), "OBJECT_FINALIZE o#" + second.generation(),
        "OBJECT_ARCHIVE o#" + first.generation());
    assertThat(ms.get(2).attributes()).containsEntry("overwrittenByGeneration", String.valueOf(second.generation()));
    assertThat(NotificationFixtures.json(ms.get(2)).has("timeDeleted")).as("an archived version's resource").isTrue();
  }

  @Test
  default void aDeletePublishesDelete() {
    String bucket = newBucket(false);
    String topic = NotificationFixtures.topic();
    notifications().createNotification(bucket, NotificationConfig.of(topic).withEventTypes(EventType.OBJECT_DELETE));
    ObjectInfo info = put(store(), bucket, "o", "one");
    assertThat(store().delete(ObjectId.of(bucket, "o"), Conditions.none())).isTrue();

    Message m = NotificationFixtures.only(this, topic, 1).get(0);
    assertThat(m.attributes()).containsEntry("eventType", "OBJECT_DELETE")
        .containsEntry("objectGeneration", String.valueOf(info.generation()))
        .doesNotContainKeys("overwroteGeneration", "overwrittenByGeneration");
    assertThat(NotificationFixtures.json(m).path("generation").asText()).isEqualTo(String.valueOf(info.generation()));
  }

  @Test
  @Requires(Capability.OBJECT_VERSIONING)
  default void aDeleteInAVersionedBucketArchivesAndDeletingTheNoncurrentVersionDeletes() {
    String bucket = newBucket(true);
    String topic = NotificationFixtures.topic();
    notifications().createNotification(bucket, NotificationConfig.of(topic)
        .withEventTypes(EventType.OBJECT_DELETE, EventType.OBJECT_ARCHIVE));
    ObjectInfo info = put(store(), bucket, "o", "one");
    assertThat(store().delete(ObjectId.of(bucket, "o"), Conditions.none())).isTrue();
    assertThat(store().delete(ObjectId.of(bucket, "o", info.generation()), Conditions.none())).isTrue();

    assertThat(NotificationFixtures.events(NotificationFixtures.only(this, topic, 2))).containsExactly(
        "OBJECT_ARCHIVE o#" + info.generation(), "OBJECT_DELETE o#" + info.generation());
  }

  @Test
  default void aMetadataPatchPublishesMetadataUpdateWithTheNewResource() {
    String bucket = newBucket();
    String topic = NotificationFixtures.topic();
    notifications().createNotification(bucket, NotificationConfig.of(topic)
        .withEventTypes(EventType.OBJECT_METADATA_UPDATE));
    ObjectInfo info = put(store(), bucket, "o", "one");
    store().updateMetadata(ObjectId.of(bucket, "o"), MetadataPatch.ofContentType("text/x-new"), Conditions.none());

    Message m = NotificationFixtures.only(this, topic, 1).get(0);
    assertThat(m.attributes()).containsEntry("eventType", "OBJECT_METADATA_UPDATE")
        .containsEntry("objectGeneration", String.valueOf(info.generation()));
    JsonNode payload = NotificationFixtures.json(m);
    assertThat(payload.path("metageneration").asText()).isEqualTo("2");
    assertThat(payload.path("contentType").asText()).isEqualTo("text/x-new");
  }

  @Test
  default void copyAndComposePublishFinalizeOfTheDestination() {
    String bucket = newBucket();
    String topic = NotificationFixtures.topic();
    put(store(), bucket, "a", "aa");
    put(store(), bucket, "b", "bbb");
    notifications().createNotification(bucket, NotificationConfig.of(topic));
    ObjectInfo copy = store().copy(CopyRequest.of(ObjectId.of(bucket, "a"), bucket, "copy"));
    ObjectInfo composed = store().compose(new ComposeRequest(bucket, List.of(ComposeRequest.Source.of("a"),
        ComposeRequest.Source.of("b")), "composed", ObjectMetadata.empty(), Conditions.none()));

    List<Message> ms = NotificationFixtures.only(this, topic, 2);
    assertThat(NotificationFixtures.events(ms)).containsExactly("OBJECT_FINALIZE copy#" + copy.generation(),
        "OBJECT_FINALIZE composed#" + composed.generation());
    assertThat(NotificationFixtures.json(ms.get(0)).path("crc32c").asText()).isEqualTo(Tck.crc32c(bytes("aa")));
    assertThat(NotificationFixtures.json(ms.get(1)).path("size").asText()).isEqualTo("5");
    assertThat(NotificationFixtures.json(ms.get(1)).path("componentCount").asInt()).isEqualTo(2);
  }

  @Test
  default void aCopyOverALiveObjectAlsoPublishesTheReplacedVersionsEnd() {
    String bucket = newBucket(false);
    String topic = NotificationFixtures.topic();
    put(store(), bucket, "a", "aa");
    ObjectInfo old = put(store(), bucket, "target", "old");
    notifications().createNotification(bucket, NotificationConfig.of(topic).withObjectNamePrefix("target"));
    ObjectInfo copy = store().copy(CopyRequest.of(ObjectId.of(bucket, "a"), bucket, "target"));

    List<Message> ms = NotificationFixtures.only(this, topic, 2);
    assertThat(NotificationFixtures.events(ms)).containsExactly("OBJECT_FINALIZE target#" + copy.generation(),
        "OBJECT_DELETE target#" + old.generation());
    assertThat(ms.get(0).attributes()).containsEntry("overwroteGeneration", String.valueOf(old.generation()));
  }

  @Test
  default void aFailedChangePublishesNothing() {
    String bucket = newBucket();
    String topic = NotificationFixtures.topic();
    notifications().createNotification(bucket, NotificationConfig.of(topic));
    ObjectInfo info = put(store(), bucket, "o", "one");
    expect(412, () -> put(store(), WriteRequest.of(bucket, "o").withConditions(
        Conditions.generationMatch(info.generation() + 1)), bytes("two")));
    expect(412, () -> store().delete(ObjectId.of(bucket, "o"), Conditions.generationMatch(info.generation() + 1)));
    ObjectInfo marker = put(store(), bucket, "marker", "m");

    assertThat(NotificationFixtures.events(NotificationFixtures.only(this, topic, 2))).containsExactly(
        "OBJECT_FINALIZE o#" + info.generation(), "OBJECT_FINALIZE marker#" + marker.generation());
  }

  // ------------------------------------------------------------------ filters and formats

  @Test
  default void theObjectNamePrefixFilters() {
    String bucket = newBucket();
    String topic = NotificationFixtures.topic();
    notifications().createNotification(bucket, NotificationConfig.of(topic).withObjectNamePrefix("in/"));
    put(store(), bucket, "out/x", "x");
    put(store(), bucket, "inside", "x");
    ObjectInfo in = put(store(), bucket, "in/y", "y");

    assertThat(NotificationFixtures.events(NotificationFixtures.only(this, topic, 1)))
        .containsExactly("OBJECT_FINALIZE in/y#" + in.generation());
  }

  @Test
  default void theEventTypesFilter() {
    String bucket = newBucket();
    String topic = NotificationFixtures.topic();
    notifications().createNotification(bucket, NotificationConfig.of(topic)
        .withEventTypes(EventType.OBJECT_DELETE, EventType.OBJECT_METADATA_UPDATE));
    ObjectInfo info = put(store(), bucket, "o", "one");
    store().updateMetadata(ObjectId.of(bucket, "o"), MetadataPatch.ofContentType("text/x"), Conditions.none());
    store().delete(ObjectId.of(bucket, "o"), Conditions.none());

    assertThat(NotificationFixtures.events(NotificationFixtures.only(this, topic, 2))).containsExactly(
        "OBJECT_METADATA_UPDATE o#" + info.generation(), "OBJECT_DELETE o#" + info.generation());
  }

  @Test
  default void payloadNoneAndCustomAttributes() {
    String bucket = newBucket();
    String topic = NotificationFixtures.topic();
    notifications().createNotification(bucket, NotificationConfig.of(topic).withPayloadFormat(PayloadFormat.NONE)
        .withCustomAttributes(Map.of("team", "sales", "env", "test")));
    ObjectInfo info = put(store(), bucket, "o", "one");

    Message m = NotificationFixtures.only(this, topic, 1).get(0);
    assertThat(m.payload()).isEmpty();
    assertThat(m.attributes()).containsEntry("payloadFormat", "NONE").containsEntry("team", "sales")
        .containsEntry("env", "test").containsEntry("objectGeneration", String.valueOf(info.generation()));
  }

  @Test
  default void eachConfigurationPublishesToItsTopicAndADeletedOneStops() {
    String bucket = newBucket();
    String one = NotificationFixtures.topic();
    String two = NotificationFixtures.topic();
    NotificationConfig first = notifications().createNotification(bucket, NotificationConfig.of(one));
    notifications().createNotification(bucket, NotificationConfig.of(two));
    ObjectInfo a = put(store(), bucket, "a", "a");
    assertThat(notifications().deleteNotification(bucket, first.id())).isTrue();
    ObjectInfo b = put(store(), bucket, "b", "b");

    assertThat(NotificationFixtures.events(NotificationFixtures.only(this, two, 2)))
        .containsExactly("OBJECT_FINALIZE a#" + a.generation(), "OBJECT_FINALIZE b#" + b.generation());
    assertThat(NotificationFixtures.events(NotificationFixtures.only(this, one, 1)))
        .containsExactly("OBJECT_FINALIZE a#" + a.generation());
  }

  @Test
  default void otherBucketsPublishNothing() {
    String bucket = newBucket();
    String other = newBucket();
    String topic = NotificationFixtures.topic();
    notifications().createNotification(bucket, NotificationConfig.of(topic));
    put(store(), other, "o", "x");
    ObjectInfo mine = put(store(), bucket, "o", "x");

    assertThat(NotificationFixtures.events(NotificationFixtures.only(this, topic, 1)))
        .containsExactly("OBJECT_FINALIZE o#" + mine.generation());
  }

  // ------------------------------------------------------------------ configurations

  @Test
  default void configurationsAreCreatedReadListedAndDeleted() {
    String bucket = newBucket();
    String topic = NotificationFixtures.topic();
    NotificationConfig created = notifications().createNotification(bucket, NotificationConfig.of(topic)
        .withObjectNamePrefix("p/").withEventTypes(EventType.OBJECT_FINALIZE)
        .withCustomAttributes(Map.of("a", "1")));
    assertThat(created.id()).isNotBlank();
    assertThat(created.etag()).isNotBlank();
    assertThat(created.selfLink()).endsWith("/b/" + bucket + "/notificationConfigs/" + created.id());
    assertThat(created.topic()).isEqualTo(NotificationConfig.PUBSUB_PREFIX + topic);
    assertThat(created.objectNamePrefix()).isEqualTo("p/");
    assertThat(created.eventTypes()).containsExactly(EventType.OBJECT_FINALIZE);
    assertThat(created.customAttributes()).isEqualTo(Map.of("a", "1"));
    assertThat(created.payloadFormat()).isEqualTo(PayloadFormat.JSON_API_V1);
    NotificationConfig second = notifications().createNotification(bucket,
        NotificationConfig.of(NotificationConfig.PUBSUB_PREFIX + topic).withPayloadFormat(PayloadFormat.NONE));
    assertThat(second.id()).isNotEqualTo(created.id());

    assertThat(notifications().getNotification(bucket, created.id())).contains(created);
    assertThat(notifications().listNotifications(bucket)).containsExactly(created, second);
    assertThat(notifications().deleteNotification(bucket, created.id())).isTrue();
    assertThat(notifications().getNotification(bucket, created.id())).isEmpty();
    assertThat(notifications().deleteNotification(bucket, created.id())).isFalse();
    assertThat(notifications().listNotifications(bucket)).containsExactly(second);
  }

  @Test
  default void configurationCallsOnAMissingBucketAre404() {
    String missing = uniqueBucketName();
    expect(404, () -> notifications().createNotification(missing, NotificationConfig.of(NotificationFixtures.topic())));
    expect(404, () -> notifications().listNotifications(missing));
    expect(404, () -> notifications().getNotification(missing, "1"));
    expect(404, () -> notifications().deleteNotification(missing, "1"));
  }

  @Test
  default void aTopicNotOfTheFormProjectsTopicsIs400() {
    String bucket = newBucket();
    for (String topic : List.of("just-a-name", "projects/p/subscriptions/s", "projects//topics/t", "projects/p/topics/")) {
      expect(400, () -> notifications().createNotification(bucket, NotificationConfig.of(topic)));
    }
    assertThat(notifications().listNotifications(bucket)).isEmpty();
  }

  /** The small helpers of {@link NotificationsTester}. */
  final class NotificationFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NotificationFixtures() {}

    /** A topic of this test alone. */
    static String topic() {
      return "projects/tck/topics/" + Tck.randomBucketName();
    }

    /**
     * Waits until {@code topic} holds {@code count} messages and returns them, failing when fewer
     * arrive in time or more are there.
     */
    static List<Message> only(NotificationsTester t, String topic, int count) {
      long deadline = System.nanoTime() + t.deliveryTimeout().toNanos();
      List<Message> ms = t.sink().messages(topic);
      while (ms.size() < count && System.nanoTime() < deadline) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for notifications", e);
        }
        ms = t.sink().messages(topic);
      }
      assertThat(ms).as("messages of %s", topic).hasSize(count);
      return ms;
    }

    /** {@code EVENT name#generation} of each message. */
    static List<String> events(List<Message> ms) {
      return ms.stream().map(m -> m.attribute("eventType") + " " + m.attribute("objectId") + "#"
          + m.attribute("objectGeneration")).toList();
    }

    static JsonNode json(Message m) {
      try {
        return JSON.readTree(m.payload());
      } catch (IOException e) {
        throw new UncheckedIOException("the payload of " + m + " is not JSON", e);
      }
    }
  }
}
