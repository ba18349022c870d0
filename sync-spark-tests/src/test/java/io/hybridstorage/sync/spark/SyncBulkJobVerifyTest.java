package io.hybridstorage.sync.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.HybridStorage;
import io.hybridstorage.api.HybridStorageOptions;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The job's verify pass and its failures, on small prefixes: gcp an in-memory store behind the
 * gateway; dc1 and dc2 two S3Mocks (kind {@code vast}) set up through the SDK with any state, or
 * in-memory sites in the job's JVM where the state does not matter.
 */
class SyncBulkJobVerifyTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUCKET = "lake";

  private final InMemoryStore gcp = new InMemoryStore("gcp");
  private Gateway gateway;

  @BeforeEach
  void start() {
    gateway = Gateway.builder(gcp).allowAnonymous().start();
    gcp.createBucket(BucketSpec.of(BUCKET));
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void verifyOnlyCountsMissingAndCorruptCopiesCopiesNothingAndExitsThree() throws Exception {
    CompletableFuture<S3MockSites> startDc2 = CompletableFuture.supplyAsync(S3MockSites::start);
    try (S3MockSites dc1 = S3MockSites.start(); S3MockSites dc2 = startDc2.join()) {
      Path work = clean("verify-only");
      Path config = config(work, vastSite("dc1", dc1.endpoint()) + vastSite("dc2", dc2.endpoint()),
          "      prefix: t/\n    - placement: " + BUCKET + "\n      prefix: elsewhere/\n");
      try (ObjectStore store = HybridStorage.openStore(HybridStorageOptions.fromFile(config))) {
        Map<String, ObjectStore> sites = ((RoutingStore) store).siteStores();
        sites.get("dc1").createBucket(BucketSpec.of(BUCKET));
        sites.get("dc2").createBucket(BucketSpec.of(BUCKET));
        for (int i = 0; i < 40; i++) {
          String name = "t/p" + (i % 4) + "/o" + i;
          ObjectInfo info = put(gcp, name, "value " + i, 0);
          put(sites.get("dc1"), name, "value " + i, info.generation()); // a replica: the authority's generation
          if (i < 30) {
            put(sites.get("dc2"), name, i == 7 ? "other bytes" : "value " + i, info.generation()); // o7: corrupt
          }
        }
        put(gcp, "elsewhere/x", "not under the rule's prefix", 0);

        SyncBulkJobProcess.Outcome run = SyncBulkJobProcess.run(work, Duration.ofMinutes(4), List.of("--master",
            "local[2]", "--config", config.toString(), "--sdk-classpath", sdk(), "--rule", BUCKET + "/t/",
            "--mode", "VERIFY"));

        assertThat(run.exitStatus()).as("3: the verify found differences; the log ends:\n%s", run.logTail(40))
            .isEqualTo(3);
        JsonNode report = JSON.readTree(run.json());
        assertThat(report.get("rule").asText()).isEqualTo(BUCKET + "/t/");
        assertThat(report.get("partitions").asInt()).as("t/p0/ … t/p3/ and the shallow t/").isEqualTo(5);
        assertThat(report.has("copy")).isFalse();
        JsonNode verify = report.get("verify");
        assertThat(verify.get("objects").asLong()).isEqualTo(40);
        assertThat(verify.get("differences").asLong()).as("10 missing at dc2, o7 corrupt there").isEqualTo(11);
        assertThat(verify.get("UNCHANGED").asLong()).isEqualTo(40 + 29);
        assertThat(sites.get("dc2").list(ListRequest.of(BUCKET)).items()).as("a verify copies nothing").hasSize(30);
        assertThat(Files.readString(run.log())).as("the SDK's log (its own class loader) in Spark's")
            .contains("INFO BulkTasks: opened " + config.toAbsolutePath());
      }
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void anUnknownRuleFailsTheJobNamingTheRules() throws Exception {
    Path work = clean("unknown-rule");
    Path config = config(work, "  - {name: dc1, kind: memory}\n  - {name: dc2, kind: memory}\n", "      prefix: t/\n");
    SyncBulkJobProcess.Outcome run = SyncBulkJobProcess.run(work, Duration.ofMinutes(4), List.of("--master",
        "local[1]", "--config", config.toString(), "--sdk-classpath", sdk(), "--rule", "lake/nope/"));
    assertThat(run.exitStatus()).as("the log ends:\n%s", run.logTail(40)).isEqualTo(1);
    assertThat(run.json()).isNull();
    assertThat(Files.readString(run.log())).contains("no hot-set rule 'lake/nope/'; the rules are [lake/t/]");
  }

  private static ObjectInfo put(ObjectStore store, String name, String value, long generation) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    return store.write(WriteRequest.of(BUCKET, name).withCrc32c(Checksums.crc32c(bytes)).withGeneration(generation),
        new ByteArrayInputStream(bytes));
  }

  private Path config(Path work, String onpremSites, String rules) throws IOException {
    Path file = work.resolve("hybrid.yaml");
    Files.writeString(file, "projectId: sync-spark-test\nsites:\n"
        + "  - {name: gcp, kind: gcs, endpoint: \"" + gateway.endpoint() + "\", credentialsRef: none}\n"
        + onpremSites
        + "placements:\n"
        + "  - {bucket: " + BUCKET + ", replicas: [gcp, dc1, dc2], authority: gcp, write: AUTHORITY_ONLY,"
        + " read: AUTHORITY, consistency: STRONG}\n"
        + "sync:\n  rules:\n    - placement: " + BUCKET + "\n" + rules, StandardCharsets.UTF_8);
    return file;
  }

  private static String vastSite(String name, URI endpoint) {
    return "  - {name: " + name + ", kind: vast, endpoint: \"" + endpoint + "\", credentialsRef: none,"
        + " properties: {region: us-east-1, pathStyle: true, conditionalWrites: emulated}}\n";
  }

  private static String sdk() {
    String value = System.getProperty("sdk.classpath");
    assertThat(value).as("the sdk.classpath system property (the module's surefire configuration)").isNotNull();
    return value;
  }

  private static Path clean(String name) throws IOException {
    Path dir = Path.of("target", "sync-spark", name).toAbsolutePath();
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return Files.createDirectories(dir);
  }
}
