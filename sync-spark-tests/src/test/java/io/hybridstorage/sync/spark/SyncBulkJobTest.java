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
 * it with the real google-cloud-storage client, kind {@code gcs}); dc1 and dc2 are two S3Mock
 * processes (kind {@code vast}, path-style) or, for ten thousand objects, in-memory sites in the
 * job's JVM (see {@link Onprem}). The objects are written straight into the gcp
 * site — outside the SDK, as a BigQuery export would — under {@code bulk/p000/} … {@code
 * bulk/p063/} and directly under {@code bulk/}; the configuration file names a placement with
 * authority gcp, replicas gcp, dc1, dc2, write AUTHORITY_ONLY, and a {@code sync:} rule naming dc1
 * and dc2. {@code SyncBulkJob} runs in its own java process (Spark's classpath; the SDK in an
 * isolated class loader), creates the bucket on dc1 and dc2, copies and verifies; then (S3Mock)
 * every object must be on dc1 and dc2, listed through the SDK, with the gcp generation and CRC32C.
 *
 * <p>Each run's files are in {@code target/sync-spark/MASTER-ONPREM-OBJECTS/}: the job's log
 * ({@code spark-job.log}), its JSON line ({@code spark-job.out}), the configuration. The objects
 * per second of each run are printed (and logged to {@code target/sync-spark-tests.log}).
 */
class SyncBulkJobTest {

  private static final Logger LOG = LoggerFactory.getLogger(SyncBulkJobTest.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String BUCKET = "lake";
  private static final String PREFIX = "bulk/";
  private static final int SUB_PREFIXES = 64;
  /** Directly under bulk/: the shallow partition's share. */
  private static final int TOP = 16;
  /** 64 × 156 + 16 objects. */
  private static final int TEN_THOUSAND = 156;
  /** 64 × 31 + 16 objects. */
  private static final int TWO_THOUSAND = 31;

  /** Where dc1 and dc2 are. */
  enum Onprem {
    /** Two S3Mock processes, kind {@code vast}: the VAST path, checked through the SDK afterwards. */
    S3MOCK,
    /**
     * Kind {@code memory}: in-memory stores in the job's own JVM, so only the job's verify pass
     * checks them. For ten thousand objects: S3Mock 4.11 parses its bucket's whole key index on
     * every request, so a request costs O(objects in the bucket), and ten thousand objects onto
     * two S3Mocks take about half an hour on a 2-core machine (the benchmark group has that run).
     * A site kind {@code gcs} (a gateway) cannot be a replica: it cannot take assigned generations.
     */
    MEMORY
  }

  /**
   * The bar: {@code local[2]} copies and verifies a prefix of ten thousand objects (dc1 and
   * dc2 in the job's JVM: see {@link Onprem#MEMORY}).
   */
  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void localTwoCopiesAndVerifiesTenThousandObjects() throws Exception {
    copyAndVerify("local[2]", 2, Onprem.MEMORY, TEN_THOUSAND);
  }

  /** The VAST path: dc1 and dc2 two S3Mocks, as many objects as S3Mock serves in reasonable time. */
  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void localTwoCopiesAndVerifiesTwoThousandObjectsOntoTwoS3Mocks() throws Exception {
    copyAndVerify("local[2]", 2, Onprem.S3MOCK, TWO_THOUSAND);
  }

  /**
   * The same on one executor, for the throughput figure (issue 15: Spark bulk copy objects/s with
   * 1 and 2 executors). Not in the default run (each doubles the module's time): {@code mvn -pl
   * sync-spark-tests -am verify -Dsyncspark.excludedGroups=none}.
   */
  @Test
  @Tag("benchmark")
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void localOneCopiesAndVerifiesTenThousandObjects() throws Exception {
    copyAndVerify("local[1]", 1, Onprem.MEMORY, TEN_THOUSAND);
  }

  /** The S3Mock run on one executor, for the figure (benchmark group). */
  @Test
  @Tag("benchmark")
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void localOneCopiesAndVerifiesTwoThousandObjectsOntoTwoS3Mocks() throws Exception {
    copyAndVerify("local[1]", 1, Onprem.S3MOCK, TWO_THOUSAND);
  }

  /**
   * Ten thousand objects onto two S3Mocks (benchmark group: about half an hour on a 2-core machine,
   * S3Mock's cost per request growing with the bucket).
   */
  @Test
  @Tag("benchmark")
  @Timeout(value = 60, unit = TimeUnit.MINUTES)
  void localTwoCopiesAndVerifiesTenThousandObjectsOntoTwoS3Mocks() throws Exception {
    copyAndVerify("local[2]", 2, Onprem.S3MOCK, TEN_THOUSAND);
  }

  /**
   * A fresh world — gcp an in-memory store behind a gateway, dc1 and dc2 as {@code onprem} says,
   * without the bucket — 64 × {@code perSubPrefix} + 16 objects written into gcp outside the SDK,
   * the job on {@code master} with {@code --create-buckets}, and (S3Mock) every object looked for
   * on dc1 and dc2 through the SDK.
   */
  private static void copyAndVerify(String master, int parallelism, Onprem onprem, int perSubPrefix)
      throws Exception {
    int objects = SUB_PREFIXES * perSubPrefix + TOP;
    String name = master.replaceAll("[^a-z0-9]+", " ").strip().replace(' ', '-') + "-" + onprem.name().toLowerCase()
        + "-" + objects;
    Path work = clean(Path.of("target", "sync-spark", name).toAbsolutePath());
    Path sdk = sdkClasspath();
    InMemoryStore gcp = new InMemoryStore(HybridStorageOptions.GCP);
    try (Closer closer = new Closer()) {
      Gateway gateway = closer.add(Gateway.builder(gcp).allowAnonymous().start());
      String sites = "  - {name: gcp, kind: gcs, endpoint: \"" + gateway.endpoint() + "\", credentialsRef: none,"
          + " latency: 20ms, properties: {projectId: sync-spark-test}}\n" + onpremSites(onprem, closer);
      Path config = writeConfig(work.resolve("hybrid.yaml"), sites);
      gcp.createBucket(BucketSpec.of(BUCKET));
      long start = System.nanoTime();
      Map<String, String> written = writeOutsideTheSdk(gcp, perSubPrefix);
      LOG.info("{} objects written into the gcp site in {} ms", written.size(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      assertThat(written).hasSize(objects);

      SyncBulkJobProcess.Outcome run = SyncBulkJobProcess.run(work, Duration.ofMinutes(55), List.of("--master",
          master, "--config", config.toString(), "--sdk-classpath", sdk.toString(), "--create-buckets"));
      JsonNode report = report(run);
      assertThat(report.get("master").asText()).isEqualTo(master);
      assertThat(report.get("parallelism").asInt()).isEqualTo(parallelism);
      assertThat(report.get("rule").asText()).isEqualTo(BUCKET + "/" + PREFIX);
      assertThat(report.get("bucketCreatedOn")).extracting(JsonNode::asText).containsExactly("dc1", "dc2");
      assertThat(report.get("partitions").asInt()).as("64 sub-prefixes and the shallow one")
          .isEqualTo(SUB_PREFIXES + 1);
      JsonNode copy = report.get("copy");
      assertThat(copy.get("objects").asLong()).isEqualTo(objects);
      assertThat(copy.get("hot").asLong()).isEqualTo(objects);
      assertThat(copy.get("COPIED").asLong()).as("copied to each of dc1 and dc2").isEqualTo(2L * objects);
      assertThat(copy.get("UNCHANGED").asLong()).isZero();
      assertThat(copy.get("bytesCopied").asLong()).isEqualTo(2 * totalBytes(gcp));
      JsonNode verify = report.get("verify");
      assertThat(verify.get("objects").asLong()).isEqualTo(objects);
      assertThat(verify.get("UNCHANGED").asLong()).isEqualTo(2L * objects);
      assertThat(verify.get("differences").asLong()).isZero();
      figure(master, onprem, run, copy, verify);

      Map<String, String> authority = listing(gcp);
      assertThat(authority).hasSize(objects).containsAllEntriesOf(written);
      if (onprem == Onprem.S3MOCK) {
        try (ObjectStore store = HybridStorage.openStore(HybridStorageOptions.fromFile(config))) {
          Map<String, ObjectStore> siteStores = ((RoutingStore) store).siteStores();
          for (String site : List.of("dc1", "dc2")) {
            assertThat(listing(siteStores.get(site)))
                .as("what %s holds under gs://%s/%s: every object with the gcp generation and CRC32C", site, BUCKET,
                    PREFIX)
                .isEqualTo(authority);
          }
        }
      }
    }
  }

  /** dc1 and dc2 started as {@code onprem} says (closed by {@code closer}), as the YAML's site entries. */
  private static String onpremSites(Onprem onprem, Closer closer) {
    if (onprem == Onprem.MEMORY) {
      return "  - {name: dc1, kind: memory, latency: 1ms}\n  - {name: dc2, kind: memory, latency: 1ms}\n";
    }
    CompletableFuture<S3MockSites> startDc1 = CompletableFuture.supplyAsync(S3MockSites::start);
    CompletableFuture<S3MockSites> startDc2 = CompletableFuture.supplyAsync(S3MockSites::start);
    S3MockSites dc1 = closer.add(startDc1.join());
    S3MockSites dc2 = closer.add(startDc2.join());
    return vastSite("dc1", dc1.endpoint()) + vastSite("dc2", dc2.endpoint());
  }

  private static String vastSite(String name, URI endpoint) {
    return "  - {name: " + name + ", kind: vast, endpoint: \"" + endpoint + "\", credentialsRef: none, latency: 1ms,"
        + " properties: {region: us-east-1, pathStyle: true, conditionalWrites: emulated}}\n";
  }

  /** Closes what it was given, last first. */
  private static final class Closer implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();

    <T extends AutoCloseable> T add(T c) {
      open.add(c);
      return c;
    }

    @Override
    public void close() throws Exception {
      Exception first = null;
      for (int i = open.size() - 1; i >= 0; i--) {
        try {
          open.get(i).close();
        } catch (Exception e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
      if (first != null) {
        throw first;
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

  private static void figure(String master, Onprem onprem, SyncBulkJobProcess.Outcome run, JsonNode copy,
      JsonNode verify) {
    String figure = String.format("Spark bulk copy on %s, dc1 and dc2 %s: %d objects to 2 sites in %.1f s = %.0f"
            + " objects/s; verify %.1f s = %.0f objects/s; the whole job (JVM, Spark, SDK start) %d s", master,
        onprem == Onprem.S3MOCK ? "two S3Mocks (vast)" : "in memory in the job's JVM",
        copy.get("objects").asLong(), copy.get("seconds").asDouble(), copy.get("objectsPerSecond").asDouble(),
        verify.get("seconds").asDouble(), verify.get("objectsPerSecond").asDouble(), run.took().toSeconds());
    System.out.println(figure);
    LOG.info(figure);
  }

  /** The objects, written into the gcp site's store directly: name to "generation crc32c size". */
  private static Map<String, String> writeOutsideTheSdk(InMemoryStore gcp, int perSubPrefix) {
    List<String> names = new ArrayList<>();
    for (int p = 0; p < SUB_PREFIXES; p++) {
      for (int i = 0; i < perSubPrefix; i++) {
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
   * The configuration the job and this test share: the sites, one placement for the bucket
   * (authority gcp, replicas gcp, dc1, dc2, write AUTHORITY_ONLY), and the hot-set rule of {@code
   * bulk/} to dc1 and dc2.
   */
  private static Path writeConfig(Path file, String sites) throws IOException {
    Files.writeString(file, ""
        + "projectId: sync-spark-test\n"
        + "sites:\n"
        + sites
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
