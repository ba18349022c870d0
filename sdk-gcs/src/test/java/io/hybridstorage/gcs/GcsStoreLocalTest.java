package io.hybridstorage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Storage;
import io.hybridstorage.api.BucketListRequest;
import io.hybridstorage.api.BucketPatch;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.ByteRange;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.SignUrlRequest;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * GcsStore's own logic (ranges, bucket checks, listing, 404/416 mapping) over google-cloud-nio's
 * in-memory GCS. Only behaviour that LocalStorageHelper implements faithfully is asserted here;
 * the contract suite runs in {@code GcsStoreLocalStorageTckTest}.
 */
@ResourceLock("LocalStorageHelper") // one static store: never two users at once, in any parallel mode
class GcsStoreLocalTest {

  private Storage client;
  private GcsStore store;

  @BeforeEach
  void setUp() {
    // LocalStorageHelper's one-request upload assigns no generation (its resumable one does).
    client = LocalGcs.storage();
    store = GcsStore.builder(client).site("gcp").singleRequestLimit(0).build();
    store.createBucket(BucketSpec.of("bkt"));
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private ObjectInfo put(String name, String data) {
    return store.write(WriteRequest.of("bkt", name).withMetadata(ObjectMetadata.ofContentType("text/plain")),
        new ByteArrayInputStream(data.getBytes(StandardCharsets.UTF_8)));
  }

  private String read(ByteRange range) throws Exception {
    try (ObjectContent content = store.read(ReadRequest.of(ObjectId.of("bkt", "o")).withRange(range))) {
      return new String(content.stream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void capabilitiesAreGcsNativeOnesAndNoSigningWithoutASigner() {
    assertThat(store.capabilities()).containsExactlyInAnyOrder(Capability.OBJECT_VERSIONING,
        Capability.ATOMIC_PRECONDITIONS, Capability.NATIVE_COMPOSE, Capability.NATIVE_COPY,
        Capability.DOT_SEGMENT_NAMES);
    assertThatThrownBy(() -> store.signUrl(new SignUrlRequest("bkt", "o", "GET", Duration.ofMinutes(5), Map.of())))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> {
          assertThat(e.code()).isEqualTo(501);
          assertThat(e.getMessage()).startsWith("signUrl gs://bkt/o on gcp: ");
        });
    assertThat(store).isInstanceOf(io.hybridstorage.api.spi.NativeStorageAware.class);
    assertThat(store.nativeStorage()).as("the client the store was built on").isSameAs(client);
  }

  @Test
  void bucketsLifecycle() {
    assertThat(store.getBucket("bkt")).get().satisfies(b -> assertThat(b.metageneration()).isEqualTo(1));
    assertThat(store.getBucket("nope")).isEmpty();
    assertThatThrownBy(() -> store.createBucket(BucketSpec.of("bkt")))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(409));
    assertThatThrownBy(() -> store.createBucket(BucketSpec.of("Bad_Name")))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(400));

    var updated = store.updateBucket("bkt", new BucketPatch(true, Map.of("team", "data")));
    assertThat(updated.versioningEnabled()).isTrue();
    assertThat(updated.labels()).containsEntry("team", "data");
    assertThat(store.listBuckets(BucketListRequest.all()).items()).extracting(b -> b.name()).containsExactly("bkt");

    put("o", "x");
    assertThatThrownBy(() -> store.deleteBucket("bkt"))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> {
          assertThat(e.code()).isEqualTo(409);
          assertThat(e.operation()).isEqualTo("deleteBucket");
        });
    assertThat(store.delete(ObjectId.of("bkt", "o"), Conditions.none())).isTrue();
    assertThat(store.deleteBucket("bkt")).isTrue();
    assertThat(store.deleteBucket("bkt")).isFalse();
  }

  @Test
  void aMissingObjectIsEmptyButAMissingBucketIs404() {
    assertThat(store.head(ObjectId.of("bkt", "nope"), Conditions.none())).isEmpty();
    assertThat(store.delete(ObjectId.of("bkt", "nope"), Conditions.none())).isFalse();
    assertThatThrownBy(() -> store.head(ObjectId.of("nobucket", "o"), Conditions.none()))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> {
          assertThat(e.code()).isEqualTo(404);
          assertThat(e.getMessage()).startsWith("head gs://nobucket on gcp");
        });
    assertThatThrownBy(() -> store.delete(ObjectId.of("nobucket", "o"), Conditions.none()))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(404));
    assertThatThrownBy(() -> store.read(ReadRequest.of(ObjectId.of("bkt", "nope"))))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> {
          assertThat(e.code()).isEqualTo(404);
          assertThat(e.getMessage()).startsWith("read gs://bkt/nope on gcp");
        });
  }

  @Test
  void writeThenReadWithMetadata() throws Exception {
    ObjectInfo written = put("o", "hello world");

    assertThat(written.size()).isEqualTo(11);
    assertThat(written.metadata().contentType()).isEqualTo("text/plain");
    try (ObjectContent content = store.read(ReadRequest.of(ObjectId.of("bkt", "o")))) {
      assertThat(content.info().size()).isEqualTo(11);
      assertThat(content.stream().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("hello world");
    }
  }

  @Test
  void aSmallObjectGoesInOneRequest() throws Exception {
    GcsStore oneShot = GcsStore.builder(store.nativeStorage()).site("gcp").build();

    oneShot.write(WriteRequest.of("bkt", "small"), new ByteArrayInputStream("tiny".getBytes(StandardCharsets.UTF_8)));

    // (LocalStorageHelper's create() answers without size or generation; its get() has the size.)
    assertThat(oneShot.head(ObjectId.of("bkt", "small"), Conditions.none())).get()
        .satisfies(info -> assertThat(info.size()).isEqualTo(4));
    try (ObjectContent content = oneShot.read(ReadRequest.of(ObjectId.of("bkt", "small")))) {
      assertThat(content.stream().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("tiny");
    }
  }

  @Test
  void rangesSeekAndLimit() throws Exception {
    put("o", "hello world");

    assertThat(read(ByteRange.of(6, 5))).isEqualTo("world");
    assertThat(read(ByteRange.of(0, 5))).isEqualTo("hello");
    assertThat(read(ByteRange.of(2, 3))).isEqualTo("llo");
    assertThat(read(ByteRange.from(6))).isEqualTo("world");
    assertThat(read(ByteRange.of(6, 100))).isEqualTo("world");
    assertThat(read(ByteRange.suffix(3))).isEqualTo("rld");
    assertThat(read(ByteRange.suffix(100))).isEqualTo("hello world");
    assertThatThrownBy(() -> read(ByteRange.from(11)))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(416));
  }

  @Test
  void anEmptyObjectReadsEmpty() throws Exception {
    put("o", "");

    assertThat(read(ByteRange.all())).isEmpty();
    assertThat(read(ByteRange.suffix(4))).isEmpty();
  }

  @Test
  void aFailedChecksumPublishesNothing() {
    // The one-request path: nothing reaches GCS. (The streaming path is covered by
    // GcsObjectWriterTest: LocalStorageHelper shows a resumable upload's metadata as soon as it
    // starts, which GCS does not.)
    GcsStore store = GcsStore.builder(this.store.nativeStorage()).site("gcp").build();
    WriteRequest request = WriteRequest.of("bkt", "o").withMd5(
        io.hybridstorage.api.Checksums.md5("other".getBytes(StandardCharsets.UTF_8)));

    assertThatThrownBy(() -> store.write(request, new ByteArrayInputStream("data".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(400));
    assertThat(store.head(ObjectId.of("bkt", "o"), Conditions.none())).isEmpty();
  }

  @Test
  void delimiterListingSplitsPrefixesFromItems() {
    put("a/1", "1");
    put("a/b/2", "2");
    put("c", "3");

    ListPage<ObjectInfo> page = store.list(ListRequest.of("bkt").withDelimiter("/"));

    assertThat(page.items()).extracting(ObjectInfo::name).containsExactly("c");
    assertThat(page.prefixes()).containsExactly("a/");
    assertThat(page.nextPageToken()).isNull();
    assertThat(store.list(ListRequest.of("bkt").withPrefix("a/")).items())
        .extracting(ObjectInfo::name).containsExactlyInAnyOrder("a/1", "a/b/2");
  }

  @Test
  void listingAMissingBucketIs404() {
    assertThatThrownBy(() -> store.list(ListRequest.of("nobucket")))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> {
          assertThat(e.code()).isEqualTo(404);
          assertThat(e.getMessage()).startsWith("list gs://nobucket on gcp");
        });
  }
}
