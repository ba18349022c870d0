package io.hybridstorage.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hybridstorage.api.Profile;
import io.hybridstorage.memory.InMemoryStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Node.js {@code @google-cloud/storage} client (from the npm registry, installed into
 * {@code target/node-smoke} by the test itself) against the gateway with a BU's bearer token:
 * simple and resumable uploads, a listing, a ranged download, a delete, and a read of another
 * BU's object (403). Skipped only when {@code node} or {@code npm} is not installed.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class NodeClientTest {

  @Test
  void theNodeClientUploadsListsDownloadsAndDeletes() throws Exception {
    assumeTrue(ExternalTool.available("node") && ExternalTool.available("npm"),
        "node and npm are not installed: the Node.js client smoke test cannot run");
    Path dir = Path.of("target", "node-smoke").toAbsolutePath();
    Files.createDirectories(dir);
    copy("node/package.json", dir.resolve("package.json"));
    copy("node/smoke.mjs", dir.resolve("smoke.mjs"));
    if (!Files.isDirectory(dir.resolve("node_modules/@google-cloud/storage"))) {
      ExternalTool.Result install = ExternalTool.run(dir, Map.of(), Duration.ofMinutes(6), "npm", "install",
          "--no-audit", "--no-fund", "--loglevel=error");
      assertThat(install.exit()).as("npm install:\n%s", install.output()).isZero();
    }

    Profile sales = new Profile("sales", List.of("sales-data"), List.of());
    Profile finance = new Profile("finance", List.of("fin-data"), List.of());
    try (Gateway gateway = Gateway.builder(new InMemoryStore("dc1")).token("sales-node", sales)
        .token("finance-node", finance).unboundedToken("ops").stopTimeout(Duration.ofSeconds(1)).start();
        Storage ops = BearerClients.client(gateway, "ops")) {
      ops.create(BucketInfo.of("sales-data"));
      ops.create(BucketInfo.of("fin-data"));
      ops.create(BlobInfo.newBuilder("fin-data", "ledger.csv").build(), "secret".getBytes(StandardCharsets.UTF_8));

      ExternalTool.Result run = ExternalTool.run(dir, Map.of(), Duration.ofMinutes(2), "node", "smoke.mjs",
          gateway.endpoint().toString(), "sales-node", "sales-data");
      assertThat(run.exit()).as("node smoke.mjs:\n%s", run.output()).isZero();
      String last = run.output().strip().lines().reduce((a, b) -> b).orElse("");
      JsonObject seen = JsonParser.parseString(last).getAsJsonObject();

      assertThat(seen.get("listed").toString()).isEqualTo("[\"node/resumable.bin:" + (3 * 1024 * 1024 + 17)
          + "\",\"node/simple.txt:15\"]");
      assertThat(seen.get("range").getAsString()).isEqualTo("from");
      assertThat(seen.get("wholeMatches").getAsBoolean()).isTrue();
      assertThat(seen.get("md5").getAsString()).isEqualTo(seen.get("resumableMd5").getAsString());
      assertThat(seen.get("existsAfterDelete").getAsBoolean()).isFalse();
      assertThat(seen.get("otherTenant").getAsInt()).isEqualTo(403);
      assertThat(ops.get(BlobId.of("sales-data", "node/resumable.bin")).getMd5())
          .isEqualTo(seen.get("md5").getAsString());
      assertThat(ops.get(BlobId.of("sales-data", "node/simple.txt"))).isNull();
    }
  }

  private static void copy(String resource, Path to) throws IOException {
    try (InputStream in = NodeClientTest.class.getClassLoader().getResourceAsStream(resource)) {
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
