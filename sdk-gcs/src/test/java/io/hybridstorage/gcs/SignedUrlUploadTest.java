package io.hybridstorage.gcs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.HybridStorageOptions;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Storage.writer(URL)}: an upload to a URL someone signed, as the real client does it (a
 * {@code POST} with {@code x-goog-resumable: start} to the signed URL, then {@code PUT}s to the
 * session it answers, {@code HttpStorageRpc.open} and {@code JsonResumableSessionPutTask} in
 * google-cloud-storage 2.63), against WireMock standing in for the host.
 *
 * <p>The signature in the URL is the whole authority of such an upload: the client must send no
 * credentials of ours with it (GCS documents signed URLs as usable "without credentials"), and it
 * must not send the bytes to a host that is neither a configured site nor an allowed endpoint.
 * The GCS site here has a real service-account key whose token endpoint is WireMock, so any
 * OAuth token the SDK fetched or sent would show in WireMock's request log.
 */
class SignedUrlUploadTest {

  private static final String QUERY = "?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=signer%2F20260101%2F"
      + "auto%2Fstorage%2Fgoog4_request&X-Goog-Date=20260101T000000Z&X-Goog-Expires=600"
      + "&X-Goog-SignedHeaders=host%3Bx-goog-resumable&X-Goog-Signature=0123abcd";
  private static final byte[] DATA = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  private WireMockServer wire;

  @BeforeEach
  void start() {
    wire = new WireMockServer(options().dynamicPort());
    wire.start();
    wire.stubFor(post(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"access_token\":\"our-oauth-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
    wire.stubFor(post(urlPathEqualTo("/bkt/obj.csv")).withHeader("x-goog-resumable", equalTo("start"))
        .willReturn(aResponse().withStatus(201)
            .withHeader("Location", "http://localhost:" + wire.port() + "/bkt/obj.csv?upload_id=session-1")));
    wire.stubFor(put(urlPathEqualTo("/bkt/obj.csv")).willReturn(aResponse().withStatus(200)
        .withHeader("x-goog-stored-content-length", String.valueOf(DATA.length))));
  }

  @AfterEach
  void stop() {
    wire.stop();
  }

  private Path config(String extra) throws Exception {
    Path key = dir.resolve("sa.json");
    Files.writeString(key, serviceAccountJson("http://localhost:" + wire.port() + "/token"));
    Path file = dir.resolve("hybrid.yaml");
    Files.writeString(file, "projectId: acme-lake\n"
        + "sites:\n"
        + "  - {name: gcp, kind: gcs, endpoint: \"http://localhost:" + wire.port() + "\", credentialsRef: " + key
        + "}\n" + extra);
    return file;
  }

  private URL signed(String host) throws Exception {
    return new URL("http://" + host + ":" + wire.port() + "/bkt/obj.csv" + QUERY);
  }

  private static void upload(Storage storage, URL url) throws Exception {
    try (WriteChannel channel = storage.writer(url)) {
      channel.write(ByteBuffer.wrap(DATA));
    }
  }

  @Test
  void aSignedUrlUploadCarriesNoCredentialsOfOurs() throws Exception {
    try (Storage storage = HybridStorageOptions.fromFile(config("")).getService()) {
      upload(storage, signed("localhost"));
    }
    List<LoggedRequest> requests = wire.findAll(anyRequestedFor(anyUrl()));
    for (LoggedRequest r : requests) {
      assertThat(r.getHeader("Authorization")).as(r.getMethod() + " " + r.getUrl() + " carries no OAuth token")
          .isNull();
      assertThat(r.getAllHeaderKeys()).as("no AWS signature of ours")
          .noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("x-amz-"));
    }
    assertThat(requests).extracting(r -> r.getMethod().getName() + " " + r.getUrl().replaceAll("\\?.*", ""))
        .as("only the upload, no token fetch").containsExactly("POST /bkt/obj.csv", "PUT /bkt/obj.csv");
    assertThat(requests.get(1).getBody()).isEqualTo(DATA);
  }

  @Test
  void aHostThatIsNoSiteAndNotAllowedIsRefusedBeforeAnyRequest() throws Exception {
    try (Storage storage = HybridStorageOptions.fromFile(config("")).getService()) {
      assertThatThrownBy(() -> upload(storage, signed("127.0.0.1")))
          .isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getMessage()).startsWith("writer(URL): http://127.0.0.1:" + wire.port()
                    + " is not the endpoint of a configured site nor one of signedUrlEndpoints")
                .doesNotContain("X-Goog-Signature").doesNotContain("0123abcd");
          });
      assertThatThrownBy(() -> upload(storage, new URL("ftp://localhost:" + wire.port() + "/bkt/obj.csv" + QUERY)))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(400));
    }
    assertThat(wire.findAll(anyRequestedFor(anyUrl()))).as("nothing was sent anywhere").isEmpty();
  }

  @Test
  void anEndpointAllowedInTheConfigurationTakesUploadsWithoutCredentials() throws Exception {
    String allowed = "signedUrlEndpoints: [\"http://127.0.0.1:" + wire.port() + "\"]\n";
    try (Storage storage = HybridStorageOptions.fromFile(config(allowed)).getService()) {
      upload(storage, signed("127.0.0.1"));
    }
    List<LoggedRequest> requests = wire.findAll(anyRequestedFor(anyUrl()));
    assertThat(requests).hasSize(2).noneMatch(r -> r.containsHeader("Authorization"));
    assertThat(requests.get(1).getBody()).isEqualTo(DATA);
  }

  /**
   * The host of an allowed signed URL answers with a session URL (or a redirect) on another host:
   * the upload stops there, and not a byte goes to that host.
   */
  @Test
  void anUploadSessionOnAnotherHostIsRefusedBeforeAByteGoesThere() throws Exception {
    wire.stubFor(post(urlPathEqualTo("/bkt/moved.csv")).withHeader("x-goog-resumable", equalTo("start"))
        .willReturn(aResponse().withStatus(201)
            .withHeader("Location", "http://127.0.0.1:" + wire.port() + "/bkt/moved.csv?upload_id=session-2")));
    try (Storage storage = HybridStorageOptions.fromFile(config("")).getService()) {
      assertThatThrownBy(() -> upload(storage, new URL("http://localhost:" + wire.port() + "/bkt/moved.csv" + QUERY)))
          .isInstanceOf(StorageException.class)
          .hasStackTraceContaining("writer(URL): the upload was sent on to http://127.0.0.1:" + wire.port()
              + ", which is not the endpoint of a configured site");
    }
    assertThat(wire.findAll(anyRequestedFor(anyUrl())))
        .extracting(r -> r.getMethod().getName() + " " + r.getUrl().replaceAll("\\?.*", ""))
        .containsExactly("POST /bkt/moved.csv");
  }

  /** A service-account key generated here, whose OAuth token endpoint is {@code tokenUri}. */
  private static String serviceAccountJson(String tokenUri) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String pem = "-----BEGIN PRIVATE KEY-----\\n"
        + Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
        + "\\n-----END PRIVATE KEY-----\\n";
    return "{\"type\":\"service_account\",\"project_id\":\"acme-lake\",\"private_key_id\":\"k1\","
        + "\"private_key\":\"" + pem + "\",\"client_email\":\"signer@acme-lake.iam.gserviceaccount.com\","
        + "\"client_id\":\"1\",\"token_uri\":\"" + tokenUri + "\"}";
  }
}
