package io.hybridstorage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.cli.CliHarness.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** replay (the journal) and sites (which sites hold an object). */
class ReplayAndSitesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A breaker that lets a trial call through soon after the site is back. */
  private static final String QUICK_BREAKER = "{repairHorizon: 0s, retryAttempts: 1, callTimeout: 2s, "
      + "breakerWindow: 4, breakerMinimumCalls: 2, breakerOpenWait: 100ms}";

  @TempDir Path dir;
  private CliHarness cli;

  @AfterEach
  void tearDown() throws Exception {
    if (cli != null) {
      cli.close();
    }
  }

  private void put(String name) {
    cli.world().storage().create(BlobInfo.newBuilder("sales", name).build(), name.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void replayDrainsWhatASiteMissedOnceItIsBack() throws Exception {
    cli = new CliHarness(dir, QUICK_BREAKER, false);
    cli.run("mb", "gs://sales");
    cli.faults.get("dc2").partition();
    put("a.csv");
    put("b.csv");
    assertThat(cli.world().requireRouter("test").journalDepth("dc2")).isEqualTo(2);

    Result stuck = cli.run("replay", "--drain", "--timeout", "300ms");
    assertThat(stuck.exit()).as(stuck.out() + stuck.err()).isEqualTo(Exits.UNREACHABLE);
    assertThat(stuck.out()).contains("not drained within 300ms; 2 pending");
    assertThat(stuck.out().lines().filter(l -> l.startsWith("dc2 ")).findFirst().orElseThrow())
        .matches("dc2\\s+2\\s+2\\s+\\S+\\s+(OPEN|closed)");

    cli.faults.get("dc2").heal();
    Result drained = cli.run("replay", "--drain", "--timeout", "30s");
    assertThat(drained.exit()).as(drained.out() + drained.err()).isZero();
    assertThat(drained.out()).contains("replay: drained; 0 pending");
    assertThat(drained.out().lines().filter(l -> l.startsWith("dc2 ")).findFirst().orElseThrow())
        .matches("dc2\\s+\\d+\\s+0\\s+0s\\s+closed");
    assertThat(cli.raw("dc2").head(ObjectId.of("sales", "b.csv"), Conditions.none())).isPresent();
  }

  @Test
  void oneReplayPassWithNothingPendingExitsZero() throws Exception {
    cli = new CliHarness(dir);
    Result replay = cli.run("replay");
    assertThat(replay.exit()).isZero();
    assertThat(replay.out()).contains("replay: one pass replayed or skipped 0 entries; 0 pending");
  }

  @Test
  void sitesShowsEachCopyWithItsGenerationAndChecksum() throws Exception {
    cli = new CliHarness(dir);
    cli.run("mb", "gs://sales");
    put("a.csv");
    Blob blob = cli.world().storage().get(BlobId.of("sales", "a.csv"));

    Result text = cli.run("sites", "gs://sales/a.csv");
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out()).contains("gs://sales/a.csv  placement *, authority gcp, replicas [gcp, dc1, dc2]")
        .contains("consistent: every replica holds the authority's generation");
    for (String site : new String[] {"gcp", "dc1", "dc2"}) {
      assertThat(text.out().lines().filter(l -> l.startsWith(site + " ")).findFirst().orElseThrow())
          .contains(" " + blob.getGeneration() + " ").contains(" 5 ").contains(blob.getCrc32c());
    }

    Result json = cli.run("sites", "--json", "gs://sales/a.csv");
    JsonNode report = JSON.readTree(json.out());
    assertThat(report.get("consistent").asBoolean()).isTrue();
    assertThat(report.get("authority").asText()).isEqualTo("gcp");
    assertThat(report.get("sites")).hasSize(3);
    for (JsonNode copy : report.get("sites")) {
      assertThat(copy.get("present").asBoolean()).isTrue();
      assertThat(copy.get("generation").asLong()).isEqualTo(blob.getGeneration());
      assertThat(copy.get("crc32c").asText()).isEqualTo(blob.getCrc32c());
    }
  }

  @Test
  void sitesExitsOneWhenAReplicaLacksTheObjectAndThreeWhenOneIsDown() throws Exception {
    cli = new CliHarness(dir);
    cli.run("mb", "gs://sales");
    put("a.csv");
    cli.raw("dc1").delete(ObjectId.of("sales", "a.csv"), Conditions.none());

    Result missing = cli.run("sites", "gs://sales/a.csv");
    assertThat(missing.exit()).isEqualTo(Exits.DIFFERENCES);
    assertThat(missing.out().lines().filter(l -> l.startsWith("dc1 ")).findFirst().orElseThrow())
        .matches("dc1\\s+replica\\s+-\\s+-\\s+-\\s+-\\s+MISSING");
    assertThat(missing.out()).contains("NOT consistent");
    JsonNode json = JSON.readTree(cli.run("sites", "--json", "gs://sales/a.csv").out());
    assertThat(json.get("consistent").asBoolean()).isFalse();
    assertThat(json.get("sites").get(1).get("present").asBoolean()).isFalse();

    cli.faults.get("dc2").partition();
    Result down = cli.run("sites", "gs://sales/a.csv");
    assertThat(down.exit()).isEqualTo(Exits.UNREACHABLE);
    assertThat(down.out().lines().filter(l -> l.startsWith("dc2 ")).findFirst().orElseThrow())
        .contains("UNREACHABLE");

    Result nowhere = cli.run("sites", "gs://sales/never-written.csv");
    assertThat(nowhere.exit()).isEqualTo(Exits.UNREACHABLE); // dc2 cannot say it has none
    cli.faults.get("dc2").heal();
  }

  @Test
  void sitesOfAnObjectNoSiteHoldsExitsOne() throws Exception {
    cli = new CliHarness(dir);
    cli.run("mb", "gs://sales");
    Result nowhere = cli.run("sites", "gs://sales/never-written.csv");
    assertThat(nowhere.exit()).isEqualTo(Exits.DIFFERENCES);
    assertThat(nowhere.err()).contains("gs://sales/never-written.csv");
  }
}
