package io.hybridstorage.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.HybridStorageConfigException;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.spi.StoreDecorator;
import io.hybridstorage.memory.InMemoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration file's {@code routing:} section tunes the router that {@code getService()}
 * builds through the {@link io.hybridstorage.api.spi.RouterProvider}; an unknown key or a bad
 * value fails there, naming the file, the key, the value and what is allowed, before any site is
 * opened.
 */
class RoutingSectionTest {

  private static final String SITES = """
      sites: [{name: gcp, kind: memory}, {name: dc1, kind: memory}, {name: dc2, kind: memory}]
      placements: [{bucket: '*', replicas: [gcp, dc1, dc2], authority: gcp}]
      """;

  @TempDir Path dir;

  /** Records what getService() opened: the sites given to the router, and the router. */
  static final class Recorder implements StoreDecorator {
    final List<String> sitesOpened = new ArrayList<>();
    ObjectStore service;

    @Override
    public ObjectStore site(SiteConfig site, ObjectStore store) {
      sitesOpened.add(site.name());
      return store;
    }

    @Override
    public ObjectStore service(ObjectStore store) {
      service = store;
      return store;
    }
  }

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("hybrid.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void everyKeyOfTheFileReachesTheRouterOfGetService() throws Exception {
    Path file = write(SITES + """
        routing:
          callTimeout: 10s
          retryAttempts: 4
          retryWait: 200ms
          breakerWindow: 40
          breakerMinimumCalls: 5
          breakerFailureRate: 25.5
          breakerOpenWait: PT30S
          bulkheadMaxConcurrent: 16
          bulkheadMaxWait: 0ms
          teeBufferBytes: 1MiB
          parallelTee: false
          journalBatchMax: 64
          replayInterval: 1.5s
          replayThreads: 2
          sessionCapacity: 1000
          watermarkInterval: 500ms
          watermarkBucket: acme-hybrid-meta
          repairHorizon: 20m
        """);
    Recorder recorder = new Recorder();
    HybridStorageOptions options = HybridStorageOptions.fromFile(file).toBuilder().storeDecorator(recorder).build();
    try (Storage storage = options.getService()) {
      assertThat(recorder.service).isInstanceOf(RoutingStore.class);
      assertThat(((RoutingStore) recorder.service).settings()).isEqualTo(new RoutingSettings(Duration.ofSeconds(10),
          4, Duration.ofMillis(200), 40, 5, 25.5f, Duration.ofSeconds(30), 16, Duration.ZERO, 1 << 20, false, 64,
          Duration.ofMillis(1500), 2, 1000, Duration.ofMillis(500), "acme-hybrid-meta", true, Duration.ofMinutes(20)));
      // and the tuned router works
      storage.create(BucketInfo.of("tuned"));
      assertThat(storage.get("tuned")).isNotNull();
    }
    assertThat(RoutingConfiguration.KEYS).as("the test sets every key").hasSize(18);
  }

  @Test
  void withoutARoutingSectionTheRouterRunsWithTheDefaults() throws Exception {
    Recorder recorder = new Recorder();
    HybridStorageOptions options = HybridStorageOptions.fromFile(write(SITES)).toBuilder().storeDecorator(recorder)
        .build();
    try (Storage storage = options.getService()) {
      assertThat(((RoutingStore) recorder.service).settings()).isEqualTo(RoutingSettings.defaults());
    }
  }

  @Test
  void unknownKeysAndBadValuesFailAtGetServiceAllAtOnceBeforeAnySiteIsOpened() throws IOException {
    Path file = write(SITES + """
        routing:
          callTimout: 10s
          callTimeout: soon
          retryAttempts: 0
          retryWait: -1s
          breakerWindow: many
          breakerMinimumCalls: 2.5
          breakerFailureRate: 150
          breakerOpenWait: 0s
          bulkheadMaxConcurrent: 0
          bulkheadMaxWait: 1 second
          teeBufferBytes: 2GiB
          parallelTee: maybe
          journalBatchMax: -3
          replayInterval: 0ms
          replayThreads: 0
          sessionCapacity: 99999999999
          watermarkInterval: -1s
          watermarkBucket: Not_A_Bucket
          repairHorizon: -1m
        """);
    Recorder recorder = new Recorder();
    HybridStorageOptions options = HybridStorageOptions.fromFile(file).toBuilder().storeDecorator(recorder).build();
    assertThatThrownBy(options::getService).isInstanceOfSatisfying(HybridStorageConfigException.class, e -> {
      assertThat(e.source()).contains(file.toAbsolutePath().toString());
      assertThat(e.problems()).containsExactly(
          "routing.callTimout: unknown key; valid keys here: callTimeout, retryAttempts, retryWait, breakerWindow, "
              + "breakerMinimumCalls, breakerFailureRate, breakerOpenWait, bulkheadMaxConcurrent, bulkheadMaxWait, "
              + "teeBufferBytes, parallelTee, journalBatchMax, replayInterval, replayThreads, sessionCapacity, "
              + "watermarkInterval, watermarkBucket, repairHorizon",
          "routing.callTimeout ('soon') must be a duration, 0s to disable the time limit (250ms, 1.5s, 5m or ISO-8601)",
          "routing.retryAttempts ('0') must be a whole number >= 1 (1: no retry)",
          "routing.retryWait ('-1s') must be a duration (250ms, 1.5s, 5m or ISO-8601)",
          "routing.breakerWindow ('many') must be a whole number >= 1 (calls)",
          "routing.breakerMinimumCalls ('2.5') must be a whole number >= 1 (calls)",
          "routing.breakerFailureRate ('150') must be a percentage greater than 0 and at most 100, e.g. 50",
          "routing.breakerOpenWait ('0s') must be a duration of at least 1ms (250ms, 1.5s, 5m or ISO-8601)",
          "routing.bulkheadMaxConcurrent ('0') must be a whole number >= 1 (calls per site)",
          "routing.bulkheadMaxWait ('1 second') must be a duration, 0s not to wait (250ms, 1.5s, 5m or ISO-8601)",
          "routing.teeBufferBytes ('2GiB') must be a size from 0 to 2147483647 bytes (bytes, or with KiB, MiB, GiB; "
              + "e.g. 8MiB)",
          "routing.parallelTee ('maybe') must be true or false",
          "routing.journalBatchMax ('-3') must be a whole number >= 1 (entries per group commit)",
          "routing.replayInterval ('0ms') must be a duration greater than 0 (250ms, 1.5s, 5m or ISO-8601)",
          "routing.replayThreads ('0') must be a whole number >= 1 (replay lanes)",
          "routing.sessionCapacity ('99999999999') must be a whole number >= 1 (objects remembered)",
          "routing.watermarkInterval ('-1s') must be a duration greater than 0 (250ms, 1.5s, 5m or ISO-8601)",
          "routing.watermarkBucket ('Not_A_Bucket') must be a bucket name (a bucket name may contain only lowercase "
              + "letters, digits, '-', '_' and '.', and must start and end with a letter or digit)",
          "routing.repairHorizon ('-1m') must be a duration, 0s to repair copies of any age (250ms, 1.5s, 5m or "
              + "ISO-8601)");
    });
    assertThat(recorder.sitesOpened).as("no site contacted for a configuration error").isEmpty();
    assertThat(recorder.service).isNull();
  }

  @Test
  void aSingleMisspeltKeyIsNotIgnored() throws IOException {
    HybridStorageOptions options = HybridStorageOptions.fromFile(write(SITES + "routing: {maxAttempts: 4}\n"));
    assertThatThrownBy(options::getService).isInstanceOf(HybridStorageConfigException.class)
        .hasMessageContaining("routing.maxAttempts: unknown key; valid keys here: callTimeout, retryAttempts");
  }

  @Test
  void createAppliesTheOptionsRoutingSectionAndExplicitSettingsWin() {
    Map<String, ObjectStore> sites = new LinkedHashMap<>();
    for (String s : new String[] {"gcp", "dc1", "dc2"}) {
      sites.put(s, new InMemoryStore(s));
    }
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites().journalDirectory(dir)
        .routing(Map.of("sessionCapacity", "5", "teeBufferBytes", "64KiB")).build();
    try (RoutingStore router = RoutingStore.create(sites, options)) {
      assertThat(router.settings()).isEqualTo(RoutingSettings.defaults().withSessionCapacity(5)
          .withTee(64 << 10, true));
    }
    RoutingSettings explicit = World.testSettings();
    try (RoutingStore router = RoutingStore.create(sites, options, explicit)) {
      assertThat(router.settings()).isEqualTo(explicit);
    }
  }

  @Test
  void withConfigurationChangesOnlyTheKeysSetOnAnyBase() {
    RoutingSettings base = World.testSettings().withOwnsSites(false);
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites().routing(Map.of("retryWait", "7ms"))
        .build();
    assertThat(base.withConfiguration(options.routing())).isEqualTo(base.withRetry(base.retryAttempts(),
        Duration.ofMillis(7)));
    assertThat(base.withConfiguration(HybridStorageOptions.inMemoryThreeSites().build().routing())).isEqualTo(base);
  }

  /** The README's example file is accepted by the router, and its key list is complete. */
  @Test
  void theReadmeListsEveryKeyAndItsExampleIsValid() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("```yaml\n") + "```yaml\n".length();
    HybridStorageOptions example = HybridStorageOptions.fromFile(write(readme.substring(start,
        readme.indexOf("```", start))));
    assertThat(example.routing().isEmpty()).as("the example shows a routing section").isFalse();
    assertThat(RoutingSettings.defaults().withConfiguration(example.routing())).isNotEqualTo(RoutingSettings.defaults());
    String configuration = readme.substring(readme.indexOf("### Configuration"), readme.indexOf("### The sample"));
    assertThat(RoutingConfiguration.KEYS).allSatisfy(key -> assertThat(configuration).contains("`" + key + "`"));
  }
}
