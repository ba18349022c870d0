package io.hybridstorage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.BlobInfo;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayInputStream;
import io.hybridstorage.cli.CliHarness.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify and repair over a bucket/prefix, paged; text and --json reports; exit 1 when differences are found. */
class CheckCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private CliHarness cli;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliHarness(dir);
    assertThat(cli.run("mb", "gs://sales").exit()).isZero();
    for (String name : new String[] {"d/a.csv", "d/b.csv", "d/c.csv", "other/x.csv"}) {
      cli.world().storage().create(BlobInfo.newBuilder("sales", name).build(),
          name.getBytes(StandardCharsets.UTF_8));
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    cli.close();
  }

  @Test
  void aConsistentPrefixIsCleanPageAfterPage() throws Exception {
    Result text = cli.run("verify", "gs://sales/d/");
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out()).contains("verify gs://sales/d/").contains("checked 3 objects in 1 page: 0 differences");

    Result paged = cli.run("verify", "--json", "--page-size", "1", "gs://sales/d/");
    assertThat(paged.exit()).isZero();
    JsonNode report = JSON.readTree(paged.out());
    assertThat(report.get("checked").asInt()).isEqualTo(3);
    assertThat(report.get("pages").asInt()).isGreaterThanOrEqualTo(3);
    assertThat(report.get("clean").asBoolean()).isTrue();
    assertThat(report.get("items")).isEmpty();
    assertThat(report.get("nextPageToken").isNull()).isTrue();
  }

  @Test
  void verifyFindsAMissingAndACorruptedCopyAndExitsOne() throws Exception {
    ObjectInfo a = cli.raw("gcp").head(ObjectId.of("sales", "d/a.csv"), Conditions.none()).orElseThrow();
    cli.raw("dc2").delete(ObjectId.of("sales", "d/a.csv"), Conditions.none());
    corrupt("dc1", "d/b.csv");

    Result text = cli.run("verify", "gs://sales/d/");
    assertThat(text.exit()).isEqualTo(Exits.DIFFERENCES);
    assertThat(text.out()).contains("MISSING   gs://sales/d/a.csv on dc2: authority generation " + a.generation())
        .contains("CORRUPTED gs://sales/d/b.csv on dc1")
        .contains("checked 3 objects in 1 page: 2 differences {CORRUPTED=1, MISSING=1}");

    Result json = cli.run("verify", "--json", "gs://sales/d/");
    assertThat(json.exit()).isEqualTo(Exits.DIFFERENCES);
    JsonNode report = JSON.readTree(json.out());
    assertThat(report.get("command").asText()).isEqualTo("verify");
    assertThat(report.get("differences").asInt()).isEqualTo(2);
    assertThat(report.get("byKind").get("MISSING").asInt()).isEqualTo(1);
    assertThat(report.get("clean").asBoolean()).isFalse();
    JsonNode missing = findItem(report, "MISSING");
    assertThat(missing.get("url").asText()).isEqualTo("gs://sales/d/a.csv");
    assertThat(missing.get("site").asText()).isEqualTo("dc2");
    assertThat(missing.get("expectedGeneration").asLong()).isEqualTo(a.generation());
    assertThat(missing.get("actualGeneration").asLong()).isEqualTo(-1);
    assertThat(missing.get("repaired").asBoolean()).isFalse();

    Result elsewhere = cli.run("verify", "gs://sales/other/"); // the prefix bounds the run
    assertThat(elsewhere.exit()).isZero();
  }

  @Test
  void repairFixesWhatVerifyFoundThenVerifyIsClean() throws Exception {
    writeBypassingTheRouter("d/a2.csv", "gcp", "dc1"); // never reached dc2
    corrupt("dc1", "d/b.csv");

    Result repair = cli.run("repair", "--json", "gs://sales/d/");

    assertThat(repair.exit()).as(repair.out() + repair.err()).isZero();
    JsonNode report = JSON.readTree(repair.out());
    assertThat(report.get("command").asText()).isEqualTo("repair");
    assertThat(report.get("differences").asInt()).isEqualTo(2);
    assertThat(report.get("repaired").asInt()).isEqualTo(2);
    assertThat(report.get("left").asInt()).isZero();
    assertThat(report.get("clean").asBoolean()).isTrue();
    assertThat(cli.raw("dc2").head(ObjectId.of("sales", "d/a2.csv"), Conditions.none())).isPresent();

    Result after = cli.run("verify", "gs://sales/d/");
    assertThat(after.exit()).isZero();
    assertThat(after.out()).contains("0 differences");
  }

  @Test
  void repairTextMarksEachDifference() throws Exception {
    writeBypassingTheRouter("d/c2.csv", "gcp", "dc1");

    Result repair = cli.run("repair", "gs://sales/d/");

    assertThat(repair.exit()).as(repair.out()).isZero();
    assertThat(repair.out()).contains("MISSING   gs://sales/d/c2.csv on dc2").contains("[repaired]")
        .contains("1 difference {MISSING=1}, 1 repaired, 0 left");
  }

  @Test
  void whatRepairCannotFixIsLeftAndExitsOne() throws Exception {
    // deleted on dc2 behind the router's back: dc2 remembers the generation as deleted (a tombstone) and
    // refuses it again, so the copy stays missing
    cli.raw("dc2").delete(ObjectId.of("sales", "d/c.csv"), Conditions.none());

    Result repair = cli.run("repair", "gs://sales/d/");

    assertThat(repair.exit()).isEqualTo(Exits.DIFFERENCES);
    assertThat(repair.out()).contains("MISSING   gs://sales/d/c.csv on dc2").contains("[left]")
        .contains("1 difference {MISSING=1}, 0 repaired, 1 left");
  }

  @Test
  void maxPagesStopsWithATokenToResume() throws Exception {
    Result first = cli.run("verify", "--json", "--page-size", "2", "--max-pages", "1", "gs://sales/d/");
    JsonNode report = JSON.readTree(first.out());
    assertThat(report.get("pages").asInt()).isEqualTo(1);
    assertThat(report.get("checked").asInt()).isEqualTo(2);
    String token = report.get("nextPageToken").asText();
    assertThat(token).isNotEmpty();

    Result rest = cli.run("verify", "--json", "--page-size", "2", "--page-token", token, "gs://sales/d/");
    assertThat(JSON.readTree(rest.out()).get("checked").asInt()).isEqualTo(1);
  }

  /** Writes {@code name} straight to {@code sites} with one assigned generation, as a lost replication would leave it. */
  private void writeBypassingTheRouter(String name, String... sites) {
    long generation = cli.raw("gcp").head(ObjectId.of("sales", "d/a.csv"), Conditions.none()).orElseThrow()
        .generation() + 1_000;
    for (String site : sites) {
      cli.raw(site).write(WriteRequest.of("sales", name).withGeneration(generation),
          new ByteArrayInputStream(name.getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** The same generation with other bytes on one site: what a damaged disk would hold. */
  private void corrupt(String site, String name) {
    ObjectInfo held = cli.raw(site).head(ObjectId.of("sales", name), Conditions.none()).orElseThrow();
    cli.raw(site).write(WriteRequest.of("sales", name).withGeneration(held.generation())
        .withConditions(Conditions.generationMatch(held.generation())),
        new ByteArrayInputStream("damaged".getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonNode findItem(JsonNode report, String kind) {
    for (JsonNode item : report.get("items")) {
      if (item.get("kind").asText().equals(kind)) {
        return item;
      }
    }
    throw new AssertionError("no " + kind + " in " + report);
  }
}
