package io.hybridstorage.testkit.tck;

import static io.hybridstorage.testkit.tck.Tck.assertNames;
import static io.hybridstorage.testkit.tck.Tck.expect;
import static io.hybridstorage.testkit.tck.Tck.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketInfo;
import io.hybridstorage.api.BucketListRequest;
import io.hybridstorage.api.BucketPatch;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Buckets: create, get, list, update, delete; 404 for a missing bucket, 409 for conflicts. */
public interface BucketTester extends StoreTester {

  @Test
  default void createBucketReportsItsSettings() {
    String name = uniqueBucketName();
    BucketInfo created = store().createBucket(BucketSpec.of(name).withVersioning(true));
    assertThat(created.name()).isEqualTo(name);
    assertThat(created.versioningEnabled()).isTrue();
    assertThat(created.metageneration()).isEqualTo(1);
    assertThat(created.createTime()).isNotNull();
    assertThat(store().getBucket(name)).hasValueSatisfying(b -> {
      assertThat(b.name()).isEqualTo(name);
      assertThat(b.versioningEnabled()).isTrue();
    });
  }

  @Test
  default void createExistingBucketIs409() {
    String name = newBucket();
    HybridStorageException e = expect(409, () -> store().createBucket(BucketSpec.of(name)));
    assertNames(e, store(), name, null);
    assertThat(e.operation()).isEqualTo("createBucket");
  }

  @Test
  default void getMissingBucketIsEmpty() {
    assertThat(store().getBucket(uniqueBucketName())).isEmpty();
  }

  @Test
  default void listBucketsByPrefixInPages() {
    String base = uniqueBucketName();
    List<String> names = List.of(base + "-a", base + "-b", base + "-c");
    for (String name : names) {
      uniqueBucketNameFor(name);
      store().createBucket(BucketSpec.of(name));
    }
    ListPage<BucketInfo> first = store().listBuckets(new BucketListRequest(base + "-", 2, null));
    assertThat(first.items()).extracting(BucketInfo::name).containsExactly(names.get(0), names.get(1));
    assertThat(first.nextPageToken()).isNotNull();
    ListPage<BucketInfo> second = store().listBuckets(new BucketListRequest(base + "-", 2, first.nextPageToken()));
    assertThat(second.items()).extracting(BucketInfo::name).containsExactly(names.get(2));
    assertThat(second.nextPageToken()).isNull();
  }

  /** Registers a derived bucket name for cleanup (names built from {@link #uniqueBucketName()}). */
  private void uniqueBucketNameFor(String name) {
    TckExtension.track(this, name);
  }

  @Test
  default void updateBucketChangesVersioningAndLabelsAndBumpsMetageneration() {
    String name = newBucket();
    Map<String, String> labels = new HashMap<>();
    labels.put("team", "storage");
    labels.put("tier", "hot");
    BucketInfo first = store().updateBucket(name, new BucketPatch(true, labels));
    assertThat(first.versioningEnabled()).isTrue();
    assertThat(first.labels()).containsEntry("team", "storage").containsEntry("tier", "hot");
    assertThat(first.metageneration()).isEqualTo(2);
    Map<String, String> removeTier = new HashMap<>();
    removeTier.put("tier", null);
    BucketInfo second = store().updateBucket(name, new BucketPatch(null, removeTier));
    assertThat(second.versioningEnabled()).as("unchanged when the patch leaves it null").isTrue();
    assertThat(second.labels()).containsOnlyKeys("team");
    assertThat(second.metageneration()).isEqualTo(3);
    assertThat(store().getBucket(name)).hasValueSatisfying(b -> assertThat(b.metageneration()).isEqualTo(3));
  }

  @Test
  default void updateMissingBucketIs404() {
    String name = uniqueBucketName();
    HybridStorageException e = expect(404, () -> store().updateBucket(name, BucketPatch.versioning(true)));
    assertNames(e, store(), name, null);
  }

  @Test
  default void deleteEmptyBucketRemovesIt() {
    String name = newBucket();
    assertThat(store().deleteBucket(name)).isTrue();
    assertThat(store().getBucket(name)).isEmpty();
    assertThat(store().deleteBucket(name)).as("deleting again").isFalse();
  }

  @Test
  default void deleteNonEmptyBucketIs409AndKeepsEverything() {
    String bucket = newBucket();
    put(store(), bucket, "keep", "data");
    HybridStorageException e = expect(409, () -> store().deleteBucket(bucket));
    assertNames(e, store(), bucket, null);
    assertThat(e.getMessage()).contains("not empty");
    assertThat(store().getBucket(bucket)).isPresent();
    assertThat(Tck.read(store(), bucket, "keep")).isEqualTo("data");
  }

  @Test
  default void writeToMissingBucketIs404() {
    String bucket = uniqueBucketName();
    HybridStorageException e = expect(404, () -> put(store(), bucket, "o", "x"));
    assertNames(e, store(), bucket, null);
    assertThat(e.getMessage()).contains("does not exist");
  }

  @Test
  default void readHeadAndDeleteInMissingBucketAre404() {
    String bucket = uniqueBucketName();
    ObjectId id = ObjectId.of(bucket, "o");
    assertNames(expect(404, () -> store().head(id, Conditions.none())), store(), bucket, null);
    assertNames(expect(404, () -> store().read(ReadRequest.of(id))), store(), bucket, null);
    assertNames(expect(404, () -> store().delete(id, Conditions.none())), store(), bucket, null);
    assertNames(expect(404, () -> store().updateMetadata(id, MetadataPatch.ofContentType("a/b"), Conditions.none())),
        store(), bucket, null);
  }

  @Test
  default void listMissingBucketIs404() {
    String bucket = uniqueBucketName();
    HybridStorageException e = expect(404, () -> store().list(ListRequest.of(bucket)));
    assertNames(e, store(), bucket, null);
    assertThat(e.operation()).isEqualTo("list");
  }

  @Test
  default void openWriteToMissingBucketFailsBeforeOrAtCommit() {
    String bucket = uniqueBucketName();
    HybridStorageException e = expect(404, () -> {
      try (var writer = store().openWrite(WriteRequest.of(bucket, "o"))) {
        writer.commit();
      }
    });
    assertNames(e, store(), bucket, null);
  }
}
