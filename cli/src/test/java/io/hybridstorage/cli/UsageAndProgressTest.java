package io.hybridstorage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BlobInfo;
import io.hybridstorage.cli.CliHarness.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors exit 2 with picocli's usage; progress bars only on a terminal. */
class UsageAndProgressTest {

  /** What a bar on a terminal draws: ANSI escapes, carriage returns, the block and percent characters. */
  private static final String[] BAR_MARKS = {"\u001b[", "\r", "█", "%"};

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
  void anUnknownCommandOrOptionPrintsTheUsageAndExitsTwo() {
    Result unknown = cli.run("frobnicate");
    assertThat(unknown.exit()).isEqualTo(Exits.USAGE);
    assertThat(unknown.err()).contains("Unmatched argument").contains("Usage: hybrid-storage");

    Result badOption = cli.run("verify", "--page-size", "many", "gs://sales");
    assertThat(badOption.exit()).isEqualTo(Exits.USAGE);
    assertThat(badOption.err()).contains("--page-size").contains("Usage: hybrid-storage verify");

    Result missingArgument = cli.run("sites");
    assertThat(missingArgument.exit()).isEqualTo(Exits.USAGE);
    assertThat(missingArgument.err()).contains("Missing required parameter");
    assertThat(cli.opened()).as("no world is opened for a usage error").isZero();
  }

  @Test
  void aBadUrlIsAUsageError() {
    Result ls = cli.run("ls", "sales/a.csv");
    assertThat(ls.exit()).isEqualTo(Exits.USAGE);
    assertThat(ls.err()).contains("'sales/a.csv' is not a gs://bucket[/object] URL").contains("Usage: hybrid-storage ls");

    Result stat = cli.run("stat", "gs://sales/");
    assertThat(stat.exit()).isEqualTo(Exits.USAGE);
    assertThat(stat.err()).contains("names no object");
  }

  @Test
  void helpExitsZero() {
    Result help = cli.run("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("status", "ls", "stat", "cat", "cp", "rm", "verify", "repair", "replay", "sites")
        .contains("Exit codes:");
  }

  @Test
  void aBadConfigurationFileExitsTwoNamingTheFileAndKey() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "sites:\n  - {name: gcp, kind: memory, latency: 20ms, colour: blue}\n");

    Result status = cli.runRaw(false, "--config", bad.toString(), "status");

    assertThat(status.exit()).isEqualTo(Exits.USAGE);
    assertThat(status.err()).contains("bad.yaml").contains("colour");
  }

  @Test
  void routerCommandsOnASingleSiteConfigurationAreUsageErrors() throws Exception {
    Path single = dir.resolve("single.yaml");
    Files.writeString(single, "sites:\n  - {name: dc1, kind: memory, latency: 1ms}\n");

    Result verify = cli.runRaw(false, "--config", single.toString(), "verify", "gs://sales");
    assertThat(verify.exit()).isEqualTo(Exits.USAGE);
    assertThat(verify.err()).contains("verify needs a configuration of several sites").contains("[dc1]");

    Result status = cli.runRaw(false, "--config", single.toString(), "status");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).contains("journal: none (one site, no router)");
  }

  @Test
  void noProgressWhenNotATerminal() throws Exception {
    Path source = manyFiles();

    Result cp = cli.run(false, "cp", "-r", source.toString(), "gs://sales/");
    Result verify = cli.run(false, "verify", "gs://sales/");
    Result rm = cli.run(false, "rm", "-r", "gs://sales/many");

    for (Result r : new Result[] {cp, verify, rm}) {
      assertThat(r.exit()).as(r.err()).isZero();
      for (String mark : BAR_MARKS) {
        assertThat(r.err()).as("stderr").doesNotContain(mark);
        assertThat(r.out()).as("stdout").doesNotContain(mark);
      }
    }
    assertThat(cp.out().lines().filter(l -> l.startsWith("Copying "))).hasSize(6); // one line per object instead
    assertThat(rm.out().lines().filter(l -> l.startsWith("Removing "))).hasSize(6);
  }

  @Test
  void aBarOnStandardErrorOnATerminalAndNeverOnStandardOutput() throws Exception {
    Path source = manyFiles();

    Result cp = cli.run(true, "cp", "-r", source.toString(), "gs://sales/");

    assertThat(cp.exit()).as(cp.err()).isZero();
    assertThat(cp.err()).contains("cp").contains("6/6").contains("\r");
    assertThat(cp.out()).doesNotContain("\r").doesNotContain("\u001b[").contains("Copied 6 objects");
    assertThat(cp.out().lines().filter(l -> l.startsWith("Copying "))).isEmpty();

    Result quiet = cli.run(true, "--no-progress", "verify", "gs://sales/");
    assertThat(quiet.err()).isEmpty();
  }

  private Path manyFiles() throws Exception {
    cli.run("mb", "gs://sales");
    Path source = dir.resolve("many");
    Files.createDirectories(source);
    for (int i = 0; i < 6; i++) {
      Files.writeString(source.resolve("f" + i + ".csv"), "row " + i);
    }
    cli.world().storage().create(BlobInfo.newBuilder("sales", "unrelated").build(),
        "x".getBytes(StandardCharsets.UTF_8));
    return source;
  }
}
