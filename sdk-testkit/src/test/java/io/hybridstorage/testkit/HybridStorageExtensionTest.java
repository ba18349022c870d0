package io.hybridstorage.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.SiteConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The JUnit glue of {@link HybridStorageExtension} over a one-site world (no router needed):
 * scenario classes run through the JUnit Platform test kit, then the worlds they saw are checked.
 * The three-site behaviour (placements, partitions, parallel tests) is tested in samples, where
 * the router is on the classpath.
 */
class HybridStorageExtensionTest {

  /** Worlds the scenarios saw, in the order they saw them. */
  static final List<HybridWorld> SEEN = new CopyOnWriteArrayList<>();
  /** What the scenarios checked from inside, as "what: result". */
  static final List<String> NOTES = new CopyOnWriteArrayList<>();

  static HybridStorageOptions.Builder oneSite() {
    return HybridWorldTest.oneSite();
  }

  private static EngineExecutionResults run(Class<?> scenario) {
    SEEN.clear();
    NOTES.clear();
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(scenario)).execute();
  }

  private static void assertAllPassed(EngineExecutionResults results, long tests) {
    List<String> failures = results.allEvents().failed().stream()
        .map(e -> e.getTestDescriptor().getDisplayName() + ": " + e.getPayload().orElse(null)).toList();
    assertThat(failures).isEmpty();
    assertThat(results.testEvents().succeeded().count()).isEqualTo(tests);
  }

  // ------------------------------------------------------------------ per test

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PerTestScenario {
    @RegisterExtension
    static HybridStorageExtension sites = HybridStorageExtension.builder(oneSite()).build();

    @BeforeEach
    void recordWorld(HybridWorld world) {
      SEEN.add(world);
      NOTES.add("beforeEach sees the injected world: " + (sites.world() == world));
    }

    @AfterEach
    void stillOpenInAfterEach() {
      NOTES.add("afterEach world open: " + !sites.world().isClosed());
    }

    @Test
    @Order(1)
    void writes() {
      sites.storage().create(BucketInfo.of("sales"));
      sites.storage().create(BlobInfo.newBuilder("sales", "a.csv").build(), "1".getBytes(UTF_8));
      sites.assertThat("dc1").has("sales", "a.csv");
    }

    @Test
    @Order(2)
    void startsEmpty(Storage storage, HybridWorld world) {
      NOTES.add("fresh: " + (storage.get("sales") == null));
      NOTES.add("injected storage is the world's: " + (storage == world.storage() && storage == sites.storage()));
    }

    @RepeatedTest(2)
    @Order(3)
    void eachRepetitionHasItsOwnWorld() {
      NOTES.add("repetition fresh: " + (sites.storage().get("sales") == null));
      sites.storage().create(BucketInfo.of("sales"));
    }
  }

  @Test
  void perTestEveryTestGetsAFreshWorldClosedAfterItsAfterEach() {
    assertAllPassed(run(PerTestScenario.class), 4);
    assertThat(SEEN).hasSize(4).doesNotHaveDuplicates().allMatch(HybridWorld::isClosed);
    assertThat(NOTES).containsOnly("beforeEach sees the injected world: true", "afterEach world open: true",
        "fresh: true", "injected storage is the world's: true", "repetition fresh: true");
    assertThat(NOTES).filteredOn(n -> n.startsWith("repetition")).hasSize(2);
  }

  // ------------------------------------------------------------------ per class

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PerClassScenario {
    @RegisterExtension
    static HybridStorageExtension sites = HybridStorageExtension.builder(oneSite()).perClass().build();

    @BeforeAll
    static void openBeforeBeforeAll() {
      SEEN.add(sites.world());
      sites.storage().create(BucketInfo.of("sales"));
    }

    @AfterAll
    static void stillOpenInAfterAll() {
      NOTES.add("afterAll world open: " + !sites.world().isClosed());
    }

    @Test
    @Order(1)
    void writes(HybridWorld world) {
      SEEN.add(world);
      sites.storage().create(BlobInfo.newBuilder("sales", "a.csv").build(), "1".getBytes(UTF_8));
    }

    @Test
    @Order(2)
    void seesWhatTheFirstTestWrote(Storage storage) {
      SEEN.add(sites.world());
      NOTES.add("kept: " + (storage.get("sales", "a.csv") != null));
    }

    @Nested
    class Inner {
      @Test
      void sharesTheEnclosingWorld() {
        SEEN.add(sites.world());
        NOTES.add("nested kept: " + (sites.storage().get("sales", "a.csv") != null));
      }
    }
  }

  @Test
  void perClassOneWorldServesTheClassAndItsNestedClassesThenCloses() {
    assertAllPassed(run(PerClassScenario.class), 3);
    assertThat(SEEN).hasSize(4);
    assertThat(SEEN.stream().distinct()).hasSize(1);
    assertThat(SEEN.get(0).isClosed()).isTrue();
    assertThat(NOTES).containsExactly("kept: true", "nested kept: true", "afterAll world open: true");
  }

  // ------------------------------------------------------------------ injection and misuse

  static class ConstructorInjectionScenario {
    @RegisterExtension
    static HybridStorageExtension sites = HybridStorageExtension.builder(oneSite()).build();

    private final Storage storage;

    ConstructorInjectionScenario(Storage storage) {
      this.storage = storage;
    }

    @RepeatedTest(2)
    void theConstructorGetsThisTestsStorage() {
      SEEN.add(sites.world());
      NOTES.add("same: " + (storage == sites.storage()));
    }
  }

  @Test
  void aPerTestWorldCanBeInjectedIntoTheConstructor() {
    assertAllPassed(run(ConstructorInjectionScenario.class), 2);
    assertThat(NOTES).containsExactly("same: true", "same: true");
    assertThat(SEEN).doesNotHaveDuplicates();
  }

  static class BeforeAllPerTestScenario {
    @RegisterExtension
    static HybridStorageExtension sites = HybridStorageExtension.builder(oneSite()).build();

    @BeforeAll
    static void tooEarly() {
      sites.storage();
    }

    @Test
    void never() {}
  }

  static class BeforeAllInjectionScenario {
    @RegisterExtension
    static HybridStorageExtension sites = HybridStorageExtension.builder(oneSite()).build();

    @BeforeAll
    static void tooEarly(Storage storage) {}

    @Test
    void never() {}
  }

  @Test
  void aPerTestWorldOutsideATestIsRefusedWithTheFix() {
    assertThat(containerFailure(run(BeforeAllPerTestScenario.class)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no hybrid world is open: this extension opens one before each test")
        .hasMessageContaining("or build the extension with perClass() to use it in @BeforeAll");
    assertThat(containerFailure(run(BeforeAllInjectionScenario.class)))
        .hasMessageContaining("cannot inject Storage into")
        .hasMessageContaining("opens a world per test, and no test is running here");
  }

  private static Throwable containerFailure(EngineExecutionResults results) {
    Event failed = results.containerEvents().failed().stream().findFirst()
        .orElseThrow(() -> new AssertionError("the scenario class did not fail"));
    return failed.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
        .orElseThrow();
  }

  // ------------------------------------------------------------------ used directly

  @RegisterExtension
  static HybridStorageExtension sites = HybridStorageExtension.builder(oneSite())
      .options(o -> o.projectId("acme-lake"))
      .build();

  @Test
  void otherThreadsReachTheOnlyOpenWorld() throws Exception {
    Storage mine = sites.storage();
    assertThat(CompletableFuture.supplyAsync(sites::storage).get()).isSameAs(mine);
    assertThat(mine.getOptions().getProjectId()).isEqualTo("acme-lake");
  }

  @Test
  void theAccessorsActOnTheCurrentWorld(HybridWorld world) {
    sites.storage().create(BucketInfo.of("sales"));
    sites.storage().create(BlobInfo.newBuilder("sales", "a.csv").build(), "1".getBytes(UTF_8));
    assertThat(sites.site("dc1")).isSameAs(world.site("dc1"));
    assertThat(sites.faults("dc1")).isSameAs(world.faults("dc1"));
    assertThat(sites.whereIs("sales", "a.csv")).containsOnlyKeys("dc1");
    sites.assertThat("dc1").hasContent("sales", "a.csv", "1");
    sites.faults("dc1").partition();
    sites.heal();
    assertThat(world.faults("dc1").isPartitioned()).isFalse();
    sites.drain(); // one site: nothing to drain
  }

  // ------------------------------------------------------------------ builder

  @Test
  void theBuilderCopiesItsBaseAndValidatesAtBuild() {
    HybridStorageOptions.Builder base = oneSite();
    HybridStorageExtension.Builder builder = HybridStorageExtension.builder(base);
    base.site(SiteConfig.memory("dc2", Duration.ZERO));
    HybridStorageExtension extension = builder.seed(7).build();
    assertThat(extension.options().sites().keySet()).containsExactly("dc1");
    assertThat(extension.options().seed()).isEqualTo(7);
    assertThat(extension.isPerClass()).isFalse();
    assertThat(extension).hasToString("HybridStorageExtension[dc1] per test");

    HybridStorageExtension threeSites = HybridStorageExtension.threeSites();
    assertThat(threeSites.options().sites().keySet()).containsExactly("gcp", "dc1", "dc2");
    assertThat(threeSites.options().placements()).extracting(Placement::id).containsExactly("*");
    assertThat(threeSites.options().localSite()).contains("dc1");

    Placement anyBucket = Placement.builder("*").replicas("gcp", "dc1").authority("gcp").build();
    assertThatThrownBy(() -> HybridStorageExtension.builder().placement(anyBucket).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("placement '*' is configured twice");
    assertThat(HybridStorageExtension.builder().clearPlacements().placement(anyBucket).perClass().build())
        .hasToString("HybridStorageExtension[gcp, dc1, dc2] per class");
  }
}
