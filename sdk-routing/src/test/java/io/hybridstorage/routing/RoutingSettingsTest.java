package io.hybridstorage.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link RoutingSettings}: the defaults its javadoc states, the {@code with} methods, and early validation. */
class RoutingSettingsTest {

  private static final RoutingSettings D = RoutingSettings.defaults();

  @Test
  void defaultsAreWhatTheJavadocSays() {
    assertThat(D).isEqualTo(new RoutingSettings(Duration.ofSeconds(4), 3, Duration.ofMillis(50), 20, 10, 50f,
        Duration.ofSeconds(5), 64, Duration.ofSeconds(1), 8 << 20, true, 512, Duration.ofMillis(200), 8, 100_000,
        Duration.ofSeconds(1), "hybrid-storage-meta", true, Duration.ofMinutes(10)));
  }

  @Test
  void eachWithChangesOnlyItsOwnFields() {
    assertThat(D.withBulkhead(3, Duration.ofMillis(7)))
        .isEqualTo(new RoutingSettings(D.callTimeout(), D.retryAttempts(), D.retryWait(), D.breakerWindow(),
            D.breakerMinimumCalls(), D.breakerFailureRate(), D.breakerOpenWait(), 3, Duration.ofMillis(7),
            D.teeBufferBytes(), D.parallelTee(), D.journalBatchMax(), D.replayInterval(), D.replayThreads(),
            D.sessionCapacity(), D.watermarkInterval(), D.watermarkBucket(), D.ownsSites(), D.repairHorizon()));
    assertThat(D.withSessionCapacity(42))
        .isEqualTo(new RoutingSettings(D.callTimeout(), D.retryAttempts(), D.retryWait(), D.breakerWindow(),
            D.breakerMinimumCalls(), D.breakerFailureRate(), D.breakerOpenWait(), D.bulkheadMaxConcurrent(),
            D.bulkheadMaxWait(), D.teeBufferBytes(), D.parallelTee(), D.journalBatchMax(), D.replayInterval(),
            D.replayThreads(), 42, D.watermarkInterval(), D.watermarkBucket(), D.ownsSites(), D.repairHorizon()));
    assertThat(D.withWatermarks(Duration.ofMillis(300), "meta-bkt"))
        .isEqualTo(new RoutingSettings(D.callTimeout(), D.retryAttempts(), D.retryWait(), D.breakerWindow(),
            D.breakerMinimumCalls(), D.breakerFailureRate(), D.breakerOpenWait(), D.bulkheadMaxConcurrent(),
            D.bulkheadMaxWait(), D.teeBufferBytes(), D.parallelTee(), D.journalBatchMax(), D.replayInterval(),
            D.replayThreads(), D.sessionCapacity(), Duration.ofMillis(300), "meta-bkt", D.ownsSites(),
            D.repairHorizon()));
    RoutingSettings all = D.withCallTimeout(Duration.ofSeconds(2)).withRetry(5, Duration.ofMillis(3))
        .withBreaker(7, 6, 25f, Duration.ofSeconds(9)).withBulkhead(4, Duration.ZERO).withTee(1024, false)
        .withJournal(16, Duration.ofSeconds(1), 2).withSessionCapacity(10)
        .withWatermarks(Duration.ofMillis(250), "wm-bkt").withOwnsSites(false)
        .withRepairHorizon(Duration.ofMinutes(3));
    assertThat(all).isEqualTo(new RoutingSettings(Duration.ofSeconds(2), 5, Duration.ofMillis(3), 7, 6, 25f,
        Duration.ofSeconds(9), 4, Duration.ZERO, 1024, false, 16, Duration.ofSeconds(1), 2, 10,
        Duration.ofMillis(250), "wm-bkt", false, Duration.ofMinutes(3)));
    RoutingSettings h = D.withRepairHorizon(Duration.ofMinutes(3));
    assertThat(java.util.List.of(h.withCallTimeout(Duration.ofSeconds(1)), h.withRetry(1, Duration.ZERO),
        h.withBreaker(1, 1, 1f, Duration.ofSeconds(1)), h.withBulkhead(1, Duration.ZERO), h.withTee(0, false),
        h.withJournal(1, Duration.ofSeconds(1), 1), h.withSessionCapacity(1), h.withOwnsSites(false),
        h.withWatermarks(Duration.ofSeconds(2), "wm-bkt")))
        .as("every with method keeps the repair horizon").extracting(RoutingSettings::repairHorizon)
        .containsOnly(Duration.ofMinutes(3));
  }

  @Test
  void impossibleValuesFailAtOnceNamingTheValue() {
    assertThatThrownBy(() -> D.withBulkhead(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bulkheadMaxConcurrent (0) must be >= 1");
    assertThatThrownBy(() -> D.withBulkhead(1, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bulkheadMaxWait (PT-0.001S) must not be negative");
    assertThatThrownBy(() -> D.withBulkhead(1, null)).isInstanceOf(NullPointerException.class)
        .hasMessage("bulkheadMaxWait");
    assertThatThrownBy(() -> D.withSessionCapacity(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sessionCapacity (0) must be >= 1");
    assertThatThrownBy(() -> D.withCallTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("callTimeout (PT-1S) must not be negative");
    assertThatThrownBy(() -> D.withRetry(2, Duration.ofMillis(-5))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retryWait (PT-0.005S) must not be negative");
    assertThatThrownBy(() -> D.withBreaker(4, 2, 50f, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("breakerOpenWait (PT0S) must be at least 1 ms");
    assertThatThrownBy(() -> D.withWatermarks(Duration.ZERO, "wm-bkt")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("watermarkInterval (PT0S) must be positive");
    assertThatThrownBy(() -> D.withWatermarks(Duration.ofSeconds(1), "Meta"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("watermarkBucket ('Meta') is not a valid bucket name: a bucket name may contain only lowercase "
            + "letters, digits, '-', '_' and '.', and must start and end with a letter or digit");
    assertThatThrownBy(() -> D.withRepairHorizon(Duration.ofMinutes(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("repairHorizon (PT-1M) must not be negative");
  }
}
