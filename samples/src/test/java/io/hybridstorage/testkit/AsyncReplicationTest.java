package io.hybridstorage.testkit;

import static io.hybridstorage.api.HybridStorageOptions.DC1;
import static io.hybridstorage.api.HybridStorageOptions.DC2;
import static io.hybridstorage.api.HybridStorageOptions.GCP;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.WritePolicy;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "What is where" under AUTHORITY_THEN_ASYNC with a partitioned site: the placement of one bucket
 * changed in a few lines, faults injected per site, the journal drained after healing.
 */
class AsyncReplicationTest {

  @RegisterExtension
  static HybridStorageExtension sites = HybridStorageExtension.builder()
      .placement(Placement.builder("events")
          .replicas(GCP, DC1, DC2).authority(GCP)
          .write(WritePolicy.AUTHORITY_THEN_ASYNC).read(ReadPolicy.AUTHORITY).consistency(Consistency.STRONG)
          .build())
      .build();

  @BeforeEach
  void createBucket(Storage storage) {
    storage.create(BucketInfo.of("events")); // on every site, before any partition
  }

  @Test
  void aPartitionedSiteLacksTheObjectUntilHealedAndDrained(Storage storage, HybridWorld world) {
    sites.faults(DC2).partition();

    Blob blob = storage.create(BlobInfo.newBuilder("events", "e1.json").build(), "{}".getBytes(UTF_8));

    sites.assertThat(GCP).hasGeneration("events", "e1.json", blob.getGeneration());
    sites.assertThat(DC2).lacks("events", "e1.json");
    assertThat(world.journalDepth(DC2)).isEqualTo(1);
    world.replayNow();
    sites.assertThat(DC2).lacks("events", "e1.json");
    assertThat(world.drain(Duration.ofMillis(50))).isFalse(); // dc2's entry waits for the site

    sites.faults(DC2).heal();
    sites.drain();

    assertThat(world.journalDepth()).isZero();
    assertThat(sites.whereIs("events", "e1.json")).containsOnlyKeys(GCP, DC1, DC2);
    sites.assertThat(DC2).hasGeneration("events", "e1.json", blob.getGeneration()).hasContent("events", "e1.json", "{}");
    sites.assertThat(DC1).hasGeneration("events", "e1.json", blob.getGeneration());
  }

  @Test
  void drainingWhileASiteIsPartitionedFailsAtOnceNamingIt(Storage storage) {
    sites.faults(DC2).partitionWrites();
    storage.create(BlobInfo.newBuilder("events", "e2.json").build(), "{}".getBytes(UTF_8));

    assertThatThrownBy(sites::drain).isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("the replication journal cannot drain; pending [")
        .hasMessageContaining("dc2: 1 (partitioned)")
        .hasMessageEndingWith("heal partitioned sites (faults(site).heal() or heal()) before draining");
    sites.heal();
    sites.drain();
    sites.assertThat(DC2).has("events", "e2.json");
  }

  @Test
  void otherBucketsKeepTheDefaultDualWritePlacement(Storage storage) {
    storage.create(BucketInfo.of("sales"));
    storage.create(BlobInfo.newBuilder("sales", "s.csv").build(), "x".getBytes(UTF_8));
    assertThat(sites.whereIs("sales", "s.csv")).containsOnlyKeys(GCP, DC1, DC2);
  }
}
