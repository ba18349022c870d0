package io.hybridstorage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BucketInfo;
import io.hybridstorage.api.HybridStorageOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long a three-site world takes to open, logged (not asserted: timings depend on the machine).
 * Look for "three-site world startup" in the test output.
 */
class StartupTest {

  private static final Logger log = LoggerFactory.getLogger(StartupTest.class);
  private static final int WORLDS = 20;

  @RegisterExtension
  static HybridStorageExtension sites = HybridStorageExtension.threeSites();

  @Test
  void freshWorldsOpenAndWork() {
    Duration extensionWorld = sites.world().startupTime();
    HybridStorageOptions options = sites.options();
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < WORLDS; i++) {
      try (HybridWorld world = HybridWorld.open(options)) {
        micros.add(world.startupTime().toNanos() / 1000);
        world.storage().create(BucketInfo.of("bucket-" + i));
        assertThat(world.whereIs("bucket-" + i, "x")).isEmpty();
        assertThat(world.site("dc2").getBucket("bucket-" + i)).isPresent();
      }
    }
    List<Long> sorted = micros.stream().sorted().toList();
    log.info("three-site world startup: this test's world {} µs (with class loading if it is the JVM's first); "
        + "{} more fresh worlds: median {} µs, min {} µs, max {} µs", extensionWorld.toNanos() / 1000, WORLDS,
        sorted.get(WORLDS / 2), sorted.get(0), sorted.get(WORLDS - 1));
    assertThat(micros).hasSize(WORLDS).allMatch(us -> us > 0);
  }
}
