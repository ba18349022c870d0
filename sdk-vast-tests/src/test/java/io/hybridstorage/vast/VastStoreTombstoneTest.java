package io.hybridstorage.vast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.testkit.time.VirtualClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * VastStore's tombstones on S3Mock: marker objects in a separate bucket, shared by every process
 * writing to the site, invisible in the user's bucket, kept for the retention and then ignored.
 */
class VastStoreTombstoneTest {

  private static S3Client raw;

  @BeforeAll
  static void start() {
    raw = VastTestSupport.rawClient(S3MockServer.endpoint());
  }

  @AfterAll
  static void stop() {
    raw.close();
  }

  private static String uniqueTombstoneBucket() {
    return ("hs-tomb-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
  }

  private static VastStore store(String tombstoneBucket, VirtualClock clock, Duration retention) {
    return VastStore.create(VastTestSupport.config(S3MockServer.endpoint()).tombstoneBucket(tombstoneBucket)
        .tombstoneRetention(retention).build(), clock);
  }

  private static ObjectInfo put(VastStore store, String bucket, String name, long generation, String body) {
    return store.write(WriteRequest.of(bucket, name).withGeneration(generation),
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }

  private static long far(VirtualClock clock) {
    return (clock.instant().getEpochSecond() + 1_000) * 1_000_000;
  }

  @Test
  void theMarkerLivesInTheTombstoneBucketNotInTheUsersBucket() {
    VirtualClock clock = VirtualClock.create(Instant.now());
    String tombs = uniqueTombstoneBucket();
    try (VastStore store = store(tombs, clock, Duration.ofDays(7))) {
      String bucket = VastTestSupport.newBucket(store, "tomb-hidden");
      long g = far(clock);
      put(store, bucket, "dir/o", g, "x");
      assertThat(store.delete(ObjectId.of(bucket, "dir/o"), Conditions.none())).isTrue();

      assertThat(raw.listObjectsV2(b -> b.bucket(bucket)).contents()).as("a plain S3 listing of the user's bucket")
          .isEmpty();
      List<String> markers = raw.listObjectsV2(b -> b.bucket(tombs)).contents().stream().map(S3Object::key).toList();
      assertThat(markers).containsExactly("k/" + bucket + "/dir/o");
      HeadObjectResponse marker = raw.headObject(b -> b.bucket(tombs).key("k/" + bucket + "/dir/o"));
      assertThat(marker.contentLength()).isZero();
      assertThat(marker.metadata()).containsEntry(Tombstones.GENERATION, Long.toString(g))
          .containsEntry(Tombstones.DELETED_AT, clock.instant().toString());
    }
  }

  @Test
  void anotherProcessSeesTheTombstone() {
    VirtualClock clock = VirtualClock.create(Instant.now());
    String tombs = uniqueTombstoneBucket();
    try (VastStore first = store(tombs, clock, Duration.ofDays(7));
         VastStore second = store(tombs, clock, Duration.ofDays(7))) {
      String bucket = VastTestSupport.newBucket(first, "tomb-shared");
      long g = far(clock);
      put(first, bucket, "o", g, "deleted by the first");
      first.delete(ObjectId.of(bucket, "o"), Conditions.none());

      HybridStorageException refused = catchThrowableOfType(() -> put(second, bucket, "o", g - 5, "older"),
          HybridStorageException.class);
      assertThat(refused.code()).isEqualTo(412);
      assertThat(refused.heldGeneration()).isEqualTo(g);
      assertThat(second.write(WriteRequest.of(bucket, "o"), new ByteArrayInputStream(new byte[] {1})).generation())
          .as("the second store's own generation").isGreaterThan(g);
    }
  }

  @Test
  void aMarkerIsOnlyRaisedNeverLowered() {
    VirtualClock clock = VirtualClock.create(Instant.now());
    String tombs = uniqueTombstoneBucket();
    try (VastStore store = store(tombs, clock, Duration.ofDays(7))) {
      Tombstones t = store.tombstones;
      t.record("delete", "b", "o", 500);
      t.record("delete", "b", "o", 300);
      assertThat(t.deleted("write", "b", "o")).isEqualTo(500);
      t.record("delete", "b", "o", 700);
      assertThat(t.deleted("write", "b", "o")).isEqualTo(700);
      assertThat(t.deleted("write", "b", "other")).isZero();
    }
  }

  @Test
  void aTombstonePastTheRetentionIsIgnoredAndRemoved() {
    VirtualClock clock = VirtualClock.create(Instant.now());
    String tombs = uniqueTombstoneBucket();
    try (VastStore store = store(tombs, clock, Duration.ofHours(1))) {
      String bucket = VastTestSupport.newBucket(store, "tomb-expiry");
      long g = far(clock);
      put(store, bucket, "o", g, "v1");
      store.delete(ObjectId.of(bucket, "o"), Conditions.none());
      clock.advance(Duration.ofMinutes(59));
      assertThat(catchThrowableOfType(() -> put(store, bucket, "o", g, "again"), HybridStorageException.class)
          .code()).as("within the retention").isEqualTo(412);

      clock.advance(Duration.ofMinutes(2));
      assertThat(put(store, bucket, "o", g, "after the retention").generation()).isEqualTo(g);
      assertThat(raw.listObjectsV2(b -> b.bucket(tombs)).contents()).as("the expired marker was removed").isEmpty();
    }
  }

  @Test
  void aLongNameGetsAHashedMarkerKey() {
    VirtualClock clock = VirtualClock.create(Instant.now());
    String tombs = uniqueTombstoneBucket();
    try (VastStore store = store(tombs, clock, Duration.ofDays(7))) {
      String bucket = VastTestSupport.newBucket(store, "tomb-long");
      String name = "n".repeat(1010); // with "k/" and the bucket: above S3's 1,024 bytes
      long g = far(clock);
      put(store, bucket, name, g, "x");
      store.delete(ObjectId.of(bucket, name), Conditions.none());
      List<String> markers = raw.listObjectsV2(b -> b.bucket(tombs)).contents().stream().map(S3Object::key).toList();
      assertThat(markers).singleElement().satisfies(k -> assertThat(k).startsWith("h/" + bucket + "/").hasSize(
          2 + bucket.length() + 1 + 64));
      assertThat(catchThrowableOfType(() -> put(store, bucket, name, g, "again"), HybridStorageException.class)
          .code()).isEqualTo(412);
    }
  }

  @Test
  void whenTheTombstoneCannotBeRecordedNothingIsDeleted() {
    VirtualClock clock = VirtualClock.create(Instant.now());
    String tombs = uniqueTombstoneBucket();
    try (VastStore store = store(tombs, clock, Duration.ofDays(7))) {
      String bucket = VastTestSupport.newBucket(store, "tomb-fail");
      put(store, bucket, "o", far(clock), "kept");
      raw.deleteBucket(b -> b.bucket(tombs)); // the tombstone bucket is gone

      HybridStorageException e = catchThrowableOfType(() -> store.delete(ObjectId.of(bucket, "o"), Conditions.none()),
          HybridStorageException.class);
      assertThat(e.code()).isEqualTo(503);
      assertThat(e.getMessage()).contains("tombstone").contains("nothing was deleted");
      assertThat(store.head(ObjectId.of(bucket, "o"), Conditions.none())).isPresent();
    }
  }

  @Test
  void withoutATombstoneBucketTheTombstonesLiveInThisProcess() {
    VirtualClock clock = VirtualClock.create(Instant.now());
    try (VastStore store = VastStore.create(VastTestSupport.config(S3MockServer.endpoint()).build(), clock)) {
      String bucket = VastTestSupport.newBucket(store, "tomb-memory");
      long g = far(clock);
      put(store, bucket, "o", g, "x");
      store.delete(ObjectId.of(bucket, "o"), Conditions.none());
      assertThat(catchThrowableOfType(() -> put(store, bucket, "o", g, "again"), HybridStorageException.class)
          .code()).isEqualTo(412);
      assertThat(store.tombstones).isInstanceOf(Tombstones.InMemory.class);
    }
  }

  @Test
  void deleteUpToAnAbsentKeyRaisesTheSharedMarker() {
    VirtualClock clock = VirtualClock.create(Instant.now());
    String tombs = uniqueTombstoneBucket();
    try (VastStore first = store(tombs, clock, Duration.ofDays(7));
         VastStore second = store(tombs, clock, Duration.ofDays(7))) {
      String bucket = VastTestSupport.newBucket(first, "tomb-upto");
      long g = far(clock);
      assertThat(first.deleteUpTo(bucket, "o", g)).as("nothing was live").isFalse();

      HeadObjectResponse marker = raw.headObject(b -> b.bucket(tombs).key("k/" + bucket + "/o"));
      assertThat(marker.metadata()).containsEntry(Tombstones.GENERATION, Long.toString(g));
      assertThat(raw.listObjectsV2(b -> b.bucket(bucket)).contents()).as("the user's bucket").isEmpty();
      // the overtaken write reaches the site through another process: refused
      HybridStorageException refused = catchThrowableOfType(() -> put(second, bucket, "o", g, "late"),
          HybridStorageException.class);
      assertThat(refused.code()).isEqualTo(412);
      assertThat(refused.heldGeneration()).isEqualTo(g);
      assertThat(put(second, bucket, "o", g + 1, "newer").generation()).isEqualTo(g + 1);
    }
  }

  @Test
  void deleteUpToRemovesAForeignObject() {
    VirtualClock clock = VirtualClock.create(Instant.now());
    String tombs = uniqueTombstoneBucket();
    try (VastStore store = store(tombs, clock, Duration.ofDays(7))) {
      String bucket = VastTestSupport.newBucket(store, "tomb-foreign");
      raw.putObject(b -> b.bucket(bucket).key("f"), software.amazon.awssdk.core.sync.RequestBody.fromString("nfs"));
      assertThat(store.head(ObjectId.of(bucket, "f"), Conditions.none()))
          .hasValueSatisfying(h -> assertThat(h.generation()).as("foreign").isZero());
      long g = far(clock);
      assertThat(store.deleteUpTo(bucket, "f", g)).as("generation 0 counts as older").isTrue();
      assertThat(store.head(ObjectId.of(bucket, "f"), Conditions.none())).isEmpty();
      assertThat(catchThrowableOfType(() -> put(store, bucket, "f", g, "late"), HybridStorageException.class)
          .code()).isEqualTo(412);
    }
  }

  @Test
  void whenTheTombstoneCannotBeRaisedDeleteUpToRemovesNothing() {
    VirtualClock clock = VirtualClock.create(Instant.now());
    String tombs = uniqueTombstoneBucket();
    try (VastStore store = store(tombs, clock, Duration.ofDays(7))) {
      String bucket = VastTestSupport.newBucket(store, "tomb-upto-fail");
      long g = far(clock);
      put(store, bucket, "o", g, "kept");
      raw.deleteBucket(b -> b.bucket(tombs)); // the tombstone bucket is gone

      HybridStorageException e = catchThrowableOfType(() -> store.deleteUpTo(bucket, "o", g + 1),
          HybridStorageException.class);
      assertThat(e.code()).isEqualTo(503);
      assertThat(e.getMessage()).contains("deleteUpTo").contains("tombstone").contains("nothing was deleted");
      assertThat(store.head(ObjectId.of(bucket, "o"), Conditions.none())).isPresent();
    }
  }
}
