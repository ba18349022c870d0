package io.hybridstorage.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.SignUrlOption;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.NoCredentials;
import io.hybridstorage.api.Profile;
import io.hybridstorage.memory.InMemoryStore;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * V4 signed URLs for the gateway's host: made by the real client's {@code signUrl} with a
 * service account's key (and, for HMAC, by this test following GCS's documented algorithm),
 * verified by the gateway, acting within the signer's profile. A tampered, expired or foreign
 * URL does nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SignedUrlTest {

  private static final Profile SALES = new Profile("sales", List.of("sales-data"), List.of());
  private static final Profile FINANCE = new Profile("finance", List.of("fin-data"), List.of());
  private static final String SALES_ACCOUNT = "sales-jobs@retail.iam.gserviceaccount.com";

  private static Gateway gateway;
  private static Storage ops;
  private static ServiceAccountCredentials salesKey;
  private static ServiceAccountCredentials strangerKey;

  @BeforeAll
  static void start() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair sales = generator.generateKeyPair();
    KeyPair stranger = generator.generateKeyPair();
    salesKey = ServiceAccountCredentials.newBuilder().setClientEmail(SALES_ACCOUNT).setPrivateKey(sales.getPrivate())
        .setPrivateKeyId("k1").setProjectId("retail").build();
    strangerKey = ServiceAccountCredentials.newBuilder().setClientEmail(SALES_ACCOUNT)
        .setPrivateKey(stranger.getPrivate()).setPrivateKeyId("k2").setProjectId("retail").build();
    gateway = Gateway.builder(new InMemoryStore("dc1"))
        .unboundedToken("ops")
        .signer(SALES_ACCOUNT, sales.getPublic(), SALES)
        .hmacSigner("GOOG1FINANCEKEY", "finance-secret", FINANCE)
        .stopTimeout(Duration.ofSeconds(1))
        .start();
    ops = BearerClients.client(gateway, "ops");
    ops.create(BucketInfo.of("sales-data"));
    ops.create(BucketInfo.of("fin-data"));
    ops.create(BlobInfo.newBuilder("sales-data", "report.csv").setContentType("text/csv").build(),
        "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
    ops.create(BlobInfo.newBuilder("fin-data", "ledger.csv").build(), "secret".getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() throws Exception {
    ops.close();
    gateway.close();
  }

  private static URL sign(ServiceAccountCredentials key, String bucket, String name, HttpMethod method,
      long seconds) {
    return ops.signUrl(BlobInfo.newBuilder(bucket, name).build(), seconds, TimeUnit.SECONDS,
        SignUrlOption.withV4Signature(), SignUrlOption.withHostName(gateway.endpoint().toString()),
        SignUrlOption.httpMethod(method), SignUrlOption.signWith(key));
  }

  private static RawHttp.Response call(String method, URL url, Map<String, String> headers, byte[] body)
      throws IOException {
    return RawHttp.send(gateway.port(), method, url.getFile(), headers, body);
  }

  @Test
  void theClientsSignedUrlsReadWriteAndDeleteThroughTheGateway() throws IOException {
    URL get = sign(salesKey, "sales-data", "report.csv", HttpMethod.GET, 600);
    assertThat(get.getPath()).isEqualTo("/sales-data/report.csv");
    RawHttp.Response read = call("GET", get, Map.of(), new byte[0]);
    assertThat(read.status()).as(read.text()).isEqualTo(200);
    assertThat(read.text()).isEqualTo("a,b\n1,2\n");
    assertThat(read.header("Content-Type")).isEqualTo("text/csv");
    RawHttp.Response ranged = call("GET", get, Map.of("Range", "bytes=4-6"), new byte[0]);
    assertThat(ranged.status()).isEqualTo(206);
    assertThat(ranged.text()).isEqualTo("1,2");

    URL put = sign(salesKey, "sales-data", "dir/upload name.txt", HttpMethod.PUT, 600);
    RawHttp.Response written = call("PUT", put, Map.of("Content-Type", "text/plain", "x-goog-meta-origin", "signed"),
        "uploaded".getBytes(StandardCharsets.UTF_8));
    assertThat(written.status()).as(written.text()).isEqualTo(200);
    assertThat(written.header("x-goog-generation")).isEqualTo(
        String.valueOf(ops.get("sales-data", "dir/upload name.txt").getGeneration()));
    assertThat(ops.readAllBytes(BlobId.of("sales-data", "dir/upload name.txt"))).asString(StandardCharsets.UTF_8)
        .isEqualTo("uploaded");
    assertThat(ops.get("sales-data", "dir/upload name.txt").getMetadata()).containsEntry("origin", "signed");

    RawHttp.Response head = call("HEAD", sign(salesKey, "sales-data", "report.csv", HttpMethod.HEAD, 600), Map.of(),
        new byte[0]);
    assertThat(head.status()).as(head.headers() + head.text()).isEqualTo(200);
    assertThat(head.headers()).as(head.headers().toString()).containsKey("x-goog-stored-content-length");
    assertThat(head.header("x-goog-stored-content-length")).isEqualTo("8");

    RawHttp.Response deleted = call("DELETE", sign(salesKey, "sales-data", "dir/upload name.txt", HttpMethod.DELETE,
        600), Map.of(), new byte[0]);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(ops.get("sales-data", "dir/upload name.txt")).isNull();
  }

  @Test
  void theXmlApisPreconditionHeadersHold() throws IOException {
    long generation = ops.get("sales-data", "report.csv").getGeneration();
    URL put = sign(salesKey, "sales-data", "report.csv", HttpMethod.PUT, 600);
    RawHttp.Response exists = call("PUT", put, Map.of("x-goog-if-generation-match", "0"),
        "overwritten".getBytes(StandardCharsets.UTF_8));
    assertThat(exists.status()).as(exists.text()).isEqualTo(412);
    RawHttp.Response stale = call("PUT", put, Map.of("x-goog-if-generation-match", String.valueOf(generation + 1)),
        "overwritten".getBytes(StandardCharsets.UTF_8));
    assertThat(stale.status()).isEqualTo(412);
    assertThat(ops.get("sales-data", "report.csv").getGeneration()).isEqualTo(generation);
    URL delete = sign(salesKey, "sales-data", "report.csv", HttpMethod.DELETE, 600);
    assertThat(call("DELETE", delete, Map.of("x-goog-if-metageneration-match", "7"), new byte[0]).status())
        .isEqualTo(412);
    assertThat(call("DELETE", delete, Map.of("x-goog-if-generation-match", "x"), new byte[0]).status())
        .isEqualTo(400);
    assertThat(ops.get("sales-data", "report.csv")).isNotNull();
  }

  @Test
  void aTamperedExpiredOrForeignUrlDoesNothing() throws IOException {
    URL get = sign(salesKey, "sales-data", "report.csv", HttpMethod.GET, 600);
    String file = get.getFile();
    char last = file.charAt(file.length() - 1);
    String tampered = file.substring(0, file.length() - 1) + (last == '0' ? '1' : '0');
    assertThat(RawHttp.get(gateway.port(), tampered).status()).isEqualTo(403);
    // the same signature for another object, or another method
    assertThat(RawHttp.get(gateway.port(), file.replace("/report.csv", "/other.csv")).status()).isEqualTo(403);
    assertThat(call("DELETE", get, Map.of(), new byte[0]).status()).isEqualTo(403);
    assertThat(ops.get("sales-data", "report.csv")).isNotNull();
    // a key the gateway does not know for that account
    assertThat(call("GET", sign(strangerKey, "sales-data", "report.csv", HttpMethod.GET, 600), Map.of(),
        new byte[0]).status()).isEqualTo(403);
    // another host than the one signed
    assertThat(RawHttp.send(gateway.port(), "GET", file, Map.of("Host", "localhost:" + gateway.port()),
        new byte[0]).status()).isEqualTo(403);
    // the sales account's key signs nothing of finance
    RawHttp.Response foreign = call("GET", sign(salesKey, "fin-data", "ledger.csv", HttpMethod.GET, 600), Map.of(),
        new byte[0]);
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.text()).contains("sales").doesNotContain("secret");
    // expired: signed by a client whose clock is two hours behind, for one minute
    try (Storage behind = StorageOptions.http().setServiceFactory(new HttpStorageOptions.HttpStorageFactory())
        .setHost(gateway.endpoint().toString()).setProjectId("retail").setCredentials(NoCredentials.getInstance())
        .setClock(new com.google.api.core.ApiClock() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public long millisTime() {
            return System.currentTimeMillis() - Duration.ofHours(2).toMillis();
          }
        }).build().getService()) {
      URL expired = behind.signUrl(BlobInfo.newBuilder("sales-data", "report.csv").build(), 60, TimeUnit.SECONDS,
          SignUrlOption.withV4Signature(), SignUrlOption.withHostName(gateway.endpoint().toString()),
          SignUrlOption.signWith(salesKey));
      RawHttp.Response r = call("GET", expired, Map.of(), new byte[0]);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.text()).contains("expired");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** GOOG4-HMAC-SHA256 written from GCS's documentation, independently of the gateway's verifier. */
  private static String hmacSignedTarget(String method, String bucket, String object, String accessId, String secret)
      throws Exception {
    Instant now = Instant.now();
    String date = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(now);
    String time = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now);
    String scope = date + "/auto/storage/goog4_request";
    String host = "127.0.0.1:" + gateway.port();
    TreeMap<String, String> query = new TreeMap<>();
    query.put("X-Goog-Algorithm", "GOOG4-HMAC-SHA256");
    query.put("X-Goog-Credential", (accessId + "/" + scope).replace("/", "%2F"));
    query.put("X-Goog-Date", time);
    query.put("X-Goog-Expires", "300");
    query.put("X-Goog-SignedHeaders", "host");
    StringBuilder q = new StringBuilder();
    query.forEach((k, v) -> q.append(q.length() == 0 ? "" : "&").append(k).append('=').append(v));
    String path = "/" + bucket + "/" + object;
    String canonical = method + "\n" + path + "\n" + q + "\nhost:" + host + "\n\nhost\nUNSIGNED-PAYLOAD";
    String stringToSign = "GOOG4-HMAC-SHA256\n" + time + "\n" + scope + "\n" + HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] key = mac(("GOOG4" + secret).getBytes(StandardCharsets.UTF_8), date);
    for (String part : new String[] {"auto", "storage", "goog4_request"}) {
      key = mac(key, part);
    }
    return path + "?" + q + "&X-Goog-Signature=" + HexFormat.of().formatHex(mac(key, stringToSign));
  }

  private static byte[] mac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void hmacSignedUrlsAreVerifiedWithTheConfiguredSecret() throws Exception {
    RawHttp.Response ok = RawHttp.get(gateway.port(),
        hmacSignedTarget("GET", "fin-data", "ledger.csv", "GOOG1FINANCEKEY", "finance-secret"));
    assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    assertThat(ok.text()).isEqualTo("secret");
    assertThat(RawHttp.get(gateway.port(),
        hmacSignedTarget("GET", "fin-data", "ledger.csv", "GOOG1FINANCEKEY", "wrong-secret")).status()).isEqualTo(403);
    assertThat(RawHttp.get(gateway.port(),
        hmacSignedTarget("GET", "sales-data", "report.csv", "GOOG1FINANCEKEY", "finance-secret")).status())
        .isEqualTo(403);
  }
}
