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
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.HybridStorageOptions;
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
import io.hybridstorage.testkit.time.VirtualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job outside the SDK writes with the real google-cloud-storage client into the gcp site (an
 * in-memory store behind the JSON API gateway, which publishes GCS notifications into the sync's
 * in-memory feed): creates, overwrites, a metadata update, a delete, and partitions aging out of
 * the rule's window — each reaches dc1 and dc2 as the rule says, and nothing is removed from gcp.
 */
class RealClientWritersTest {

  @TempDir
  Path dir;

  @Test
  void createsOverwritesMetadataDeletesAndTheWindowThroughTheRealClient() throws Exception {
    String bucket = "lake";
    LocalDate today = LocalDate.of(2030, 1, 10);
    VirtualClock clock = VirtualClock.create(today.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600));
    MemoryFeed feed = new MemoryFeed("gcp");
    InMemoryStore gcp = new InMemoryStore("gcp");
    Map<String, ObjectStore> sites = new LinkedHashMap<>();
    sites.put("gcp", new io.hybridstorage.api.ForwardingObjectStore(gcp) {
      @Override
      public void close() {} // the gateway's
    });
    sites.put("dc1", new InMemoryStore("dc1"));
    sites.put("dc2", new InMemoryStore("dc2"));
    Placement lake = Placement.builder(bucket).replicas("gcp", "dc1", "dc2").authority("gcp")
        .write(WritePolicy.AUTHORITY_ONLY).read(ReadPolicy.AUTHORITY).consistency(Consistency.STRONG).build();
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites().clearPlacements().placement(lake)
        .journalDirectory(dir.resolve("journal")).build();
    try (Gateway gateway = Gateway.builder(gcp).allowAnonymous().notificationSink(feed).start();
         Storage client = GatewayClient.anonymous(gateway, "p");
         RoutingStore router = RoutingStore.create(sites, options, RoutingSettings.defaults())) {
      client.create(BucketInfo.of(bucket));
      sites.get("dc1").createBucket(BucketSpec.of(bucket));
      sites.get("dc2").createBucket(BucketSpec.of(bucket));
      client.createNotification(bucket, NotificationInfo.newBuilder("projects/p/topics/gcs")
          .setPayloadFormat(PayloadFormat.JSON_API_V1).build());
      SyncConfig config = SyncConfig.builder(options).rule(bucket, "sales/", List.of("sales/dt=*/**"),
          Window.partition("dt", Window.DEFAULT_FORMAT, Duration.ofDays(7)), List.of()).scanInterval(Duration.ZERO)
          .workers(2).build();
      try (SyncEngine sync = SyncEngine.builder(router, config).feed(feed).clock(clock).build().start()) {
        String hot = "sales/dt=2030-01-09/part-0.csv";
        String edge = "sales/dt=2030-01-03/part-0.csv";
        String cold = "sales/dt=2029-11-01/part-0.csv";
        client.create(BlobInfo.newBuilder(bucket, hot).build(), "v1".getBytes(UTF_8));
        client.create(BlobInfo.newBuilder(bucket, edge).build(), "edge".getBytes(UTF_8));
        client.create(BlobInfo.newBuilder(bucket, cold).build(), "cold".getBytes(UTF_8));
        client.create(BlobInfo.newBuilder(bucket, "other/x").build(), "no rule".getBytes(UTF_8));
        Blob v2 = client.create(BlobInfo.newBuilder(bucket, hot).build(), "v2".getBytes(UTF_8));
        assertThat(sync.awaitIdle(Duration.ofSeconds(20))).isTrue();
        for (String s : List.of("dc1", "dc2")) {
          assertThat(head(sites, s, bucket, hot)).as(s).hasValueSatisfying(i -> {
            assertThat(i.generation()).isEqualTo(v2.getGeneration());
            assertThat(i.crc32c()).isEqualTo(v2.getCrc32c());
          });
          assertThat(head(sites, s, bucket, edge)).as(s).isPresent();
          assertThat(head(sites, s, bucket, cold)).as(s + ": outside the window").isEmpty();
          assertThat(head(sites, s, bucket, "other/x")).as(s + ": no rule").isEmpty();
        }

        client.update(v2.toBuilder().setMetadata(Map.of("quality", "checked")).build());
        assertThat(sync.awaitIdle(Duration.ofSeconds(20))).isTrue();
        assertThat(head(sites, "dc2", bucket, hot).orElseThrow().metadata().custom())
            .containsEntry("quality", "checked");

        client.delete(BlobId.of(bucket, hot));
        assertThat(sync.awaitIdle(Duration.ofSeconds(20))).isTrue();
        assertThat(head(sites, "dc1", bucket, hot)).isEmpty();
        assertThat(head(sites, "dc2", bucket, hot)).isEmpty();

        clock.advance(Duration.ofDays(1)); // 2030-01-03 leaves the 7-day window
        sync.scanNow();
        assertThat(sync.awaitIdle(Duration.ofSeconds(20))).isTrue();
        assertThat(head(sites, "dc1", bucket, edge)).as("evicted on-prem").isEmpty();
        assertThat(head(sites, "dc2", bucket, edge)).as("evicted on-prem").isEmpty();
        assertThat(client.get(bucket, edge)).as("kept in GCS").isNotNull();
        assertThat(client.get(bucket, cold)).as("kept in GCS").isNotNull();
      }
    }
  }

  private static Optional<ObjectInfo> head(Map<String, ObjectStore> sites, String site, String bucket, String name) {
    return sites.get(site).head(ObjectId.of(bucket, name), Conditions.none());
  }
}
