package io.hybridstorage.sync.pubsub;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The official Cloud Pub/Sub emulator ({@code gcloud beta emulators pubsub}, the {@code
 * cloud-pubsub-emulator} jar of the Cloud SDK) in a child process, for the tests that should hold
 * against the real implementation too. Found through {@code PUBSUB_EMULATOR_JAR} or the Cloud SDK
 * under {@code /usr/lib/google-cloud-sdk} or {@code CLOUDSDK_ROOT_DIR}; tests are skipped (an
 * assumption) where it is not installed.
 */
final class PubSubEmulator implements AutoCloseable {

  private final Process process;
  private final int port;

  private PubSubEmulator(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The emulator's jar, when installed. */
  static Optional<Path> jar() {
    String explicit = System.getenv("PUBSUB_EMULATOR_JAR");
    if (explicit != null && Files.isRegularFile(Path.of(explicit))) {
      return Optional.of(Path.of(explicit));
    }
    for (String root : new String[] {System.getenv("CLOUDSDK_ROOT_DIR"), "/usr/lib/google-cloud-sdk",
        "/usr/share/google-cloud-sdk", System.getProperty("user.home") + "/google-cloud-sdk"}) {
      if (root == null) {
        continue;
      }
      Path lib = Path.of(root, "platform", "pubsub-emulator", "lib");
      if (!Files.isDirectory(lib)) {
        continue;
      }
      try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib, "cloud-pubsub-emulator-*.jar")) {
        for (Path p : jars) {
          return Optional.of(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Optional.empty();
  }

  /** Starts the emulator on a free loopback port and waits until it listens. */
  static PubSubEmulator start(Path jar) throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "--host=127.0.0.1",
        "--port=" + port).redirectErrorStream(true).start();
    CountDownLatch started = new CountDownLatch(1);
    StringBuilder output = new StringBuilder();
    Thread drain = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (output) {
            if (output.length() < 20_000) {
              output.append(line).append('\n');
            }
          }
          if (line.contains("Server started")) {
            started.countDown();
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "pubsub-emulator-output");
    drain.setDaemon(true);
    drain.start();
    if (!started.await(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      synchronized (output) {
        throw new IOException("the Pub/Sub emulator did not start within 60 s:\n" + output);
      }
    }
    return new PubSubEmulator(p, port);
  }

  String endpoint() {
    return "127.0.0.1:" + port;
  }

  PubSubTransport transport() {
    return PubSubTransport.emulator(endpoint());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
