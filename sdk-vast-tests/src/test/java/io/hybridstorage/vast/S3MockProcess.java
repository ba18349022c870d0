package io.hybridstorage.vast;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Adobe S3Mock as a separate {@code java} process ({@code S3MockMain} of the s3mock-runner module),
 * so that S3Mock's Spring Boot classpath stays out of the tests' JVM and VastStore is tested with
 * the Jackson, SLF4J and netty versions its users get. The process runs on free loopback ports it
 * reports once started, with its store in a temporary directory that {@link #close()} deletes. It
 * exits when its stdin ends: on {@link #close()}, or when this JVM dies, however it dies.
 *
 * <p>Where the runner is comes from {@code s3mock-runner.location} on the classpath, written by
 * the build (the absolute path of s3mock-runner/target): it serves surefire and the benchmarks'
 * JMH forks alike, which a surefire system property would not.
 *
 * <p>Uses nothing but the JDK, so that a plain {@code java} process with only these classes can
 * start one (see {@code S3MockProcessTest}).
 */
final class S3MockProcess implements AutoCloseable {

  private static final String MAIN = "io.hybridstorage.s3mock.S3MockMain";
  private static final Pattern READY = Pattern.compile("S3MOCK-READY http=(\\d+) https=(\\d+)");
  /** S3Mock (Spring Boot, Tomcat) takes seconds to start; minutes on a loaded machine. */
  private static final long START_TIMEOUT_SECONDS = 180;
  private static final long STOP_TIMEOUT_SECONDS = 30;

  private final Process process;
  private final Path directory;
  private final int httpPort;
  private final int httpsPort;

  private S3MockProcess(Process process, Path directory, int httpPort, int httpsPort) {
    this.process = process;
    this.directory = directory;
    this.httpPort = httpPort;
    this.httpsPort = httpsPort;
  }

  /** Starts S3Mock in a new JVM and waits until it serves. */
  static S3MockProcess start() {
    String classpath = runnerClasspath();
    Path directory;
    try {
      directory = Files.createTempDirectory("s3mock");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Process process;
    try {
      Path store = Files.createDirectory(directory.resolve("store"));
      process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx512m", "-cp", classpath, MAIN, store.toString())
          .redirectError(directory.resolve("s3mock.log").toFile())
          .start();
    } catch (IOException e) {
      deleteRecursively(directory);
      throw new UncheckedIOException("cannot start S3Mock", e);
    }
    CompletableFuture<String> ready = firstLine(process.getInputStream(), "s3mock-stdout");
    String line;
    try {
      line = ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed(process, directory, "interrupted while starting", e);
    } catch (TimeoutException | ExecutionException e) {
      throw failed(process, directory, "no ports reported within " + START_TIMEOUT_SECONDS + " s", e);
    }
    Matcher m = line == null ? null : READY.matcher(line);
    if (m == null || !m.matches()) {
      throw failed(process, directory, line == null ? "exited" : "said: " + line, null);
    }
    return new S3MockProcess(process, directory, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  /** Stops a process that did not start, deletes its directory, and says why, with its log. */
  private static IllegalStateException failed(Process process, Path directory, String why, Exception cause) {
    stop(process);
    String log = tail(directory.resolve("s3mock.log"));
    deleteRecursively(directory);
    return new IllegalStateException("S3Mock did not start (" + why + "); the end of its log:\n" + log, cause);
  }

  /** The plain-HTTP endpoint. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  int httpPort() {
    return httpPort;
  }

  int httpsPort() {
    return httpsPort;
  }

  /** The S3Mock JVM. */
  Process process() {
    return process;
  }

  /** The temporary directory of its store and log. */
  Path directory() {
    return directory;
  }

  /** Stops S3Mock (waits for its JVM to exit) and deletes its store. */
  @Override
  public void close() {
    stop(process);
    deleteRecursively(directory);
  }

  /** Closes its stdin, S3MockMain's signal to exit; kills it if it has not within the timeout. */
  private static void stop(Process process) {
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // already gone
    }
    try {
      if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The first line of {@code out} (null if it ends before one), read on a daemon thread of its
   * own, which then drains the rest so that the writer never blocks.
   */
  static CompletableFuture<String> firstLine(InputStream out, String threadName) {
    CompletableFuture<String> first = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      BufferedReader in = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8));
      try {
        first.complete(in.readLine());
        in.transferTo(Writer.nullWriter());
      } catch (IOException e) {
        first.completeExceptionally(e); // no effect once the line was read: the process ended
      }
    }, threadName);
    reader.setDaemon(true);
    reader.start();
    return first;
  }

  /**
   * S3MockMain's classes and its dependencies: the runner's build directory is in {@code
   * s3mock-runner.location}, a resource the build writes.
   */
  private static String runnerClasspath() {
    try (InputStream in = S3MockProcess.class.getResourceAsStream("/s3mock-runner.location")) {
      if (in == null) {
        throw new IllegalStateException("s3mock-runner.location is not on the classpath (sdk-vast-tests writes it)");
      }
      return runnerClasspath(Path.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip()).normalize());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String runnerClasspath(Path target) throws IOException {
    Path classes = target.resolve("classes");
    Path dependencies = target.resolve("s3mock-runner.classpath");
    if (!Files.isDirectory(classes) || !Files.isRegularFile(dependencies)) {
      throw new IllegalStateException("the s3mock-runner module is not built in " + target
          + ": build with -am, e.g. mvn -pl sdk-vast-tests -am test");
    }
    return classes + File.pathSeparator + Files.readString(dependencies).strip();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: a temporary directory
    }
  }
}
