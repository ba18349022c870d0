package io.hybridstorage.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.memory.InMemoryStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stopping with uploads in flight, readiness, and HTTPS (with and without client certificates). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayLifecycleTest {

  @TempDir
  Path dir;

  @Test
  void closingLetsAnUploadThatEndsInTimeFinishAndAbandonsOneThatDoesNot() throws Exception {
    InMemoryStore memory = new InMemoryStore("dc1");
    memory.createBucket(BucketSpec.of("bkt"));
    Gateway gateway = Gateway.builder(memory).allowAnonymous().stopTimeout(Duration.ofSeconds(3)).start();
    int port = gateway.port();
    byte[] half = new byte[5 << 20];
    try (Socket finishing = RawHttp.connect(port, Duration.ofSeconds(30));
        Socket stalled = RawHttp.connect(port, Duration.ofSeconds(30))) {
      OutputStream a = finishing.getOutputStream();
      a.write(RawHttp.head(port, "POST", "/upload/storage/v1/b/bkt/o?uploadType=media&name=finished", Map.of(),
          2L * half.length).getBytes(StandardCharsets.ISO_8859_1));
      a.write(half);
      a.flush();
      OutputStream b = stalled.getOutputStream();
      b.write(RawHttp.head(port, "POST", "/upload/storage/v1/b/bkt/o?uploadType=media&name=partial", Map.of(),
          2L * half.length).getBytes(StandardCharsets.ISO_8859_1));
      b.write(half);
      b.flush();
      Thread.sleep(100); // both uploads are in flight, half sent

      CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);
      Thread.sleep(100);
      assertThat(RawHttp.connectFails(port)).as("no new connections while stopping").isTrue();
      // the first upload goes on streaming and ends within the stop timeout; the second is silent
      for (int i = 0; i < 10; i++) {
        a.write(half, i * (half.length / 10), half.length / 10);
        a.flush();
        Thread.sleep(20);
      }
      RawHttp.Response done = RawHttp.read(finishing.getInputStream());
      assertThat(done.status()).as(done.text()).isEqualTo(200);
      closing.get(30, TimeUnit.SECONDS); // the second never ends: abandoned at the stop timeout
    }
    assertThat(memory.head(ObjectId.of("bkt", "finished"), Conditions.none())).get()
        .extracting(i -> i.size()).isEqualTo(2L * half.length);
    assertThat(memory.head(ObjectId.of("bkt", "partial"), Conditions.none())).isEmpty();
  }

  @Test
  void beyondMaxConnectionsTheGatewayStopsAcceptingUntilOneCloses() throws Exception {
    try (Gateway gateway = Gateway.builder(new InMemoryStore("dc1")).allowAnonymous().maxConnections(4)
        .stopTimeout(Duration.ofSeconds(1)).start()) {
      int port = gateway.port();
      java.util.List<Socket> held = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          held.add(RawHttp.connect(port, Duration.ofSeconds(10)));
        }
        Thread.sleep(200); // the four are accepted: the limit is reached
        CompletableFuture<RawHttp.Response> fifth = CompletableFuture.supplyAsync(() -> {
          try {
            return RawHttp.get(port, "/healthz");
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
        Thread.sleep(500);
        assertThat(fifth).as("not served while four connections are open").isNotDone();
        held.remove(0).close();
        assertThat(fifth.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  @Test
  void httpsWithAndWithoutClientCertificates() throws Exception {
    Path server = keyStore("server", "CN=127.0.0.1");
    Path client = keyStore("client", "CN=ops");
    Path trust = dir.resolve("trust.p12");
    exportInto(server, "server", trust);
    exportInto(client, "client", trust);

    try (Gateway tls = Gateway.builder(new InMemoryStore("dc1")).allowAnonymous().tls(server, "changeit")
        .stopTimeout(Duration.ofSeconds(1)).start()) {
      assertThat(tls.endpoint().getScheme()).isEqualTo("https");
      assertThat(get(tls, context(trust, null))).isEqualTo(200);
    }
    try (Gateway mtls = Gateway.builder(new InMemoryStore("dc1")).allowAnonymous().tls(server, "changeit")
        .clientCertificates(trust, "changeit", true).stopTimeout(Duration.ofSeconds(1)).start()) {
      assertThat(get(mtls, context(trust, client))).isEqualTo(200);
      try {
        get(mtls, context(trust, null));
        throw new AssertionError("a client without a certificate was served");
      } catch (IOException refused) {
        // refused: in the handshake (TLS 1.2) or at the first write after it (TLS 1.3); the
        // AssertionError above is not an IOException, so a served request fails the test
      }
    }
  }

  private int get(Gateway gateway, SSLContext context) throws IOException {
    HttpsURLConnection c = (HttpsURLConnection) gateway.endpoint().resolve("/readyz").toURL().openConnection();
    c.setSSLSocketFactory(context.getSocketFactory());
    c.setHostnameVerifier((host, session) -> host.equals("127.0.0.1"));
    try {
      return c.getResponseCode();
    } finally {
      c.disconnect();
    }
  }

  private Path keyStore(String alias, String dname) throws Exception {
    Path file = dir.resolve(alias + ".p12");
    ExternalTool.Result r = ExternalTool.run(dir, Map.of(), Duration.ofMinutes(1), keytool(), "-genkeypair",
        "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", dname,
        "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", "changeit");
    assertThat(r.exit()).as(r.output()).isZero();
    return file;
  }

  private void exportInto(Path keyStore, String alias, Path trust) throws Exception {
    Path cert = dir.resolve(alias + ".cer");
    assertThat(ExternalTool.run(dir, Map.of(), Duration.ofMinutes(1), keytool(), "-exportcert", "-alias", alias,
        "-keystore", keyStore.toString(), "-storepass", "changeit", "-file", cert.toString()).exit()).isZero();
    assertThat(ExternalTool.run(dir, Map.of(), Duration.ofMinutes(1), keytool(), "-importcert", "-noprompt",
        "-alias", alias, "-file", cert.toString(), "-storetype", "PKCS12", "-keystore", trust.toString(),
        "-storepass", "changeit").exit()).isZero();
  }

  private static String keytool() {
    return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
  }

  private static SSLContext context(Path trust, Path clientKeys) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try (var in = java.nio.file.Files.newInputStream(trust)) {
      trusted.load(in, "changeit".toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    javax.net.ssl.KeyManager[] keys = null;
    if (clientKeys != null) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (var in = java.nio.file.Files.newInputStream(clientKeys)) {
        ks.load(in, "changeit".toCharArray());
      }
      javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
          javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, "changeit".toCharArray());
      keys = kmf.getKeyManagers();
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys, tmf.getTrustManagers(), null);
    return context;
  }
}
