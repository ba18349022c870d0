package io.hybridstorage.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command run by a test, with its output: for the Node and Python clients. */
final class ExternalTool {

  record Result(int exit, String output) {}

  private ExternalTool() {}

  /** Whether {@code command --version} runs (the tool is installed). */
  static boolean available(String command) {
    try {
      return run(Path.of("."), Map.of(), Duration.ofSeconds(20), command, "--version").exit() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  static Result run(Path directory, Map<String, String> environment, Duration timeout, String... command)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(directory.toFile()).redirectErrorStream(true);
    pb.environment().putAll(environment);
    Process process = pb.start();
    process.getOutputStream().close();
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> {
      try {
        output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        output.append("(output lost: ").append(e).append(')');
      }
    });
    reader.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        reader.join(5_000);
        throw new IOException(String.join(" ", command) + " did not finish in " + timeout + ":\n" + output);
      }
      reader.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted", e);
    }
    return new Result(process.exitValue(), output.toString());
  }
}
