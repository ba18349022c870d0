package io.hybridstorage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.HybridStorage;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.gateway.LoopbackGateway;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GCS behaviours of issue 12's fidelity list, each asserted twice with the same expectation: on
 * the real google-cloud-storage client (2.63, over HTTP to the JSON API gateway, which
 * answers as GCS documents it) and on the hybrid facade. The client half shows what a GCS user's
 * code observes (which exception, which getter is null); the facade half must observe the same.
 * Each test says what GCS does and where that is stated.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GcsFidelityTest {

  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private static LoopbackGateway server;
  private static Storage client;
  private static Storage facade;

  @BeforeAll
  static void start() {
    server = LoopbackGateway.start(new InMemoryStore("gcs-api"));
    client = server.clientOptions().build().getService();
    facade = HybridStorage.over(new InMemoryStore("memory"), "test-project");
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
    facade.close();
  }

  static Stream<Arguments> storages() {
    return Stream.of(Arguments.of("real client", client), Arguments.of("hybrid facade", facade));
  }

  private static String newBucket(Storage storage) {
    String bucket = "fidelity-" + BUCKETS.incrementAndGet();
    storage.create(BucketInfo.of(bucket));
    return bucket;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> entries(Iterable<Blob> blobs) {
    List<String> out = new ArrayList<>();
    blobs.forEach(b -> out.add(b.getName() + (b.isDirectory() ? " (dir)" : "")));
    return out;
  }

  /**
   * GCS answers a read whose {@code ifGenerationNotMatch} / {@code ifMetagenerationNotMatch}
   * fails with 304 Not Modified, not 412: the client's integration test {@code
   * ITBlobReadChannelTest.optionsWork} (googleapis/java-storage v2.63.0) expects 304 over JSON,
   * surfacing from {@code reader} as an {@link IOException} whose cause is the {@code
   * StorageException}. A failing match condition stays 412.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("storages")
  void failingNotMatchConditionsOnReadsAre304(String name, Storage storage) throws Exception {
    String bucket = newBucket(storage);
    Blob blob = storage.create(BlobInfo.newBuilder(bucket, "o").build(), bytes("content"));
    BlobId id = BlobId.of(bucket, "o");
    long generation = blob.getGeneration();

    assertThat(code(() -> storage.get(id, BlobGetOption.generationNotMatch(generation)))).isEqualTo(304);
    assertThat(code(() -> storage.get(id, BlobGetOption.metagenerationNotMatch(1)))).isEqualTo(304);
    assertThat(code(() -> storage.readAllBytes(id, BlobSourceOption.generationNotMatch(generation))))
        .isEqualTo(304);
    assertThat(code(() -> storage.readAllBytes(id, BlobSourceOption.metagenerationNotMatch(1)))).isEqualTo(304);
    try (ReadChannel reader = storage.reader(id, BlobSourceOption.generationNotMatch(generation))) {
      IOException e = catchThrowableOfType(IOException.class, () -> reader.read(ByteBuffer.allocate(8)));
      assertThat(e).as("reader").isNotNull();
      assertThat(e.getCause()).isInstanceOfSatisfying(StorageException.class,
          se -> assertThat(se.getCode()).isEqualTo(304));
    }

    assertThat(code(() -> storage.get(id, BlobGetOption.generationMatch(generation + 1),
        BlobGetOption.generationNotMatch(generation)))).as("a failing match condition wins").isEqualTo(412);
    assertThat(storage.get(id, BlobGetOption.generationNotMatch(generation + 1)).getGeneration())
        .isEqualTo(generation);
    assertThat(storage.readAllBytes(id, BlobSourceOption.metagenerationNotMatch(2))).isEqualTo(bytes("content"));
  }

  /**
   * With a delimiter, GCS rolls names up first and matches the glob against objects and against
   * the rolled-up prefixes (objects.list {@code matchGlob}: "filter results to objects and
   * prefixes that match this glob"; the "list prefixes only" example uses {@code **}{@code /}):
   * Trino's directory listing {@code dir/*}{@code /} must list every directory.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("storages")
  void matchGlobWithADelimiterListsTheMatchingPrefixes(String name, Storage storage) {
    String bucket = newBucket(storage);
    for (String object : List.of("t/a=1/part-0", "t/a=2/part-0", "t/a=3/x/part-0", "t/_SUCCESS", "t/b=1/p")) {
      storage.create(BlobInfo.newBuilder(bucket, object).build(), bytes(object));
    }
    assertThat(entries(storage.list(bucket, BlobListOption.prefix("t/"), BlobListOption.delimiter("/"),
        BlobListOption.matchGlob("t/a=*/")).iterateAll()))
        .containsExactly("t/a=1/ (dir)", "t/a=2/ (dir)", "t/a=3/ (dir)");
    assertThat(entries(storage.list(bucket, BlobListOption.currentDirectory(), BlobListOption.prefix("t/"),
        BlobListOption.matchGlob("t/**")).iterateAll()))
        .containsExactly("t/_SUCCESS", "t/a=1/ (dir)", "t/a=2/ (dir)", "t/a=3/ (dir)", "t/b=1/ (dir)");
    assertThat(entries(storage.list(bucket, BlobListOption.prefix("t/"), BlobListOption.delimiter("/"),
        BlobListOption.matchGlob("t/**part-0")).iterateAll())).as("no prefix ends in part-0").isEmpty();
  }

  /**
   * {@code fields(...)} makes GCS return only the fields asked for (the JSON API's partial
   * response, https://cloud.google.com/storage/docs/json_api#partial-response; the client always
   * adds bucket and name, {@code BlobGetOption.fields} javadoc): the client's {@code Blob} has
   * every other field {@code null}. Trino asks for a few fields and reads the others as absent.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("storages")
  void getWithFieldsLeavesTheFieldsNotAskedForNull(String name, Storage storage) {
    String bucket = newBucket(storage);
    storage.create(BlobInfo.newBuilder(bucket, "o").setContentType("text/csv").setCacheControl("no-cache")
        .setMetadata(java.util.Map.of("k", "v")).build(), bytes("content"));
    BlobId id = BlobId.of(bucket, "o");

    Blob sized = storage.get(id, BlobGetOption.fields(Storage.BlobField.SIZE));
    assertThat(sized.getBucket()).isEqualTo(bucket);
    assertThat(sized.getName()).isEqualTo("o");
    assertThat(sized.getSize()).isEqualTo(7L);
    assertThat(sized.getGeneration()).isNull();
    assertThat(sized.getMetageneration()).isNull();
    assertThat(sized.getContentType()).isNull();
    assertThat(sized.getCacheControl()).isNull();
    assertThat(sized.getMetadata()).isNull();
    assertThat(sized.getCrc32c()).isNull();
    assertThat(sized.getMd5()).isNull();
    assertThat(sized.getEtag()).isNull();
    assertThat(sized.getGeneratedId()).isNull();
    assertThat(sized.getCreateTimeOffsetDateTime()).isNull();
    assertThat(sized.getUpdateTimeOffsetDateTime()).isNull();

    Blob some = storage.get(id, BlobGetOption.fields(Storage.BlobField.GENERATION, Storage.BlobField.CONTENT_TYPE,
        Storage.BlobField.METADATA, Storage.BlobField.UPDATED));
    assertThat(some.getGeneration()).isPositive();
    assertThat(some.getContentType()).isEqualTo("text/csv");
    assertThat(some.getMetadata()).containsEntry("k", "v");
    assertThat(some.getUpdateTimeOffsetDateTime()).isNotNull();
    assertThat(some.getSize()).isNull();
    assertThat(some.getCacheControl()).isNull();
    assertThat(some.getCrc32c()).isNull();

    Blob all = storage.get(id);
    assertThat(all.getSize()).isEqualTo(7L);
    assertThat(all.getCrc32c()).isNotNull();
    assertThat(all.getCacheControl()).isEqualTo("no-cache");
    assertThat(storage.get(id, BlobGetOption.fields()).exists()).as("Blob.exists asks for no field").isTrue();
  }

  /** As {@link #getWithFieldsLeavesTheFieldsNotAskedForNull}, for each item of a listing. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("storages")
  void listWithFieldsLeavesTheFieldsNotAskedForNull(String name, Storage storage) {
    String bucket = newBucket(storage);
    for (String object : List.of("d/1", "d/2", "x", "y")) {
      storage.create(BlobInfo.newBuilder(bucket, object).setContentType("text/plain").build(), bytes(object));
    }
    List<Blob> listed = new ArrayList<>();
    storage.list(bucket, BlobListOption.delimiter("/"), BlobListOption.pageSize(2),
        BlobListOption.fields(Storage.BlobField.SIZE, Storage.BlobField.UPDATED)).iterateAll().forEach(listed::add);
    assertThat(entries(listed)).as("a page's objects, then its prefixes").containsExactly("x", "d/ (dir)", "y");
    for (Blob b : List.of(listed.get(0), listed.get(2))) {
      assertThat(b.getSize()).isEqualTo(1L);
      assertThat(b.getUpdateTimeOffsetDateTime()).isNotNull();
      assertThat(b.getContentType()).isNull();
      assertThat(b.getGeneration()).isNull();
      assertThat(b.getMetageneration()).isNull();
      assertThat(b.getCrc32c()).isNull();
    }
    Blob full = storage.list(bucket, BlobListOption.prefix("x")).iterateAll().iterator().next();
    assertThat(full.getContentType()).isEqualTo("text/plain");
    assertThat(full.getGeneration()).isPositive();
  }

  /** {@code BucketGetOption.fields} / {@code BucketListOption.fields}: the same for buckets (name always). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("storages")
  void bucketFieldsLeaveTheFieldsNotAskedForNull(String name, Storage storage) {
    String bucket = newBucket(storage);
    com.google.cloud.storage.Bucket named = storage.get(bucket,
        Storage.BucketGetOption.fields(Storage.BucketField.NAME));
    assertThat(named.getName()).isEqualTo(bucket);
    assertThat(named.getMetageneration()).isNull();
    assertThat(named.getCreateTimeOffsetDateTime()).isNull();
    assertThat(named.getGeneratedId()).isNull();
    assertThat(storage.get(bucket, Storage.BucketGetOption.fields(Storage.BucketField.METAGENERATION))
        .getMetageneration()).isEqualTo(1L);
    com.google.cloud.storage.Bucket listed = storage.list(Storage.BucketListOption.prefix(bucket),
        Storage.BucketListOption.fields(Storage.BucketField.TIME_CREATED)).iterateAll().iterator().next();
    assertThat(listed.getName()).isEqualTo(bucket);
    assertThat(listed.getCreateTimeOffsetDateTime()).isNotNull();
    assertThat(listed.getMetageneration()).isNull();
  }

  /**
   * A {@code BlobId} with generation -1: the client sends {@code generation=-1} as it is and GCS
   * refuses it with 400 (the JSON API's {@code generation} is a positive int64; the real client
   * here gets its 400 from the endpoint, which refuses it the same way). Never an {@code
   * IllegalArgumentException}; the reader reports it at the first read, as the client's.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("storages")
  void aNegativeGenerationIs400(String name, Storage storage) throws Exception {
    String bucket = newBucket(storage);
    storage.create(BlobInfo.newBuilder(bucket, "o").build(), bytes("content"));
    BlobId negative = BlobId.of(bucket, "o", -1L);

    assertThat(code(() -> storage.get(negative))).isEqualTo(400);
    assertThat(code(() -> storage.readAllBytes(negative))).isEqualTo(400);
    assertThat(code(() -> storage.delete(negative))).isEqualTo(400);
    assertThat(code(() -> storage.update(BlobInfo.newBuilder(negative).build()))).as("update of nothing: a GET")
        .isEqualTo(400);
    assertThat(storage.update(BlobInfo.newBuilder(negative).setContentType("a/b").build()).getContentType())
        .as("a patch goes to the live version: the client's PATCH carries no generation").isEqualTo("a/b");
    try (ReadChannel reader = storage.reader(negative)) {
      IOException e = catchThrowableOfType(IOException.class, () -> reader.read(ByteBuffer.allocate(8)));
      assertThat(e).as("reader").isNotNull();
      assertThat(e.getCause()).isInstanceOfSatisfying(StorageException.class,
          se -> assertThat(se.getCode()).isEqualTo(400));
    }
    assertThat(storage.readAllBytes(BlobId.of(bucket, "o"))).as("nothing changed").isEqualTo(bytes("content"));
  }

  /**
   * {@code pageSize(-1)}: the client sends {@code maxResults=-1}, an unsigned integer in the JSON
   * API, and GCS answers 400; the facade must not clamp it to the default page.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("storages")
  void aNegativePageSizeIs400(String name, Storage storage) {
    String bucket = newBucket(storage);
    storage.create(BlobInfo.newBuilder(bucket, "o").build(), bytes("content"));
    assertThat(code(() -> storage.list(bucket, BlobListOption.pageSize(-1)))).isEqualTo(400);
    assertThat(code(() -> storage.list(Storage.BucketListOption.pageSize(-1)))).isEqualTo(400);
    assertThat(entries(storage.list(bucket, BlobListOption.pageSize(1)).getValues())).containsExactly("o");
  }

  /**
   * Conflicting options (two {@code generationMatch}, or {@code generationMatch()} on a {@code
   * BlobId} without a generation): the real client resolves a call's options when the call is made
   * and throws {@link IllegalArgumentException} there ({@code Opts.getRpcOptions}: "Multiple
   * entries with same key"; "Option ifGenerationMatch is missing a value"), for a batched call
   * already at {@code batch.get(...)}, before any request. The facade does the same, so a batch is
   * never left half run at {@code submit()}.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("storages")
  void conflictingOptionsFailWhenTheCallIsMadeEvenInABatch(String name, Storage storage) {
    String bucket = newBucket(storage);
    BlobId id = BlobId.of(bucket, "o");
    com.google.cloud.storage.StorageBatch batch = storage.batch();
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> batch.get(id,
        BlobGetOption.generationMatch(1), BlobGetOption.generationMatch(2)))).hasMessageContaining("IF_GENERATION_MATCH");
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> batch.delete(id,
        BlobSourceOption.generationMatch()))).hasMessageContaining("ifGenerationMatch");
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> batch.update(
        BlobInfo.newBuilder(id).build(), Storage.BlobTargetOption.metagenerationMatch())))
        .hasMessageContaining("ifMetagenerationMatch");
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> storage.get(id,
        BlobGetOption.generationMatch(1), BlobGetOption.generationMatch(2)))).isNotNull();
  }

  private static int code(Runnable call) {
    StorageException e = catchThrowableOfType(StorageException.class, call::run);
    assertThat(e).as("a StorageException").isNotNull();
    return e.getCode();
  }
}
