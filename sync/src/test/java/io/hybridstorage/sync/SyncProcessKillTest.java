package io.hybridstorage.sync;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.NotificationInfo;
import com.google.cloud.storage.NotificationInfo.PayloadFormat;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.gateway.Gateway;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.sync.pubsub.EmbeddedPubSub;
import io.hybridstorage.sync.pubsub.PubSubSink;
import io.hybridstorage.vast.SyncS3Mock;
import io.hybridstorage.vast.VastStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync process killed with SIGKILL while it applies a stream of changes, then started again
 * on the same state directory: writers that bypass the SDK (the real google-cloud-storage client)
 * write into the gcp site (an in-memory store behind the JSON API gateway, which publishes GCS
 * notifications through the real Pub/Sub publisher to an embedded Pub/Sub server); the sync
 * process (a child JVM: {@link SyncMain}) pulls them and brings every object to dc1, a VAST site
 * on S3Mock. Afterwards every object at gcp is at dc1 with gcp's generation, every deleted one is
 * gone: 0 changes lost, 0 older-over-newer.
 */
class SyncProcessKillTest {

  static final String TOPIC = "projects/p/topics/gcs";
  static final String SUBSCRIPTION = "projects/p/subscriptions/sync";

  @TempDir
  Path dir;

  @Test
  void aKilledSyncProcessLosesNoChangeAndTheNextOneConverges() throws Exception {
    String bucket = SyncS3Mock.bucketName("kill");
    long seed = Long.getLong("sync.seed", System.nanoTime());
    Random random = new Random(seed);
    try (EmbeddedPubSub pubsub = EmbeddedPubSub.start();
         PubSubSink sink = PubSubSink.builder().transport(pubsub.transport()).build();
         InMemoryStore gcp = new InMemoryStore("gcp");
         Gateway gateway = Gateway.builder(gcp).allowAnonymous().notificationSink(sink).start();
         VastStore dc1 = SyncS3Mock.store("dc1");
         Storage client = GatewayClient.anonymous(gateway, "p")) {
      pubsub.createTopic(TOPIC);
      pubsub.createSubscription(SUBSCRIPTION, TOPIC, Duration.ofSeconds(5));
      client.create(BucketInfo.of(bucket));
      dc1.createBucket(BucketSpec.of(bucket));
      client.createNotification(bucket, NotificationInfo.newBuilder(TOPIC).setPayloadFormat(PayloadFormat.JSON_API_V1)
          .build());
      Path config = config(bucket, gateway, pubsub);

      Process first = start(config);
      int n = 240;
      Map<String, Long> deleted = new HashMap<>();
      int killedAt = -1;
      for (int i = 0; i < n; i++) {
        String name = "exports/p" + (i % 8) + "/o" + i;
        client.create(BlobInfo.newBuilder(bucket, name).build(), bytes(random, 1024));
        if (i % 5 == 0) { // an overwrite: only the newer generation may end at dc1
          client.create(BlobInfo.newBuilder(bucket, name).build(), bytes(random, 1024));
        }
        if (i % 11 == 0) {
          Blob b = client.get(bucket, name);
          client.delete(BlobId.of(bucket, name));
          deleted.put(name, b.getGeneration());
        }
        if (killedAt < 0 && i > n / 3 && count(dc1, bucket) > 20) {
          first.destroyForcibly(); // SIGKILL, mid-stream: no shutdown hook, nothing flushed
          assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
          assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);
          killedAt = i;
        }
      }
      assertThat(killedAt).as("the process was killed while changes streamed in (seed " + seed + ")").isPositive();
      sink.flush(Duration.ofSeconds(30));

      Process second = start(config);
      try {
        awaitConvergence(gcp, dc1, bucket, deleted, Duration.ofSeconds(120), seed);
      } finally {
        second.getOutputStream().close(); // --stop-on-stdin-eof
        if (!second.waitFor(30, TimeUnit.SECONDS)) {
          second.destroyForcibly();
        }
      }
    }
  }

  private Path config(String bucket, Gateway gateway, EmbeddedPubSub pubsub) throws Exception {
    Path file = dir.resolve("hybrid.yaml");
    Files.writeString(file, """
        projectId: p
        journalDirectory: %s
        sites:
          - {name: gcp, kind: gcs, endpoint: '%s', credentialsRef: none}
          - name: dc1
            kind: vast
            endpoint: '%s'
            credentialsRef: none
            properties: {region: us-east-1, conditionalWrites: emulated, tombstoneBucket: hs-tombstones-dc1}
        placements:
          - {bucket: %s, replicas: [gcp, dc1], authority: gcp, write: authority-only, read: authority, consistency: strong}
        sync:
          state: %s
          workers: 4
          scanInterval: 0s
          rules:
            - {placement: %s, sites: [dc1]}
          pubsub: {subscription: '%s', site: gcp, emulator: '%s'}
        """.formatted(dir.resolve("journal"), gateway.endpoint(), SyncS3Mock.endpoint(), bucket, dir.resolve("state"),
        bucket, SUBSCRIPTION, pubsub.endpoint()));
    return file;
  }

  private static Process start(Path config) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        SyncMain.class.getName(), "--config", config.toString(), "--stop-on-stdin-eof")
        .redirectError(Files.createDirectories(Path.of("target", "sync-process")).resolve("sync-" + System.nanoTime() + ".log").toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8));
    String line = out.readLine();
    assertThat(line).as("the sync process started (its log: target/sync-process/)").startsWith("SYNC-READY");
    return p;
  }

  private static byte[] bytes(Random random, int size) {
    byte[] b = new byte[size];
    random.nextBytes(b);
    return b;
  }

  private static int count(VastStore dc1, String bucket) {
    return dc1.list(io.hybridstorage.api.ListRequest.of(bucket)).items().size();
  }

  private static void awaitConvergence(InMemoryStore gcp, VastStore dc1, String bucket, Map<String, Long> deleted,
      Duration timeout, long seed) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> wrong = List.of();
    while (System.nanoTime() < deadline) {
      wrong = differences(gcp, dc1, bucket, deleted);
      if (wrong.isEmpty()) {
        return;
      }
      Thread.sleep(250);
    }
    assertThat(wrong).as("dc1 against gcp after the restart (seed " + seed + ")").isEmpty();
  }

  private static List<String> differences(InMemoryStore gcp, VastStore dc1, String bucket,
      Map<String, Long> deleted) {
    List<String> wrong = new ArrayList<>();
    String token = null;
    do {
      var page = gcp.list(io.hybridstorage.api.ListRequest.of(bucket).withPageToken(token));
      for (ObjectInfo want : page.items()) {
        Optional<ObjectInfo> have = dc1.head(ObjectId.of(bucket, want.name()), Conditions.none());
        if (have.isEmpty() || have.get().generation() != want.generation()
            || !want.crc32c().equals(have.get().crc32c())) {
          wrong.add(want.name() + ": gcp#" + want.generation() + " dc1#" + have.map(ObjectInfo::generation).orElse(-1L));
        }
      }
      token = page.nextPageToken();
    } while (token != null);
    for (Map.Entry<String, Long> d : deleted.entrySet()) {
      if (dc1.head(ObjectId.of(bucket, d.getKey()), Conditions.none()).isPresent()) {
        wrong.add(d.getKey() + ": deleted at gcp (#" + d.getValue() + ") but at dc1");
      }
    }
    return wrong;
  }
}
