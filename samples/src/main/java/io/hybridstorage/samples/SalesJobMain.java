package io.hybridstorage.samples;

import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.HybridStorageOptions;

/**
 * Runs {@link PartitionedSalesJob} on {@code HybridStorageOptions.fromEnvironment().getService()}:
 * the embedded in-memory three-site world unless {@code HYBRID_STORAGE_CONFIG} names a
 * configuration. Creates the bucket first when it is missing (the platform team's job, not the
 * BU's). Fails (exit code 1) when a step of the job failed.
 *
 * <p>{@code mvn -B -q -pl samples -am -DskipTests -Prun-sample package} runs it.
 */
public final class SalesJobMain {

  static final String BUCKET = "acme-sales";

  private SalesJobMain() {}

  public static void main(String[] args) throws Exception {
    HybridStorageOptions options = HybridStorageOptions.fromEnvironment();
    System.out.println("hybrid storage: " + options);
    int failures;
    try (Storage storage = options.getService()) {
      if (storage.get(BUCKET) == null) {
        storage.create(BucketInfo.of(BUCKET));
      }
      System.out.println("project " + storage.getOptions().getProjectId() + ", bucket gs://" + BUCKET);
      failures = new PartitionedSalesJob(storage, BUCKET, System.out::println).run().failures();
    }
    if (failures > 0) {
      // an exception, not System.exit: exec:java runs in Maven's JVM and reports it as a failure
      throw new IllegalStateException(failures + " step(s) of the sample job failed; see the output above");
    }
  }
}
