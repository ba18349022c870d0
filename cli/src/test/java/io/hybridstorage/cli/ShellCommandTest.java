package io.hybridstorage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.cli.CliHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** shell: several commands from standard input over one opened world. */
class ShellCommandTest {

  @TempDir Path dir;
  private CliHarness cli;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliHarness(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    cli.close();
  }

  @Test
  void aScriptRunsOverOneWorldAndExitsWithItsWorstLine() throws Exception {
    Path file = dir.resolve("my file.csv");
    Files.writeString(file, "a,b\n");
    String script = String.join("\n",
        "# a comment, then a blank line",
        "",
        "mb gs://demo",
        "cp \"" + file + "\" gs://demo/in/",
        "sites \"gs://demo/in/my file.csv\"",
        "stat gs://demo/missing",
        "cat 'gs://demo/in/my file.csv'",
        "");

    Result shell = cli.runWithInput(script, false, "--config", cli.config.toString(), "shell");

    assertThat(shell.exit()).as("stat of a missing object is the worst line").isEqualTo(Exits.DIFFERENCES);
    assertThat(cli.opened()).as("one world for the whole script").isEqualTo(1);
    assertThat(shell.out()).contains("$ mb gs://demo\nCreating gs://demo/\n")
        .contains("Copying file://" + file.toAbsolutePath() + " to gs://demo/in/my file.csv")
        .contains("consistent: every replica holds the authority's generation")
        .endsWith("$ cat 'gs://demo/in/my file.csv'\na,b\n");
    assertThat(shell.err()).contains("gs://demo/missing");
  }

  @Test
  void aUsageErrorInALineCountsAsTwoAndTheScriptGoesOn() {
    Result shell = cli.runWithInput("frobnicate\nstatus\n", false, "--config", cli.config.toString(), "shell");

    assertThat(shell.exit()).isEqualTo(Exits.USAGE);
    assertThat(shell.err()).contains("Unmatched argument");
    assertThat(shell.out()).contains("$ status").contains("healthy");
  }

  @Test
  void splitsOnBlanksAndHonoursQuotes() {
    assertThat(ShellCommand.split("cp  'a b' \"c \\\"d\\\"\" e")).containsExactly("cp", "a b", "c \"d\"", "e");
    assertThat(ShellCommand.split("ls ''")).containsExactly("ls", "");
    assertThat(ShellCommand.split("   ")).isEqualTo(List.of());
    assertThatThrownBy(() -> ShellCommand.split("cat 'x")).isInstanceOf(UsageException.class)
        .hasMessageContaining("unclosed '");
  }
}
