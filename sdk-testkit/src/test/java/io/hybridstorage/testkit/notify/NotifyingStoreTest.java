package io.hybridstorage.testkit.notify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.HybridStorage;
import io.hybridstorage.api.NotificationConfig;
import io.hybridstorage.api.NotifyingStore;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.Profile;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.api.internal.ObjectResources;
import io.hybridstorage.api.spi.NotificationSink;
import io.hybridstorage.api.spi.Notifications;
import io.hybridstorage.memory.InMemoryNotificationSink;
import io.hybridstorage.memory.InMemoryNotificationSink.Message;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.fault.ForwardingStoreTester;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link NotifyingStore} beyond the contract: forwarding, a failing sink, concurrency, the payload's bytes. */
class NotifyingStoreTest {

  private static final String TOPIC = "projects/p/topics/t";

  @Test
  void withoutConfigurationsEveryCallIsForwardedFaithfully() {
    ForwardingStoreTester.testForwarding(store -> NotifyingStore.builder(store, (t, a, p) -> {
      throw new AssertionError("nothing is watched, nothing is published");
    }).build());
  }

  @Test
  void keepsTheDelegatesInProcessCapability() {
    NotifyingStore store = NotifyingStore.builder(new InMemoryStore("gcp"), new InMemoryNotificationSink()).build();
    assertThat(store.capabilities()).contains(Capability.IN_PROCESS);
  }

  @Test
  void aFailingSinkNeverFailsTheChange() {
    AtomicInteger attempts = new AtomicInteger();
    NotificationSink broken = (topic, attributes, payload) -> {
      attempts.incrementAndGet();
      throw new IllegalStateException("pubsub is down");
    };
    NotifyingStore store = NotifyingStore.builder(new InMemoryStore("gcp"), broken).build();
    store.createBucket(BucketSpec.of("bkt"));
    store.createNotification("bkt", NotificationConfig.of(TOPIC));
    ObjectInfo info = store.write(WriteRequest.of("bkt", "o"), new ByteArrayInputStream("x".getBytes(UTF_8)));
    assertThat(info.size()).isEqualTo(1);
    ObjectInfo again = store.write(WriteRequest.of("bkt", "o"), new ByteArrayInputStream("yy".getBytes(UTF_8)));
    assertThat(again.generation()).isGreaterThan(info.generation());
    assertThat(attempts).as("FINALIZE, then FINALIZE and DELETE").hasValue(3);
  }

  @Test
  void thePayloadIsTheObjectResourceAsTheGatewayRendersIt() throws InterruptedException {
    InMemoryNotificationSink sink = new InMemoryNotificationSink();
    NotifyingStore store = NotifyingStore.builder(new InMemoryStore("gcp"), sink).endpoint("http://gw:1").build();
    store.createBucket(BucketSpec.of("bkt"));
    NotificationConfig config = store.createNotification("bkt", NotificationConfig.of(TOPIC));
    assertThat(config.selfLink()).isEqualTo("http://gw:1/storage/v1/b/bkt/notificationConfigs/" + config.id());
    ObjectInfo info = store.write(WriteRequest.of("bkt", "a/ü"), new ByteArrayInputStream("x".getBytes(UTF_8)));
    Message m = sink.take(TOPIC);
    assertThat(m.payload()).isEqualTo(ObjectResources.bytes(ObjectResources.object(info, "http://gw:1")));
    assertThat(m.payloadText()).contains("\"selfLink\":\"http://gw:1/storage/v1/b/bkt/o/a%2F%C3%BC\"");
  }

  @Test
  void concurrentOverwritesOfOneNameTellEachReplacedVersionOnce() throws Exception {
    InMemoryNotificationSink sink = new InMemoryNotificationSink();
    NotifyingStore store = NotifyingStore.builder(new InMemoryStore("gcp"), sink).build();
    store.createBucket(BucketSpec.of("bkt"));
    store.createNotification("bkt", NotificationConfig.of(TOPIC));
    int threads = 8;
    int writes = 50;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < writes; i++) {
            store.write(WriteRequest.of("bkt", "hot"), new ByteArrayInputStream(new byte[] {(byte) i}));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      thread.start();
      all.add(thread);
    }
    start.countDown();
    for (Thread thread : all) {
      thread.join();
    }
    List<Message> ms = sink.messages(TOPIC);
    List<String> finalized = ms.stream().filter(m -> m.attribute("eventType").equals("OBJECT_FINALIZE"))
        .map(m -> m.attribute("objectGeneration")).toList();
    List<String> deleted = ms.stream().filter(m -> m.attribute("eventType").equals("OBJECT_DELETE"))
        .map(m -> m.attribute("objectGeneration")).toList();
    assertThat(finalized).hasSize(threads * writes).doesNotHaveDuplicates();
    // every version but the last was replaced, and each replacement is told exactly once
    assertThat(deleted).hasSize(threads * writes - 1).doesNotHaveDuplicates();
    assertThat(finalized).containsAll(deleted);
    for (Message m : ms) {
      if (m.attribute("eventType").equals("OBJECT_FINALIZE") && m.attribute("overwroteGeneration") != null) {
        assertThat(deleted).contains(m.attribute("overwroteGeneration"));
      }
    }
  }

  @Test
  void theMixinIsFoundUnderDecoratorsButNotAroundAProfilesBound() {
    NotifyingStore notifying = NotifyingStore.builder(new InMemoryStore("gcp"), new InMemoryNotificationSink()).build();
    FaultInjectingStore faults = FaultInjectingStore.builder(notifying).seed(1).build();
    assertThat(Notifications.of(faults)).containsSame(notifying);
    assertThat(ForwardingObjectStore.unwrap(faults, NotifyingStore.class)).containsSame(notifying);
    assertThat(Notifications.of(new InMemoryStore("x"))).isEmpty();
    assertThat(Notifications.of(HybridStorage.bounded(faults, new Profile("bu", List.of("bkt"), List.of()), List.of())))
        .isEmpty();
  }

  @Test
  void deletingABucketDeletesItsConfigurations() {
    NotifyingStore store = NotifyingStore.builder(new InMemoryStore("gcp"), new InMemoryNotificationSink()).build();
    store.createBucket(BucketSpec.of("bkt"));
    store.createNotification("bkt", NotificationConfig.of(TOPIC).withCustomAttributes(Map.of("a", "b")));
    assertThat(store.deleteBucket("bkt")).isTrue();
    store.createBucket(BucketSpec.of("bkt"));
    assertThat(store.listNotifications("bkt")).isEmpty();
  }
}
