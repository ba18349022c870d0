package io.hybridstorage.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.NotificationInfo;
import com.google.cloud.storage.NotificationInfo.PayloadFormat;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.gateway.Gateway;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.routing.RoutingSettings;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.sync.pubsub.EmbeddedPubSub;
import io.hybridstorage.sync.pubsub.PubSubFeed;
import io.hybridstorage.sync.pubsub.PubSubSink;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feed faults, as Pub/Sub and networks make them, against two sync engines (two processes: each its
 * own router, journal, queue and Pub/Sub pull) sharing one subscription and splitting the scans
 * by prefix hash: notifications duplicated, reordered, delayed and dropped; dc2 partitioned while
 * changes are applied; four writer threads that bypass the SDK (the real GCS client through the
 * gateway) creating, overwriting and deleting. Afterwards both on-prem sites hold exactly what gcp
 * holds, and a checker over each site's whole history found no generation committed over a newer
 * one or a delete.
 */
class FeedFaultsTest {

  static final String TOPIC = "projects/p/topics/gcs";
  static final String SUBSCRIPTION = "projects/p/subscriptions/sync";
  static final String BUCKET = "lake";

  @TempDir
  Path dir;

  @Test
  void duplicatedReorderedDelayedAndDroppedNotificationsAndASiteDownConverge() throws Exception {
    long seed = Long.getLong("sync.seed", System.nanoTime());
    InMemoryStore gcp = new InMemoryStore("gcp");
    HistoryCheck dc1 = new HistoryCheck(new InMemoryStore("dc1"));
    HistoryCheck dc2 = new HistoryCheck(new InMemoryStore("dc2"));
    Placement lake = Placement.builder(BUCKET).replicas("gcp", "dc1", "dc2").authority("gcp")
        .write(WritePolicy.AUTHORITY_ONLY).read(ReadPolicy.AUTHORITY).consistency(Consistency.STRONG).build();
    try (EmbeddedPubSub pubsub = EmbeddedPubSub.start();
         PubSubSink sink = PubSubSink.builder().transport(pubsub.transport()).build();
         Gateway gateway = Gateway.builder(gcp).allowAnonymous().notificationSink(sink).start();
         Storage client = GatewayClient.anonymous(gateway, "p")) {
      pubsub.createTopic(TOPIC);
      pubsub.createSubscription(SUBSCRIPTION, TOPIC, Duration.ofSeconds(2));
      client.create(BucketInfo.of(BUCKET));
      dc1.createBucket(io.hybridstorage.api.BucketSpec.of(BUCKET));
      dc2.createBucket(io.hybridstorage.api.BucketSpec.of(BUCKET));
      client.createNotification(BUCKET, NotificationInfo.newBuilder(TOPIC).setPayloadFormat(PayloadFormat.JSON_API_V1)
          .build());
      List<Process> processes = new ArrayList<>();
      Map<String, FaultInjectingStore> dc2Faults = new ConcurrentHashMap<>();
      for (int i = 0; i < 2; i++) {
        processes.add(new Process(i, lake, gcp, dc1, dc2, pubsub, dc2Faults));
      }
      try {
        for (int i = 0; i < 6; i++) {
          pubsub.duplicateNext(SUBSCRIPTION);
        }
        pubsub.reorderNext(SUBSCRIPTION, 8);
        pubsub.delayNext(SUBSCRIPTION, Duration.ofMillis(700));
        pubsub.dropNext(SUBSCRIPTION).dropNext(SUBSCRIPTION).dropNext(SUBSCRIPTION);
        dc2Faults.values().forEach(FaultInjectingStore::partition); // dc2 down from both processes

        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int thread = t;
          done.add(writers.submit(() -> {
            Random random = new Random(seed + thread);
            for (int i = 0; i < 40; i++) {
              String name = "t" + thread + "/p" + (i % 4) + "/o" + (i % 25); // names repeat: overwrites
              client.create(BlobInfo.newBuilder(BUCKET, name).build(), ("v" + random.nextLong()).getBytes());
              if (random.nextInt(8) == 0) {
                client.delete(BlobId.of(BUCKET, name));
              }
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
        writers.shutdown();
        sink.flush(Duration.ofSeconds(30));
        Thread.sleep(300);
        dc2Faults.values().forEach(FaultInjectingStore::heal);
        assertThat(pubsub.awaitDrained(SUBSCRIPTION, Duration.ofSeconds(60)))
            .as("drained: backlog %d, outstanding %d, deliveries %d, acks %d, pending %d/%d",
                pubsub.backlog(SUBSCRIPTION), pubsub.outstanding(SUBSCRIPTION), pubsub.deliveries(SUBSCRIPTION),
                pubsub.acks(SUBSCRIPTION), processes.get(0).engine.pending(), processes.get(1).engine.pending())
            .isTrue();
        for (Process p : processes) {
          assertThat(p.engine.awaitIdle(Duration.ofSeconds(60))).isTrue();
        }
        // the dropped notifications: caught by the scans, each process its share of the prefixes
        int queued = 0;
        for (Process p : processes) {
          queued += p.engine.scanNow();
        }
        for (Process p : processes) {
          assertThat(p.engine.awaitIdle(Duration.ofSeconds(60))).isTrue();
        }
        String ctx = "seed " + seed + ", scans queued " + queued;
        assertThat(differences(gcp, dc1)).as("dc1 (" + ctx + ")").isEmpty();
        assertThat(differences(gcp, dc2)).as("dc2 (" + ctx + ")").isEmpty();
        assertThat(dc1.violations()).as("dc1's history").isEmpty();
        assertThat(dc2.violations()).as("dc2's history").isEmpty();
        assertThat(dc1.commits()).isPositive();
        assertThat(processes.get(0).engine.applied() + processes.get(1).engine.applied())
            .as("both processes took a share").isGreaterThan(processes.get(0).engine.applied());
        assertThat(processes.get(0).engine.applied()).isPositive();
      } finally {
        for (Process p : processes) {
          p.close();
        }
      }
    }
  }

  /** One sync process: its own router (journal) over the shared sites, queue and Pub/Sub pull. */
  private final class Process implements AutoCloseable {
    final RoutingStore router;
    final SyncEngine engine;

    Process(int index, Placement lake, ObjectStore gcp, ObjectStore dc1, ObjectStore dc2, EmbeddedPubSub pubsub,
        Map<String, FaultInjectingStore> dc2Faults) throws Exception {
      HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites().clearPlacements().placement(lake)
          .journalDirectory(Files.createDirectories(dir.resolve("journal-" + index))).build();
      FaultInjectingStore down = FaultInjectingStore.wrap(unclosable(dc2));
      dc2Faults.put("p" + index, down);
      Map<String, ObjectStore> sites = new LinkedHashMap<>();
      sites.put("gcp", unclosable(gcp));
      sites.put("dc1", unclosable(dc1));
      sites.put("dc2", down);
      router = RoutingStore.create(sites, options, RoutingSettings.defaults().withRetry(1, Duration.ZERO)
          .withBreaker(100, 100, 100f, Duration.ofMillis(50)));
      SyncConfig config = SyncConfig.builder(options).rule(BUCKET, null, List.of(), null, List.of("dc1", "dc2"))
          .stateDirectory(dir.resolve("state-" + index)).workers(3).scanInterval(Duration.ZERO).partition(index, 2)
          .build();
      PubSubFeed feed = PubSubFeed.builder().project("p").subscription(SUBSCRIPTION).site("gcp")
          .transport(pubsub.transport()).build();
      engine = SyncEngine.builder(router, config).feed(feed).build().start();
    }

    @Override
    public void close() {
      engine.close();
      router.close();
    }
  }

  /** The shared site stores outlive each process's router. */
  private static ObjectStore unclosable(ObjectStore s) {
    return new io.hybridstorage.api.ForwardingObjectStore(s) {
      @Override
      public void close() {}
    };
  }

  private static List<String> differences(ObjectStore gcp, ObjectStore site) {
    List<String> wrong = new ArrayList<>();
    Map<String, ObjectInfo> want = new LinkedHashMap<>();
    gcp.list(ListRequest.of(BUCKET).withPageSize(1000)).items().forEach(i -> want.put(i.name(), i));
    for (ObjectInfo w : want.values()) {
      Optional<ObjectInfo> have = site.head(ObjectId.of(BUCKET, w.name()), Conditions.none());
      if (have.isEmpty() || have.get().generation() != w.generation()) {
        wrong.add(w.name() + " gcp#" + w.generation() + " site#" + have.map(ObjectInfo::generation).orElse(-1L));
      }
    }
    for (ObjectInfo h : site.list(ListRequest.of(BUCKET).withPageSize(1000)).items()) {
      if (!want.containsKey(h.name())) {
        wrong.add(h.name() + " deleted at gcp, still at the site (#" + h.generation() + ")");
      }
    }
    return wrong;
  }
}
