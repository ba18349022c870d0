package io.hybridstorage.sync.spark;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs sync-spark-job's {@code SyncBulkJob} as a separate java process on that module's own
 * classpath (Spark 3.5 and what it needs, none of the SDK), as {@code spark-submit} would on one
 * machine; the job loads the SDK from {@code --sdk-classpath} in an isolated class loader. Where
 * the job module's build directory is comes from {@code sync-spark-job.location}, a resource the
 * build writes. The process ends with this JVM, however it ends (its standard input is held open).
 */
final class SyncBulkJobProcess {

  static final String MAIN = "io.hybridstorage.sync.spark.SyncBulkJob";

  /**
   * What Spark 3.5 opens on Java 17 itself when started by spark-submit
   * (org.apache.spark.launcher.JavaModuleOptions); a plain {@code java} command must pass them.
   */
  private static final List<String> JAVA_17_OPENS = List.of(
      "-XX:+IgnoreUnrecognizedVMOptions",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "-Djdk.reflect.useDirectMethodHandle=false");

  /** What one run left: its exit status (-1: killed at the timeout), its standard output, its log. */
  record Outcome(int exitStatus, List<String> stdout, Path log, Duration took) {

    /** The JSON line the job printed last, or null. */
    String json() {
      for (int i = stdout.size() - 1; i >= 0; i--) {
        if (stdout.get(i).startsWith("{")) {
          return stdout.get(i);
        }
      }
      return null;
    }

    String logTail(int lines) {
      try {
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
      } catch (IOException e) {
        return "(no log: " + e + ")";
      }
    }
  }

  private SyncBulkJobProcess() {}

  /** Runs the job with {@code args} (after the ones this adds); its files go under {@code directory}. */
  static Outcome run(Path directory, Duration timeout, List<String> args) throws IOException, InterruptedException {
    Files.createDirectories(directory.resolve("tmp"));
    Path log = directory.resolve("spark-job.log");
    Path out = directory.resolve("spark-job.out");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-XX:+UseSerialGC");
    command.add("-Djava.io.tmpdir=" + directory.resolve("tmp"));
    command.addAll(JAVA_17_OPENS);
    // Spark's settings as spark.* system properties, as spark-submit passes them
    command.add("-Dspark.ui.enabled=false");
    command.add("-Dspark.driver.host=127.0.0.1");
    command.add("-Dspark.driver.bindAddress=127.0.0.1");
    command.add("-Dspark.local.dir=" + directory.resolve("spark-local"));
    command.addAll(List.of("-cp", classpath(), MAIN, "--exit-when-stdin-ends"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile()).redirectOutput(out.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().remove("HADOOP_CONF_DIR");
    builder.environment().remove("SPARK_HOME");
    builder.environment().remove("HYBRID_STORAGE_CONFIG");
    long start = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      return new Outcome(-1, Files.readAllLines(out, StandardCharsets.UTF_8), log,
          Duration.ofNanos(System.nanoTime() - start));
    }
    return new Outcome(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), log,
        Duration.ofNanos(System.nanoTime() - start));
  }

  /** SyncBulkJob's classes and Spark's classpath, from the job module's build directory. */
  private static String classpath() {
    try (InputStream in = SyncBulkJobProcess.class.getResourceAsStream("/sync-spark-job.location")) {
      if (in == null) {
        throw new IllegalStateException("sync-spark-job.location is not on the classpath (sync-spark-tests writes it)");
      }
      Path target = Path.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip()).normalize();
      Path classes = target.resolve("classes");
      Path dependencies = target.resolve("spark-job.classpath");
      if (!Files.isDirectory(classes) || !Files.isRegularFile(dependencies)) {
        throw new IllegalStateException("the sync-spark-job module is not built in " + target
            + ": build with -am, e.g. mvn -pl sync-spark-tests -am verify");
      }
      return classes + File.pathSeparator + Files.readString(dependencies).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
