package io.hybridstorage.testkit.tck;

import static io.hybridstorage.testkit.tck.Tck.assertNames;
import static io.hybridstorage.testkit.tck.Tck.bytes;
import static io.hybridstorage.testkit.tck.Tck.expect;
import static io.hybridstorage.testkit.tck.Tck.names;
import static io.hybridstorage.testkit.tck.Tck.put;
import static io.hybridstorage.testkit.tck.Tck.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.Capability;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.WriteRequest;
import org.junit.jupiter.api.Test;

/**
 * Tombstones: under {@link Capability#ASSIGNED_GENERATIONS} a store refuses (412) an assigned
 * generation that is not greater than every generation the name has held on it — live,
 * noncurrent or deleted — so a replica that received a delete never takes an older write
 * afterwards; its own generations stay above deleted ones too; and {@code generation = g} with
 * {@code ifGenerationMatch = g} replaces the live version {@code g} (repair of a corrupted copy).
 *
 * <p>{@link io.hybridstorage.api.ObjectStore#deleteUpTo} (a delete replicated to a site that may
 * not hold the object yet) removes a live version {@code <= g} and always raises the tombstone to
 * {@code g}, so a write of {@code g} or older arriving there later is refused; without {@code
 * ASSIGNED_GENERATIONS} it is 501.
 *
 * <p>The assigned generations lie far above the store's own (a reference write's generation plus
 * 1,000 s in microseconds), so a store whose generations follow a clock cannot reach them by
 * itself, and a refusal can only come from the tombstone.
 */
public interface TombstoneTester extends StoreTester {

  /** Far above the generations the store assigns by itself in this bucket. */
  private long farGeneration(String bucket) {
    ObjectInfo reference = put(store(), bucket, "reference", "r");
    return reference.generation() + 1_000_000_000L;
  }

  private ObjectInfo putAssigned(String bucket, String name, long generation, String content) {
    return put(store(), WriteRequest.of(bucket, name).withGeneration(generation), bytes(content));
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void assignedGenerationNotAboveADeletedOneIs412() {
    String bucket = newBucket();
    long g = farGeneration(bucket);
    assertThat(putAssigned(bucket, "o", g, "first").generation()).isEqualTo(g);
    assertThat(store().delete(ObjectId.of(bucket, "o"), Conditions.none())).isTrue();

    HybridStorageException same = expect(412, () -> putAssigned(bucket, "o", g, "same again"));
    assertNames(same, store(), bucket, "o");
    assertThat(same.getMessage()).as("names the generation held").contains(String.valueOf(g));
    expect(412, () -> putAssigned(bucket, "o", g - 1, "just older"));
    expect(412, () -> putAssigned(bucket, "o", g / 2, "much older"));
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none())).as("still deleted").isEmpty();

    ObjectInfo newer = putAssigned(bucket, "o", g + 1_000_000, "newer");
    assertThat(newer.generation()).isEqualTo(g + 1_000_000);
    assertThat(read(store(), bucket, "o")).isEqualTo("newer");
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void deleteByGenerationLeavesATombstoneToo() {
    String bucket = newBucket();
    long g = farGeneration(bucket);
    putAssigned(bucket, "o", g, "first");
    assertThat(store().delete(ObjectId.of(bucket, "o", g), Conditions.none())).isTrue();
    expect(412, () -> putAssigned(bucket, "o", g, "same again"));
    assertThat(putAssigned(bucket, "o", g + 1, "next").generation()).isEqualTo(g + 1);
  }

  @Test
  @Requires({Capability.ASSIGNED_GENERATIONS, Capability.OBJECT_VERSIONING})
  default void removedNoncurrentVersionsLeaveATombstone() {
    String bucket = newBucket(true);
    long g = farGeneration(bucket);
    putAssigned(bucket, "o", g, "v1");
    putAssigned(bucket, "o", g + 1_000, "v2");
    assertThat(store().delete(ObjectId.of(bucket, "o", g), Conditions.none())).as("noncurrent v1").isTrue();
    assertThat(store().delete(ObjectId.of(bucket, "o", g + 1_000), Conditions.none())).as("live v2").isTrue();
    assertThat(store().list(ListRequest.of(bucket).withPrefix("o").withVersions(true)).items())
        .as("no version of o is left").isEmpty();

    expect(412, () -> putAssigned(bucket, "o", g, "v1 again"));
    expect(412, () -> putAssigned(bucket, "o", g + 500, "between"));
    expect(412, () -> putAssigned(bucket, "o", g + 1_000, "v2 again"));
    assertThat(putAssigned(bucket, "o", g + 2_000, "v3").generation()).isEqualTo(g + 2_000);
    assertThat(read(store(), bucket, "o")).isEqualTo("v3");
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void storeAssignedGenerationsStayAboveADeletedOne() {
    String bucket = newBucket();
    long g = farGeneration(bucket);
    putAssigned(bucket, "o", g, "assigned");
    store().delete(ObjectId.of(bucket, "o"), Conditions.none());
    ObjectInfo recreated = put(store(), bucket, "o", "store-assigned");
    assertThat(recreated.generation()).as("above the deleted generation").isGreaterThan(g);

    putAssigned(bucket, "p", g, "assigned");
    store().delete(ObjectId.of(bucket, "p"), Conditions.none());
    ObjectInfo created = put(store(), WriteRequest.of(bucket, "p").withConditions(Conditions.doesNotExist()),
        bytes("created again"));
    assertThat(created.generation()).as("doesNotExist after a delete").isGreaterThan(g);
    assertThat(read(store(), bucket, "p")).isEqualTo("created again");
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void assignedWriteMatchingItsOwnGenerationReplacesTheLiveVersion() {
    String bucket = newBucket();
    long g = farGeneration(bucket);
    putAssigned(bucket, "o", g, "corrupted");
    WriteRequest repair = WriteRequest.of(bucket, "o").withGeneration(g)
        .withConditions(Conditions.generationMatch(g));
    ObjectInfo repaired = put(store(), repair, bytes("repaired"));

    assertThat(repaired.generation()).isEqualTo(g);
    assertThat(read(store(), bucket, "o")).isEqualTo("repaired");
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none())).hasValueSatisfying(h -> {
      assertThat(h.generation()).isEqualTo(g);
      assertThat(h.size()).isEqualTo("repaired".length());
      if (h.crc32c() != null) {
        assertThat(h.crc32c()).isEqualTo(Tck.crc32c(bytes("repaired")));
      }
    });
    assertThat(names(store(), ListRequest.of(bucket).withPrefix("o"))).containsExactly("o");
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void replacingAGenerationThatIsNotLiveIs412() {
    String bucket = newBucket();
    long g = farGeneration(bucket);
    putAssigned(bucket, "o", g, "live");
    expect(412, () -> put(store(), WriteRequest.of(bucket, "o").withGeneration(g - 1)
        .withConditions(Conditions.generationMatch(g - 1)), bytes("older")));
    expect(412, () -> put(store(), WriteRequest.of(bucket, "o").withGeneration(g + 1)
        .withConditions(Conditions.generationMatch(g + 1)), bytes("newer, not live")));
    assertThat(read(store(), bucket, "o")).isEqualTo("live");

    store().delete(ObjectId.of(bucket, "o"), Conditions.none());
    expect(412, () -> put(store(), WriteRequest.of(bucket, "o").withGeneration(g)
        .withConditions(Conditions.generationMatch(g)), bytes("deleted")));
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none())).as("a repair does not resurrect").isEmpty();
  }

  // ---------------------------------------------------------------- deleteUpTo

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void deleteUpToAnAbsentNameStillLeavesATombstone() {
    String bucket = newBucket();
    long g = farGeneration(bucket);
    assertThat(store().deleteUpTo(bucket, "o", g)).as("nothing was live").isFalse();
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none())).isEmpty();

    // the write the delete overtook arrives afterwards: refused
    HybridStorageException same = expect(412, () -> putAssigned(bucket, "o", g, "the deleted write, late"));
    assertNames(same, store(), bucket, "o");
    expect(412, () -> putAssigned(bucket, "o", g - 1, "older"));
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none())).as("still absent").isEmpty();
    assertThat(names(store(), ListRequest.of(bucket).withPrefix("o"))).isEmpty();

    assertThat(putAssigned(bucket, "o", g + 1, "newer").generation()).isEqualTo(g + 1);
    assertThat(read(store(), bucket, "o")).isEqualTo("newer");
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void deleteUpToRemovesALiveVersionNotNewerAndRaisesTheTombstoneToG() {
    String bucket = newBucket();
    long g = farGeneration(bucket);
    putAssigned(bucket, "o", g - 1_000, "older than the delete");
    assertThat(store().deleteUpTo(bucket, "o", g)).as("removed").isTrue();
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none())).isEmpty();
    expect(412, () -> putAssigned(bucket, "o", g - 500, "between the live one and g"));
    expect(412, () -> putAssigned(bucket, "o", g, "g"));
    assertThat(putAssigned(bucket, "o", g + 1, "newer").generation()).isEqualTo(g + 1);

    putAssigned(bucket, "p", g, "exactly g");
    assertThat(store().deleteUpTo(bucket, "p", g)).as("generation g itself is removed").isTrue();
    assertThat(store().head(ObjectId.of(bucket, "p"), Conditions.none())).isEmpty();
    expect(412, () -> putAssigned(bucket, "p", g, "g again"));
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void deleteUpToKeepsANewerLiveVersion() {
    String bucket = newBucket();
    long g = farGeneration(bucket);
    ObjectInfo newer = putAssigned(bucket, "o", g + 1_000, "written after the delete");
    assertThat(store().deleteUpTo(bucket, "o", g)).as("nothing at or below g was live").isFalse();
    assertThat(read(store(), bucket, "o")).isEqualTo("written after the delete");
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none()))
        .hasValueSatisfying(h -> assertThat(h.generation()).isEqualTo(newer.generation()));
    expect(412, () -> putAssigned(bucket, "o", g, "the deleted write, late"));
    expect(412, () -> putAssigned(bucket, "o", g - 1, "older"));
    assertThat(read(store(), bucket, "o")).isEqualTo("written after the delete");
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void deleteUpToNeverLowersTheTombstoneAndRepeatsHarmlessly() {
    String bucket = newBucket();
    long g = farGeneration(bucket);
    putAssigned(bucket, "o", g, "live");
    assertThat(store().deleteUpTo(bucket, "o", g)).isTrue();
    assertThat(store().deleteUpTo(bucket, "o", g)).as("a retry: nothing left to remove").isFalse();
    assertThat(store().deleteUpTo(bucket, "o", g - 1_000)).as("an older delete arriving late").isFalse();
    expect(412, () -> putAssigned(bucket, "o", g, "g again"));
    expect(412, () -> putAssigned(bucket, "o", g - 500, "above the older delete, below g"));
    assertThat(putAssigned(bucket, "o", g + 1, "newer").generation()).isEqualTo(g + 1);
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void storeAssignedGenerationsStayAboveADeleteUpTo() {
    String bucket = newBucket();
    long g = farGeneration(bucket);
    assertThat(store().deleteUpTo(bucket, "o", g)).isFalse();
    ObjectInfo created = put(store(), bucket, "o", "store-assigned");
    assertThat(created.generation()).as("above the tombstone of an absent name").isGreaterThan(g);

    assertThat(store().deleteUpTo(bucket, "p", g)).isFalse();
    ObjectInfo conditional = put(store(), WriteRequest.of(bucket, "p").withConditions(Conditions.doesNotExist()),
        bytes("created"));
    assertThat(conditional.generation()).as("doesNotExist after a deleteUpTo").isGreaterThan(g);
    assertThat(read(store(), bucket, "p")).isEqualTo("created");
  }

  @Test
  @Requires(Capability.ASSIGNED_GENERATIONS)
  default void deleteUpToInAMissingBucketIs404() {
    String missing = uniqueBucketName();
    HybridStorageException e = expect(404, () -> store().deleteUpTo(missing, "o", 1_000));
    assertThat(e.getMessage()).contains(missing);
  }

  @Test
  @Requires({Capability.ASSIGNED_GENERATIONS, Capability.OBJECT_VERSIONING})
  default void deleteUpToKeepsTheRemovedVersionAsNoncurrentWithVersioning() {
    String bucket = newBucket(true);
    long g = farGeneration(bucket);
    putAssigned(bucket, "o", g - 1_000, "old");
    assertThat(store().deleteUpTo(bucket, "o", g)).isTrue();
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none())).as("no live version").isEmpty();
    assertThat(read(store(), ObjectId.of(bucket, "o", g - 1_000))).as("noncurrent, readable").isEqualTo("old");
    assertThat(store().list(ListRequest.of(bucket).withPrefix("o").withVersions(true)).items())
        .extracting(ObjectInfo::generation).containsExactly(g - 1_000);
    expect(412, () -> putAssigned(bucket, "o", g, "g"));
  }

  @Test
  default void deleteUpToWorksOrIs501NamingTheOperationAndSite() {
    String bucket = newBucket();
    long g = farGeneration(bucket);
    if (store().capabilities().contains(Capability.ASSIGNED_GENERATIONS)) {
      assertThat(store().deleteUpTo(bucket, "o", g)).isFalse();
    } else {
      HybridStorageException e = expect(501, () -> store().deleteUpTo(bucket, "o", g));
      assertThat(e.getMessage()).contains("deleteUpTo").contains(store().site());
      assertThat(e.isRetryable()).isFalse();
    }
  }
}
