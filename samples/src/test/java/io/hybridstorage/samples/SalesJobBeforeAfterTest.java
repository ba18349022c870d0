package io.hybridstorage.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.SiteConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The same BU job before the swap (google-cloud-nio's LocalStorageHelper, an independent
 * in-memory GCS) and after it (hybrid storage: one in-memory site, the embedded three-site world,
 * and the zero-code StorageFactory swap), comparing what it prints.
 *
 * <p>Normalisations: the job prints no generation numbers or timestamps (it prints whether a
 * generation changed), so none are needed for those. The hybrid runs must print exactly {@link
 * #GCS_OUTPUT}, which is what GCS does. LocalStorageHelper's run is compared after two documented
 * adjustments, each checked here (if LocalStorageHelper changes, this test fails and says where):
 *
 * <ol>
 *   <li>listing order: LocalStorageHelper lists in hash-map order, GCS in UTF-8 byte order (the
 *       HTTP client puts a page's objects first, then its prefixes) — the lines of each listing
 *       are sorted before comparing;
 *   <li>{@link #LSH_DEVIATIONS}: the lines where LocalStorageHelper is wrong (compose returns null;
 *       a {@code doesNotExist} write to an existing object fails with code 0 instead of 412; delete
 *       ignores {@code ifGenerationMatch}).
 * </ol>
 *
 * LocalStorageHelper shares one static store ({@code getOptions()} resets it): no other test in
 * this module may use it concurrently (Surefire runs this module's classes one after another).
 */
@ResourceLock("LocalStorageHelper") // one static store: never two users at once, in any parallel mode
class SalesJobBeforeAfterTest {

  static final String BUCKET = "acme-sales";

  /** What the job prints against GCS semantics. */
  static final String GCS_OUTPUT = """
      == write the partitions
        wrote sales/dt=2026-11-27/part-0000.csv (139 bytes, 4 rows)
        wrote sales/dt=2026-11-27/part-0001.csv (173 bytes, 5 rows)
        wrote sales/dt=2026-11-27/part-0002.csv (203 bytes, 6 rows)
        wrote sales/dt=2026-11-26/part-0000.csv (81 bytes, 2 rows)
      == list
        partitions under sales/:
          prefix sales/dt=2026-11-26/
          prefix sales/dt=2026-11-27/
        files in sales/dt=2026-11-27/:
          sales/dt=2026-11-27/part-0000.csv 139 bytes, text/csv, rows=4
          sales/dt=2026-11-27/part-0001.csv 173 bytes, text/csv, rows=5
          sales/dt=2026-11-27/part-0002.csv 203 bytes, text/csv, rows=6
      == read ranges
        sales/dt=2026-11-27/part-0000.csv bytes [0,27)="order_id,store,amount_cents" last 9="-8,23757\\n"
        sales/dt=2026-11-27/part-0001.csv bytes [0,27)="order_id,store,amount_cents" last 9="-8,50676\\n"
        sales/dt=2026-11-27/part-0002.csv bytes [0,27)="order_id,store,amount_cents" last 9="-8,77595\\n"
      == compose the day
        composed sales/dt=2026-11-27/all.csv: 515 bytes, 18 lines, components=3
        removed sales/dt=2026-11-27/all.csv: true
      == copy to the archive
        copied sales/dt=2026-11-27/part-0000.csv -> archive/sales/dt=2026-11-27/part-0000.csv: 139 bytes, same content=true
      == commit the partition
        committed sales/dt=2026-11-27/_SUCCESS
        re-run refused to overwrite sales/dt=2026-11-27/_SUCCESS (412)
      == delete with preconditions
        rewrote sales/dt=2026-11-27/_tmp/checkpoint if generation matched: generation changed=true
        delete of the stale generation refused (412)
        delete of the current generation: true
        sales/dt=2026-11-27/_tmp/checkpoint exists afterwards: false
      == drop yesterday
        dropped 1 object(s) of sales/dt=2026-11-26/
      == final listing
          archive/sales/dt=2026-11-27/part-0000.csv 139 bytes
          sales/dt=2026-11-27/_SUCCESS 0 bytes
          sales/dt=2026-11-27/part-0000.csv 139 bytes
          sales/dt=2026-11-27/part-0001.csv 173 bytes
          sales/dt=2026-11-27/part-0002.csv 203 bytes
      done: 0 failed step(s)
      """;

  /** GCS line(s) → what LocalStorageHelper prints instead, and why. */
  static final List<String[]> LSH_DEVIATIONS = List.of(
      // FakeStorageRpc.compose returns null, so Storage.compose returns null
      new String[] {"""
            composed sales/dt=2026-11-27/all.csv: 515 bytes, 18 lines, components=3
            removed sales/dt=2026-11-27/all.csv: true
          """, """
            ! step failed: IllegalStateException: compose returned no blob
          """},
      // a doesNotExist write to an existing object: FakeStorageRpc throws FileAlreadyExistsException,
      // which reaches the caller as StorageException code 0 instead of 412
      new String[] {"""
            re-run refused to overwrite sales/dt=2026-11-27/_SUCCESS (412)
          """, """
            ! step failed: StorageException (code 0): http://localhost:65555/b/acme-sales/o/sales/dt=2026-11-27/_SUCCESS
          """},
      // FakeStorageRpc.delete ignores ifGenerationMatch: the stale delete succeeds, the current one finds nothing
      new String[] {"""
            delete of the stale generation refused (412)
            delete of the current generation: true
          """, """
            delete of the stale generation returned true (it should have been refused)
            delete of the current generation: false
          """},
      new String[] {"done: 0 failed step(s)\n", "done: 2 failed step(s)\n"});

  static String run(Storage storage) {
    List<String> lines = new ArrayList<>();
    new PartitionedSalesJob(storage, BUCKET, lines::add).run();
    return String.join("\n", lines) + "\n";
  }

  static String runProvisioned(Storage storage) {
    storage.create(BucketInfo.of(BUCKET));
    return run(storage);
  }

  @Test
  void beforeTheSwapLocalStorageHelperPrintsTheGcsOutputExceptItsKnownGaps() {
    String expected = GCS_OUTPUT;
    for (String[] deviation : LSH_DEVIATIONS) {
      assertThat(expected).contains(deviation[0]);
      expected = expected.replace(deviation[0], deviation[1]);
    }
    // LocalStorageHelper has no buckets: the job runs without provisioning one
    String actual = run(LocalStorageHelper.getOptions().getService());
    assertThat(sortListings(actual)).isEqualTo(sortListings(expected));
    assertThat(actual).as("LocalStorageHelper lists in hash order; if this fails, it now sorts")
        .isNotEqualTo(expected);
  }

  @Test
  void afterTheSwapOneInMemorySitePrintsTheGcsOutput() throws Exception {
    HybridStorageOptions oneSite = HybridStorageOptions.newBuilder()
        .site(SiteConfig.memory("dc1", Duration.ZERO)).build();
    try (Storage storage = oneSite.getService()) {
      assertThat(runProvisioned(storage)).isEqualTo(GCS_OUTPUT);
    }
  }

  @Test
  void afterTheSwapTheEmbeddedThreeSiteWorldPrintsTheGcsOutput() throws Exception {
    try (Storage storage = HybridStorageOptions.inMemoryThreeSites().build().getService()) {
      assertThat(runProvisioned(storage)).isEqualTo(GCS_OUTPUT);
    }
  }

  @Test
  void afterTheZeroCodeSwapPlainStorageOptionsPrintTheGcsOutput() {
    System.setProperty("hybrid.storage.enabled", "true");
    try {
      Storage storage = StorageOptions.newBuilder().setProjectId("acme").setCredentials(NoCredentials.getInstance())
          .build().getService();
      assertThat(storage.getClass().getName()).isNotEqualTo("com.google.cloud.storage.StorageImpl");
      assertThat(runProvisioned(storage)).isEqualTo(GCS_OUTPUT);
    } finally {
      System.clearProperty("hybrid.storage.enabled");
    }
  }

  /** Sorts each run of listing lines (indented by four spaces) in place. */
  static String sortListings(String output) {
    List<String> out = new ArrayList<>();
    List<String> block = new ArrayList<>();
    for (String line : output.split("\n", -1)) {
      if (line.startsWith("    ")) {
        block.add(line);
        continue;
      }
      block.sort(null);
      out.addAll(block);
      block.clear();
      out.add(line);
    }
    block.sort(null);
    out.addAll(block);
    return String.join("\n", out);
  }
}
