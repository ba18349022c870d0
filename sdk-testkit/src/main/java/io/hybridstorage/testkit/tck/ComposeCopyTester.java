package io.hybridstorage.testkit.tck;

import static io.hybridstorage.testkit.tck.Tck.assertNames;
import static io.hybridstorage.testkit.tck.Tck.bytes;
import static io.hybridstorage.testkit.tck.Tck.expect;
import static io.hybridstorage.testkit.tck.Tck.put;
import static io.hybridstorage.testkit.tck.Tck.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.Capability;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.ComposeRequest.Source;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.WriteRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Compose (1 to 32 sources, component counts, CRC32C of the whole, no MD5) and copy (within and
 * across buckets, metadata, conditions, generations, caller-assigned target generations).
 */
public interface ComposeCopyTester extends StoreTester {

  private ObjectInfo compose(String bucket, List<Source> sources, String target, Conditions conditions) {
    return store().compose(new ComposeRequest(bucket, sources, target, ObjectMetadata.ofContentType("text/plain"),
        conditions));
  }

  private static List<Source> sources(String... names) {
    List<Source> out = new ArrayList<>();
    for (String name : names) {
      out.add(Source.of(name));
    }
    return out;
  }

  private static String crc32c(String content) {
    return Tck.crc32c(bytes(content));
  }

  @Test
  default void composeConcatenatesSourcesInOrder() {
    String bucket = newBucket();
    put(store(), bucket, "p1", "alpha-");
    put(store(), bucket, "p2", "beta-");
    put(store(), bucket, "p3", "gamma");
    ObjectInfo composite = compose(bucket, sources("p1", "p2", "p3"), "whole", Conditions.none());
    assertThat(read(store(), bucket, "whole")).isEqualTo("alpha-beta-gamma");
    assertThat(composite.size()).isEqualTo(16);
    assertThat(composite.componentCount()).isEqualTo(3);
    assertThat(composite.crc32c()).isEqualTo(crc32c("alpha-beta-gamma"));
    assertThat(composite.md5()).as("GCS gives composites no MD5").isNull();
    assertThat(composite.metadata().contentType()).isEqualTo("text/plain");
    assertThat(composite.generation()).isPositive();
  }

  @Test
  default void composeOf32SourcesIsAllowed() {
    String bucket = newBucket();
    put(store(), bucket, "part", "ab");
    ObjectInfo composite = compose(bucket, Collections.nCopies(32, Source.of("part")), "big", Conditions.none());
    assertThat(composite.size()).isEqualTo(64);
    assertThat(composite.componentCount()).isEqualTo(32);
    assertThat(read(store(), bucket, "big")).isEqualTo("ab".repeat(32));
  }

  @Test
  default void composeOf33SourcesIs400() {
    String bucket = newBucket();
    put(store(), bucket, "part", "ab");
    HybridStorageException e = expect(400,
        () -> compose(bucket, Collections.nCopies(33, Source.of("part")), "too-big", Conditions.none()));
    assertNames(e, store(), bucket, "too-big");
    assertThat(e.getMessage()).contains("33").contains("32");
    assertThat(store().head(ObjectId.of(bucket, "too-big"), Conditions.none())).isEmpty();
  }

  @Test
  default void composeWithoutSourcesIs400() {
    String bucket = newBucket();
    HybridStorageException e = expect(400, () -> compose(bucket, List.of(), "nothing", Conditions.none()));
    assertNames(e, store(), bucket, "nothing");
    assertThat(e.getMessage()).contains("source");
  }

  @Test
  default void composeWithAMissingSourceIs404() {
    String bucket = newBucket();
    put(store(), bucket, "present", "x");
    HybridStorageException e = expect(404, () -> compose(bucket, sources("present", "absent"), "t", Conditions.none()));
    assertNames(e, store(), bucket, "absent");
    assertThat(store().head(ObjectId.of(bucket, "t"), Conditions.none())).isEmpty();
  }

  @Test
  default void composeWithAStaleSourceGenerationIs412() {
    String bucket = newBucket();
    ObjectInfo first = put(store(), bucket, "src", "1");
    put(store(), bucket, "src", "2");
    HybridStorageException e = expect(412, () -> compose(bucket,
        List.of(new Source("src", 0, first.generation())), "t", Conditions.none()));
    assertThat(e.getMessage()).contains(String.valueOf(first.generation()));
    assertThat(store().head(ObjectId.of(bucket, "t"), Conditions.none())).isEmpty();
  }

  @Test
  default void composeChecksTheTargetConditions() {
    String bucket = newBucket();
    put(store(), bucket, "src", "new");
    put(store(), bucket, "target", "existing");
    HybridStorageException e = expect(412,
        () -> compose(bucket, sources("src"), "target", Conditions.doesNotExist()));
    assertNames(e, store(), bucket, "target");
    assertThat(read(store(), bucket, "target")).isEqualTo("existing");
  }

  @Test
  default void composeOfCompositesSumsComponentCounts() {
    String bucket = newBucket();
    put(store(), bucket, "a", "a");
    put(store(), bucket, "b", "b");
    compose(bucket, sources("a", "b", "a"), "aba", Conditions.none());
    ObjectInfo nested = compose(bucket, sources("aba", "b", "aba"), "nested", Conditions.none());
    assertThat(nested.componentCount()).isEqualTo(7);
    assertThat(read(store(), bucket, "nested")).isEqualTo("abababa");
    assertThat(nested.crc32c()).isEqualTo(crc32c("abababa"));
  }

  @Test
  @Requires(Capability.OBJECT_VERSIONING)
  default void composeUsesTheRequestedSourceGeneration() {
    String bucket = newBucket(true);
    ObjectInfo old = put(store(), bucket, "src", "old-");
    put(store(), bucket, "src", "new-");
    compose(bucket, List.of(new Source("src", old.generation(), null), Source.of("src")), "mix", Conditions.none());
    assertThat(read(store(), bucket, "mix")).isEqualTo("old-new-");
  }

  @Test
  default void copyWithinABucketKeepsBytesChecksumsAndMetadata() {
    String bucket = newBucket();
    ObjectMetadata metadata = new ObjectMetadata("application/json", null, null, null, null, Map.of("k", "v"));
    ObjectInfo source = put(store(), WriteRequest.of(bucket, "src").withMetadata(metadata), bytes("{\"a\":1}"));
    ObjectInfo copy = store().copy(CopyRequest.of(source.id(), bucket, "dst"));
    assertThat(copy.name()).isEqualTo("dst");
    assertThat(copy.size()).isEqualTo(source.size());
    assertThat(copy.crc32c()).isEqualTo(source.crc32c());
    assertThat(copy.md5()).isEqualTo(source.md5());
    assertThat(copy.metadata()).isEqualTo(metadata);
    assertThat(copy.metageneration()).isEqualTo(1);
    assertThat(read(store(), bucket, "dst")).isEqualTo("{\"a\":1}");
    assertThat(read(store(), bucket, "src")).as("the source stays").isEqualTo("{\"a\":1}");
  }

  @Test
  default void copyAcrossBuckets() {
    String from = newBucket();
    String to = newBucket();
    ObjectInfo source = put(store(), from, "src", "travels");
    ObjectInfo copy = store().copy(CopyRequest.of(ObjectId.of(from, "src"), to, "arrived"));
    assertThat(copy.bucket()).isEqualTo(to);
    assertThat(copy.crc32c()).isEqualTo(source.crc32c());
    assertThat(read(store(), to, "arrived")).isEqualTo("travels");
  }

  @Test
  default void copyWithNewMetadataReplacesIt() {
    String bucket = newBucket();
    put(store(), WriteRequest.of(bucket, "src").withMetadata(ObjectMetadata.ofContentType("text/plain")), bytes("x"));
    ObjectMetadata replacement = new ObjectMetadata("text/csv", null, null, null, null, Map.of("new", "yes"));
    ObjectInfo copy = store().copy(new CopyRequest(ObjectId.of(bucket, "src"), Conditions.none(), bucket, "dst",
        replacement, Conditions.none()));
    assertThat(copy.metadata()).isEqualTo(replacement);
    assertThat(store().head(ObjectId.of(bucket, "dst"), Conditions.none()))
        .hasValueSatisfying(h -> assertThat(h.metadata()).isEqualTo(replacement));
  }

  @Test
  default void copyOfAMissingSourceIs404() {
    String bucket = newBucket();
    HybridStorageException e = expect(404, () -> store().copy(CopyRequest.of(ObjectId.of(bucket, "ghost"), bucket, "t")));
    assertNames(e, store(), bucket, "ghost");
  }

  @Test
  default void copyToAMissingBucketIs404() {
    String bucket = newBucket();
    String missing = uniqueBucketName();
    put(store(), bucket, "src", "x");
    HybridStorageException e = expect(404,
        () -> store().copy(CopyRequest.of(ObjectId.of(bucket, "src"), missing, "t")));
    assertNames(e, store(), missing, null);
  }

  @Test
  default void copyChecksSourceAndTargetConditions() {
    String bucket = newBucket();
    ObjectInfo source = put(store(), bucket, "src", "s");
    ObjectInfo target = put(store(), bucket, "dst", "d");
    expect(412, () -> store().copy(new CopyRequest(source.id(), Conditions.generationMatch(source.generation() + 1),
        bucket, "dst", null, Conditions.none())));
    HybridStorageException e = expect(412, () -> store().copy(new CopyRequest(source.id(), Conditions.none(),
        bucket, "dst", null, Conditions.doesNotExist())));
    assertNames(e, store(), bucket, "dst");
    assertThat(read(store(), bucket, "dst")).isEqualTo("d");
    ObjectInfo copied = store().copy(new CopyRequest(source.id(), Conditions.generationMatch(source.generation()),
        bucket, "dst", null, Conditions.generationMatch(target.generation())));
    assertThat(copied.generation()).isGreaterThan(target.generation());
    assertThat(read(store(), bucket, "dst")).isEqualTo("s");
  }

  @Test
  @Requires(Capability.OBJECT_VERSIONING)
  default void copyOfANoncurrentGenerationRestoresIt() {
    String bucket = newBucket(true);
    ObjectInfo old = put(store(), bucket, "doc", "version 1");
    put(store(), bucket, "doc", "version 2");
    ObjectInfo restored = store().copy(CopyRequest.of(ObjectId.of(bucket, "doc", old.generation()), bucket, "doc"));
    assertThat(restored.generation()).isGreaterThan(old.generation());
    assertThat(restored.isLive()).isTrue();
    assertThat(read(store(), bucket, "doc")).isEqualTo("version 1");
  }

  // ------------------------------------------------ caller-assigned generations of copy and compose

  /** Far above the generations the store assigns by itself in this bucket (as in {@link TombstoneTester}). */
  private long farGeneration(String bucket) {
    ObjectInfo reference = put(store(), bucket, "reference", "r");
    return reference.generation() + 1_000_000_000L;
  }

  private ObjectInfo copyAssigned(String bucket, String source, String target, long generation) {
    return store().copy(CopyRequest.of(ObjectId.of(bucket, source), bucket, target).withGeneration(generation));
  }

  private ObjectInfo composeAssigned(String bucket, String target, long generation, String... sourceNames) {
    return store().compose(new ComposeRequest(bucket, sources(sourceNames), target,
        ObjectMetadata.ofContentType("text/plain"), Conditions.none()).withGeneration(generation));
  }

  private void assertLive(String bucket, String name, long generation, String content) {
    assertThat(store().head(ObjectId.of(bucket, name), Conditions.none()))
        .hasValueSatisfying(h -> assertThat(h.generation()).as("live generation of %s", name).isEqualTo(generation));
    assertThat(read(store(), bucket, name)).isEqualTo(content);
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void copyWithAnAssignedGenerationGetsExactlyIt() {
    String bucket = newBucket();
    long g = farGeneration(bucket);
    put(store(), bucket, "src", "payload");
    put(store(), bucket, "dst", "old");

    ObjectInfo created = copyAssigned(bucket, "src", "fresh", g);
    assertThat(created.generation()).isEqualTo(g);
    assertLive(bucket, "fresh", g, "payload");

    ObjectInfo replaced = copyAssigned(bucket, "src", "dst", g + 1_000);
    assertThat(replaced.generation()).isEqualTo(g + 1_000);
    assertThat(replaced.size()).isEqualTo("payload".length());
    assertLive(bucket, "dst", g + 1_000, "payload");

    ObjectInfo next = put(store(), bucket, "dst", "after");
    assertThat(next.generation()).as("later store-assigned generations stay above").isGreaterThan(g + 1_000);
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void composeWithAnAssignedGenerationGetsExactlyIt() {
    String bucket = newBucket();
    long g = farGeneration(bucket);
    put(store(), bucket, "p1", "alpha-");
    put(store(), bucket, "p2", "beta");
    put(store(), bucket, "whole", "old");

    ObjectInfo created = composeAssigned(bucket, "fresh", g, "p1", "p2");
    assertThat(created.generation()).isEqualTo(g);
    assertThat(created.componentCount()).isEqualTo(2);
    assertThat(created.crc32c()).isEqualTo(crc32c("alpha-beta"));
    assertLive(bucket, "fresh", g, "alpha-beta");

    ObjectInfo replaced = composeAssigned(bucket, "whole", g + 1_000, "p2", "p1");
    assertThat(replaced.generation()).isEqualTo(g + 1_000);
    assertLive(bucket, "whole", g + 1_000, "beta" + "alpha-");

    ObjectInfo next = put(store(), bucket, "whole", "after");
    assertThat(next.generation()).as("later store-assigned generations stay above").isGreaterThan(g + 1_000);
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void copyWithAnAssignedGenerationNotAboveTheLiveOneIs412AndChangesNothing() {
    String bucket = newBucket();
    long g = farGeneration(bucket);
    put(store(), bucket, "src", "payload");
    put(store(), WriteRequest.of(bucket, "dst").withGeneration(g), bytes("live"));

    HybridStorageException same = expect(412, () -> copyAssigned(bucket, "src", "dst", g));
    assertNames(same, store(), bucket, "dst");
    assertThat(same.getMessage()).contains("copy").contains(String.valueOf(g));
    expect(412, () -> copyAssigned(bucket, "src", "dst", g - 1));
    expect(412, () -> copyAssigned(bucket, "src", "dst", g / 2));
    assertLive(bucket, "dst", g, "live");
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void composeWithAnAssignedGenerationNotAboveTheLiveOneIs412AndChangesNothing() {
    String bucket = newBucket();
    long g = farGeneration(bucket);
    put(store(), bucket, "p1", "alpha-");
    put(store(), bucket, "p2", "beta");
    put(store(), WriteRequest.of(bucket, "whole").withGeneration(g), bytes("live"));

    HybridStorageException same = expect(412, () -> composeAssigned(bucket, "whole", g, "p1", "p2"));
    assertNames(same, store(), bucket, "whole");
    assertThat(same.getMessage()).contains(String.valueOf(g));
    expect(412, () -> composeAssigned(bucket, "whole", g - 1, "p1", "p2"));
    expect(412, () -> composeAssigned(bucket, "whole", g / 2, "p1"));
    assertLive(bucket, "whole", g, "live");
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void copyAndComposeWithAnAssignedGenerationNotAboveADeletedOneAre412() {
    String bucket = newBucket();
    long g = farGeneration(bucket);
    put(store(), bucket, "src", "payload");
    put(store(), WriteRequest.of(bucket, "o").withGeneration(g), bytes("deleted later"));
    assertThat(store().delete(ObjectId.of(bucket, "o"), Conditions.none())).isTrue();

    HybridStorageException copy = expect(412, () -> copyAssigned(bucket, "src", "o", g));
    assertNames(copy, store(), bucket, "o");
    assertThat(copy.getMessage()).as("names the generation held").contains(String.valueOf(g));
    expect(412, () -> copyAssigned(bucket, "src", "o", g - 1));
    HybridStorageException compose = expect(412, () -> composeAssigned(bucket, "o", g, "src"));
    assertNames(compose, store(), bucket, "o");
    expect(412, () -> composeAssigned(bucket, "o", g - 1, "src", "src"));
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none())).as("still deleted").isEmpty();

    assertThat(copyAssigned(bucket, "src", "o", g + 1_000).generation()).isEqualTo(g + 1_000);
    assertThat(composeAssigned(bucket, "o", g + 2_000, "src", "src").generation()).isEqualTo(g + 2_000);
    assertLive(bucket, "o", g + 2_000, "payloadpayload");
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void copyAndComposeWithGenerationZeroGetAStoreGenerationAboveEveryOneHeld() {
    String bucket = newBucket();
    long g = farGeneration(bucket);
    put(store(), bucket, "src", "payload");
    put(store(), WriteRequest.of(bucket, "live").withGeneration(g), bytes("assigned"));
    put(store(), WriteRequest.of(bucket, "gone").withGeneration(g + 1_000), bytes("assigned"));
    store().delete(ObjectId.of(bucket, "gone"), Conditions.none());

    CopyRequest copy = CopyRequest.of(ObjectId.of(bucket, "src"), bucket, "live").withGeneration(0);
    assertThat(copy.generation()).isZero();
    assertThat(store().copy(copy).generation()).as("above the live one").isGreaterThan(g);
    assertThat(composeAssigned(bucket, "gone", 0, "src").generation()).as("above the deleted one")
        .isGreaterThan(g + 1_000);
    assertThat(read(store(), bucket, "live")).isEqualTo("payload");
    assertThat(read(store(), bucket, "gone")).isEqualTo("payload");
  }

  @Test
  default void copyAndComposeWithAnAssignedGenerationAreRefusedWithoutTheCapability() {
    Assumptions.assumeFalse(store().capabilities().contains(Capability.ASSIGNED_GENERATIONS),
        () -> store().site() + " takes assigned generations (see the @Requires(ASSIGNED_GENERATIONS) tests)");
    String bucket = newBucket();
    ObjectInfo live = put(store(), bucket, "dst", "live");
    put(store(), bucket, "src", "payload");
    long g = live.generation() + 1_000_000_000L;

    HybridStorageException copy = expectRefused(() -> copyAssigned(bucket, "src", "dst", g));
    assertNames(copy, store(), bucket, "dst");
    assertThat(copy.getMessage()).contains("copy").contains(String.valueOf(g));
    HybridStorageException compose = expectRefused(() -> composeAssigned(bucket, "dst", g, "src"));
    assertNames(compose, store(), bucket, "dst");
    assertThat(compose.getMessage()).contains("compose").contains(String.valueOf(g));
    assertLive(bucket, "dst", live.generation(), "live");
  }

  /** 400 or 501, not retryable: what a store without a capability answers a request needing it. */
  private static HybridStorageException expectRefused(ThrowingCallable call) {
    try {
      call.call();
    } catch (HybridStorageException e) {
      assertThat(e.code()).as("code of: %s", e.getMessage()).isIn(400, 501);
      assertThat(e.isRetryable()).as("retryable: %s", e.getMessage()).isFalse();
      return e;
    } catch (Throwable t) {
      throw new AssertionError("expected a HybridStorageException 400 or 501 but got " + t, t);
    }
    throw new AssertionError("expected a HybridStorageException 400 or 501 but the call succeeded");
  }
}
