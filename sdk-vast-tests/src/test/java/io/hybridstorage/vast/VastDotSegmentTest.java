package io.hybridstorage.vast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.SignUrlRequest;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Object names with {@code .} or {@code ..} segments ({@code bu-sales/../../finance/ledger.csv})
 * are legal on GCS, which stores them literally. On an S3 path they are not: the AWS SDK sends
 * them as they are ({@code /scratch/bu-sales/../../finance/ledger.csv}), and a server, proxy or
 * URL parser that resolves them (RFC 3986 §5.2.4; WHATWG URL parsers even resolve {@code %2e%2e})
 * addresses another key — or another bucket. S3Mock itself keeps them literal, so the requests here
 * pass a {@link NormalizingProxy} in front of it, as they would a load balancer in front of VAST.
 * VastStore refuses such names with 400 naming bucket, object and site before any request leaves,
 * presigned URLs included.
 */
class VastDotSegmentTest {

  private static NormalizingProxy proxy;
  /** The store under test, through the proxy. */
  private static VastStore store;
  /** A plain SDK client through the proxy. */
  private static S3Client raw;
  private static String scratch;
  private static String finance;
  private static final byte[] LEDGER = "secret ledger".getBytes(StandardCharsets.UTF_8);

  @BeforeAll
  static void start() {
    proxy = new NormalizingProxy(S3MockServer.endpoint());
    store = VastStore.create(VastTestSupport.config(proxy.endpoint()).socketTimeout(Duration.ofSeconds(10))
        .tombstoneBucket(VastTestSupport.TOMBSTONES).build());
    raw = VastTestSupport.rawClient(proxy.endpoint());
    scratch = VastTestSupport.newBucket(store, "scratch");
    finance = VastTestSupport.newBucket(store, "finance");
    raw.putObject(b -> b.bucket(finance).key("ledger.csv"), RequestBody.fromBytes(LEDGER));
  }

  @AfterAll
  static void stop() {
    store.close();
    raw.close();
    proxy.close();
  }

  /** A name that, resolved as a path below {@code /scratch/}, is {@code /finance/ledger.csv}. */
  private static String escaping() {
    return "bu-sales/../../" + finance + "/ledger.csv";
  }

  private static void assertRefused(String op, String bucket, String name, Supplier<?> call) {
    Object[] result = new Object[1];
    Throwable thrown = catchThrowable(() -> result[0] = call.get());
    assertThat(thrown).as("%s of %s answered %s", op, name, result[0]).isInstanceOf(HybridStorageException.class);
    HybridStorageException e = (HybridStorageException) thrown;
    assertThat(e.code()).as("%s of %s: %s", op, name, e.getMessage()).isEqualTo(400);
    assertThat(e.getMessage()).contains(op + " gs://" + bucket + "/" + name).contains("dc1")
        .contains("'.' or '..' segment");
  }

  private static byte[] ledger() throws IOException {
    try (InputStream in = raw.getObject(b -> b.bucket(finance).key("ledger.csv"))) {
      return in.readAllBytes();
    }
  }

  @Test
  void aServerThatResolvesPathsWouldServeAnotherBucket() throws IOException {
    // the premise: the SDK sends dot segments as they are, and the proxy resolves them
    try (InputStream in = raw.getObject(b -> b.bucket(scratch).key(escaping()))) {
      assertThat(in.readAllBytes()).isEqualTo(LEDGER);
    }
  }

  @Test
  void everyOperationOnADotSegmentNameIs400AndTouchesNothing() throws IOException {
    String name = escaping();
    assertRefused("read", scratch, name, () -> {
      try (ObjectContent c = store.read(ReadRequest.of(ObjectId.of(scratch, name)))) {
        return c.stream().readAllBytes();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertRefused("head", scratch, name, () -> store.head(ObjectId.of(scratch, name), Conditions.none()));
    assertRefused("write", scratch, name, () -> store.write(WriteRequest.of(scratch, name),
        new ByteArrayInputStream("overwritten".getBytes(StandardCharsets.UTF_8))));
    assertRefused("write", scratch, name, () -> store.openWrite(WriteRequest.of(scratch, name)));
    assertRefused("delete", scratch, name, () -> store.delete(ObjectId.of(scratch, name), Conditions.none()));
    assertRefused("deleteUpTo", scratch, name, () -> store.deleteUpTo(scratch, name, 5));
    assertRefused("updateMetadata", scratch, name, () -> store.updateMetadata(ObjectId.of(scratch, name),
        MetadataPatch.ofContentType("text/plain"), Conditions.none()));
    store.write(WriteRequest.of(scratch, "plain"), new ByteArrayInputStream(new byte[] {1}));
    assertRefused("copy", scratch, name, () -> store.copy(CopyRequest.of(ObjectId.of(scratch, name), scratch, "c")));
    assertRefused("copy", scratch, name, () -> store.copy(CopyRequest.of(ObjectId.of(scratch, "plain"), scratch,
        name)));
    assertRefused("compose", scratch, name, () -> store.compose(new ComposeRequest(scratch,
        List.of(ComposeRequest.Source.of("plain"), ComposeRequest.Source.of(name)), "t", ObjectMetadata.empty(),
        Conditions.none())));
    assertRefused("compose", scratch, name, () -> store.compose(new ComposeRequest(scratch,
        List.of(ComposeRequest.Source.of("plain")), name, ObjectMetadata.empty(), Conditions.none())));
    assertRefused("signUrl", scratch, name, () -> store.signUrl(new SignUrlRequest(scratch, name, "GET",
        Duration.ofMinutes(5), Map.of())));
    assertRefused("signUrl", scratch, name, () -> store.signUrl(new SignUrlRequest(scratch, name, "PUT",
        Duration.ofMinutes(5), Map.of())));
    assertThat(ledger()).isEqualTo(LEDGER);
  }

  @Test
  void everyShapeOfDotSegmentIsRefused() {
    for (String name : List.of("./a", "a/./b", "a/.", "../x", "a/../b", "a/..", "a//../b")) {
      assertRefused("head", scratch, name, () -> store.head(ObjectId.of(scratch, name), Conditions.none()));
    }
  }

  /** A request that skipped the checks of the operations still never leaves the process. */
  @Test
  void theS3ClientItselfRefusesDotSegmentKeys() {
    Throwable thrown = catchThrowable(() -> store.s3.getObjectAsBytes(b -> b.bucket(scratch).key(escaping())));
    assertThat(thrown).isInstanceOfSatisfying(HybridStorageException.class, e -> {
      assertThat(e.code()).isEqualTo(400);
      assertThat(e.getMessage()).contains("GetObject gs://" + scratch + "/" + escaping()).contains("dc1");
    });
    thrown = catchThrowable(() -> store.s3.copyObject(b -> b.sourceBucket(scratch).sourceKey(escaping())
        .destinationBucket(scratch).destinationKey("copy")));
    assertThat(thrown).isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(400));
    assertThat(raw.listObjectsV2(b -> b.bucket(scratch).prefix("copy")).contents()).isEmpty();
  }

  /**
   * A key with dot segments written by a plain S3 tool is listed (GCS would list the name), but
   * never HEADed: through a resolving server that HEAD would describe another object. Listed as a
   * foreign object from what the listing itself says (size, ETag, time), generation 0.
   */
  @Test
  void aListedDotSegmentKeyIsDescribedByTheListingNotByAHeadOfAnotherObject() {
    String bucket = VastTestSupport.newBucket(store, "listing");
    store.write(WriteRequest.of(bucket, "x").withMetadata(ObjectMetadata.empty().withCustom(Map.of("owner", "finance"))),
        new ByteArrayInputStream("ten bytes!".getBytes(StandardCharsets.UTF_8)));
    try (S3Client direct = VastTestSupport.rawClient(S3MockServer.endpoint())) { // S3Mock keeps keys literal
      direct.putObject(b -> b.bucket(bucket).key("d/../x"), RequestBody.fromString("3 b"));
    }
    List<io.hybridstorage.api.ObjectInfo> items = store.list(io.hybridstorage.api.ListRequest.of(bucket)).items();
    assertThat(items).extracting(io.hybridstorage.api.ObjectInfo::name).containsExactly("d/../x", "x");
    io.hybridstorage.api.ObjectInfo dotted = items.get(0);
    assertThat(dotted.size()).as("the listed key's own size, not x's").isEqualTo(3);
    assertThat(dotted.generation()).isZero();
    assertThat(dotted.metadata().custom()).doesNotContainKey("owner");
    assertThat(items.get(1).metadata().custom()).containsEntry("owner", "finance");
  }

  @Test
  void dotsThatAreNotWholeSegmentsAreOrdinaryNames() throws IOException {
    for (String name : List.of(".a", "a.", "a/..b/c", "a/.../b", "...", "a/b..", ".hidden/.x")) {
      store.write(WriteRequest.of(scratch, name), new ByteArrayInputStream(name.getBytes(StandardCharsets.UTF_8)));
      try (ObjectContent c = store.read(ReadRequest.of(ObjectId.of(scratch, name)))) {
        assertThat(new String(c.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(name);
      }
    }
  }

  /** A presigned URL is a path too: fetched, S3Mock resolves it into the other bucket. */
  @Test
  void noPresignedUrlCarriesADotSegment() throws IOException {
    Throwable thrown = catchThrowable(() -> store.signUrl(new SignUrlRequest(scratch, escaping(), "GET",
        Duration.ofMinutes(5), Map.of())));
    if (thrown == null) {
      URL url = store.signUrl(new SignUrlRequest(scratch, escaping(), "GET", Duration.ofMinutes(5), Map.of()));
      HttpURLConnection c = (HttpURLConnection) url.openConnection();
      byte[] body = c.getResponseCode() == 200 ? c.getInputStream().readAllBytes() : new byte[0];
      assertThat(body).as("the presigned URL %s reads the other bucket's ledger", url).isNotEqualTo(LEDGER);
    }
    assertThat(thrown).isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(400));
  }
}
