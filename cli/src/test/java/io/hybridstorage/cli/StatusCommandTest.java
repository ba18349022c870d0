package io.hybridstorage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridstorage.cli.CliHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status: sites, breakers, reachability, journal per site, placements; exit 3 with a site down. */
class StatusCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

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
  void aHealthyWorldShowsEverySiteAndExitsZero() {
    Result status = cli.run("status");

    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).contains("configuration: " + cli.config.toAbsolutePath());
    assertThat(status.out().lines().filter(l -> l.startsWith("dc1 ")).findFirst().orElseThrow())
        .matches("dc1\\s+memory\\s+-\\s+1ms\\s+yes\\s+closed\\s+yes\\s+0\\s+0s");
    assertThat(status.out().lines().filter(l -> l.startsWith("dc2 ")).findFirst().orElseThrow())
        .matches("dc2\\s+memory\\s+-\\s+30ms\\s+closed\\s+yes\\s+0\\s+0s");
    assertThat(status.out()).contains("* -> [gcp, dc1, dc2] authority gcp, DUAL_WRITE_SYNC, NEAREST_VERIFIED, STRONG")
        .contains("journal: 0 pending").endsWith("healthy\n");
  }

  @Test
  void configAndNoProbeAreAcceptedAfterTheCommandToo() {
    Result status = cli.runRaw(false, "status", "--no-probe", "--config", cli.config.toString());

    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).contains("configuration: " + cli.config.toAbsolutePath());
    assertThat(status.out().lines().filter(l -> l.startsWith("gcp ")).findFirst().orElseThrow())
        .matches("gcp\\s+memory\\s+-\\s+20ms\\s+closed\\s+\\?\\s+0\\s+0s");
  }

  @Test
  void jsonParsesBack() throws Exception {
    Result status = cli.run("status", "--json");

    assertThat(status.exit()).isZero();
    JsonNode report = JSON.readTree(status.out());
    assertThat(report.get("healthy").asBoolean()).isTrue();
    assertThat(report.get("sites")).hasSize(3);
    JsonNode gcp = report.get("sites").get(0);
    assertThat(gcp.get("name").asText()).isEqualTo("gcp");
    assertThat(gcp.get("kind").asText()).isEqualTo("memory");
    assertThat(gcp.get("latencyMillis").asLong()).isEqualTo(20);
    assertThat(gcp.get("reachable").asBoolean()).isTrue();
    assertThat(gcp.get("breakerOpen").asBoolean()).isFalse();
    assertThat(gcp.get("journalDepth").asInt()).isZero();
    assertThat(report.get("sites").get(1).get("local").asBoolean()).isTrue();
    assertThat(report.get("placements").get(0).get("authority").asText()).isEqualTo("gcp");
    assertThat(report.get("placements").get(0).get("replicas")).hasSize(3);
    assertThat(report.get("journalDirectory").isNull()).as("no journalDirectory configured").isTrue();
  }

  @Test
  void aSiteDownShowsItsBreakerItsBacklogAndExitsThree() throws Exception {
    cli.run("mb", "gs://sales");
    cli.faults.get("dc2").partition();
    Path file = dir.resolve("a.csv");
    Files.writeString(file, "a");
    for (int i = 0; i < 3; i++) { // acknowledged without dc2 (failWritesWhenReplicaDown: false), journaled for it
      Result cp = cli.run("cp", file.toString(), "gs://sales/a" + i + ".csv");
      assertThat(cp.exit()).as(cp.err()).isZero();
    }

    Result status = cli.run("status");

    assertThat(status.exit()).as(status.out()).isEqualTo(Exits.UNREACHABLE);
    String dc2 = status.out().lines().filter(l -> l.startsWith("dc2 ")).findFirst().orElseThrow();
    assertThat(dc2).matches("dc2\\s+memory\\s+-\\s+30ms\\s+OPEN\\s+NO\\s+3\\s+\\S+");
    assertThat(status.out()).contains("dc2: ").contains("UNHEALTHY");

    JsonNode report = JSON.readTree(cli.run("status", "--json").out());
    JsonNode dc2Json = report.get("sites").get(2);
    assertThat(dc2Json.get("breakerOpen").asBoolean()).isTrue();
    assertThat(dc2Json.get("reachable").asBoolean()).isFalse();
    assertThat(dc2Json.get("error").asText()).contains("dc2");
    assertThat(dc2Json.get("journalDepth").asInt()).isEqualTo(3);
    assertThat(report.get("sites").get(0).get("journalDepth").asInt()).isZero();
    assertThat(report.get("journalDepth").asInt()).isEqualTo(3);
    assertThat(report.get("healthy").asBoolean()).isFalse();
  }

  @Test
  void theEmbeddedWorldWithoutAConfiguration() {
    assumeThat(System.getenv("HYBRID_STORAGE_CONFIG")).isNull();
    assumeThat(System.getProperty("hybrid.storage.config")).isNull();

    Result status = cli.runRaw(false, "status");

    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).contains("embedded in-memory three-site world")
        .contains("journal: 0 pending").contains("(in memory: no journalDirectory configured)");
    assertThat(status.out().lines().filter(l -> l.matches("(gcp|dc1|dc2)\\s+memory.*"))).hasSize(3);
  }
}
