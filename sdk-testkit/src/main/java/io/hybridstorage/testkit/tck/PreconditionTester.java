package io.hybridstorage.testkit.tck;

import static io.hybridstorage.testkit.tck.Tck.assertNames;
import static io.hybridstorage.testkit.tck.Tck.bytes;
import static io.hybridstorage.testkit.tck.Tck.expect;
import static io.hybridstorage.testkit.tck.Tck.put;
import static io.hybridstorage.testkit.tck.Tck.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.Capability;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import org.junit.jupiter.api.Test;

/**
 * GCS preconditions on write, delete, head, read and metadata updates: 412 with a message naming
 * the condition and the current value, and no change (304 for a read's failed not-match condition,
 * as GCS answers it); caller-assigned generations.
 */
public interface PreconditionTester extends StoreTester {

  @Test
  default void doesNotExistCreatesAnAbsentObject() {
    String bucket = newBucket();
    ObjectInfo info = put(store(), WriteRequest.of(bucket, "new").withConditions(Conditions.doesNotExist()), bytes("x"));
    assertThat(info.generation()).isPositive();
    assertThat(read(store(), bucket, "new")).isEqualTo("x");
  }

  @Test
  default void doesNotExistOnAnExistingObjectIs412AndChangesNothing() {
    String bucket = newBucket();
    ObjectInfo existing = put(store(), bucket, "o", "original");
    HybridStorageException e = expect(412, () -> put(store(),
        WriteRequest.of(bucket, "o").withConditions(Conditions.doesNotExist()), bytes("intruder")));
    assertNames(e, store(), bucket, "o");
    assertThat(e.getMessage()).contains("ifGenerationMatch=0").contains(String.valueOf(existing.generation()));
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none()))
        .hasValueSatisfying(h -> assertThat(h.generation()).isEqualTo(existing.generation()));
    assertThat(read(store(), bucket, "o")).isEqualTo("original");
  }

  @Test
  default void generationMatchOverwritesOnlyTheExpectedGeneration() {
    String bucket = newBucket();
    ObjectInfo first = put(store(), bucket, "o", "1");
    ObjectInfo second = put(store(), WriteRequest.of(bucket, "o")
        .withConditions(Conditions.generationMatch(first.generation())), bytes("2"));
    HybridStorageException e = expect(412, () -> put(store(), WriteRequest.of(bucket, "o")
        .withConditions(Conditions.generationMatch(first.generation())), bytes("stale")));
    assertThat(e.getMessage()).contains("ifGenerationMatch=" + first.generation())
        .contains("current=" + second.generation());
    assertThat(read(store(), bucket, "o")).isEqualTo("2");
  }

  @Test
  default void generationMatchOnAMissingObjectIs412() {
    String bucket = newBucket();
    HybridStorageException e = expect(412, () -> put(store(), WriteRequest.of(bucket, "o")
        .withConditions(Conditions.generationMatch(12345)), bytes("x")));
    assertNames(e, store(), bucket, "o");
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none())).isEmpty();
  }

  @Test
  default void generationNotMatchAndMetagenerationConditionsOnWrite() {
    String bucket = newBucket();
    ObjectInfo first = put(store(), bucket, "o", "1");
    expect(412, () -> put(store(), WriteRequest.of(bucket, "o")
        .withConditions(Conditions.none().withGenerationNotMatch(first.generation())), bytes("no")));
    expect(412, () -> put(store(), WriteRequest.of(bucket, "o")
        .withConditions(Conditions.none().withMetagenerationMatch(7L)), bytes("no")));
    ObjectInfo second = put(store(), WriteRequest.of(bucket, "o").withConditions(Conditions.none()
        .withGenerationMatch(first.generation()).withMetagenerationMatch(1L)), bytes("2"));
    assertThat(second.generation()).isGreaterThan(first.generation());
    assertThat(read(store(), bucket, "o")).isEqualTo("2");
  }

  @Test
  default void deleteWithAStaleGenerationIs412AndKeepsTheObject() {
    String bucket = newBucket();
    ObjectInfo first = put(store(), bucket, "o", "1");
    put(store(), bucket, "o", "2");
    HybridStorageException e = expect(412,
        () -> store().delete(ObjectId.of(bucket, "o"), Conditions.generationMatch(first.generation())));
    assertNames(e, store(), bucket, "o");
    assertThat(e.operation()).isEqualTo("delete");
    assertThat(read(store(), bucket, "o")).isEqualTo("2");
  }

  @Test
  default void deleteWithTheCurrentGenerationSucceeds() {
    String bucket = newBucket();
    ObjectInfo info = put(store(), bucket, "o", "1");
    assertThat(store().delete(ObjectId.of(bucket, "o"), Conditions.generationMatch(info.generation()))).isTrue();
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none())).isEmpty();
  }

  @Test
  default void headAndReadWithFailingConditionsAre412() {
    String bucket = newBucket();
    ObjectInfo info = put(store(), bucket, "o", "1");
    ObjectId id = ObjectId.of(bucket, "o");
    Conditions wrong = Conditions.generationMatch(info.generation() + 1);
    assertNames(expect(412, () -> store().head(id, wrong)), store(), bucket, "o");
    assertNames(expect(412, () -> store().read(new ReadRequest(id, io.hybridstorage.api.ByteRange.all(), wrong))),
        store(), bucket, "o");
    assertThat(store().head(id, Conditions.generationMatch(info.generation()))).isPresent();
    assertThat(Tck.readBytes(store(), new ReadRequest(id, io.hybridstorage.api.ByteRange.all(),
        Conditions.none().withMetagenerationMatch(1L)))).isEqualTo(bytes("1"));
  }

  /**
   * GCS answers a read (metadata or media) whose {@code ifGenerationNotMatch} or {@code
   * ifMetagenerationNotMatch} fails with 304 Not Modified, not 412: the GCS client's own
   * integration test {@code ITBlobReadChannelTest.optionsWork} expects 304 over the JSON API. A
   * failing match condition still wins with 412, as HTTP decides If-Match before If-None-Match.
   */
  @Test
  default void headAndReadWithFailingNotMatchConditionsAre304() {
    String bucket = newBucket();
    ObjectInfo info = put(store(), bucket, "o", "1");
    ObjectId id = ObjectId.of(bucket, "o");
    Conditions sameGeneration = Conditions.none().withGenerationNotMatch(info.generation());
    Conditions sameMetageneration = Conditions.none().withMetagenerationNotMatch(info.metageneration());
    HybridStorageException head = expect(304, () -> store().head(id, sameGeneration));
    assertNames(head, store(), bucket, "o");
    assertThat(head.isRetryable()).isFalse();
    assertNames(expect(304, () -> store().read(new ReadRequest(id, io.hybridstorage.api.ByteRange.all(),
        sameGeneration))), store(), bucket, "o");
    expect(304, () -> store().head(id, sameMetageneration));
    expect(304, () -> store().read(new ReadRequest(id, io.hybridstorage.api.ByteRange.of(0, 1), sameMetageneration)));
    expect(304, () -> store().head(id, sameGeneration.withGenerationMatch(info.generation())));
    expect(412, () -> store().head(id, sameGeneration.withGenerationMatch(info.generation() + 1)));
    expect(412, () -> store().read(new ReadRequest(id, io.hybridstorage.api.ByteRange.all(),
        sameMetageneration.withMetagenerationMatch(info.metageneration() + 1))));

    Conditions otherGeneration = Conditions.none().withGenerationNotMatch(info.generation() + 1);
    assertThat(store().head(id, otherGeneration)).isPresent();
    assertThat(Tck.readBytes(store(), new ReadRequest(id, io.hybridstorage.api.ByteRange.all(), otherGeneration)))
        .isEqualTo(bytes("1"));
  }

  @Test
  default void updateMetadataWithAStaleMetagenerationIs412() {
    String bucket = newBucket();
    put(store(), bucket, "o", "1");
    ObjectId id = ObjectId.of(bucket, "o");
    store().updateMetadata(id, MetadataPatch.ofContentType("text/plain"), Conditions.none().withMetagenerationMatch(1L));
    HybridStorageException e = expect(412, () -> store().updateMetadata(id, MetadataPatch.ofContentType("x/stale"),
        Conditions.none().withMetagenerationMatch(1L)));
    assertThat(e.getMessage()).contains("ifMetagenerationMatch=1").contains("current=2");
    assertThat(store().head(id, Conditions.none())).hasValueSatisfying(h -> {
      assertThat(h.metadata().contentType()).isEqualTo("text/plain");
      assertThat(h.metageneration()).isEqualTo(2);
    });
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void assignedGenerationIsUsedExactly() {
    String bucket = newBucket();
    ObjectInfo local = put(store(), bucket, "o", "local");
    long assigned = local.generation() + 1_000_000;
    ObjectInfo replicated = put(store(), WriteRequest.of(bucket, "o").withGeneration(assigned), bytes("replica"));
    assertThat(replicated.generation()).isEqualTo(assigned);
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none()))
        .hasValueSatisfying(h -> assertThat(h.generation()).isEqualTo(assigned));
    assertThat(read(store(), bucket, "o")).isEqualTo("replica");
    ObjectInfo fresh = put(store(), bucket, "new-after-replica", "x");
    ObjectInfo next = put(store(), bucket, "o", "after");
    assertThat(next.generation()).as("later store-assigned generations stay above").isGreaterThan(assigned);
    assertThat(fresh.generation()).isPositive();
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void assignedGenerationNotNewerThanTheLiveOneIs412() {
    String bucket = newBucket();
    ObjectInfo live = put(store(), bucket, "o", "live");
    HybridStorageException older = expect(412, () -> put(store(),
        WriteRequest.of(bucket, "o").withGeneration(live.generation() - 1), bytes("older")));
    assertNames(older, store(), bucket, "o");
    assertThat(older.getMessage()).contains(String.valueOf(live.generation()));
    expect(412, () -> put(store(), WriteRequest.of(bucket, "o").withGeneration(live.generation()), bytes("same")));
    assertThat(read(store(), bucket, "o")).isEqualTo("live");
  }
}
