package io.hybridstorage.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.StorageException;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.memory.InMemoryStore;
import java.io.ByteArrayOutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.StreamSupport;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real google-cloud-storage client (and plain HTTP) against the gateway. */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hung HTTP exchange must fail the test, not the build
class GatewayJavaClientTest {

  private InMemoryStore memory;
  private LoopbackGateway server;
  private Storage storage;

  @BeforeEach
  void setUp() {
    memory = new InMemoryStore("memory");
    server = LoopbackGateway.start(memory);
    storage = server.clientOptions().build().getService();
    storage.create(BucketInfo.newBuilder("bkt").setVersioningEnabled(true).build());
  }

  @AfterEach
  void tearDown() throws Exception {
    storage.close();
    server.close();
  }

  private static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  @Test
  void bindsToLoopback() {
    assertThat(server.endpoint()).startsWith("http://127.0.0.1:");
  }

  @Test
  void aResumableUploadInManyChunksPublishesOnlyAtClose() throws Exception {
    byte[] data = random(3 * 256 * 1024 + 17);
    WriteChannel writer = storage.writer(BlobInfo.newBuilder("bkt", "dir/big.bin").setContentType("x/y").build());
    writer.setChunkSize(256 * 1024);
    ByteBuffer buffer = ByteBuffer.wrap(data);
    while (buffer.remaining() > 2 * 256 * 1024) {
      ByteBuffer slice = buffer.slice();
      slice.limit(100_000);
      buffer.position(buffer.position() + writer.write(slice));
    }
    // several 256 KiB chunks went over the wire, none published
    assertThat(storage.get(BlobId.of("bkt", "dir/big.bin"))).isNull();
    writer.write(buffer);
    writer.close();

    Blob blob = storage.get(BlobId.of("bkt", "dir/big.bin"));
    assertThat(blob.getSize()).isEqualTo(data.length);
    assertThat(blob.getContentType()).isEqualTo("x/y");
    assertThat(storage.readAllBytes(BlobId.of("bkt", "dir/big.bin"))).isEqualTo(data);
  }

  @Test
  void anAbandonedResumableUploadLeavesNothing() throws Exception {
    WriteChannel writer = storage.writer(BlobInfo.newBuilder("bkt", "abandoned").build());
    writer.setChunkSize(256 * 1024);
    writer.write(ByteBuffer.wrap(random(600 * 1024)));
    // never closed
    assertThat(storage.get(BlobId.of("bkt", "abandoned"))).isNull();
    assertThat(memory.head(ObjectId.of("bkt", "abandoned"), io.hybridstorage.api.Conditions.none())).isEmpty();
  }

  @Test
  void multipartUploadKeepsMetadataAndChecksPreconditions() {
    Blob created = storage.create(BlobInfo.newBuilder("bkt", "a b+c%d/é")
        .setContentType("text/plain").setMetadata(Map.of("k", "v")).build(),
        "hello".getBytes(StandardCharsets.UTF_8), BlobTargetOption.doesNotExist());

    assertThat(created.getGeneration()).isPositive();
    assertThat(created.getMetageneration()).isEqualTo(1);
    assertThat(created.getMetadata()).containsEntry("k", "v");
    assertThat(created.getCrc32c()).isNotNull();
    assertThat(new String(storage.readAllBytes(created.getBlobId()), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThatThrownBy(() -> storage.create(BlobInfo.newBuilder("bkt", "a b+c%d/é").build(),
        "x".getBytes(StandardCharsets.UTF_8), BlobTargetOption.doesNotExist()))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.getCode()).isEqualTo(412);
          assertThat(e.getReason()).isEqualTo("conditionNotMet");
        });
  }

  @Test
  void rangedReadsThroughTheClientsReadChannel() throws Exception {
    byte[] data = random(10_000);
    storage.create(BlobInfo.newBuilder("bkt", "r").build(), data);

    try (ReadChannel reader = storage.reader(BlobId.of("bkt", "r"))) {
      reader.seek(1000);
      reader.limit(3000);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Channels.newInputStream(reader).transferTo(out);
      assertThat(out.toByteArray()).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 3000));
    }
  }

  @Test
  void listingWithDelimiterAndVersions() {
    storage.create(BlobInfo.newBuilder("bkt", "d/1").build(), new byte[1]);
    storage.create(BlobInfo.newBuilder("bkt", "d/1").build(), new byte[2]);
    storage.create(BlobInfo.newBuilder("bkt", "top").build(), new byte[1]);

    List<String> names = StreamSupport.stream(storage.list("bkt", BlobListOption.delimiter("/")).getValues().spliterator(),
        false).map(b -> b.getName() + (b.isDirectory() ? "(dir)" : "")).toList();
    assertThat(names).containsExactlyInAnyOrder("d/(dir)", "top");
    long versions = StreamSupport.stream(storage.list("bkt", BlobListOption.prefix("d/"), BlobListOption.versions(true))
        .iterateAll().spliterator(), false).count();
    assertThat(versions).isEqualTo(2);
  }

  @Test
  void errorsCarryGcsCodesAndUnknownCallsAre501() throws Exception {
    assertThat(storage.get(BlobId.of("bkt", "missing"))).isNull();
    assertThat(storage.delete(BlobId.of("bkt", "missing"))).isFalse();
    assertThatThrownBy(() -> storage.list("no-such-bucket"))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(404));

    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(server.endpoint() + "/storage/v1/b/bkt/iam")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(HttpURLConnection.HTTP_NOT_IMPLEMENTED);
    assertThat(response.body()).contains("\"code\":501").contains("/storage/v1/b/bkt/iam");
  }

  /**
   * The standard {@code fields} parameter cuts a response down as GCS's partial response does
   * (https://cloud.google.com/storage/docs/json_api#partial-response): {@code a,b}, {@code a/b}
   * and {@code a(b,c)}, applied to each element of an array; a 304 has no body.
   */
  @Test
  void fieldsSelectsAPartialResponseAndA304HasNoBody() throws Exception {
    storage.create(BlobInfo.newBuilder("bkt", "d/o").setContentType("text/plain").build(), new byte[3]);
    String base = server.endpoint() + "/storage/v1/b/bkt/o";
    HttpResponse<String> one = send(HttpRequest.newBuilder(URI.create(base + "/d%2Fo?fields=name,size")).GET());
    assertThat(JsonParser.parseString(one.body()).getAsJsonObject().keySet())
        .containsExactlyInAnyOrder("name", "size");

    String fields = URLEncoder.encode("prefixes,items(name,size)", StandardCharsets.UTF_8);
    HttpResponse<String> list = send(HttpRequest.newBuilder(URI.create(base + "?delimiter=/&prefix=d/&fields=" + fields))
        .GET());
    JsonObject page = JsonParser.parseString(list.body()).getAsJsonObject();
    assertThat(page.keySet()).containsExactly("items");
    assertThat(page.getAsJsonArray("items").get(0).getAsJsonObject().keySet())
        .containsExactlyInAnyOrder("name", "size");
    HttpResponse<String> slash = send(HttpRequest.newBuilder(URI.create(base + "?fields=kind,items/name")).GET());
    JsonObject slashPage = JsonParser.parseString(slash.body()).getAsJsonObject();
    assertThat(slashPage.keySet()).containsExactlyInAnyOrder("kind", "items");
    assertThat(slashPage.getAsJsonArray("items").get(0).getAsJsonObject().keySet()).containsExactly("name");
    assertThat(send(HttpRequest.newBuilder(URI.create(base + "/d%2Fo?fields=name(")).GET()).statusCode())
        .isEqualTo(400);

    long generation = storage.get(BlobId.of("bkt", "d/o")).getGeneration();
    HttpResponse<String> notModified = send(HttpRequest.newBuilder(
        URI.create(base + "/d%2Fo?ifGenerationNotMatch=" + generation)).GET());
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
  }

  /**
   * {@code includeTrailingDelimiter=true}, as the Hadoop GCS connector lists a directory: a
   * placeholder object under the prefix ({@code t/sub/}) is a prefix and also an item; the object
   * named exactly the prefix ({@code t/}) is an item only. Were {@code t/} also a prefix, the
   * directory would be its own child and a recursive listing (Hudi's) would never end.
   */
  @Test
  void includeTrailingDelimiterListsPlaceholdersAsItemsAndNeverThePrefixAsItsOwnChild() throws Exception {
    storage.create(BlobInfo.newBuilder("bkt", "t/").build(), new byte[0]);
    storage.create(BlobInfo.newBuilder("bkt", "t/sub/").build(), new byte[0]);
    storage.create(BlobInfo.newBuilder("bkt", "t/sub/f").build(), new byte[1]);
    storage.create(BlobInfo.newBuilder("bkt", "t/other/g").build(), new byte[1]);
    storage.create(BlobInfo.newBuilder("bkt", "t/h").build(), new byte[1]);
    String fields = URLEncoder.encode("items(name),prefixes,nextPageToken", StandardCharsets.UTF_8);
    HttpResponse<String> list = send(HttpRequest.newBuilder(URI.create(server.endpoint()
        + "/storage/v1/b/bkt/o?delimiter=/&includeTrailingDelimiter=true&prefix=t/&fields=" + fields)).GET());
    assertThat(list.statusCode()).isEqualTo(200);
    JsonObject page = JsonParser.parseString(list.body()).getAsJsonObject();
    assertThat(StreamSupport.stream(page.getAsJsonArray("items").spliterator(), false)
        .map(i -> i.getAsJsonObject().get("name").getAsString()))
        .containsExactly("t/", "t/h", "t/sub/");
    assertThat(StreamSupport.stream(page.getAsJsonArray("prefixes").spliterator(), false)
        .map(p -> p.getAsString()))
        .containsExactly("t/other/", "t/sub/");
  }

  /**
   * {@code GET /b/{bucket}/storageLayout}, which the Hadoop GCS connector calls before deleting a
   * directory: a flat bucket (no hierarchical namespace); an unknown bucket is 404.
   */
  @Test
  void storageLayoutTellsAFlatBucket() throws Exception {
    HttpResponse<String> layout = send(HttpRequest.newBuilder(URI.create(server.endpoint()
        + "/storage/v1/b/bkt/storageLayout")).GET());
    assertThat(layout.statusCode()).isEqualTo(200);
    JsonObject body = JsonParser.parseString(layout.body()).getAsJsonObject();
    assertThat(body.get("kind").getAsString()).isEqualTo("storage#storageLayout");
    assertThat(body.get("bucket").getAsString()).isEqualTo("bkt");
    assertThat(body.getAsJsonObject("hierarchicalNamespace").get("enabled").getAsBoolean()).isFalse();
    assertThat(send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/storage/v1/b/nope/storageLayout")).GET())
        .statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String startResumable(String name) throws Exception {
    HttpResponse<String> start = send(HttpRequest.newBuilder(
            URI.create(server.endpoint() + "/upload/storage/v1/b/bkt/o?uploadType=resumable"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
    assertThat(start.statusCode()).isEqualTo(200);
    return start.headers().firstValue("Location").orElseThrow();
  }

  @Test
  void theResumableProtocolOnTheWire() throws Exception {
    String session = startResumable("wire");

    HttpResponse<String> first = send(HttpRequest.newBuilder(URI.create(session))
        .header("Content-Range", "bytes 0-2/*").PUT(HttpRequest.BodyPublishers.ofString("abc")));
    assertThat(first.statusCode()).isEqualTo(308);
    assertThat(first.headers().firstValue("Range")).hasValue("bytes=0-2");
    HttpResponse<String> status = send(HttpRequest.newBuilder(URI.create(session))
        .header("Content-Range", "bytes */*").PUT(HttpRequest.BodyPublishers.noBody()));
    assertThat(status.statusCode()).isEqualTo(308);
    assertThat(storage.get(BlobId.of("bkt", "wire"))).isNull();

    // a resent overlap (bytes 1-2) is skipped, as GCS does
    HttpResponse<String> last = send(HttpRequest.newBuilder(URI.create(session))
        .header("Content-Range", "bytes 1-4/5")
        .header("x-goog-hash", "crc32c=" + io.hybridstorage.api.Checksums.crc32c(
            "abcde".getBytes(StandardCharsets.UTF_8)))
        .PUT(HttpRequest.BodyPublishers.ofString("bcde")));
    assertThat(last.statusCode()).isEqualTo(200);
    assertThat(last.body()).contains("\"name\":\"wire\"").contains("\"size\":\"5\"");
    assertThat(new String(storage.readAllBytes(BlobId.of("bkt", "wire")), StandardCharsets.UTF_8))
        .isEqualTo("abcde");
  }

  @Test
  void aResumableUploadWhoseHashDoesNotMatchIs400AndPublishesNothing() throws Exception {
    String session = startResumable("corrupt");

    HttpResponse<String> last = send(HttpRequest.newBuilder(URI.create(session))
        .header("Content-Range", "bytes 0-2/3")
        .header("x-goog-hash", "crc32c=AAAAAA==")
        .PUT(HttpRequest.BodyPublishers.ofString("abc")));

    assertThat(last.statusCode()).isEqualTo(400);
    assertThat(last.body()).contains("Provided CRC32C");
    assertThat(storage.get(BlobId.of("bkt", "corrupt"))).isNull();
  }
}
