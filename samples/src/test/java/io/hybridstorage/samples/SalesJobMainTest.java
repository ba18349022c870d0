package io.hybridstorage.samples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's first command: {@link SalesJobMain} prints the job's output unchanged, then which
 * sites hold each object it left (generations), an outage of the local site during which the
 * job's objects are read and a write is made, and the journal drained to zero once the site is
 * back; it ends with the job's {@code done: 0 failed step(s)}.
 */
class SalesJobMainTest {

  /** A table row: name, then one generation (or - / down) per site. */
  static final Pattern ROW = Pattern.compile("^    (\\S+)  +(\\S+)  +(\\S+)  +(\\S+)$", Pattern.MULTILINE);

  static String runMain(HybridStorageOptions options, boolean embedded) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int failures;
    try (PrintStream out = new PrintStream(bytes, true, UTF_8)) {
      failures = SalesJobMain.run(options, embedded, out);
    }
    String output = bytes.toString(UTF_8);
    assertThat(failures).as(output).isZero();
    return output;
  }

  @Test
  void theFirstCommandPrintsTheJobTheSiteTableAndTheOutage() throws Exception {
    // what main() runs when no configuration is named
    String output = runMain(HybridStorageOptions.inMemoryThreeSites().build(), true);

    String job = SalesJobBeforeAfterTest.GCS_OUTPUT.replace("done: 0 failed step(s)\n", "");
    assertThat(output).contains(job).endsWith("done: 0 failed step(s)\n");
    String tour = output.substring(output.indexOf(job) + job.length(), output.lastIndexOf("done: "));
    assertThat(tour.lines().count()).as("a newcomer's first screen stays short:\n" + tour).isLessThanOrEqualTo(20);

    // the table: every object the final listing shows, on gcp, dc1 and dc2 with one generation
    assertThat(tour).contains("object                                     gcp               dc1               dc2");
    List<String> names = new ArrayList<>();
    Matcher m = ROW.matcher(tour.substring(0, tour.indexOf("== outage")));
    while (m.find()) {
      if (m.group(1).equals("object")) {
        continue;
      }
      names.add(m.group(1));
      assertThat(m.group(2)).as(m.group()).matches("\\d{16}");
      assertThat(List.of(m.group(3), m.group(4))).as(m.group()).containsOnly(m.group(2));
    }
    assertThat(names).containsExactly("archive/sales/dt=2026-11-27/part-0000.csv", "sales/dt=2026-11-27/_SUCCESS",
        "sales/dt=2026-11-27/part-0000.csv", "sales/dt=2026-11-27/part-0001.csv", "sales/dt=2026-11-27/part-0002.csv");
    assertThat(tour).contains("  5 of 5 object(s) on all 3 sites with one generation\n");

    // the outage of the local site: reads still served, a write acknowledged without it and journaled
    assertThat(tour).contains("""
        == outage: dc1 down
          dc1 is down: every call to it fails
          the job's reads: 5 of 5 object(s) read, same bytes as before
          wrote sales/dt=2026-11-28/part-0000.csv: now on gcp, dc2
        """);
    // the breaker opens after ten failed calls; on a very slow machine its 5 s open wait may be over already
    assertThat(tour).containsPattern("\n  dc1's circuit breaker: (open|closed); journal: 1 change\\(s\\) waiting for dc1\n"
        + "== dc1 back\n"
        + "  dc1 is up; its 1 journaled change\\(s\\) replay once its breaker lets a call through \\(after 5 s\\)\n");
    assertThat(tour).containsPattern("  journal for dc1: 0 change\\(s\\) left after \\d+\\.\\d s\n");
    Matcher after = ROW.matcher(tour.substring(tour.indexOf("== dc1 back")));
    assertThat(after.find() && after.find()).as(tour).isTrue(); // the header, then the object written in the outage
    assertThat(after.group(1)).isEqualTo("sales/dt=2026-11-28/part-0000.csv");
    assertThat(after.group(2)).matches("\\d{16}");
    assertThat(List.of(after.group(3), after.group(4))).containsOnly(after.group(2));
  }

  @Test
  void aPlacementThatFailsWritesWhenAReplicaIsDownIsShownRefusingTheWrite() throws Exception {
    // a configured world runs as configured: the default placement refuses writes with dc1 down
    String output = runMain(HybridStorageOptions.inMemoryThreeSites().build(), false);

    assertThat(output).contains("  the job's reads: 5 of 5 object(s) read, same bytes as before\n")
        .containsPattern("  a write now is refused: code 503, .*failWritesWhenReplicaDown=true.*\n")
        .contains("journal: 0 change(s) waiting for dc1")
        .containsPattern("  journal for dc1: 0 change\\(s\\) left after")
        .doesNotContain("wrote sales/dt=2026-11-28")
        .endsWith("done: 0 failed step(s)\n");
  }

  @Test
  void theTableShowsASiteThatMissesAnObject() throws Exception {
    SiteTour tour = new SiteTour();
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites().storeDecorator(tour).build();
    try (Storage storage = options.getService()) {
      storage.create(BucketInfo.of("bkt"));
      storage.create(BlobInfo.newBuilder("bkt", "kept").build(), "k".getBytes(UTF_8));
      storage.create(BlobInfo.newBuilder("bkt", "lost-on-dc2").build(), "l".getBytes(UTF_8));
      assertThat(tour.switchOf("dc2").store().delete(ObjectId.of("bkt", "lost-on-dc2"), Conditions.none())).isTrue();

      List<String> lines = new ArrayList<>();
      tour.steps(storage, "bkt").get(0).body().accept(lines::add);

      String table = String.join("\n", lines);
      Matcher m = ROW.matcher(table);
      assertThat(m.find()).isTrue(); // header
      assertThat(m.find()).isTrue();
      assertThat(m.group(1)).isEqualTo("kept");
      assertThat(List.of(m.group(3), m.group(4))).containsOnly(m.group(2));
      assertThat(m.find()).isTrue();
      assertThat(m.group(1)).isEqualTo("lost-on-dc2");
      assertThat(m.group(3)).isEqualTo(m.group(2));
      assertThat(m.group(4)).isEqualTo("-");
      assertThat(table).endsWith("  1 of 2 object(s) on all 3 sites with one generation");
    }
  }
}
