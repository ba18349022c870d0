package io.hybridstorage.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's start command, on the packaged jar: {@code java -jar
 * gateway/target/hybrid-storage-gateway-VERSION.jar --config FILE} serves the configured world
 * until SIGTERM, then stops; its log names the endpoint and never a token.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GatewayJarIT {

  @TempDir
  Path dir;

  @Test
  void thePackagedJarServesTheConfiguredWorldUntilTerminated() throws Exception {
    Path jar;
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      jar = files.filter(p -> p.getFileName().toString().matches("hybrid-storage-gateway-[^-]+(-SNAPSHOT)?\\.jar"))
          .findFirst().orElseThrow(() -> new AssertionError("no packaged gateway jar in target/"));
    }
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path config = GatewayConfigTest.config(dir, "  accessFile: ACCESS_FILE\n", "");
    Path log = dir.resolve("gateway.log");
    Process gateway = new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "java", "-jar", jar.toString(), "--config", config.toString(), "--port", String.valueOf(port))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        try {
          if (RawHttp.get(port, "/readyz").status() == 200) {
            break;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        assertThat(gateway.isAlive()).as("the gateway exited:\n%s", Files.readString(log)).isTrue();
        assertThat(System.nanoTime()).as("not ready in 60 s:\n%s", Files.readString(log)).isLessThan(deadline);
        Thread.sleep(200);
      }
      try (Storage ops = StorageOptions.http()
          .setServiceFactory(new HttpStorageOptions.HttpStorageFactory())
          .setHost("http://127.0.0.1:" + port)
          .setProjectId("retail")
          .setCredentials(GoogleCredentials.create(new AccessToken("tok-ops", new Date(System.currentTimeMillis()
              + 3_600_000))))
          .build()
          .getService()) {
        ops.create(BucketInfo.of("sales-data"));
        ops.create(BlobInfo.newBuilder("sales-data", "hello.txt").build(), "hi".getBytes(StandardCharsets.UTF_8));
        assertThat(ops.readAllBytes(BlobId.of("sales-data", "hello.txt"))).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
      }
    } finally {
      gateway.destroy(); // SIGTERM: the shutdown hook stops the gateway
      assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
    }
    String output = Files.readString(log);
    assertThat(output).contains("gateway serving the GCS JSON API at http://127.0.0.1:" + port)
        .contains("/storage/v1/b/sales-data/o/hello.txt").doesNotContain("tok-ops").doesNotContain("tok-sales");
  }
}
