package io.hybridstorage.testkit.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class VirtualClockTest {

  private static final Duration REAL_TIMEOUT = Duration.ofSeconds(10);

  @Test
  void advanceMovesWallAndMonotonicTimeTogether() {
    VirtualClock clock = VirtualClock.create(Instant.parse("2031-05-06T07:08:09Z"));
    assertThat(clock.nanoTime()).isZero();

    clock.advance(Duration.ofMillis(1500)).advance(2, TimeUnit.SECONDS);

    assertThat(clock.instant()).isEqualTo(Instant.parse("2031-05-06T07:08:12.500Z"));
    assertThat(clock.millis()).isEqualTo(clock.instant().toEpochMilli());
    assertThat(clock.nanoTime()).isEqualTo(3_500_000_000L);
    assertThat(clock.ticker().read()).isEqualTo(clock.nanoTime());
    assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(3500));
  }

  @Test
  void timeNeverGoesBackwards() {
    VirtualClock clock = VirtualClock.create();
    assertThatThrownBy(() -> clock.advance(Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
    assertThat(clock.instant()).isEqualTo(VirtualClock.DEFAULT_START);
  }

  @Test
  void zoneViewsShareOneTimeline() {
    VirtualClock utc = VirtualClock.create();
    VirtualClock paris = utc.withZone(ZoneId.of("Europe/Paris"));

    utc.advance(Duration.ofHours(1));

    assertThat(paris.instant()).isEqualTo(utc.instant());
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(paris).isNotEqualTo(utc).isEqualTo(utc.withZone(ZoneId.of("Europe/Paris")));
    assertThat(VirtualClock.create()).isNotEqualTo(utc);
  }

  @Test
  void blockingSleeperWakesOnlyOnceItsDeadlineHasPassed() throws Exception {
    VirtualClock clock = VirtualClock.create();
    CountDownLatch woke = new CountDownLatch(1);
    Thread sleeper = new Thread(() -> {
      try {
        clock.sleeper().sleep(Duration.ofSeconds(10));
        woke.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    sleeper.start();
    assertThat(clock.awaitSleepers(1, REAL_TIMEOUT)).isTrue();

    clock.advance(Duration.ofSeconds(9));
    assertThat(woke.await(50, TimeUnit.MILLISECONDS)).as("woke before its deadline").isFalse();
    assertThat(clock.sleepers()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    assertThat(woke.await(REAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    sleeper.join(REAL_TIMEOUT.toMillis());
    assertThat(clock.sleepers()).isZero();
  }

  @Test
  void aSleeperWhoseDeadlinePassedStopsCountingAtOnceSoTheNextAwaitSeesItSleepAgain() throws Exception {
    VirtualClock clock = VirtualClock.create();
    CountDownLatch release = new CountDownLatch(1);
    Thread sleeper = new Thread(() -> {
      try {
        clock.sleeper().sleep(Duration.ofSeconds(1));
        release.await(); // runs on, not sleeping on the clock
        clock.sleeper().sleep(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    sleeper.start();
    assertThat(clock.awaitSleepers(1, REAL_TIMEOUT)).isTrue();

    clock.advance(Duration.ofSeconds(1));
    assertThat(clock.sleepers()).as("its deadline passed: no longer sleeping, whether or not it ran yet").isZero();
    assertThat(clock.awaitSleepers(1, Duration.ofMillis(50))).as("not asleep again").isFalse();
    release.countDown();
    assertThat(clock.awaitSleepers(1, REAL_TIMEOUT)).as("the second sleep").isTrue();
    clock.advance(Duration.ofSeconds(1));
    sleeper.join(REAL_TIMEOUT.toMillis());
    assertThat(clock.sleepers()).isZero();
  }

  @Test
  void advanceToNextDeadlineWakesTheEarliestSleeper() throws Exception {
    VirtualClock clock = VirtualClock.create();
    assertThat(clock.advanceToNextDeadline()).isFalse();
    AtomicReference<Long> wokeAt = new AtomicReference<>();
    Thread sleeper = new Thread(() -> {
      try {
        clock.sleeper().sleep(Duration.ofMillis(250));
        wokeAt.set(clock.nanoTime());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    sleeper.start();
    assertThat(clock.awaitSleepers(1, REAL_TIMEOUT)).isTrue();

    assertThat(clock.advanceToNextDeadline()).isTrue();
    sleeper.join(REAL_TIMEOUT.toMillis());

    assertThat(wokeAt.get()).isEqualTo(250_000_000L);
    assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void interruptingABlockedSleeperThrowsInterruptedException() throws Exception {
    VirtualClock clock = VirtualClock.create();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread sleeper = new Thread(() -> {
      try {
        clock.sleeper().sleep(Duration.ofDays(1));
      } catch (InterruptedException e) {
        thrown.set(e);
      }
    });
    sleeper.start();
    assertThat(clock.awaitSleepers(1, REAL_TIMEOUT)).isTrue();

    sleeper.interrupt();
    sleeper.join(REAL_TIMEOUT.toMillis());

    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(clock.sleepers()).isZero();
    assertThat(clock.elapsed()).isZero();
  }

  @Test
  void advancingSleeperMovesTimeWithoutWaitingAndWakesBlockedSleepers() throws Exception {
    VirtualClock clock = VirtualClock.create();
    CountDownLatch woke = new CountDownLatch(1);
    Thread blocked = new Thread(() -> {
      try {
        clock.sleeper().sleep(Duration.ofMinutes(30));
        woke.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    blocked.start();
    assertThat(clock.awaitSleepers(1, REAL_TIMEOUT)).isTrue();

    long realStart = System.nanoTime();
    for (int i = 0; i < 60; i++) {
      clock.advancingSleeper().sleep(Duration.ofMinutes(1));
    }
    long realNanos = System.nanoTime() - realStart;

    assertThat(clock.elapsed()).isEqualTo(Duration.ofHours(1));
    // a real sleep would take at least the virtual hour; no tighter real-time bound (that is for JMH)
    assertThat(Duration.ofNanos(realNanos)).isLessThan(clock.elapsed());
    assertThat(woke.await(REAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    blocked.join(REAL_TIMEOUT.toMillis());
  }

  @Test
  void systemSleeperReallySleeps() throws Exception {
    long start = System.nanoTime();
    Sleeper.system().sleep(Duration.ofMillis(20));
    Sleeper.system().sleep(Duration.ofMillis(-5)); // returns at once
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(20_000_000L);
  }
}
