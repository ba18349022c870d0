package io.hybridstorage.testkit.tck;

import static io.hybridstorage.testkit.tck.Tck.assertNames;
import static io.hybridstorage.testkit.tck.Tck.expect;
import static io.hybridstorage.testkit.tck.Tck.names;
import static io.hybridstorage.testkit.tck.Tck.put;
import static io.hybridstorage.testkit.tck.Tck.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketPatch;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Object versioning: with it on, overwritten and deleted generations stay readable and listable
 * (with a delete time) until deleted by generation; with it off they disappear.
 */
public interface VersioningTester extends StoreTester {

  @Test
  @Requires(Capability.OBJECT_VERSIONING)
  default void overwriteInAVersionedBucketKeepsTheOldGenerationReadable() {
    String bucket = newBucket(true);
    ObjectInfo first = put(store(), bucket, "o", "one");
    ObjectInfo second = put(store(), bucket, "o", "two");
    assertThat(read(store(), ObjectId.of(bucket, "o", first.generation()))).isEqualTo("one");
    assertThat(read(store(), ObjectId.of(bucket, "o"))).isEqualTo("two");
    ObjectInfo old = store().head(ObjectId.of(bucket, "o", first.generation()), Conditions.none()).orElseThrow();
    assertThat(old.isLive()).isFalse();
    assertThat(old.deleteTime()).isNotNull();
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none()))
        .hasValueSatisfying(h -> assertThat(h.generation()).isEqualTo(second.generation()));
  }

  @Test
  @Requires(Capability.OBJECT_VERSIONING)
  default void listVersionsShowsEveryGenerationInOrderWithDeleteTimes() {
    String bucket = newBucket(true);
    ObjectInfo g1 = put(store(), bucket, "o", "1");
    ObjectInfo g2 = put(store(), bucket, "o", "2");
    ObjectInfo g3 = put(store(), bucket, "o", "3");
    put(store(), bucket, "p", "p");
    List<ObjectInfo> versions = store().list(ListRequest.of(bucket).withVersions(true)).items();
    assertThat(versions).extracting(ObjectInfo::name).containsExactly("o", "o", "o", "p");
    assertThat(versions).extracting(ObjectInfo::generation).startsWith(g1.generation(), g2.generation(), g3.generation());
    assertThat(versions.get(0).deleteTime()).isNotNull();
    assertThat(versions.get(1).deleteTime()).isNotNull();
    assertThat(versions.get(2).deleteTime()).isNull();
    assertThat(names(store(), ListRequest.of(bucket))).as("without versions").containsExactly("o", "p");
  }

  @Test
  @Requires(Capability.OBJECT_VERSIONING)
  default void deleteInAVersionedBucketKeepsANoncurrentVersion() {
    String bucket = newBucket(true);
    ObjectInfo info = put(store(), bucket, "o", "kept");
    assertThat(store().delete(ObjectId.of(bucket, "o"), Conditions.none())).isTrue();
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none())).as("no live version").isEmpty();
    expect(404, () -> store().read(ReadRequest.of(ObjectId.of(bucket, "o"))));
    assertThat(read(store(), ObjectId.of(bucket, "o", info.generation()))).isEqualTo("kept");
    assertThat(names(store(), ListRequest.of(bucket))).isEmpty();
    List<ObjectInfo> versions = store().list(ListRequest.of(bucket).withVersions(true)).items();
    assertThat(versions).singleElement().satisfies(v -> {
      assertThat(v.generation()).isEqualTo(info.generation());
      assertThat(v.deleteTime()).isNotNull();
    });
  }

  @Test
  @Requires(Capability.OBJECT_VERSIONING)
  default void deleteByGenerationRemovesThatVersionForGood() {
    String bucket = newBucket(true);
    ObjectInfo first = put(store(), bucket, "o", "1");
    ObjectInfo second = put(store(), bucket, "o", "2");
    assertThat(store().delete(ObjectId.of(bucket, "o", first.generation()), Conditions.none())).isTrue();
    assertThat(store().head(ObjectId.of(bucket, "o", first.generation()), Conditions.none())).isEmpty();
    assertThat(store().list(ListRequest.of(bucket).withVersions(true)).items())
        .extracting(ObjectInfo::generation).containsExactly(second.generation());
    assertThat(store().delete(ObjectId.of(bucket, "o", second.generation()), Conditions.none()))
        .as("deleting the live version by generation").isTrue();
    assertThat(store().list(ListRequest.of(bucket).withVersions(true)).items()).isEmpty();
    assertThat(store().deleteBucket(bucket)).as("nothing left, not even noncurrent").isTrue();
  }

  @Test
  @Requires(Capability.OBJECT_VERSIONING)
  default void doesNotExistSucceedsOnceTheLiveVersionIsDeleted() {
    String bucket = newBucket(true);
    put(store(), bucket, "o", "1");
    store().delete(ObjectId.of(bucket, "o"), Conditions.none());
    ObjectInfo recreated = put(store(), WriteRequest.of(bucket, "o").withConditions(Conditions.doesNotExist()),
        Tck.bytes("again"));
    assertThat(recreated.metageneration()).isEqualTo(1);
    assertThat(read(store(), bucket, "o")).isEqualTo("again");
  }

  @Test
  @Requires(Capability.OBJECT_VERSIONING)
  default void bucketWithOnlyNoncurrentVersionsIsNotEmpty() {
    String bucket = newBucket(true);
    put(store(), bucket, "o", "1");
    store().delete(ObjectId.of(bucket, "o"), Conditions.none());
    HybridStorageException e = expect(409, () -> store().deleteBucket(bucket));
    assertNames(e, store(), bucket, null);
    assertThat(store().getBucket(bucket)).isPresent();
  }

  @Test
  @Requires(Capability.OBJECT_VERSIONING)
  default void disablingVersioningKeepsExistingNoncurrentVersions() {
    String bucket = newBucket(true);
    ObjectInfo first = put(store(), bucket, "o", "1");
    ObjectInfo second = put(store(), bucket, "o", "2");
    store().updateBucket(bucket, BucketPatch.versioning(false));
    put(store(), bucket, "o", "3");
    assertThat(store().list(ListRequest.of(bucket).withVersions(true)).items())
        .extracting(ObjectInfo::generation)
        .as("gen 1 stays noncurrent, gen 2 is dropped by the unversioned overwrite")
        .hasSize(2).contains(first.generation()).doesNotContain(second.generation());
  }

  @Test
  default void overwriteWithoutVersioningDiscardsTheOldGeneration() {
    String bucket = newBucket(false);
    ObjectInfo first = put(store(), bucket, "o", "1");
    ObjectInfo second = put(store(), bucket, "o", "2");
    assertThat(store().head(ObjectId.of(bucket, "o", first.generation()), Conditions.none())).isEmpty();
    if (store().capabilities().contains(Capability.OBJECT_VERSIONING)) {
      assertThat(store().list(ListRequest.of(bucket).withVersions(true)).items())
          .extracting(ObjectInfo::generation).containsExactly(second.generation());
    }
    assertThat(names(store(), ListRequest.of(bucket))).containsExactly("o");
  }

  @Test
  default void deleteWithoutVersioningLeavesNoVersionAndAnEmptyBucket() {
    String bucket = newBucket(false);
    put(store(), bucket, "o", "1");
    store().delete(ObjectId.of(bucket, "o"), Conditions.none());
    if (store().capabilities().contains(Capability.OBJECT_VERSIONING)) {
      assertThat(store().list(ListRequest.of(bucket).withVersions(true)).items()).isEmpty();
    }
    assertThat(store().deleteBucket(bucket)).isTrue();
  }
}
