package io.hybridstorage.vast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.SignUrlOption;
import io.hybridstorage.api.HybridStorage;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code Storage.signUrl} gives for an object whose authority is a VAST site (README,
 * "Signed URLs"): a presigned S3 (SigV4) URL for the site's endpoint with GCS V4's semantics: the
 * method asked for ({@code httpMethod}, GET by default), the lifetime asked for (at most 7 days,
 * V4's limit, beyond which the client throws {@code IllegalArgumentException}), and the
 * Content-Type signed with {@code withContentType()}. Any HTTP client uses it without credentials,
 * as it would a GCS signed URL; here against S3Mock.
 */
class VastSignedUrlTest {

  private static VastStore store;
  private static Storage storage;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    store = VastTestSupport.s3MockStore();
    storage = HybridStorage.over(store, "test-project");
  }

  @AfterAll
  static void stop() throws Exception {
    storage.close();
  }

  private static HttpResponse<String> send(URL url, String method, HttpRequest.BodyPublisher body,
      String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString())).method(method, body);
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aVastAuthoritySignsAPresignedS3UrlWithTheMethodLifetimeAndHeadersAsked() throws Exception {
    String bucket = VastTestSupport.bucketName("signed");
    storage.create(BucketInfo.of(bucket));
    storage.create(BlobInfo.newBuilder(bucket, "d/o.csv").build(), "a,b\n".getBytes(StandardCharsets.UTF_8));

    URL get = storage.signUrl(BlobInfo.newBuilder(bucket, "d/o.csv").build(), 5, TimeUnit.MINUTES,
        SignUrlOption.withV4Signature());
    assertThat(get.toString()).startsWith(S3MockServer.endpoint() + "/" + bucket + "/d/o.csv?");
    assertThat(get.getQuery()).contains("X-Amz-Algorithm=AWS4-HMAC-SHA256").contains("X-Amz-Expires=300")
        .contains("X-Amz-Signature=");
    HttpResponse<String> read = send(get, "GET", HttpRequest.BodyPublishers.noBody());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo("a,b\n");

    URL put = storage.signUrl(BlobInfo.newBuilder(bucket, "up.csv").setContentType("text/csv").build(), 7,
        TimeUnit.DAYS, SignUrlOption.httpMethod(HttpMethod.PUT), SignUrlOption.withContentType());
    assertThat(put.getQuery()).contains("X-Amz-Expires=604800").contains("X-Amz-SignedHeaders=content-type");
    HttpResponse<String> upload = send(put, "PUT", HttpRequest.BodyPublishers.ofString("x,y\n"),
        "Content-Type", "text/csv");
    assertThat(upload.statusCode()).isEqualTo(200);
    assertThat(storage.readAllBytes(BlobId.of(bucket, "up.csv"))).isEqualTo("x,y\n".getBytes(StandardCharsets.UTF_8));
    assertThat(storage.get(BlobId.of(bucket, "up.csv")).getContentType()).isEqualTo("text/csv");

    URL head = storage.signUrl(BlobInfo.newBuilder(bucket, "d/o.csv").build(), 1, TimeUnit.MINUTES,
        SignUrlOption.httpMethod(HttpMethod.HEAD));
    HttpResponse<String> headed = send(head, "HEAD", HttpRequest.BodyPublishers.noBody());
    assertThat(headed.statusCode()).isEqualTo(200);
    assertThat(headed.headers().firstValue("Content-Length")).hasValue("4");
    URL delete = storage.signUrl(BlobInfo.newBuilder(bucket, "d/o.csv").build(), 1, TimeUnit.MINUTES,
        SignUrlOption.httpMethod(HttpMethod.DELETE));
    assertThat(send(delete, "DELETE", HttpRequest.BodyPublishers.noBody()).statusCode()).isEqualTo(204);
    assertThat(storage.get(BlobId.of(bucket, "d/o.csv"))).isNull();

    assertThatThrownBy(() -> storage.signUrl(BlobInfo.newBuilder(bucket, "o").build(), 8, TimeUnit.DAYS))
        .as("V4's limit, as the client checks it").isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("7 days");
  }
}
