package io.hybridstorage.sync.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.HybridStorage;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.gateway.Gateway;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.vast.S3MockSites;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark bulk copy and verify of the sync (issue 15, "Beyond one machine"), end to end with
 * real parts: the gcp site is an in-memory store behind the GCS JSON API gateway (the SDK reaches
 * it with the real google-cloud-storage client, kind {@code gcs}), dc1 and dc2 are two S3Mock
 * processes (kind {@code vast}, path-style). Ten thousand small objects are written straight into
 * the gcp site — outside the SDK, as a BigQuery export would — under {@code bulk/p000/} …
 * {@code bulk/p063/} and directly under {@code bulk/}; the configuration file names a placement
 * with authority gcp, replicas gcp, dc1, dc2, write AUTHORITY_ONLY, and a {@code sync:} rule
 * naming dc1 and dc2. {@code SyncBulkJob} runs on {@code local[2]} in its own java process (Spark's
 * classpath; the SDK in an isolated class loader), copies and verifies; then every object must be
 * on dc1 and dc2, listed through the SDK, with the gcp generation and CRC32C.
 *
 * <p>The job's log is in {@code target/sync-spark/RUN/spark-job.log}, its JSON line in {@code
 * spark-job.out}; the objects per second of each run are printed (and logged to {@code
 * target/sync-spark-tests.log}).
 */
class SyncBulkJobTest {

  private static final Logger LOG = LoggerFactory.getLogger(SyncBulkJobTest.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String BUCKET = "lake";
  private static final String PREFIX = "bulk/";
  private static final int SUB_PREFIXES = 64;
  private static final int PER_SUB_PREFIX = 156;
  /** Directly under bulk/: the shallow partition's share. */
  private static final int TOP = 16;
  private static final int OBJECTS = SUB_PREFIXES * PER_SUB_PREFIX + TOP;

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void localTwoCopiesAndVerifiesTenThousandObjectsToBothVastSites() throws Exception {
    copyAndVerify("local[2]", 2);
  }

  /**
   * The same on one executor, for the throughput figure (issue 15: Spark bulk copy objects/s with
   * 1 and 2 executors). Not in the default run (it doubles the module's time): {@code mvn -pl
   * sync-spark-tests -am verify -Dsyncspark.excludedGroups=none}.
   */
  @Test
  @Tag("benchmark")
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void localOneForTheThroughputFigure() throws Exception {
    copyAndVerify("local[1]", 1);
  }

  /** A fresh world (gateway, two S3Mocks), the objects written outside the SDK, the job on {@code master}. */
  private static void copyAndVerify(String master, int parallelism) throws Exception {
    assertThat(OBJECTS).isGreaterThanOrEqualTo(10_000);
    Path work = clean(Path.of("target", "sync-spark", master.replaceAll("[^a-z0-9]+", "-")).toAbsolutePath());
    Path sdk = sdkClasspath();
    CompletableFuture<S3MockSites> startDc1 = CompletableFuture.supplyAsync(S3MockSites::start);
    CompletableFuture<S3MockSites> startDc2 = CompletableFuture.supplyAsync(S3MockSites::start);
    InMemoryStore gcp = new InMemoryStore(HybridStorageOptions.GCP);
    try (S3MockSites dc1 = startDc1.join();
        S3MockSites dc2 = startDc2.join();
        Gateway gateway = Gateway.builder(gcp).allowAnonymous().start()) {
      Path config = writeConfig(work.resolve("hybrid.yaml"), gateway.endpoint(), dc1.endpoint(), dc2.endpoint());
      try (ObjectStore store = HybridStorage.openStore(HybridStorageOptions.fromFile(config))) {
        assertThat(store).isInstanceOf(RoutingStore.class);
        Map<String, ObjectStore> sites = ((RoutingStore) store).siteStores();
        gcp.createBucket(BucketSpec.of(BUCKET));
        sites.get("dc1").createBucket(BucketSpec.of(BUCKET));
        sites.get("dc2").createBucket(BucketSpec.of(BUCKET));

        long start = System.nanoTime();
        Map<String, String> written = writeOutsideTheSdk(gcp);
        LOG.info("{} objects written into the gcp site in {} ms", written.size(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        assertThat(written).hasSize(OBJECTS);
        assertThat(listing(sites.get("dc1"))).as("dc1 before the job").isEmpty();

        SyncBulkJobProcess.Outcome run = SyncBulkJobProcess.run(work, Duration.ofMinutes(12),
            List.of("--master", master, "--config", config.toString(), "--sdk-classpath", sdk.toString()));
        JsonNode report = report(run);
        assertThat(report.get("master").asText()).isEqualTo(master);
        assertThat(report.get("parallelism").asInt()).isEqualTo(parallelism);
        assertThat(report.get("rule").asText()).isEqualTo(BUCKET + "/" + PREFIX);
        assertThat(report.get("partitions").asInt()).as("64 sub-prefixes and the shallow one")
            .isEqualTo(SUB_PREFIXES + 1);
        JsonNode copy = report.get("copy");
        assertThat(copy.get("objects").asLong()).isEqualTo(OBJECTS);
        assertThat(copy.get("hot").asLong()).isEqualTo(OBJECTS);
        assertThat(copy.get("COPIED").asLong()).as("copied to each of dc1 and dc2").isEqualTo(2L * OBJECTS);
        assertThat(copy.get("UNCHANGED").asLong()).isZero();
        assertThat(copy.get("bytesCopied").asLong()).isEqualTo(2 * totalBytes(gcp));
        JsonNode verify = report.get("verify");
        assertThat(verify.get("objects").asLong()).isEqualTo(OBJECTS);
        assertThat(verify.get("UNCHANGED").asLong()).isEqualTo(2L * OBJECTS);
        assertThat(verify.get("differences").asLong()).isZero();
        figure(master, run, copy, verify);

        Map<String, String> authority = listing(gcp);
        assertThat(authority).hasSize(OBJECTS).containsAllEntriesOf(written);
        for (String site : List.of("dc1", "dc2")) {
          assertThat(listing(sites.get(site)))
              .as("what %s holds under gs://%s/%s: every object with the gcp generation and CRC32C", site, BUCKET,
                  PREFIX)
              .isEqualTo(authority);
        }
      }
    }
  }

  /** The job's JSON line, after checking it ended well; the figure is printed with it. */
  private static JsonNode report(SyncBulkJobProcess.Outcome run) throws IOException {
    assertThat(run.exitStatus()).as("the Spark job's exit status; its log ends:\n%s", run.logTail(60)).isZero();
    String line = run.json();
    assertThat(line).as("the job's JSON line; its log ends:\n%s", run.logTail(60)).isNotNull();
    LOG.info("the job took {} s and reported {}", run.took().toSeconds(), line);
    return JSON.readTree(line);
  }

  private static void figure(String master, SyncBulkJobProcess.Outcome run, JsonNode copy, JsonNode verify) {
    String figure = String.format("Spark bulk copy on %s: %d objects to 2 sites in %.1f s = %.0f objects/s; verify"
            + " %.1f s = %.0f objects/s; the whole job (JVM, Spark, SDK start) %d s", master,
        copy.get("objects").asLong(), copy.get("seconds").asDouble(), copy.get("objectsPerSecond").asDouble(),
        verify.get("seconds").asDouble(), verify.get("objectsPerSecond").asDouble(), run.took().toSeconds());
    System.out.println(figure);
    LOG.info(figure);
  }

  /** The objects, written into the gcp site's store directly: name to "generation crc32c size". */
  private static Map<String, String> writeOutsideTheSdk(InMemoryStore gcp) {
    List<String> names = new ArrayList<>();
    for (int p = 0; p < SUB_PREFIXES; p++) {
      for (int i = 0; i < PER_SUB_PREFIX; i++) {
        names.add(String.format("%sp%03d/part-%05d.json", PREFIX, p, i));
      }
    }
    for (int i = 0; i < TOP; i++) {
      names.add(String.format("%s_manifest-%02d.json", PREFIX, i));
    }
    Map<String, String> out = new TreeMap<>();
    for (String name : names) {
      byte[] bytes = ("{\"name\":\"" + name + "\",\"row\":\"" + "x".repeat(name.hashCode() & 0xff) + "\"}\n")
          .getBytes(StandardCharsets.UTF_8);
      ObjectInfo info = gcp.write(WriteRequest.of(BUCKET, name).withCrc32c(Checksums.crc32c(bytes)),
          new ByteArrayInputStream(bytes));
      out.put(name, describe(info));
    }
    return out;
  }

  private static long totalBytes(ObjectStore store) {
    long bytes = 0;
    for (ObjectInfo i : objects(store)) {
      bytes += i.size();
    }
    return bytes;
  }

  /** Every object under the prefix, name to generation, CRC32C and size, in name order. */
  private static Map<String, String> listing(ObjectStore store) {
    Map<String, String> out = new TreeMap<>();
    for (ObjectInfo i : objects(store)) {
      out.put(i.name(), describe(i));
    }
    return out;
  }

  private static List<ObjectInfo> objects(ObjectStore store) {
    List<ObjectInfo> out = new ArrayList<>();
    ListRequest request = ListRequest.of(BUCKET).withPrefix(PREFIX);
    while (true) {
      ListPage<ObjectInfo> page = store.list(request);
      out.addAll(page.items());
      if (!page.hasNextPage()) {
        return out;
      }
      request = request.withPageToken(page.nextPageToken());
    }
  }

  private static String describe(ObjectInfo i) {
    return "generation " + i.generation() + ", crc32c " + Objects.requireNonNullElse(i.crc32c(), "-") + ", "
        + i.size() + " bytes";
  }

  /**
   * The configuration the job and this test share: gcp (kind gcs) at the gateway without
   * credentials, dc1 and dc2 (kind vast) at the two S3Mocks, path-style; one placement for the
   * bucket, and the hot-set rule of {@code bulk/} to dc1 and dc2.
   */
  private static Path writeConfig(Path file, URI gateway, URI dc1, URI dc2) throws IOException {
    String vast = "    credentialsRef: none\n"
        + "    latency: 1ms\n"
        + "    properties: {region: us-east-1, pathStyle: true, conditionalWrites: emulated}\n";
    Files.writeString(file, ""
        + "projectId: sync-spark-test\n"
        + "sites:\n"
        + "  - name: gcp\n"
        + "    kind: gcs\n"
        + "    endpoint: " + gateway + "\n"
        + "    credentialsRef: none\n"
        + "    latency: 20ms\n"
        + "    properties: {projectId: sync-spark-test}\n"
        + "  - name: dc1\n"
        + "    kind: vast\n"
        + "    endpoint: " + dc1 + "\n"
        + vast
        + "  - name: dc2\n"
        + "    kind: vast\n"
        + "    endpoint: " + dc2 + "\n"
        + vast
        + "placements:\n"
        + "  - bucket: " + BUCKET + "\n"
        + "    replicas: [gcp, dc1, dc2]\n"
        + "    authority: gcp\n"
        + "    write: AUTHORITY_ONLY\n"
        + "    read: AUTHORITY\n"
        + "    consistency: STRONG\n"
        + "sync:\n"
        + "  rules:\n"
        + "    - placement: " + BUCKET + "\n"
        + "      prefix: " + PREFIX + "\n"
        + "      sites: [dc1, dc2]\n", StandardCharsets.UTF_8);
    return file;
  }

  private static Path sdkClasspath() {
    String value = System.getProperty("sdk.classpath");
    assertThat(value).as("the sdk.classpath system property (set by the module's surefire configuration)")
        .isNotNull();
    Path file = Path.of(value);
    assertThat(file).as("the SDK classpath the build writes (maven-dependency-plugin:build-classpath)")
        .isRegularFile();
    return file;
  }

  private static Path clean(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return Files.createDirectories(dir);
  }
}
