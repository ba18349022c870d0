package io.hybridstorage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's commands on the packaged jar ({@code java -jar cli/target/hybrid-storage-cli-VERSION.jar}):
 * the manifest's class path finds picocli, the routing, the memory sites and the progress bar library in
 * {@code target/lib}, and the process's exit code is the command's.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CliJarIT {

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private Run run(String input, String... args) throws Exception {
    Path jar;
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      jar = files.filter(p -> p.getFileName().toString().matches("hybrid-storage-cli-[^-]+(-SNAPSHOT)?\\.jar"))
          .findFirst().orElseThrow(() -> new AssertionError("no packaged cli jar in target/"));
    }
    List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin"
        + File.separator + "java", "-jar", jar.toString()));
    command.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().remove("HYBRID_STORAGE_CONFIG");
    Process process = builder.start();
    process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the CLI finished").isTrue();
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void theReadmeShellDemoOnTheEmbeddedWorld() throws Exception {
    Path file = dir.resolve("a.csv");
    Files.writeString(file, "id,amount\n1,10\n");

    Run run = run(String.join("\n", "mb gs://demo", "cp " + file + " gs://demo/docs/", "ls -l -r gs://demo",
        "sites gs://demo/docs/a.csv", "verify gs://demo", ""), "shell");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("TOTAL: 1 objects, 15 bytes")
        .contains("consistent: every replica holds the authority's generation")
        .contains("checked 1 objects in 1 page: 0 differences");
    assertThat(run.out().lines().filter(l -> l.matches("(gcp|dc1|dc2)\\s+(authority|replica)\\s+\\d+\\s+15\\s.*")))
        .hasSize(3);
    assertThat(run.out() + run.err()).as("not a terminal: no bar").doesNotContain("\r").doesNotContain("\u001b[");
  }

  @Test
  void exitCodesReachTheProcess() throws Exception {
    Path config = dir.resolve("hybrid.yaml");
    Files.writeString(config, "sites:\n  - {name: dc1, kind: memory, latency: 1ms}\n");

    assertThat(run("", "--config", config.toString(), "status").exit()).isZero();
    assertThat(run("", "--config", config.toString(), "stat", "gs://nothing/x").exit()).isEqualTo(Exits.DIFFERENCES);
    Run usage = run("", "ls", "not-a-url");
    assertThat(usage.exit()).isEqualTo(Exits.USAGE);
    assertThat(usage.err()).contains("Usage: hybrid-storage ls");
  }
}
