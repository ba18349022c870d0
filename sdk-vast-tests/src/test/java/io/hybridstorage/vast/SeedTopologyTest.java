package io.hybridstorage.vast;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.spi.StoreDecorator;
import io.hybridstorage.routing.RoutingStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The README's second sample configuration, {@code samples/seed-topology.yaml} (one GCS site, two
 * VAST datacenters 30 ms apart), loaded as a user would and run with its two VAST sites on two
 * S3Mock servers (one each: two datacenters must not share buckets) and its GCS site replaced by
 * an in-memory site. In-memory rather than GcsStore through the gateway: the gateway would itself
 * serve an in-memory world, so the routing under test would be the same, at the cost of a Jetty
 * server and the GCS client in this module; GcsStore has its own tests over the JSON API. Only the
 * endpoints, the credentials ({@code none}: S3Mock checks none) and the journal directory differ
 * from the file.
 */
class SeedTopologyTest {

  static final Path SEED = Path.of("..", "samples", "seed-topology.yaml");

  private static S3MockProcess dc2;

  @BeforeAll
  static void startSecondS3Mock() {
    S3MockServer.endpoint(); // dc1: the shared one
    dc2 = S3MockProcess.start();
  }

  @AfterAll
  static void stopSecondS3Mock() {
    if (dc2 != null) {
      dc2.close();
    }
  }

  @Test
  void theFileDescribesTheSeedTopology() {
    HybridStorageOptions seed = HybridStorageOptions.fromFile(SEED);
    assertThat(seed.sites()).containsOnlyKeys("gcp", "dc1", "dc2");
    assertThat(seed.sites().get("gcp").kind()).isEqualTo("gcs");
    assertThat(seed.sites().get("dc1").kind()).isEqualTo("vast");
    assertThat(seed.sites().get("dc2").kind()).isEqualTo("vast");
    assertThat(seed.localSite()).contains("dc1");
    assertThat(seed.sites().get("dc2").latency().minus(seed.sites().get("dc1").latency()))
        .as("dc2 is 30 ms from dc1, where the jobs run").isBetween(Duration.ofMillis(29), Duration.ofMillis(30));
    Placement every = seed.placementFor("any-bucket", "x").orElseThrow();
    assertThat(every.replicas()).containsExactly("gcp", "dc1", "dc2");
    assertThat(every.authority()).isEqualTo("gcp");
    assertThat(every.writePolicy()).isEqualTo(WritePolicy.DUAL_WRITE_SYNC);
    assertThat(every.readPolicy()).isEqualTo(ReadPolicy.NEAREST_VERIFIED);
  }

  @Test
  void aJobsWritesReachGcsAndBothVastDatacenters(@TempDir Path journal) throws Exception {
    Map<String, URI> vast = Map.of("dc1", S3MockServer.endpoint(), "dc2", dc2.endpoint());
    HybridStorageOptions seed = HybridStorageOptions.fromFile(SEED);
    HybridStorageOptions.Builder b = seed.toBuilder().journalDirectory(journal);
    SiteConfig gcp = seed.sites().get("gcp");
    b.site(SiteConfig.memory("gcp", gcp.latency())); // the GCS site, in memory (see the class comment)
    vast.forEach((name, endpoint) -> {
      SiteConfig s = seed.sites().get(name);
      b.site(new SiteConfig(name, s.kind(), endpoint.toString(), "none", s.latency(), s.properties()));
    });
    AtomicReference<RoutingStore> router = new AtomicReference<>();
    b.storeDecorator(new StoreDecorator() {
      @Override
      public ObjectStore service(ObjectStore store) {
        router.set((RoutingStore) store);
        return store;
      }
    });

    String bucket = VastTestSupport.bucketName("seed");
    try (Storage storage = b.build().getService()) {
      storage.create(BucketInfo.of(bucket));
      Blob part = storage.create(BlobInfo.newBuilder(bucket, "sales/dt=2026-11-27/part-0000.csv")
          .setContentType("text/csv").build(), "order_id,amount\n1,10\n".getBytes(UTF_8));
      assertThat(storage.readAllBytes(bucket, part.getName())).isEqualTo("order_id,amount\n1,10\n".getBytes(UTF_8));
      assertThat(storage.list(bucket).iterateAll()).extracting(Blob::getName).containsExactly(part.getName());

      // one generation on the three sites, read below the router
      for (Map.Entry<String, ObjectStore> site : router.get().siteStores().entrySet()) {
        Optional<ObjectInfo> there = site.getValue().head(ObjectId.of(bucket, part.getName()), Conditions.none());
        assertThat(there).as(site.getKey()).map(ObjectInfo::generation).contains(part.getGeneration());
      }
      // and the bytes are in each datacenter's S3 bucket, seen by a plain S3 client
      for (URI endpoint : vast.values()) {
        try (S3Client s3 = VastTestSupport.rawClient(endpoint)) {
          ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(bucket).key(part.getName()));
          assertThat(got.asUtf8String()).as(endpoint.toString()).isEqualTo("order_id,amount\n1,10\n");
        }
      }
      assertThat(router.get().journalDepth()).isZero();
      assertThat(Files.isDirectory(journal)).isTrue();
    }
  }
}
