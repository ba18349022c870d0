package io.hybridstorage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.samples.PartitionedSalesJob;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The annotation form: {@code @HybridStorageTest} gives each test the default three-site world by
 * parameter. The code under test is the samples' BU job, which knows nothing but {@code Storage}.
 */
@HybridStorageTest
class AnnotationFormTest {

  @Test
  void theSalesJobRunsOnTheThreeSiteWorldAndLeavesItsMarkerEverywhere(Storage storage, HybridWorld world) {
    storage.create(BucketInfo.of("acme-sales"));
    List<String> out = new ArrayList<>();

    PartitionedSalesJob.Report report = new PartitionedSalesJob(storage, "acme-sales", out::add).run();

    assertThat(report.failures()).as("failed steps in:%n%s", String.join("\n", out)).isZero();
    String marker = "sales/dt=" + PartitionedSalesJob.DAY + "/_SUCCESS";
    assertThat(world.whereIs("acme-sales", marker)).containsOnlyKeys("gcp", "dc1", "dc2");
    world.assertThat("dc2").lacks("acme-sales", "sales/dt=" + PartitionedSalesJob.YESTERDAY + "/part-0000.csv");
  }

  @Test
  void aSecondTestHasItsOwnEmptyWorld(Storage storage) {
    assertThat(storage.get("acme-sales")).isNull();
  }
}
