package io.hybridstorage.testkit;

import static io.hybridstorage.api.HybridStorageOptions.DC1;
import static io.hybridstorage.api.HybridStorageOptions.DC2;
import static io.hybridstorage.api.HybridStorageOptions.GCP;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.testkit.time.VirtualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A world on a {@link VirtualClock}: the partition opens dc2's circuit breaker, whose open wait
 * (5 s by default) passes on the virtual clock while {@code drain()} waits, so the test takes no
 * real seconds.
 */
class VirtualTimeReplicationTest {

  static final VirtualClock clock = VirtualClock.create();

  @RegisterExtension
  static HybridStorageExtension sites = HybridStorageExtension.builder()
      .clock(clock)
      .placement(Placement.builder("events")
          .replicas(GCP, DC1, DC2).authority(GCP)
          .write(WritePolicy.AUTHORITY_THEN_ASYNC).read(ReadPolicy.AUTHORITY).consistency(Consistency.STRONG)
          .build())
      .build();

  @Test
  @Timeout(60) // a drain waiting for virtual time that never passes would hang
  void aBreakerOpenedByAPartitionLetsReplayThroughAfterItsOpenWaitOnTheVirtualClock(Storage storage,
      HybridWorld world) {
    storage.create(BucketInfo.of("events"));
    sites.faults(DC2).partition();
    for (int i = 0; i < 20; i++) {
      storage.create(BlobInfo.newBuilder("events", "e" + i).build(), "{}".getBytes(UTF_8));
    }
    world.replayNow(); // 20 failures at dc2: its breaker opens
    sites.faults(DC2).heal();
    Duration before = clock.elapsed();
    world.replayNow();
    assertThat(world.journalDepth(DC2)).as("healed, but the breaker still refuses").isEqualTo(20);

    sites.drain();

    assertThat(world.journalDepth()).isZero();
    assertThat(clock.elapsed().minus(before)).as("the breaker's open wait passed on the virtual clock")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(5)).isLessThan(Duration.ofSeconds(6));
    sites.assertThat(DC2).has("events", "e19");
  }
}
