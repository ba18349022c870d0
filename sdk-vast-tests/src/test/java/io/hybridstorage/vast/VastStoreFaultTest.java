package io.hybridstorage.vast;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults injected at the HTTP level by WireMock, where S3Mock cannot produce them (or is wrong):
 * throttling, resets, slow bodies, 412s, and the conditional headers of the native precondition
 * path (S3Mock ignores If-None-Match on CopyObject, so our probe never trusts it).
 */
class VastStoreFaultTest {

  private static final String BUCKET = "bkt";
  private static final String OBJECT_PATH = "/bkt/o";

  private WireMockServer wm;
  private URI endpoint;

  @BeforeEach
  void start() {
    wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    wm.start();
    endpoint = URI.create("http://127.0.0.1:" + wm.port());
  }

  @AfterEach
  void stop() {
    wm.stop();
  }

  private VastStore store(VastStoreConfig.ConditionalWrites mode) {
    return store(mode, Duration.ofSeconds(10));
  }

  private VastStore store(VastStoreConfig.ConditionalWrites mode, Duration socketTimeout) {
    return VastStore.create(VastTestSupport.config(endpoint).conditionalWrites(mode).maxAttempts(3)
        .socketTimeout(socketTimeout).uploadParallelism(1).build());
  }

  private static String error(String code) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + code
        + " injected</Message><RequestId>r</RequestId></Error>";
  }

  private void objectAbsent() {
    wm.stubFor(head(urlPathEqualTo(OBJECT_PATH)).willReturn(aResponse().withStatus(404)));
  }

  /** The server starts multipart upload u1 of the object and takes its part 1. */
  private void multipartUploadU1WithPart1() {
    wm.stubFor(post(urlEqualTo(OBJECT_PATH + "?uploads")).willReturn(aResponse().withStatus(200).withBody(
        "<InitiateMultipartUploadResult><Bucket>bkt</Bucket><Key>o</Key><UploadId>u1</UploadId>"
            + "</InitiateMultipartUploadResult>")));
    wm.stubFor(put(urlEqualTo(OBJECT_PATH + "?partNumber=1&uploadId=u1"))
        .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"p1\"")));
  }

  private void objectPresent(String etag, long generation) {
    wm.stubFor(head(urlPathEqualTo(OBJECT_PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("ETag", etag).withHeader("Content-Length", "5")
        .withHeader("x-amz-meta-hs-generation", Long.toString(generation))
        .withHeader("x-amz-meta-hs-metageneration", "1")));
  }

  @Test
  void slowDownIsRetriedBySdkThenSucceeds() {
    objectAbsent();
    wm.stubFor(put(urlPathEqualTo(OBJECT_PATH)).inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503).withBody(error("SlowDown"))).willSetStateTo("calm"));
    wm.stubFor(put(urlPathEqualTo(OBJECT_PATH)).inScenario("throttle").whenScenarioStateIs("calm")
        .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e1\"")));
    try (VastStore store = store(VastStoreConfig.ConditionalWrites.EMULATED)) {
      ObjectInfo info = store.write(WriteRequest.of(BUCKET, "o"), new ByteArrayInputStream(new byte[] {1, 2}));
      assertThat(info.etag()).isEqualTo("\"e1\"");
    }
    wm.verify(2, putRequestedFor(urlPathEqualTo(OBJECT_PATH)));
  }

  @Test
  void persistentSlowDownBecomesRetryable503NamingTheCall() {
    objectAbsent();
    wm.stubFor(put(urlPathEqualTo(OBJECT_PATH)).willReturn(aResponse().withStatus(503).withBody(error("SlowDown"))));
    try (VastStore store = store(VastStoreConfig.ConditionalWrites.EMULATED)) {
      assertThatThrownBy(() -> store.write(WriteRequest.of(BUCKET, "o"), new ByteArrayInputStream(new byte[] {1})))
          .isInstanceOfSatisfying(HybridStorageException.class, e -> {
            assertThat(e.code()).isEqualTo(503);
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.getMessage()).contains("write gs://bkt/o on dc1").contains("SlowDown")
                .contains(endpoint.toString());
          });
    }
    wm.verify(3, putRequestedFor(urlPathEqualTo(OBJECT_PATH)));
  }

  @Test
  void a412IsNotRetried() {
    objectAbsent();
    wm.stubFor(put(urlPathEqualTo(OBJECT_PATH))
        .willReturn(aResponse().withStatus(412).withBody(error("PreconditionFailed"))));
    try (VastStore store = store(VastStoreConfig.ConditionalWrites.EMULATED)) {
      assertThatThrownBy(() -> store.write(WriteRequest.of(BUCKET, "o"), new ByteArrayInputStream(new byte[] {1})))
          .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(412));
    }
    wm.verify(1, putRequestedFor(urlPathEqualTo(OBJECT_PATH)));
  }

  @Test
  void nativePreconditionsSendIfMatchAndDecideAgainOnlyAfterTheServerRefuses() {
    objectPresent("\"e1\"", 7);
    wm.stubFor(put(urlPathEqualTo(OBJECT_PATH))
        .willReturn(aResponse().withStatus(412).withBody(error("PreconditionFailed"))));
    try (VastStore store = store(VastStoreConfig.ConditionalWrites.NATIVE)) {
      assertThat(store.capabilities()).contains(io.hybridstorage.api.Capability.ATOMIC_PRECONDITIONS);
      // our check passes (generation 7), but the server says the key changed since: decide again,
      // a bounded number of times; the SDK itself never retries a 412
      assertThatThrownBy(() -> store.write(WriteRequest.of(BUCKET, "o").withConditions(Conditions.generationMatch(7)),
          new ByteArrayInputStream(new byte[] {1})))
          .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(412));
      // a failed generation check never reaches the server
      assertThatThrownBy(() -> store.write(WriteRequest.of(BUCKET, "o").withConditions(Conditions.generationMatch(6)),
          new ByteArrayInputStream(new byte[] {1})))
          .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(412));
    }
    wm.verify(VastStore.PUBLISH_ATTEMPTS, putRequestedFor(urlPathEqualTo(OBJECT_PATH)).withHeader("If-Match",
        equalTo("\"e1\"")));
    wm.verify(VastStore.PUBLISH_ATTEMPTS + 1, headRequestedFor(urlPathEqualTo(OBJECT_PATH)));
  }

  @Test
  void nativeCreateSendsIfNoneMatchStar() {
    objectAbsent();
    wm.stubFor(put(urlPathEqualTo(OBJECT_PATH)).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e2\"")));
    try (VastStore store = store(VastStoreConfig.ConditionalWrites.NATIVE)) {
      store.write(WriteRequest.of(BUCKET, "o").withConditions(Conditions.doesNotExist()),
          new ByteArrayInputStream(new byte[] {1}));
    }
    wm.verify(1, putRequestedFor(urlPathEqualTo(OBJECT_PATH)).withHeader("If-None-Match", equalTo("*")));
  }

  @Test
  void connectionResetDuringMultipartUploadAbortsItAndPublishesNothing() {
    objectAbsent();
    multipartUploadU1WithPart1();
    wm.stubFor(put(urlEqualTo(OBJECT_PATH + "?partNumber=2&uploadId=u1"))
        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    wm.stubFor(delete(urlEqualTo(OBJECT_PATH + "?uploadId=u1")).willReturn(aResponse().withStatus(204)));
    byte[] data = new byte[11 * 1024 * 1024];
    try (VastStore store = store(VastStoreConfig.ConditionalWrites.EMULATED)) {
      assertThatThrownBy(() -> store.write(WriteRequest.of(BUCKET, "o"), new ByteArrayInputStream(data)))
          .isInstanceOfSatisfying(HybridStorageException.class, e -> {
            assertThat(e.code()).isEqualTo(503);
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.getMessage()).contains("write gs://bkt/o on dc1").contains(endpoint.toString());
          });
    }
    wm.verify(3, putRequestedFor(urlEqualTo(OBJECT_PATH + "?partNumber=2&uploadId=u1")));
    wm.verify(1, deleteRequestedFor(urlEqualTo(OBJECT_PATH + "?uploadId=u1")));
    wm.verify(0, postRequestedFor(urlEqualTo(OBJECT_PATH + "?uploadId=u1")));
  }

  @Test
  void aDeclaredSizeWriteIsOneStreamedPutWithTheCrc32cUpFront() throws Exception {
    objectAbsent();
    wm.stubFor(put(urlPathEqualTo(OBJECT_PATH)).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e1\"")));
    byte[] data = new byte[3 * 1024 * 1024 + 5];
    new java.util.Random(3).nextBytes(data);
    String crc32c = io.hybridstorage.api.Checksums.crc32c(data);
    try (VastStore store = store(VastStoreConfig.ConditionalWrites.EMULATED)) {
      ObjectInfo info = store.write(WriteRequest.of(BUCKET, "o").withExpectedSize(data.length).withCrc32c(crc32c),
          new ByteArrayInputStream(data));
      assertThat(info.size()).isEqualTo(data.length);
      assertThat(info.crc32c()).isEqualTo(crc32c);
      assertThat(info.etag()).isEqualTo("\"e1\"");
    }
    // one PutObject (no multipart, no copy to record the CRC32C), its metadata sent before the body
    wm.verify(1, putRequestedFor(urlPathEqualTo(OBJECT_PATH)).withHeader("x-amz-meta-hs-crc32c", equalTo(crc32c)));
    wm.verify(0, postRequestedFor(urlPathEqualTo(OBJECT_PATH)));
    // over http the SDK signs the body chunk by chunk as it streams (aws-chunked): one pass, no replay
    wm.verify(1, putRequestedFor(urlPathEqualTo(OBJECT_PATH))
        .withHeader("x-amz-content-sha256", equalTo("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"))
        .withHeader("x-amz-decoded-content-length", equalTo(Integer.toString(data.length))));
  }

  @Test
  void withAnonymousCredentialsADeclaredWriteIsAMultipartUpload() {
    // the SDK hashes an unsigned body before sending it (two reads): a streamed body cannot serve that
    objectAbsent();
    multipartUploadU1WithPart1();
    wm.stubFor(post(urlEqualTo(OBJECT_PATH + "?uploadId=u1")).willReturn(aResponse().withStatus(200).withBody(
        "<CompleteMultipartUploadResult><Bucket>bkt</Bucket><Key>o</Key><ETag>\"c1\"</ETag>"
            + "</CompleteMultipartUploadResult>")));
    byte[] data = new byte[3 * 1024 * 1024];
    try (VastStore store = VastStore.create(VastTestSupport.config(endpoint)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
        .uploadParallelism(1).build())) {
      ObjectInfo info = store.write(WriteRequest.of(BUCKET, "o").withExpectedSize(data.length)
          .withCrc32c(io.hybridstorage.api.Checksums.crc32c(data)), new ByteArrayInputStream(data));
      assertThat(info.etag()).isEqualTo("\"c1\"");
    }
    wm.verify(1, putRequestedFor(urlEqualTo(OBJECT_PATH + "?partNumber=1&uploadId=u1")));
    wm.verify(1, postRequestedFor(urlEqualTo(OBJECT_PATH + "?uploadId=u1")));
    wm.verify(0, putRequestedFor(urlEqualTo(OBJECT_PATH)));
  }

  /** A reset, and a SlowDown sent after the body was read (WireMock reads it whole first). */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"reset", "SlowDown"})
  void aFailedStreamedPutIsARetryable503AndTheBodyIsNeverResent(String fault) {
    objectAbsent();
    wm.stubFor(put(urlPathEqualTo(OBJECT_PATH)).willReturn(fault.equals("reset")
        ? aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)
        : aResponse().withStatus(503).withBody(error("SlowDown"))));
    byte[] data = new byte[3 * 1024 * 1024];
    try (VastStore store = store(VastStoreConfig.ConditionalWrites.EMULATED)) {
      assertThatThrownBy(() -> store.write(WriteRequest.of(BUCKET, "o").withExpectedSize(data.length),
          new ByteArrayInputStream(data)))
          .isInstanceOfSatisfying(HybridStorageException.class, e -> {
            assertThat(e.code()).isEqualTo(503);
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.getMessage()).contains("write gs://bkt/o on dc1");
          });
    }
    // the SDK's retry finds the body already read: it cannot send a truncated or empty copy
    wm.verify(1, putRequestedFor(urlPathEqualTo(OBJECT_PATH)));
  }

  @Test
  void connectionResetInTheMiddleOfADownloadIsARetryable503() {
    wm.stubFor(get(urlPathEqualTo(OBJECT_PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Length", "1000000").withHeader("ETag", "\"e\"")
        .withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
    assertThat(readFailure()).satisfies(e -> {
      assertThat(e.code()).isEqualTo(503);
      assertThat(e.isRetryable()).isTrue();
      assertThat(e.getMessage()).contains("read gs://bkt/o on dc1");
    });
  }

  /** What reading the whole of bkt/o fails with. */
  private HybridStorageException readFailure() {
    try (VastStore store = store(VastStoreConfig.ConditionalWrites.EMULATED);
        ObjectContent c = store.read(ReadRequest.of(ObjectId.of(BUCKET, "o")))) {
      c.stream().readAllBytes();
    } catch (HybridStorageException e) {
      return e;
    } catch (java.io.IOException e) {
      throw new AssertionError("expected a HybridStorageException", e);
    }
    throw new AssertionError("the read succeeded");
  }

  @Test
  void aSlowBodyTimesOutPerConfiguration() {
    wm.stubFor(get(urlPathEqualTo(OBJECT_PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("ETag", "\"e\"").withBody(new byte[1000]).withChunkedDribbleDelay(4, 20_000)));
    try (VastStore store = store(VastStoreConfig.ConditionalWrites.EMULATED, Duration.ofSeconds(1))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> {
        try (ObjectContent c = store.read(ReadRequest.of(ObjectId.of(BUCKET, "o")))) {
          InputStream in = c.stream();
          in.readAllBytes();
        }
      }).isInstanceOfSatisfying(HybridStorageException.class, e -> {
        assertThat(e.code()).isEqualTo(503);
        assertThat(e.getMessage()).contains("timed out");
      });
      // the body would take 20 s; the 1 s socket timeout ends it long before
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(12));
    }
  }

  @Test
  void accessDeniedIs403AndNoSuchBucketIs404() {
    wm.stubFor(any(urlPathEqualTo("/denied")).willReturn(aResponse().withStatus(403).withBody(error("AccessDenied"))));
    wm.stubFor(any(urlPathEqualTo("/gone")).willReturn(aResponse().withStatus(404).withBody(error("NoSuchBucket"))));
    try (VastStore store = store(VastStoreConfig.ConditionalWrites.EMULATED)) {
      assertThatThrownBy(() -> store.list(ListRequest.of("denied")))
          .isInstanceOfSatisfying(HybridStorageException.class, e -> {
            assertThat(e.code()).isEqualTo(403);
            assertThat(e.getMessage()).contains("list gs://denied on dc1").contains("AccessDenied");
          });
      assertThatThrownBy(() -> store.list(ListRequest.of("gone")))
          .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(404));
    }
  }

  @Test
  void listingKeepsUtf8ByteOrderAcrossKeysAndPrefixes() {
    // the server lists in UTF-8 byte order (as S3 and VAST do); keys and common prefixes come
    // back apart and must be merged in that order, not Java's UTF-16 order
    wm.stubFor(get(urlPathEqualTo("/bkt")).willReturn(aResponse().withStatus(200).withBody(
        "<ListBucketResult><Name>bkt</Name><KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys>"
            + "<IsTruncated>false</IsTruncated>"
            + "<Contents><Key>d\uFFFD</Key><Size>1</Size></Contents>"
            + "<Contents><Key>d\uD83D\uDE00</Key><Size>1</Size></Contents>"
            + "<CommonPrefixes><Prefix>d\uE000/</Prefix></CommonPrefixes>"
            + "</ListBucketResult>")));
    wm.stubFor(head(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e\"")
        .withHeader("x-amz-meta-hs-generation", "5")));
    try (VastStore store = store(VastStoreConfig.ConditionalWrites.EMULATED)) {
      var page = store.list(ListRequest.of(BUCKET).withDelimiter("/"));
      assertThat(page.items()).extracting(ObjectInfo::name).containsExactly("d\uFFFD", "d\uD83D\uDE00");
      assertThat(page.prefixes()).containsExactly("d\uE000/");
      assertThat(page.items()).extracting(ObjectInfo::generation).containsOnly(5L);
    }
    // one ListObjectsV2 call: the scan continues past the common prefix instead of asking again
    wm.verify(1, getRequestedFor(urlPathEqualTo("/bkt")));
  }

  @Test
  void aWholeReadWhoseBytesDoNotMatchTheRecordedCrc32cIsA503() {
    wm.stubFor(get(urlPathEqualTo(OBJECT_PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("ETag", "\"e\"").withHeader("x-amz-meta-hs-generation", "9")
        .withHeader("x-amz-meta-hs-crc32c", io.hybridstorage.api.Checksums.crc32c("hellO".getBytes()))
        .withBody("hello")));
    assertThat(readFailure()).satisfies(e -> {
      assertThat(e.code()).isEqualTo(503);
      assertThat(e.getMessage()).contains("CRC32C");
    });
  }

  @Test
  void metadataOfForeignObjectsIsNeverGuessed() {
    wm.stubFor(head(urlPathEqualTo(OBJECT_PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("ETag", "\"3858f62230ac3c915f300c664312c11f-2\"").withHeader("Content-Length", "5")
        .withHeader("x-amz-meta-owner", "nfs")));
    try (VastStore store = store(VastStoreConfig.ConditionalWrites.EMULATED)) {
      ObjectInfo info = store.head(ObjectId.of(BUCKET, "o"), Conditions.none()).orElseThrow();
      assertThat(info.generation()).isZero();
      assertThat(info.md5()).isNull();
      assertThat(info.crc32c()).isNull();
      assertThat(info.metadata().custom()).isEqualTo(Map.of("owner", "nfs"));
    }
  }
}
