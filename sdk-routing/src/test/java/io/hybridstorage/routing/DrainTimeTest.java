package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.testkit.time.VirtualClock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RoutingStore#drain} on the router's clock: it waits between passes through the options'
 * sleeper, gives up when its timeout has passed on that clock, and meets a breaker whose open wait
 * passes on the same clock.
 */
@Timeout(60) // virtual time that nobody advances would hang a test, not fail it
class DrainTimeTest {

  static final Duration REAL_TIMEOUT = Duration.ofSeconds(10);

  @Test
  void drainGivesUpAfterItsTimeoutOnTheRoutersClockAndDrainsOnceTheBreakerLetsItThrough() throws Exception {
    VirtualClock time = VirtualClock.create();
    RoutingSettings settings = ReadPolicyTest.LAZY // replays only when asked: the timers wait 1 h
        .withWatermarks(Duration.ofHours(1), ReadPolicyTest.LAZY.watermarkBucket());
    Duration openWait = settings.breakerOpenWait();
    Duration poll = Duration.ofMillis(10);
    Duration timeout = openWait.dividedBy(2);
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try (World w = new World(World.placement(WritePolicy.AUTHORITY_THEN_ASYNC), time, settings)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      w.faults.get(World.DC2).partition();
      put(w.router, "o", "v");
      assertThat(w.router.journalDepth(World.DC2)).isEqualTo(1);

      Future<Boolean> drain = caller.submit(() -> w.router.drain(timeout));
      for (Duration waited = Duration.ZERO; waited.compareTo(timeout) < 0; waited = waited.plus(poll)) {
        // the replay and watermark timers and the drain, which waits 10 ms between passes that replay nothing
        assertThat(time.awaitSleepers(3, REAL_TIMEOUT)).as("drain still waiting after %s", waited).isTrue();
        assertThat(drain).isNotDone();
        time.advance(poll);
      }
      assertThat(drain.get(REAL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("gave up after its timeout").isFalse();
      assertThat(time.elapsed()).isEqualTo(timeout);
      assertThat(w.router.journalDepth(World.DC2)).isEqualTo(1);

      w.faults.get(World.DC2).heal();
      assertThat(w.router.isSiteOpen(World.DC2)).as("the partition opened dc2's breaker").isTrue();
      assertThat(w.router.drain(Duration.ZERO)).as("healed, but the breaker's open wait has not passed").isFalse();
      time.advance(openWait.minus(timeout).plusNanos(1));
      assertThat(w.router.isSiteOpen(World.DC2)).isFalse();
      assertThat(w.router.drain(Duration.ZERO)).as("one pass: the trial replay succeeds").isTrue();
      assertThat(w.router.journalDepth()).isZero();
    } finally {
      caller.shutdownNow();
    }
  }
}
