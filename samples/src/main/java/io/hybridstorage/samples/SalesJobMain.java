package io.hybridstorage.samples;

import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.Placement;
import java.io.PrintStream;

/**
 * Runs {@link PartitionedSalesJob} on {@code HybridStorageOptions.fromEnvironment().getService()}:
 * the embedded in-memory three-site world unless {@code HYBRID_STORAGE_CONFIG} names a
 * configuration. Creates the bucket first when it is missing (the platform team's job, not the
 * BU's). Then shows the sites ({@link SiteTour}): which sites hold each object the job left, with
 * their generations; one site taken down while the job's objects are read again and a new object
 * is written; the site brought back and the replication journal drained to zero. Fails (an
 * exception) when a step failed.
 *
 * <p>In the embedded world the placement accepts writes while a replica is down ({@code
 * failWritesWhenReplicaDown=false}; the default world refuses them), so the outage has something
 * to replicate afterwards. A configured world runs as configured.
 *
 * <p>{@code mvn -B -q -pl samples -am -DskipTests -Prun-sample package} runs it.
 */
public final class SalesJobMain {

  static final String BUCKET = "acme-sales";

  private SalesJobMain() {}

  public static void main(String[] args) throws Exception {
    boolean embedded = System.getProperty("hybrid.storage.config") == null
        && System.getenv("HYBRID_STORAGE_CONFIG") == null;
    int failures = run(HybridStorageOptions.fromEnvironment(), embedded, System.out);
    if (failures > 0) {
      // an exception, not System.exit: exec:java runs in Maven's JVM and reports it as a failure
      throw new IllegalStateException(failures + " step(s) of the sample job failed; see the output above");
    }
  }

  /**
   * Runs the job and the tour on {@code options} and prints to {@code out}; returns the failed
   * steps. {@code embedded}: {@code options} are the embedded world, whose placements then accept
   * writes while a replica is down.
   */
  static int run(HybridStorageOptions options, boolean embedded, PrintStream out) throws Exception {
    HybridStorageOptions.Builder builder = options.toBuilder();
    if (embedded) {
      builder.clearPlacements();
      for (Placement p : options.placements()) {
        builder.placement(p.toBuilder().failWritesWhenReplicaDown(false).build());
      }
    }
    SiteTour tour = new SiteTour();
    HybridStorageOptions toured = builder.storeDecorator(tour).build();
    out.println("hybrid storage: " + toured + (embedded ? " (embedded; writes go on while a replica is down)" : ""));
    try (Storage storage = toured.getService()) {
      if (storage.get(BUCKET) == null) {
        storage.create(BucketInfo.of(BUCKET));
      }
      out.println("project " + storage.getOptions().getProjectId() + ", bucket gs://" + BUCKET);
      return new PartitionedSalesJob(storage, BUCKET, out::println).run(tour.steps(storage, BUCKET)).failures();
    }
  }
}
