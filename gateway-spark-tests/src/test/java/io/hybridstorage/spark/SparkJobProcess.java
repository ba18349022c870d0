package io.hybridstorage.spark;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs gateway-spark-job's {@code HudiGatewayJob} as a separate java process on that module's own
 * classpath: Spark 3.5, Hudi and the Hadoop GCS connector need Jackson 2.15, their Guava, protobuf
 * and Hadoop, which would clash with the SDK's versions in the tests' JVM. Where the job module's
 * build directory is comes from {@code spark-job.location}, a resource the build writes.
 */
final class SparkJobProcess {

  static final String MAIN = "io.hybridstorage.spark.HudiGatewayJob";

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

  /** What one run left: its exit status (-1: killed at the timeout), its rows, its log. */
  record Outcome(int exitStatus, List<String> rows, Path log) {
    String logTail(int lines) {
      try {
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
      } catch (IOException e) {
        return "(no log: " + e + ")";
      }
    }
  }

  private SparkJobProcess() {}

  /** Runs the job against {@code endpoint} writing {@code table}; its files go under {@code directory}. */
  static Outcome run(URI endpoint, String table, Path directory, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(directory);
    Path log = directory.resolve("spark-job.log");
    Path result = directory.resolve("rows.csv");
    Files.deleteIfExists(result);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-XX:+UseSerialGC");
    command.add("-Djava.io.tmpdir=" + directory.resolve("tmp"));
    command.addAll(JAVA_17_OPENS);
    command.addAll(List.of("-cp", classpath(), MAIN, endpoint.toString(), table, directory.toString(),
        result.toString()));
    Files.createDirectories(directory.resolve("tmp"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // Spark binds and advertises loopback only; nothing reads a Hadoop or Spark installation
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().remove("HADOOP_CONF_DIR");
    builder.environment().remove("SPARK_HOME");
    builder.environment().remove("GOOGLE_APPLICATION_CREDENTIALS");
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      return new Outcome(-1, List.of(), log);
    }
    List<String> rows = Files.isRegularFile(result) ? Files.readAllLines(result, StandardCharsets.UTF_8) : List.of();
    return new Outcome(process.exitValue(), rows, log);
  }

  /** HudiGatewayJob's classes and its dependencies, from the job module's build directory. */
  private static String classpath() {
    try (InputStream in = SparkJobProcess.class.getResourceAsStream("/spark-job.location")) {
      if (in == null) {
        throw new IllegalStateException("spark-job.location is not on the classpath (gateway-spark-tests writes it)");
      }
      Path target = Path.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip()).normalize();
      Path classes = target.resolve("classes");
      Path dependencies = target.resolve("spark-job.classpath");
      if (!Files.isDirectory(classes) || !Files.isRegularFile(dependencies)) {
        throw new IllegalStateException("the gateway-spark-job module is not built in " + target
            + ": build with -am, e.g. mvn -pl gateway-spark-tests -am verify");
      }
      return classes + File.pathSeparator + Files.readString(dependencies).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
