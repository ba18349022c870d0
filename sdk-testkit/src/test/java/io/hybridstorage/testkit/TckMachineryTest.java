package io.hybridstorage.testkit;

import io.hybridstorage.memory.InMemoryStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.hybridstorage.api.Capability;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.testkit.tck.ObjectStoreTck;
import io.hybridstorage.testkit.tck.Requires;
import io.hybridstorage.testkit.tck.Suppress;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The TCK's own machinery: capability gating, suppressions, and that it fails stores that break
 * the contract. The TCK classes run here are nested (Surefire does not run them directly).
 */
class TckMachineryTest {

  private static EngineExecutionResults run(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
  }

  private static EngineExecutionResults run(Class<?> testClass, String... methods) {
    EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter");
    for (String method : methods) {
      builder.selectors(selectMethod(testClass, method));
    }
    return builder.execute();
  }

  private static List<String> skipReasons(EngineExecutionResults results) {
    return results.testEvents().skipped().stream()
        .map(e -> e.getPayload(String.class).orElse("")).collect(Collectors.toList());
  }

  private static List<String> failedTests(EngineExecutionResults results) {
    List<String> names = new ArrayList<>();
    for (Event e : results.testEvents().failed().list()) {
      names.add(e.getTestDescriptor().getDisplayName().replace("()", ""));
    }
    return names;
  }

  /** The TCK tests that need any of {@code missing}. */
  private static List<String> gatedBy(Set<Capability> missing) {
    List<String> gated = new ArrayList<>();
    for (Method m : ObjectStoreTck.class.getMethods()) {
      Requires requires = m.getAnnotation(Requires.class);
      if (requires != null && Arrays.stream(requires.value()).anyMatch(missing::contains)) {
        gated.add(m.getName());
      }
    }
    return gated;
  }

  // ---------------------------------------------------------------- capability gating

  static class NoVersioningTck implements ObjectStoreTck {
    final ObjectStore store = new ForwardingObjectStore(new InMemoryStore("plain")) {
      @Override
      public Set<Capability> capabilities() {
        // an in-memory store keeps dot-segment names literally, so it claims that
        return EnumSet.of(Capability.NATIVE_COPY, Capability.DOT_SEGMENT_NAMES);
      }

      // without ASSIGNED_GENERATIONS, a caller-assigned generation is refused (the TCK checks it)
      @Override
      public ObjectInfo copy(CopyRequest request) {
        refuseAssigned("copy", request.targetBucket(), request.targetName(), request.generation());
        return super.copy(request);
      }

      @Override
      public ObjectInfo compose(ComposeRequest request) {
        refuseAssigned("compose", request.bucket(), request.targetName(), request.generation());
        return super.compose(request);
      }

      @Override
      public boolean deleteUpTo(String bucket, String name, long generation) {
        throw HybridStorageException.unsupported("deleteUpTo", bucket, name, site()); // as the default does
      }

      private void refuseAssigned(String op, String bucket, String name, long generation) {
        if (generation != 0) {
          throw new HybridStorageException(501, "notImplemented", op, bucket, name, site(),
              "no ASSIGNED_GENERATIONS: cannot take generation " + generation, null);
        }
      }
    };

    @Override
    public ObjectStore store() {
      return store;
    }
  }

  @Test
  void testsNeedingAMissingCapabilityAreSkippedWithTheReason() {
    EngineExecutionResults results = run(NoVersioningTck.class);
    Set<Capability> missing = EnumSet.of(Capability.OBJECT_VERSIONING, Capability.ASSIGNED_GENERATIONS,
        Capability.ATOMIC_PRECONDITIONS);
    List<String> gated = gatedBy(missing);
    assertThat(gated).contains("overwriteInAVersionedBucketKeepsTheOldGenerationReadable",
        "assignedGenerationIsUsedExactly", "concurrentConditionalDeletesExactlyOneSucceeds");
    assertThat(failedTests(results)).isEmpty();
    List<String> reasons = skipReasons(results);
    assertThat(reasons).hasSize(gated.size());
    assertThat(reasons).allSatisfy(r -> assertThat(r).startsWith("Requires [").contains("of site plain lacks"));
    assertThat(reasons).anySatisfy(r -> assertThat(r).contains("OBJECT_VERSIONING"));
    assertThat(results.testEvents().succeeded().count()).isEqualTo(results.testEvents().started().count());
  }

  // ---------------------------------------------------------------- suppressions

  @Suppress(test = "composeOf33SourcesIs400", reason = "demo: this backend composes up to 64")
  @Suppress(test = "multiCharacterDelimiter", reason = "demo: single-character delimiters only")
  static class SuppressingTck implements ObjectStoreTck {
    final ObjectStore store = new InMemoryStore("sup");

    @Override
    public ObjectStore store() {
      return store;
    }
  }

  @Test
  void suppressedTestsAreSkippedWithTheirReason() {
    EngineExecutionResults results = run(SuppressingTck.class, "composeOf33SourcesIs400", "multiCharacterDelimiter",
        "composeOf32SourcesIsAllowed");
    assertThat(skipReasons(results)).containsExactlyInAnyOrder(
        "Suppressed by SuppressingTck: demo: this backend composes up to 64",
        "Suppressed by SuppressingTck: demo: single-character delimiters only");
    assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
  }

  @Suppress(test = "noSuchTest", reason = "typo")
  static class UnknownSuppressionTck implements ObjectStoreTck {
    @Override
    public ObjectStore store() {
      return new InMemoryStore("typo");
    }
  }

  @Suppress(test = "composeOf33SourcesIs400", reason = "  ")
  static class BlankReasonTck implements ObjectStoreTck {
    @Override
    public ObjectStore store() {
      return new InMemoryStore("blank");
    }
  }

  private static String containerFailure(Class<?> testClass) {
    EngineExecutionResults results = run(testClass);
    assertThat(results.testEvents().started().count()).as("no test runs").isZero();
    List<Event> failed = results.containerEvents().failed().list();
    assertThat(failed).isNotEmpty();
    return failed.get(0).getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
        .map(Throwable::getMessage).orElse("");
  }

  @Test
  void aSuppressionNamingNoTestFailsTheClass() {
    assertThat(containerFailure(UnknownSuppressionTck.class))
        .contains("@Suppress(test = \"noSuchTest\") names no test of UnknownSuppressionTck");
  }

  @Test
  void aSuppressionWithoutReasonFailsTheClass() {
    assertThat(containerFailure(BlankReasonTck.class)).contains("has no reason");
  }

  // ---------------------------------------------------------------- the TCK fails broken stores

  /** Ignores preconditions on writes. */
  static class NoPreconditionsTck implements ObjectStoreTck {
    final ObjectStore store = new ForwardingObjectStore(new InMemoryStore("broken")) {
      @Override
      public ObjectWriter openWrite(WriteRequest request) {
        return super.openWrite(request.withConditions(Conditions.none()));
      }

      @Override
      public ObjectInfo write(WriteRequest request, InputStream data) {
        return super.write(request.withConditions(Conditions.none()), data);
      }
    };

    @Override
    public ObjectStore store() {
      return store;
    }
  }

  @Test
  void aStoreIgnoringPreconditionsFails() {
    EngineExecutionResults results = run(NoPreconditionsTck.class,
        "doesNotExistOnAnExistingObjectIs412AndChangesNothing", "sixteenConcurrentCreatesWithDoesNotExistExactlyOneWins",
        "concurrentConditionalIncrementsLoseNoUpdate", "writeThenReadReturnsTheSameBytes");
    assertThat(failedTests(results)).containsExactlyInAnyOrder("doesNotExistOnAnExistingObjectIs412AndChangesNothing",
        "sixteenConcurrentCreatesWithDoesNotExistExactlyOneWins", "concurrentConditionalIncrementsLoseNoUpdate");
  }

  /** Lists in Java's UTF-16 order instead of UTF-8 byte order. */
  static class JavaOrderTck implements ObjectStoreTck {
    final ObjectStore store = new ForwardingObjectStore(new InMemoryStore("utf16")) {
      @Override
      public ListPage<ObjectInfo> list(ListRequest request) {
        ListPage<ObjectInfo> page = super.list(request);
        List<ObjectInfo> items = new ArrayList<>(page.items());
        items.sort((a, b) -> a.name().compareTo(b.name()));
        return new ListPage<>(items, page.prefixes(), page.nextPageToken());
      }
    };

    @Override
    public ObjectStore store() {
      return store;
    }
  }

  @Test
  void aStoreListingInJavaStringOrderFails() {
    EngineExecutionResults results = run(JavaOrderTck.class, "listOrdersNamesByUtf8BytesNotJavaStringOrder");
    assertThat(failedTests(results)).containsExactly("listOrdersNamesByUtf8BytesNotJavaStringOrder");
  }

  /** Publishes writes even when the client checksum does not match. */
  static class NoChecksumCheckTck implements ObjectStoreTck {
    final ObjectStore store = new ForwardingObjectStore(new InMemoryStore("nocrc")) {
      @Override
      public ObjectWriter openWrite(WriteRequest request) {
        return super.openWrite(request.withCrc32c(null).withMd5(null));
      }

      @Override
      public ObjectInfo write(WriteRequest request, InputStream data) {
        return super.write(request.withCrc32c(null).withMd5(null), data);
      }
    };

    @Override
    public ObjectStore store() {
      return store;
    }
  }

  @Test
  void aStoreSkippingChecksumVerificationFails() {
    EngineExecutionResults results = run(NoChecksumCheckTck.class, "wrongCrc32cIs400AndLeavesNothing",
        "wrongMd5Is400AndLeavesNothing", "wrongChecksumOnAnOverwriteKeepsThePreviousVersion");
    assertThat(failedTests(results)).hasSize(3);
  }
}
