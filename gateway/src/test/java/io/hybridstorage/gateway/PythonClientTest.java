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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Python against the gateway, with a BU's bearer token: upload (simple and resumable), list,
 * download a range, delete, and another BU's object is 403. The client is Python's {@code
 * google-cloud-storage}, installed by the test into {@code target/python} with pip; where the
 * Python package index cannot be reached (this project's build machines refuse it), the Python
 * tool that speaks the same JSON API, {@code gcloud storage}, runs the same steps if installed.
 * Skipped only when {@code python3} is absent, or when neither the package nor gcloud can be had
 * (with the reason).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PythonClientTest {

  private static final Logger log = LoggerFactory.getLogger(PythonClientTest.class);
  private static final Profile SALES = new Profile("sales", List.of("sales-data"), List.of());
  private static final Profile FINANCE = new Profile("finance", List.of("fin-data"), List.of());

  private Gateway gateway;
  private Storage ops;

  @BeforeEach
  void start() {
    gateway = Gateway.builder(new InMemoryStore("dc1")).token("sales-py", SALES).token("finance-py", FINANCE)
        .unboundedToken("ops").stopTimeout(Duration.ofSeconds(1)).start();
    ops = BearerClients.client(gateway, "ops");
    ops.create(BucketInfo.of("sales-data"));
    ops.create(BucketInfo.of("fin-data"));
    ops.create(BlobInfo.newBuilder("fin-data", "ledger.csv").build(), "secret".getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() throws Exception {
    ops.close();
    gateway.close();
  }

  @Test
  void pythonUploadsListsDownloadsAndDeletes() throws Exception {
    assumeTrue(ExternalTool.available("python3"), "python3 is not installed: the Python client test cannot run");
    Path dir = Path.of("target", "python-smoke").toAbsolutePath();
    Files.createDirectories(dir);
    String pipFailure = installClient(dir);
    if (pipFailure == null) {
      runPackage(dir);
      return;
    }
    log.warn("the Python google-cloud-storage package could not be installed ({}); running gcloud storage instead",
        pipFailure);
    assumeTrue(ExternalTool.available("gcloud"), "neither the google-cloud-storage package (pip: " + pipFailure
        + ") nor gcloud is available: the Python client test cannot run");
    runGcloud(dir);
  }

  /** Installs google-cloud-storage into {@code dir/site}; null when it is there, else why not. */
  private static String installClient(Path dir) throws IOException {
    if (Files.isDirectory(dir.resolve("site/google/cloud/storage"))) {
      return null;
    }
    ExternalTool.Result pip = ExternalTool.run(dir, Map.of(), Duration.ofMinutes(5), "python3", "-m", "pip", "install",
        "--disable-pip-version-check", "--retries", "0", "--timeout", "15", "--target", dir.resolve("site").toString(),
        "google-cloud-storage>=2.18,<4");
    if (pip.exit() == 0) {
      return null;
    }
    String[] lines = pip.output().strip().split("\n");
    return lines[lines.length - 1];
  }

  private void runPackage(Path dir) throws IOException {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("python/smoke.py")) {
      Files.copy(in, dir.resolve("smoke.py"), StandardCopyOption.REPLACE_EXISTING);
    }
    ExternalTool.Result run = ExternalTool.run(dir, Map.of("PYTHONPATH", dir.resolve("site").toString()),
        Duration.ofMinutes(2), "python3", "smoke.py", gateway.endpoint().toString(), "sales-py", "sales-data");
    assertThat(run.exit()).as("python3 smoke.py:\n%s", run.output()).isZero();
    String last = run.output().strip().lines().reduce((a, b) -> b).orElse("");
    JsonObject seen = JsonParser.parseString(last).getAsJsonObject();
    assertThat(seen.get("listed").toString()).isEqualTo("[\"py/resumable.bin:" + (3 * 1024 * 1024 + 17)
        + "\",\"py/simple.txt:17\"]");
    assertThat(seen.get("range").getAsString()).isEqualTo("from");
    assertThat(seen.get("wholeMatches").getAsBoolean()).isTrue();
    assertThat(seen.get("md5").getAsString()).isEqualTo(seen.get("resumableMd5").getAsString());
    assertThat(seen.get("existsAfterDelete").getAsBoolean()).isFalse();
    assertThat(seen.get("otherTenant").getAsInt()).isEqualTo(403);
    assertThat(ops.get(BlobId.of("sales-data", "py/simple.txt"))).isNull();
  }

  /** The same steps with gcloud storage (Python; multipart and resumable uploads through apitools). */
  private void runGcloud(Path dir) throws IOException {
    Path token = dir.resolve("token");
    Files.writeString(token, "sales-py");
    Map<String, String> env = new HashMap<>();
    env.put("CLOUDSDK_CONFIG", dir.resolve("gcloud-config").toString());
    env.put("CLOUDSDK_CORE_DISABLE_PROMPTS", "1");
    env.put("CLOUDSDK_CORE_PROJECT", "retail");
    env.put("CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE", gateway.endpoint() + "/");
    env.put("CLOUDSDK_AUTH_ACCESS_TOKEN_FILE", token.toString());
    env.put("CLOUDSDK_CORE_DISABLE_USAGE_REPORTING", "true");
    Path small = dir.resolve("small.txt");
    Files.writeString(small, "hello from python");
    byte[] big = new byte[12 * 1024 * 1024 + 17]; // above gcloud's resumable threshold
    new Random(7).nextBytes(big);
    Path bigFile = dir.resolve("big.bin");
    Files.write(bigFile, big);

    gcloud(dir, env, "storage", "cp", small.toString(), "gs://sales-data/py/simple.txt");
    gcloud(dir, env, "storage", "cp", bigFile.toString(), "gs://sales-data/py/resumable.bin");
    String listed = gcloud(dir, env, "storage", "ls", "-l", "gs://sales-data/py/");
    assertThat(listed).contains("17  ").contains("gs://sales-data/py/simple.txt").contains(big.length + "  ")
        .contains("gs://sales-data/py/resumable.bin");
    assertThat(gcloud(dir, env, "storage", "cat", "-r", "6-9", "gs://sales-data/py/simple.txt")).isEqualTo("from");
    Path back = dir.resolve("back.bin");
    Files.deleteIfExists(back);
    gcloud(dir, env, "storage", "cp", "gs://sales-data/py/resumable.bin", back.toString());
    assertThat(Files.readAllBytes(back)).isEqualTo(big);
    assertThat(ops.readAllBytes(BlobId.of("sales-data", "py/resumable.bin"))).isEqualTo(big);
    gcloud(dir, env, "storage", "rm", "gs://sales-data/py/simple.txt");
    assertThat(ops.get(BlobId.of("sales-data", "py/simple.txt"))).isNull();
    ExternalTool.Result foreign = ExternalTool.run(dir, env, Duration.ofMinutes(2), "gcloud", "storage", "cat",
        "gs://fin-data/ledger.csv");
    assertThat(foreign.exit()).isNotZero();
    assertThat(foreign.output()).contains("403").doesNotContain("secret");
  }

  private static String gcloud(Path dir, Map<String, String> env, String... args) throws IOException {
    String[] command = new String[args.length + 1];
    command[0] = "gcloud";
    System.arraycopy(args, 0, command, 1, args.length);
    ExternalTool.Result r = ExternalTool.run(dir, env, Duration.ofMinutes(2), command);
    assertThat(r.exit()).as("gcloud %s:\n%s", String.join(" ", args), r.output()).isZero();
    return r.output();
  }
}
