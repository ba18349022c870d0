package io.hybridstorage.vast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.ByteRange;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.SignUrlRequest;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** VastStore against a real, independent S3 server (Adobe S3Mock), operation by operation. */
class VastStoreS3MockTest {

  private static VastStore store;
  private static S3Client raw;

  @BeforeAll
  static void start() {
    store = VastTestSupport.s3MockStore();
    raw = VastTestSupport.rawClient(S3MockServer.endpoint());
  }

  @AfterAll
  static void stop() {
    store.close();
    raw.close();
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static ObjectInfo put(String bucket, String name, byte[] data) {
    return store.write(WriteRequest.of(bucket, name), new ByteArrayInputStream(data));
  }

  private static byte[] readAll(ObjectId id, ByteRange range) throws IOException {
    try (ObjectContent c = store.read(ReadRequest.of(id).withRange(range))) {
      return c.stream().readAllBytes();
    }
  }

  @Test
  void writeThenHeadAndReadRoundTripGenerationsAndChecksums() throws IOException {
    String bucket = VastTestSupport.newBucket(store, "rt");
    byte[] data = "hello, vast".getBytes(StandardCharsets.UTF_8);
    ObjectMetadata metadata = new ObjectMetadata("text/plain", null, null, null, "no-cache",
        Map.of("Owner", "Team-É", "k&=y", "a=b&c"));
    ObjectInfo written = store.write(WriteRequest.of(bucket, "a/b.txt").withMetadata(metadata),
        new ByteArrayInputStream(data));

    assertThat(written.generation()).isPositive();
    assertThat(written.metageneration()).isEqualTo(1);
    assertThat(written.crc32c()).isEqualTo(Checksums.crc32c(data));
    assertThat(written.md5()).isEqualTo(Checksums.md5(data));
    ObjectInfo head = store.head(ObjectId.of(bucket, "a/b.txt"), Conditions.none()).orElseThrow();
    assertThat(head).isEqualTo(written);
    assertThat(head.metadata().custom()).containsExactlyInAnyOrderEntriesOf(
        Map.of("Owner", "Team-É", "k&=y", "a=b&c"));
    assertThat(readAll(ObjectId.of(bucket, "a/b.txt"), ByteRange.all())).isEqualTo(data);

    ObjectInfo second = put(bucket, "a/b.txt", bytes(10, 2));
    assertThat(second.generation()).isGreaterThan(written.generation());
    assertThat(second.metadata().contentType()).isNull();
    assertThat(store.head(ObjectId.of(bucket, "a/b.txt"), Conditions.none()).orElseThrow().metadata().contentType())
        .isNull();
    assertThat(store.head(ObjectId.of(bucket, "a/b.txt", written.generation()), Conditions.none())).isEmpty();
  }

  @Test
  void concurrentWritersGetDistinctGenerations() throws Exception {
    String bucket = VastTestSupport.newBucket(store, "race");
    int writers = 4;
    int writes = 6;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
    List<java.util.concurrent.Future<List<Long>>> futures = new ArrayList<>();
    for (int t = 0; t < writers; t++) {
      int id = t;
      futures.add(pool.submit(() -> {
        List<Long> mine = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
          mine.add(put(bucket, "hot", ("w" + id + "-" + i).getBytes(StandardCharsets.UTF_8)).generation());
        }
        return mine;
      }));
    }
    java.util.Set<Long> all = new java.util.HashSet<>();
    for (var f : futures) {
      List<Long> mine = f.get();
      assertThat(mine).isSorted();
      all.addAll(mine);
    }
    pool.shutdown();
    assertThat(all).hasSize(writers * writes);
    assertThat(store.head(ObjectId.of(bucket, "hot"), Conditions.none()).orElseThrow().generation())
        .isEqualTo(all.stream().mapToLong(Long::longValue).max().orElseThrow());
  }

  @Test
  void concurrentConditionalUpdatesLoseNoIncrement() throws Exception {
    String bucket = VastTestSupport.newBucket(store, "incr");
    ObjectInfo start = store.write(WriteRequest.of(bucket, "counter")
        .withMetadata(ObjectMetadata.empty().withCustom(Map.of("n", "0"))), new ByteArrayInputStream(new byte[1]));
    int threads = 3;
    int increments = 4;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    List<java.util.concurrent.Future<Integer>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> {
        int conflicts = 0;
        for (int i = 0; i < increments; ) {
          ObjectInfo now = store.head(ObjectId.of(bucket, "counter"), Conditions.none()).orElseThrow();
          int n = Integer.parseInt(now.metadata().custom().get("n"));
          try {
            store.updateMetadata(ObjectId.of(bucket, "counter"), MetadataPatch.ofCustom(Map.of("n", "" + (n + 1))),
                Conditions.none().withMetagenerationMatch(now.metageneration()));
            i++;
          } catch (HybridStorageException e) {
            assertThat(e.code()).isEqualTo(412);
            conflicts++;
          }
        }
        return conflicts;
      }));
    }
    for (var f : futures) {
      f.get();
    }
    pool.shutdown();
    ObjectInfo end = store.head(ObjectId.of(bucket, "counter"), Conditions.none()).orElseThrow();
    assertThat(end.metadata().custom()).containsEntry("n", String.valueOf(threads * increments));
    assertThat(end.metageneration()).isEqualTo(1 + threads * increments);
    assertThat(end.generation()).isEqualTo(start.generation());
  }

  @Test
  void assignedGenerationsAreKeptAndMustBeNewer() {
    String bucket = VastTestSupport.newBucket(store, "assigned");
    ObjectInfo v = store.write(WriteRequest.of(bucket, "o").withGeneration(1_700_000_000_000_000L),
        new ByteArrayInputStream(new byte[] {1}));
    assertThat(v.generation()).isEqualTo(1_700_000_000_000_000L);
    assertThatThrownBy(() -> store.write(WriteRequest.of(bucket, "o").withGeneration(1_600_000_000_000_000L),
        new ByteArrayInputStream(new byte[] {2})))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(412));
    assertThat(store.head(ObjectId.of(bucket, "o"), Conditions.none()).orElseThrow().generation())
        .isEqualTo(1_700_000_000_000_000L);
  }

  @Test
  void preconditionsAreCheckedOnWriteDeleteAndMetadataUpdate() {
    String bucket = VastTestSupport.newBucket(store, "cond");
    ObjectInfo first = store.write(WriteRequest.of(bucket, "o").withConditions(Conditions.doesNotExist()),
        new ByteArrayInputStream(new byte[] {1}));
    assertThatThrownBy(() -> store.write(WriteRequest.of(bucket, "o").withConditions(Conditions.doesNotExist()),
        new ByteArrayInputStream(new byte[] {2})))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> {
          assertThat(e.code()).isEqualTo(412);
          assertThat(e.getMessage()).contains("write gs://" + bucket + "/o on dc1");
        });
    ObjectInfo second = store.write(WriteRequest.of(bucket, "o")
        .withConditions(Conditions.generationMatch(first.generation())), new ByteArrayInputStream(new byte[] {3}));

    ObjectInfo patched = store.updateMetadata(ObjectId.of(bucket, "o"), MetadataPatch.ofCustom(Map.of("x", "1")),
        Conditions.none().withMetagenerationMatch(1L));
    assertThat(patched.generation()).isEqualTo(second.generation());
    assertThat(patched.metageneration()).isEqualTo(2);
    assertThat(store.head(ObjectId.of(bucket, "o"), Conditions.none()).orElseThrow())
        .satisfies(h -> {
          assertThat(h.metageneration()).isEqualTo(2);
          assertThat(h.generation()).isEqualTo(second.generation());
          assertThat(h.crc32c()).isEqualTo(second.crc32c());
          assertThat(h.metadata().custom()).containsEntry("x", "1");
        });
    assertThatThrownBy(() -> store.updateMetadata(ObjectId.of(bucket, "o"), MetadataPatch.ofCustom(Map.of("x", "2")),
        Conditions.none().withMetagenerationMatch(1L)))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(412));

    assertThatThrownBy(() -> store.delete(ObjectId.of(bucket, "o"), Conditions.generationMatch(first.generation())))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(412));
    assertThat(store.delete(ObjectId.of(bucket, "o"), Conditions.generationMatch(second.generation()))).isTrue();
    assertThat(store.delete(ObjectId.of(bucket, "o"), Conditions.none())).isFalse();
  }

  @Test
  void checksumMismatchIs400AndLeavesNothingForSingleAndMultipart() throws IOException {
    String bucket = VastTestSupport.newBucket(store, "crc");
    byte[] small = bytes(100, 3);
    assertThatThrownBy(() -> store.write(WriteRequest.of(bucket, "small").withCrc32c(Checksums.crc32c(new byte[1])),
        new ByteArrayInputStream(small)))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(400));
    byte[] large = bytes(12 * 1024 * 1024, 4);
    assertThatThrownBy(() -> store.write(WriteRequest.of(bucket, "large").withMd5(Checksums.md5(small)),
        new ByteArrayInputStream(large)))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(400));
    assertThat(store.head(ObjectId.of(bucket, "small"), Conditions.none())).isEmpty();
    assertThat(store.head(ObjectId.of(bucket, "large"), Conditions.none())).isEmpty();
    assertThat(raw.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
  }

  @Test
  void multipartUploadRoundTripsItsCrc32cAndLeavesNoParts() throws IOException {
    String bucket = VastTestSupport.newBucket(store, "mpu");
    byte[] data = bytes(12 * 1024 * 1024 + 17, 5);
    ObjectInfo info = put(bucket, "big", data);
    assertThat(info.size()).isEqualTo(data.length);
    assertThat(info.crc32c()).isEqualTo(Checksums.crc32c(data));
    assertThat(store.head(ObjectId.of(bucket, "big"), Conditions.none()).orElseThrow().crc32c())
        .isEqualTo(Checksums.crc32c(data));
    assertThat(readAll(ObjectId.of(bucket, "big"), ByteRange.all())).isEqualTo(data);
    assertThat(raw.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();

    // with the CRC32C given up front, no copy stamps it afterwards and no MD5 is recorded
    ObjectInfo given = store.write(WriteRequest.of(bucket, "given").withCrc32c(Checksums.crc32c(data)),
        new ByteArrayInputStream(data));
    assertThat(store.head(ObjectId.of(bucket, "given"), Conditions.none()).orElseThrow().crc32c())
        .isEqualTo(given.crc32c()).isEqualTo(Checksums.crc32c(data));

    // opting out of the recording copy leaves the checksums of such an upload unknown, never wrong
    try (VastStore fast = VastStore.create(VastTestSupport.config(S3MockServer.endpoint())
        .recordMultipartChecksums(false).build())) {
      assertThat(fast.write(WriteRequest.of(bucket, "fast"), new ByteArrayInputStream(data)).crc32c()).isNull();
      assertThat(fast.head(ObjectId.of(bucket, "fast"), Conditions.none()).orElseThrow().crc32c()).isNull();
    }
  }

  @Test
  void abandonedWriterLeavesNoObjectAndNoParts() throws IOException {
    String bucket = VastTestSupport.newBucket(store, "abandon");
    try (ObjectWriter w = store.openWrite(WriteRequest.of(bucket, "o"))) {
      w.write(ByteBuffer.wrap(bytes(11 * 1024 * 1024, 6)));
      assertThat(raw.listMultipartUploads(b -> b.bucket(bucket)).uploads()).hasSize(1);
    }
    assertThat(raw.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    assertThat(store.head(ObjectId.of(bucket, "o"), Conditions.none())).isEmpty();
  }

  @Test
  void rangedReadsIncludingSuffixAndEmptyObjects() throws IOException {
    String bucket = VastTestSupport.newBucket(store, "range");
    byte[] data = "0123456789".getBytes(StandardCharsets.US_ASCII);
    put(bucket, "o", data);
    put(bucket, "empty", new byte[0]);
    ObjectId o = ObjectId.of(bucket, "o");
    assertThat(readAll(o, ByteRange.of(2, 3))).isEqualTo("234".getBytes(StandardCharsets.US_ASCII));
    assertThat(readAll(o, ByteRange.from(7))).isEqualTo("789".getBytes(StandardCharsets.US_ASCII));
    assertThat(readAll(o, ByteRange.suffix(4))).isEqualTo("6789".getBytes(StandardCharsets.US_ASCII));
    assertThat(readAll(o, ByteRange.suffix(40))).isEqualTo(data);
    assertThat(readAll(o, ByteRange.of(8, 100))).isEqualTo("89".getBytes(StandardCharsets.US_ASCII));
    assertThat(readAll(o, ByteRange.of(3, 0))).isEmpty();
    try (ObjectContent c = store.read(ReadRequest.of(o).withRange(ByteRange.of(2, 3)))) {
      assertThat(c.info().size()).isEqualTo(10);
    }
    assertThatThrownBy(() -> readAll(o, ByteRange.from(10)))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(416));
    assertThat(readAll(ObjectId.of(bucket, "empty"), ByteRange.all())).isEmpty();
    assertThat(readAll(ObjectId.of(bucket, "empty"), ByteRange.from(0))).isEmpty();
    assertThatThrownBy(() -> readAll(ObjectId.of(bucket, "missing"), ByteRange.all()))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(404));
    assertThatThrownBy(() -> readAll(ObjectId.of("no-such-bucket-x", "o"), ByteRange.all()))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> {
          assertThat(e.code()).isEqualTo(404);
          assertThat(e.getMessage()).contains("read gs://no-such-bucket-x/o on dc1").contains("127.0.0.1");
        });
  }

  @Test
  void closingAReadEarlyDoesNotDrainTheBody() throws IOException {
    String bucket = VastTestSupport.newBucket(store, "early");
    put(bucket, "o", bytes(3 * 1024 * 1024, 7));
    try (ObjectContent c = store.read(ReadRequest.of(ObjectId.of(bucket, "o")))) {
      assertThat(c.stream().read(new byte[10])).isEqualTo(10);
    }
    // the store still works after the aborted connection
    assertThat(store.head(ObjectId.of(bucket, "o"), Conditions.none())).isPresent();
  }

  @Test
  void foreignObjectsReadWithGenerationZeroAndRawMetadata() throws IOException {
    String bucket = VastTestSupport.newBucket(store, "foreign");
    raw.putObject(b -> b.bucket(bucket).key("nfs/file").metadata(Map.of("origin", "nfs")),
        RequestBody.fromString("written elsewhere"));
    ObjectInfo info = store.head(ObjectId.of(bucket, "nfs/file"), Conditions.none()).orElseThrow();
    assertThat(info.generation()).isZero();
    assertThat(info.metageneration()).isEqualTo(1);
    assertThat(info.crc32c()).isNull();
    assertThat(info.md5()).as("an ETag is never an MD5").isNull();
    assertThat(info.etag()).isNotNull();
    assertThat(info.metadata().custom()).containsExactly(Map.entry("origin", "nfs"));
    assertThat(readAll(ObjectId.of(bucket, "nfs/file"), ByteRange.all()))
        .isEqualTo("written elsewhere".getBytes(StandardCharsets.UTF_8));
    assertThat(store.list(ListRequest.of(bucket)).items()).extracting(ObjectInfo::generation).containsExactly(0L);
    // it exists: doesNotExist fails, and a metadata update keeps it foreign (no guessed generation)
    assertThatThrownBy(() -> store.write(WriteRequest.of(bucket, "nfs/file").withConditions(Conditions.doesNotExist()),
        new ByteArrayInputStream(new byte[0])))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(412));
    ObjectInfo patched = store.updateMetadata(ObjectId.of(bucket, "nfs/file"),
        MetadataPatch.ofCustom(Map.of("checked", "yes")), Conditions.none());
    assertThat(patched.generation()).isZero();
    assertThat(store.head(ObjectId.of(bucket, "nfs/file"), Conditions.none()).orElseThrow())
        .satisfies(h -> {
          assertThat(h.generation()).isZero();
          assertThat(h.metageneration()).isEqualTo(2);
          assertThat(h.metadata().custom()).containsEntry("origin", "nfs").containsEntry("checked", "yes");
        });
  }

  @Test
  void listingPagesPrefixesOffsetsAndGlob() {
    String bucket = VastTestSupport.newBucket(store, "list");
    // S3 and VAST list in UTF-8 byte order; S3Mock 4.11.0 sorts by Java (UTF-16) order, so names
    // where the two differ (U+FFFD vs an emoji) are left to the WireMock test of list order
    for (String name : List.of("a/1", "a/2", "b", "c/x/1", "c/y", "d\u00e9", "e")) {
      put(bucket, name, name.getBytes(StandardCharsets.UTF_8));
    }
    List<String> all = new ArrayList<>();
    String token = null;
    do {
      ListPage<ObjectInfo> page = store.list(ListRequest.of(bucket).withPageSize(3).withPageToken(token));
      assertThat(page.items().size()).isLessThanOrEqualTo(3);
      page.items().forEach(i -> all.add(i.name()));
      token = page.nextPageToken();
    } while (token != null);
    assertThat(all).containsExactly("a/1", "a/2", "b", "c/x/1", "c/y", "d\u00e9", "e");

    ListPage<ObjectInfo> dirs = store.list(ListRequest.of(bucket).withDelimiter("/"));
    assertThat(dirs.prefixes()).containsExactly("a/", "c/");
    assertThat(dirs.items()).extracting(ObjectInfo::name).containsExactly("b", "d\u00e9", "e");
    assertThat(dirs.items()).allSatisfy(i -> assertThat(i.generation()).isPositive());

    ListPage<ObjectInfo> sub = store.list(ListRequest.of(bucket).withPrefix("c/").withDelimiter("/"));
    assertThat(sub.prefixes()).containsExactly("c/x/");
    assertThat(sub.items()).extracting(ObjectInfo::name).containsExactly("c/y");

    assertThat(store.list(ListRequest.of(bucket).withOffsets("a/2", "c/y")).items()).extracting(ObjectInfo::name)
        .containsExactly("a/2", "b", "c/x/1");
    assertThat(store.list(ListRequest.of(bucket).withMatchGlob("**/1")).items()).extracting(ObjectInfo::name)
        .containsExactly("a/1", "c/x/1");
    assertThatThrownBy(() -> store.list(ListRequest.of(bucket).withVersions(true)))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(501));
    assertThatThrownBy(() -> store.list(ListRequest.of("no-such-bucket-y")))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(404));
  }

  @Test
  void copyKeepsChecksumsAndGivesANewGeneration() throws IOException {
    String bucket = VastTestSupport.newBucket(store, "copy");
    String other = VastTestSupport.newBucket(store, "copy2");
    byte[] data = bytes(1000, 8);
    ObjectInfo src = store.write(WriteRequest.of(bucket, "src").withMetadata(ObjectMetadata.ofContentType("x/y")),
        new ByteArrayInputStream(data));
    ObjectInfo copy = store.copy(CopyRequest.of(src.id(), other, "dst"));
    assertThat(copy.generation()).isGreaterThan(src.generation());
    assertThat(copy.crc32c()).isEqualTo(src.crc32c());
    assertThat(copy.md5()).isEqualTo(src.md5());
    assertThat(copy.metadata().contentType()).isEqualTo("x/y");
    assertThat(store.head(ObjectId.of(other, "dst"), Conditions.none()).orElseThrow()).isEqualTo(copy);
    assertThat(readAll(ObjectId.of(other, "dst"), ByteRange.all())).isEqualTo(data);
    assertThatThrownBy(() -> store.copy(new CopyRequest(src.id(), Conditions.generationMatch(1), other, "dst2", null,
        Conditions.none())))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(412));
    assertThatThrownBy(() -> store.copy(CopyRequest.of(ObjectId.of(bucket, "missing"), other, "dst3")))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(404));
  }

  @Test
  void composeStreamedAndServerSideCombineCrc32c() throws IOException {
    String bucket = VastTestSupport.newBucket(store, "compose");
    byte[] a = bytes(5 * 1024 * 1024, 9);
    byte[] b = bytes(300, 10);
    put(bucket, "a", a);
    put(bucket, "b", b);
    byte[] ab = new byte[a.length + b.length];
    System.arraycopy(a, 0, ab, 0, a.length);
    System.arraycopy(b, 0, ab, a.length, b.length);

    // a (5 MiB) then b: server-side UploadPartCopy, CRC32C combined without reading the bytes
    ObjectInfo server = store.compose(new ComposeRequest(bucket, List.of(ComposeRequest.Source.of("a"),
        ComposeRequest.Source.of("b")), "ab", ObjectMetadata.empty(), Conditions.none()));
    assertThat(server.crc32c()).isEqualTo(Checksums.crc32c(ab));
    assertThat(server.md5()).isNull();
    assertThat(server.componentCount()).isEqualTo(2);
    assertThat(readAll(ObjectId.of(bucket, "ab"), ByteRange.all())).isEqualTo(ab);

    // b (300 B) then a: below S3's part minimum, so streamed through this process
    ObjectInfo streamed = store.compose(new ComposeRequest(bucket, List.of(ComposeRequest.Source.of("b"),
        ComposeRequest.Source.of("a")), "ba", ObjectMetadata.empty(), Conditions.none()));
    byte[] ba = new byte[ab.length];
    System.arraycopy(b, 0, ba, 0, b.length);
    System.arraycopy(a, 0, ba, b.length, a.length);
    assertThat(streamed.crc32c()).isEqualTo(Checksums.crc32c(ba));
    assertThat(streamed.md5()).isNull();
    assertThat(store.head(ObjectId.of(bucket, "ba"), Conditions.none()).orElseThrow())
        .satisfies(h -> {
          assertThat(h.crc32c()).isEqualTo(Checksums.crc32c(ba));
          assertThat(h.md5()).isNull();
          assertThat(h.componentCount()).isEqualTo(2);
        });
    assertThat(readAll(ObjectId.of(bucket, "ba"), ByteRange.all())).isEqualTo(ba);
    assertThat(raw.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
  }

  @Test
  void serverSideComposeTakesAnAssignedGenerationAndRefusesOneNotAboveTheTombstone() throws IOException {
    String bucket = VastTestSupport.newBucket(store, "compose-assigned");
    byte[] a = bytes(5 * 1024 * 1024, 11);
    byte[] b = bytes(200, 12);
    put(bucket, "a", a);
    ObjectInfo bInfo = put(bucket, "b", b);
    long g = bInfo.generation() + 1_000_000_000L;
    List<ComposeRequest.Source> sources = List.of(ComposeRequest.Source.of("a"), ComposeRequest.Source.of("b"));

    // a (5 MiB) then b: server-side UploadPartCopy, published under the target's lock with the assigned generation
    ObjectInfo composed = store.compose(new ComposeRequest(bucket, sources, "ab", ObjectMetadata.empty(),
        Conditions.none()).withGeneration(g));
    assertThat(composed.generation()).isEqualTo(g);
    assertThat(store.head(ObjectId.of(bucket, "ab"), Conditions.none()).orElseThrow().generation()).isEqualTo(g);
    assertThat(store.delete(ObjectId.of(bucket, "ab"), Conditions.none())).isTrue();

    assertThatThrownBy(() -> store.compose(new ComposeRequest(bucket, sources, "ab", ObjectMetadata.empty(),
        Conditions.none()).withGeneration(g)))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> {
          assertThat(e.code()).isEqualTo(412);
          assertThat(e.getMessage()).startsWith("compose gs://" + bucket + "/ab").contains(String.valueOf(g));
        });
    assertThat(store.head(ObjectId.of(bucket, "ab"), Conditions.none())).as("still deleted").isEmpty();
    assertThat(store.compose(new ComposeRequest(bucket, sources, "ab", ObjectMetadata.empty(), Conditions.none())
        .withGeneration(g + 1)).generation()).isEqualTo(g + 1);
    assertThat(raw.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
  }

  @Test
  void signedUrlsWorkForGetAndPut() throws IOException {
    String bucket = VastTestSupport.newBucket(store, "sign");
    put(bucket, "o", "signed".getBytes(StandardCharsets.UTF_8));
    URL get = store.signUrl(new SignUrlRequest(bucket, "o", "GET", Duration.ofMinutes(5), Map.of()));
    assertThat(get.getQuery()).contains("X-Amz-Signature=");
    HttpURLConnection c = (HttpURLConnection) get.openConnection();
    try (InputStream in = c.getInputStream()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("signed");
    }
    URL put = store.signUrl(new SignUrlRequest(bucket, "up", "PUT", Duration.ofMinutes(5), Map.of()));
    HttpURLConnection p = (HttpURLConnection) put.openConnection();
    p.setRequestMethod("PUT");
    p.setDoOutput(true);
    try (OutputStream out = p.getOutputStream()) {
      out.write("uploaded".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(p.getResponseCode()).isEqualTo(200);
    assertThat(readAll(ObjectId.of(bucket, "up"), ByteRange.all())).isEqualTo("uploaded".getBytes(StandardCharsets.UTF_8));
    assertThat(store.capabilities()).contains(Capability.SIGNED_URLS);
    assertThatThrownBy(() -> store.signUrl(new SignUrlRequest(bucket, "o", "GET", Duration.ofDays(8), Map.of())))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(400));
  }

  /**
   * A presigned PUT whose signed headers include {@code x-amz-copy-source} is a server-side copy
   * (S3 CopyObject) of whatever the source names, with our credentials: refused with 400 naming
   * the header, bucket and object, like every header that is not on the allow-list. Allowed headers
   * (content type, user metadata) still sign, and S3Mock accepts the upload that sends them.
   */
  @Test
  void signedUrlsRefuseCopySourceAndOtherHeadersThatWidenAccess() throws IOException {
    String bucket = VastTestSupport.newBucket(store, "signhdr");
    put(bucket, "finance/ledger.csv", "secret".getBytes(StandardCharsets.UTF_8));
    for (String header : List.of("x-amz-copy-source", "x-goog-copy-source", "x-amz-acl", "x-amz-grant-full-control",
        "x-amz-tagging", "x-amz-meta-hs-generation", "x-amz-bypass-governance-retention")) {
      assertThatThrownBy(() -> store.signUrl(new SignUrlRequest(bucket, "bu-sales/x", "PUT", Duration.ofMinutes(5),
          Map.of(header, "/" + bucket + "/finance/ledger.csv"))))
          .as(header)
          .isInstanceOfSatisfying(HybridStorageException.class, e -> {
            assertThat(e.code()).isEqualTo(400);
            assertThat(e.getMessage()).startsWith("signUrl gs://" + bucket + "/bu-sales/x on ")
                .contains("header '" + header + "'").doesNotContain("ledger");
          });
    }
    assertThat(raw.listObjectsV2(b -> b.bucket(bucket).prefix("bu-sales/")).contents()).isEmpty();

    URL put = store.signUrl(new SignUrlRequest(bucket, "bu-sales/x", "PUT", Duration.ofMinutes(5),
        Map.of("Content-Type", "text/csv", "x-amz-meta-owner", "bu-sales")));
    HttpURLConnection p = (HttpURLConnection) put.openConnection();
    p.setRequestMethod("PUT");
    p.setRequestProperty("Content-Type", "text/csv");
    p.setRequestProperty("x-amz-meta-owner", "bu-sales");
    p.setDoOutput(true);
    try (OutputStream out = p.getOutputStream()) {
      out.write("a,b".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(p.getResponseCode()).isEqualTo(200);
    var head = raw.headObject(b -> b.bucket(bucket).key("bu-sales/x"));
    assertThat(head.contentType()).isEqualTo("text/csv");
    assertThat(head.metadata()).containsEntry("owner", "bu-sales");
  }

  @Test
  void bucketsMapToS3Buckets() {
    String bucket = VastTestSupport.bucketName("bkt");
    assertThat(store.getBucket(bucket)).isEmpty();
    store.createBucket(BucketSpec.of(bucket).withVersioning(true));
    assertThat(store.getBucket(bucket).orElseThrow().versioningEnabled()).isTrue();
    assertThatThrownBy(() -> store.createBucket(BucketSpec.of(bucket)))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(409));
    assertThatThrownBy(() -> store.createBucket(BucketSpec.of("Bad_Name")))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(400));
    assertThat(store.listBuckets(new io.hybridstorage.api.BucketListRequest(bucket, 0, null)).items())
        .extracting(io.hybridstorage.api.BucketInfo::name).containsExactly(bucket);
    assertThat(store.updateBucket(bucket, io.hybridstorage.api.BucketPatch.versioning(false)).versioningEnabled())
        .isFalse();
    put(bucket, "o", new byte[] {1});
    assertThatThrownBy(() -> store.deleteBucket(bucket))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(409));
    raw.listObjectVersions(b -> b.bucket(bucket)).versions()
        .forEach(v -> raw.deleteObject(b -> b.bucket(bucket).key(v.key()).versionId(v.versionId())));
    raw.listObjectVersions(b -> b.bucket(bucket)).deleteMarkers()
        .forEach(v -> raw.deleteObject(b -> b.bucket(bucket).key(v.key()).versionId(v.versionId())));
    assertThat(store.deleteBucket(bucket)).isTrue();
    assertThat(store.deleteBucket(bucket)).isFalse();
  }

  @Test
  void theProbeFindsS3MockConditionalRequestsIncompleteSoPreconditionsAreEmulated() {
    String bucket = VastTestSupport.newBucket(store, "probe");
    try (VastStore probed = VastStore.create(VastTestSupport.config(S3MockServer.endpoint())
        .conditionalWrites(VastStoreConfig.ConditionalWrites.PROBE).probeBucket(bucket).build())) {
      // S3Mock 4.11.0 ignores If-None-Match on CopyObject (and answers 304 for a failed
      // CompleteMultipartUpload If-None-Match): not every conditional request holds
      assertThat(probed.capabilities()).doesNotContain(Capability.ATOMIC_PRECONDITIONS);
    }
    assertThat(raw.listObjectsV2(b -> b.bucket(bucket)).contents()).as("probe objects removed").isEmpty();
    assertThat(raw.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
  }
}
