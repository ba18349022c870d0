package io.hybridstorage.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.HybridStorage;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.spi.Replicating;
import io.hybridstorage.api.spi.StoreDecorator;
import io.hybridstorage.gateway.Gateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Spark + Hudi end to end through the gateway (issue 14): a hybrid world of three in-memory sites
 * whose placement writes every bucket to all three, the GCS JSON API gateway over the routed store,
 * and a local Spark ({@code local[2]}) with Hudi and the Hadoop GCS connector pointed at the gateway
 * without credentials. The job writes a copy-on-write table to {@code gs://bucket/table}, upserts
 * into it and reads it back with a query; then every data file and every {@code .hoodie/} file
 * must be on every site the placement names, with the same bytes (size and CRC32C), and the
 * router must list exactly what each site holds.
 *
 * <p>The job runs in its own java process ({@link SparkJobProcess}); its log is in {@code
 * target/spark-hudi/spark-job.log}, the gateway's access log in {@code
 * target/spark-hudi-gateway.log}.
 */
class SparkHudiThroughGatewayTest {

  private static final String BUCKET = "bucket";
  private static final String TABLE = "table/";

  @Test
  @Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
  void hudiTableWrittenThroughTheGatewayIsOnEverySiteOfThePlacement() throws Exception {
    SiteRecorder recorder = new SiteRecorder();
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites().storeDecorator(recorder).build();
    Placement placement = options.placements().stream().filter(p -> p.covers(BUCKET, TABLE)).findFirst()
        .orElseThrow(() -> new AssertionError("no placement covers gs://" + BUCKET + "/" + TABLE));
    assertThat(placement.replicas()).as("the placement replicates to all three sites")
        .containsExactlyInAnyOrder(HybridStorageOptions.GCP, HybridStorageOptions.DC1, HybridStorageOptions.DC2);

    try (ObjectStore store = HybridStorage.openStore(options);
        Gateway gateway = Gateway.builder(store).allowAnonymous().start()) {
      store.createBucket(BucketSpec.of(BUCKET));

      long start = System.nanoTime();
      SparkJobProcess.Outcome outcome = SparkJobProcess.run(gateway.endpoint(), "gs://" + BUCKET + "/table",
          Path.of("target", "spark-hudi").toAbsolutePath(), Duration.ofMinutes(4));
      System.out.printf("the Spark + Hudi job took %d s (log: %s)%n",
          Duration.ofNanos(System.nanoTime() - start).toSeconds(), outcome.log());
      assertThat(outcome.exitStatus()).as("the Spark job's exit status; its log ends:\n%s", outcome.logTail(80))
          .isZero();

      // the upsert replaced t2 and t3 (later ts), added t5, left t1 and t4
      assertThat(outcome.rows()).containsExactly(
          "t1,alpha,10.0,eu,1",
          "t2,beta,25.0,eu,2",
          "t3,gamma-2,33.0,us,2",
          "t4,delta,40.0,us,1",
          "t5,epsilon,50.0,us,2");

      if (recorder.service instanceof Replicating replicating) {
        assertThat(replicating.drain(Duration.ofSeconds(30))).as("the replication journal drained").isTrue();
      }

      Map<String, String> routed = listing(store);
      assertThat(routed.keySet()).as("the table's files as the router lists them")
          .anyMatch(n -> n.startsWith(TABLE + ".hoodie/") && n.endsWith("hoodie.properties"))
          .anyMatch(n -> n.startsWith(TABLE + ".hoodie/") && n.endsWith(".commit"))
          .anyMatch(n -> n.startsWith(TABLE + "region=eu/") && n.endsWith(".parquet"))
          .anyMatch(n -> n.startsWith(TABLE + "region=us/") && n.endsWith(".parquet"));
      for (String site : placement.replicas()) {
        Map<String, String> held = listing(recorder.sites.get(site));
        assertThat(held).as("what site %s holds under gs://%s/%s, against the router's listing", site, BUCKET, TABLE)
            .containsExactlyEntriesOf(routed);
      }
      System.out.printf("%d files of the table on each of %s%n", routed.size(), placement.replicas());
    }
  }

  /** Every object under the table, name to size and CRC32C, in name order. */
  private static Map<String, String> listing(ObjectStore store) {
    Map<String, String> files = new TreeMap<>();
    ListRequest request = ListRequest.of(BUCKET).withPrefix(TABLE);
    while (true) {
      ListPage<ObjectInfo> page = store.list(request);
      for (ObjectInfo info : page.items()) {
        files.put(info.name(), info.size() + " bytes, crc32c " + Objects.requireNonNullElse(info.crc32c(), "-"));
      }
      if (!page.hasNextPage()) {
        return files;
      }
      request = request.withPageToken(page.nextPageToken());
    }
  }

  /** Keeps each site's store (below the router) and the router itself; wraps nothing. */
  private static final class SiteRecorder implements StoreDecorator {
    final Map<String, ObjectStore> sites = new ConcurrentHashMap<>();
    volatile ObjectStore service;

    @Override
    public ObjectStore site(SiteConfig site, ObjectStore store) {
      sites.put(site.name(), store);
      return store;
    }

    @Override
    public ObjectStore service(ObjectStore store) {
      service = store;
      return store;
    }
  }
}
