package io.hybridstorage.vast;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * VAST over https (WireMock with a self-signed certificate made at test time): {@link
 * VastStoreConfig#trustedCertificates()} lets one store trust the cluster's CA, without it the
 * store fails fast and clearly, and both upload paths work over TLS. In particular the streamed PUT
 * of a declared-size write ({@link StreamedPutWriter}), whose body can be read only once: over
 * https the AWS SDK (2.40) sends it with {@code x-amz-content-sha256: UNSIGNED-PAYLOAD} and a plain
 * Content-Length (no aws-chunked framing, no hashing pass), so it reads the body exactly once.
 */
class VastStoreTlsTest {

  private static final String BUCKET = "bkt";
  private static final String OBJECT_PATH = "/bkt/o";
  private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

  @TempDir static Path dir;
  /** The endpoint's certificate: subject alternative name 127.0.0.1. */
  private static TestCertificate server;
  /** A certificate for another host name (vast.invalid). */
  private static TestCertificate otherHost;

  private WireMockServer wm;
  private URI endpoint;

  @BeforeAll
  static void certificates() throws Exception {
    server = TestCertificate.generate(dir, "vast-test", "ip:127.0.0.1");
    otherHost = TestCertificate.generate(dir, "vast-other", "dns:vast.invalid");
  }

  /** Starts WireMock serving https only, with {@code certificate}. */
  private void serve(TestCertificate certificate) {
    wm = new WireMockServer(options().bindAddress("127.0.0.1").httpDisabled(true).httpsPort(0)
        .keystorePath(certificate.keystore().toString()).keystoreType("PKCS12")
        .keystorePassword(TestCertificate.PASSWORD).keyManagerPassword(TestCertificate.PASSWORD));
    wm.start();
    endpoint = URI.create("https://127.0.0.1:" + wm.httpsPort());
  }

  @AfterEach
  void stop() {
    if (wm != null) {
      wm.stop();
    }
  }

  private VastStoreConfig.Builder config() {
    return VastTestSupport.config(endpoint).maxAttempts(3).uploadParallelism(1);
  }

  private static byte[] data(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }

  @Test
  void aDeclaredSizeWriteOverHttpsIsOneUnsignedPutCarryingTheWholeBody() {
    serve(server);
    wm.stubFor(head(urlPathEqualTo(OBJECT_PATH)).willReturn(aResponse().withStatus(404)));
    wm.stubFor(put(urlPathEqualTo(OBJECT_PATH)).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e1\"")));
    byte[] data = data(3 * 1024 * 1024 + 5);
    String crc32c = Checksums.crc32c(data);
    try (VastStore store = VastStore.create(config().trustedCertificates(server.pem()).build())) {
      // above multipartThreshold (1 MiB), up to singlePutLimit: the streamed PUT
      ObjectInfo info = store.write(WriteRequest.of(BUCKET, "o").withExpectedSize(data.length).withCrc32c(crc32c),
          new ByteArrayInputStream(data));
      assertThat(info.size()).isEqualTo(data.length);
      assertThat(info.etag()).isEqualTo("\"e1\"");
    }
    // exactly one PUT (a part upload or a checksum copy would be another), no multipart calls
    List<LoggedRequest> puts = wm.findAll(putRequestedFor(urlPathEqualTo(OBJECT_PATH)));
    assertThat(puts).hasSize(1);
    wm.verify(0, postRequestedFor(anyUrl()));
    LoggedRequest put = puts.get(0);
    assertThat(put.getUrl()).isEqualTo(OBJECT_PATH);
    assertThat(put.getHeader("x-amz-meta-hs-crc32c")).isEqualTo(crc32c);
    // the mode observed over https: the payload is not signed, so the SDK neither hashes the body
    // first (a second read) nor frames it as aws-chunked; the body arrives as is, whole
    assertThat(put.getHeader("x-amz-content-sha256")).isEqualTo(UNSIGNED_PAYLOAD);
    assertThat(put.containsHeader("x-amz-decoded-content-length")).isFalse();
    assertThat(put.containsHeader("Content-Encoding")).isFalse();
    assertThat(put.getHeader("Content-Length")).isEqualTo(Integer.toString(data.length));
    assertThat(put.getBody()).isEqualTo(data);
  }

  @Test
  void anUnknownLengthWriteOverHttpsIsAMultipartUploadOfTheWholeBody() {
    serve(server);
    wm.stubFor(head(urlPathEqualTo(OBJECT_PATH)).willReturn(aResponse().withStatus(404)));
    wm.stubFor(post(urlEqualTo(OBJECT_PATH + "?uploads")).willReturn(aResponse().withStatus(200).withBody(
        "<InitiateMultipartUploadResult><Bucket>bkt</Bucket><Key>o</Key><UploadId>u1</UploadId>"
            + "</InitiateMultipartUploadResult>")));
    for (int part = 1; part <= 3; part++) {
      wm.stubFor(put(urlEqualTo(OBJECT_PATH + "?partNumber=" + part + "&uploadId=u1"))
          .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"p" + part + "\"")));
    }
    wm.stubFor(post(urlEqualTo(OBJECT_PATH + "?uploadId=u1")).willReturn(aResponse().withStatus(200).withBody(
        "<CompleteMultipartUploadResult><Bucket>bkt</Bucket><Key>o</Key><ETag>\"c1\"</ETag>"
            + "</CompleteMultipartUploadResult>")));
    byte[] data = data(2 * (int) VastStoreConfig.MIN_PART_SIZE + 7);
    try (VastStore store = VastStore.create(config().trustedCertificates(server.pem()).build())) {
      ObjectInfo info = store.write(WriteRequest.of(BUCKET, "o").withCrc32c(Checksums.crc32c(data)),
          new ByteArrayInputStream(data));
      assertThat(info.etag()).isEqualTo("\"c1\"");
      assertThat(info.size()).isEqualTo(data.length);
    }
    List<LoggedRequest> parts = wm.findAll(putRequestedFor(urlPathEqualTo(OBJECT_PATH))).stream()
        .sorted(Comparator.comparing(LoggedRequest::getUrl)).toList();
    assertThat(parts).extracting(LoggedRequest::getUrl).containsExactly(OBJECT_PATH + "?partNumber=1&uploadId=u1",
        OBJECT_PATH + "?partNumber=2&uploadId=u1", OBJECT_PATH + "?partNumber=3&uploadId=u1");
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    for (LoggedRequest part : parts) {
      assertThat(part.getHeader("x-amz-content-sha256")).isEqualTo(UNSIGNED_PAYLOAD);
      received.writeBytes(part.getBody());
    }
    assertThat(received.toByteArray()).isEqualTo(data);
    wm.verify(1, postRequestedFor(urlEqualTo(OBJECT_PATH + "?uploads")));
    wm.verify(1, postRequestedFor(urlEqualTo(OBJECT_PATH + "?uploadId=u1")));
  }

  @Test
  @Timeout(60) // a hang guard, not a timing assertion: the handshake fails at once
  void withoutTrustedCertificatesTheStoreFailsWithARetryable503NamingSiteEndpointAndTheSetting() {
    serve(server);
    assertUntrusted(refusedWrite(config().build()));
  }

  @Test
  @Timeout(60)
  void trustingAnotherCertificateIsNotTrustingTheEndpoint() {
    serve(server);
    assertUntrusted(refusedWrite(config().trustedCertificates(otherHost.pem()).build()));
  }

  @Test
  @Timeout(60)
  void aTrustedCertificateForAnotherHostIsRefused() {
    // the endpoint presents a certificate we trust, but for vast.invalid, not 127.0.0.1
    serve(otherHost);
    HybridStorageException e = refusedWrite(config().trustedCertificates(otherHost.pem()).build());
    assertThat(e.code()).isEqualTo(503);
    assertThat(e.getMessage()).contains("write gs://bkt/o on dc1").contains("TLS handshake with " + endpoint)
        .contains("vast.invalid");
  }

  /**
   * What a declared-size write through a store of {@code config} fails with, having checked that no
   * HTTP request reached the server (the TLS handshake refused it).
   */
  private HybridStorageException refusedWrite(VastStoreConfig config) {
    byte[] data = data(3 * 1024 * 1024);
    HybridStorageException failure;
    try (VastStore store = VastStore.create(config)) {
      failure = catchThrowableOfType(() -> store.write(WriteRequest.of(BUCKET, "o").withExpectedSize(data.length),
          new ByteArrayInputStream(data)), HybridStorageException.class);
    }
    assertThat(failure).as("the write failed").isNotNull();
    assertThat(wm.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    return failure;
  }

  private void assertUntrusted(HybridStorageException e) {
    assertThat(e.code()).isEqualTo(503);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("write gs://bkt/o on dc1").contains(endpoint.toString()).contains("TLS")
        .contains("trustedCertificates");
  }

  @Test
  void trustedCertificatesAreAddedToTheJvmDefaultTrustNotInsteadOfIt() throws Exception {
    List<X509Certificate> ours = TrustedCertificates.read(server.pem());
    TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jvm.init((KeyStore) null);
    List<X509Certificate> jvmAnchors = Arrays.asList(x509(jvm.getTrustManagers()).getAcceptedIssuers());
    assertThat(jvmAnchors).isNotEmpty().doesNotContainAnyElementsOf(ours);

    X509TrustManager merged = x509(TrustedCertificates.trustManagers(ours));
    assertThat(merged.getAcceptedIssuers()).containsAll(jvmAnchors).containsAll(ours)
        .hasSize(jvmAnchors.size() + ours.size());
    // and it is a real PKIX check: our certificate passes, one we did not add fails
    merged.checkServerTrusted(ours.toArray(X509Certificate[]::new), "RSA");
    X509Certificate[] other = TrustedCertificates.read(otherHost.pem()).toArray(X509Certificate[]::new);
    assertThatThrownBy(() -> merged.checkServerTrusted(other, "RSA"))
        .isInstanceOf(java.security.cert.CertificateException.class);
  }

  private static X509TrustManager x509(TrustManager[] managers) {
    return Arrays.stream(managers).filter(X509TrustManager.class::isInstance).map(X509TrustManager.class::cast)
        .findFirst().orElseThrow();
  }

  @Test
  void aPemBundleMayHoldSeveralCertificatesAndTextBetweenThem() throws Exception {
    Path bundle = dir.resolve("bundle.pem");
    Files.writeString(bundle, "subject=CN = vast-test\n" + Files.readString(server.pem()) + "\n# the other one\n"
        + Files.readString(otherHost.pem()));
    VastStoreConfig config = VastStoreConfig.builder().site("dc1").endpoint(URI.create("https://vast.dc1"))
        .credentialsProvider(VastTestSupport.CREDENTIALS).trustedCertificates(bundle).build();
    assertThat(config.trustedCertificates()).isEqualTo(bundle);
    assertThat(TrustedCertificates.subjects(config.trustedCertificateList()))
        .containsExactly("CN=vast-test", "CN=vast-other");
    assertThat(config.toString()).contains("trustedCertificates=" + bundle);
    assertThat(config.toBuilder().build().trustedCertificates()).isEqualTo(bundle);
    assertThat(config.toBuilder().trustedCertificates(null).build().trustedCertificateList()).isEmpty();
  }

  @Test
  void aBadTrustedCertificatesFileFailsAtBuildNamingTheFieldAndThePath() throws Exception {
    VastStoreConfig.Builder https = VastStoreConfig.builder().site("dc1").endpoint(URI.create("https://vast.dc1"))
        .credentialsProvider(VastTestSupport.CREDENTIALS);
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> https.trustedCertificates(missing).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("VastStoreConfig: trustedCertificates (" + missing + ") cannot be read");
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> https.trustedCertificates(empty).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("VastStoreConfig: trustedCertificates (" + empty + ") holds no certificate");
    Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
    assertThatThrownBy(() -> https.trustedCertificates(junk).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("VastStoreConfig: trustedCertificates (" + junk + ") must be a PEM bundle");
    assertThatThrownBy(() -> https.trustedCertificates(server.pem()).endpoint(URI.create("http://vast.dc1")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trustedCertificates (" + server.pem() + ") is set but endpoint (http://vast.dc1)");
  }
}
