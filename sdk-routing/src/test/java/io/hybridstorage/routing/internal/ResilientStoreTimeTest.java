package io.hybridstorage.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.routing.RoutingSettings;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.fault.Fault;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.fault.FaultRule;
import io.hybridstorage.testkit.fault.Operation;
import io.hybridstorage.testkit.time.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ResilientStore} on injected time: the breaker's open wait passes on the clock, the pause
 * between retries on the sleeper; real time changes neither.
 */
@Timeout(60) // virtual time that nobody advances would hang a test, not fail it
class ResilientStoreTimeTest {

  static final ObjectId ID = ObjectId.of("bkt", "o");
  static final Duration REAL_TIMEOUT = Duration.ofSeconds(10);

  final VirtualClock time = VirtualClock.create();
  final ExecutorService pool = Executors.newCachedThreadPool();
  final ExecutorService caller = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    caller.shutdownNow();
    pool.shutdownNow();
  }

  static FaultInjectingStore site() {
    InMemoryStore memory = new InMemoryStore("dc2");
    memory.createBucket(BucketSpec.of("bkt"));
    return FaultInjectingStore.builder(memory).seed(1).build();
  }

  /** No time limit (calls stay on the caller's thread), and the given retry and breaker. */
  static RoutingSettings settings(int attempts, Duration retryWait, Duration openWait) {
    return RoutingSettings.defaults().withCallTimeout(Duration.ZERO).withRetry(attempts, retryWait)
        .withBreaker(2, 2, 50f, openWait);
  }

  @Test
  void anOpenBreakerWaitsItsOpenWaitOnTheClockNotInRealTime() throws Exception {
    Duration openWait = Duration.ofMillis(1);
    FaultInjectingStore site = site();
    ResilientStore store = new ResilientStore(site, settings(1, Duration.ZERO, openWait), pool, time, time.sleeper());
    List<String> transitions = new CopyOnWriteArrayList<>();
    store.breaker().getEventPublisher().onStateTransition(e -> transitions.add(e.getStateTransition().toString()));

    site.partition();
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> store.head(ID, Conditions.none())).isInstanceOf(HybridStorageException.class);
    }
    assertThat(store.isOpen()).isTrue();
    site.heal(); // from now on only the breaker refuses
    int calls = site.callCount();

    Thread.sleep(5); // not synchronisation: real time passes 5 times the open wait, virtual time stands still
    assertThat(store.isOpen()).as("open while the clock stands still").isTrue();
    assertRefused(store);

    time.advance(openWait);
    assertThat(store.isOpen()).as("exactly the open wait: not past it yet").isTrue();
    assertRefused(store);
    assertThat(site.callCount()).as("refused calls never reach the site").isEqualTo(calls);

    time.advance(Duration.ofNanos(1));
    assertThat(store.isOpen()).as("past the open wait: the next call may try").isFalse();
    assertThat(store.breaker().getState()).as("half-opens with that call, not by a timer").isEqualTo(
        CircuitBreaker.State.OPEN);
    assertThat(store.head(ID, Conditions.none())).isEmpty();
    assertThat(site.callCount()).isEqualTo(calls + 1);
    assertThat(transitions).containsExactly("State transition from CLOSED to OPEN",
        "State transition from OPEN to HALF_OPEN", "State transition from HALF_OPEN to CLOSED");
  }

  static void assertRefused(ResilientStore store) {
    assertThatThrownBy(() -> store.head(ID, Conditions.none()))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> {
          assertThat(e.code()).isEqualTo(503);
          assertThat(e.reason()).isEqualTo("circuitOpen");
        });
  }

  @Test
  void aRetryOfAnHourCompletesAtOnceWhenTheSleeperAdvancesTheClock() {
    FaultInjectingStore site = site();
    site.addRule(FaultRule.on(Operation.HEAD).times(2).inject(Fault.failBeforeCall(503)));
    ResilientStore store = new ResilientStore(site, settings(3, Duration.ofHours(1), Duration.ofMinutes(1))
        .withBreaker(10, 10, 100f, Duration.ofMinutes(1)), pool, time, time.advancingSleeper());

    long realStart = System.nanoTime();
    assertThat(store.head(ID, Conditions.none())).as("the third attempt answers").isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - realStart)).isLessThan(REAL_TIMEOUT);
    assertThat(site.callCount()).isEqualTo(3);
    assertThat(time.elapsed()).as("two pauses of retryWait").isEqualTo(Duration.ofHours(2));
  }

  @Test
  void eachRetryWaitsRetryWaitOnTheSleeperBeforeItsAttempt() throws Exception {
    Duration retryWait = Duration.ofMinutes(3);
    FaultInjectingStore site = site();
    site.addRule(FaultRule.on(Operation.HEAD).times(1).inject(Fault.failBeforeCall(503)));
    ResilientStore store = new ResilientStore(site, settings(3, retryWait, Duration.ofMinutes(1)), pool, time,
        time.sleeper());

    Future<Optional<ObjectInfo>> head = caller.submit(() -> store.head(ID, Conditions.none()));
    assertThat(time.awaitSleepers(1, REAL_TIMEOUT)).as("paused after the first attempt").isTrue();
    assertThat(site.callCount()).isEqualTo(1);
    time.advance(retryWait.minusNanos(1));
    assertThat(time.sleepers()).as("1 ns short of retryWait").isEqualTo(1);
    assertThat(site.callCount()).isEqualTo(1);

    time.advance(Duration.ofNanos(1));
    assertThat(head.get(REAL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
    assertThat(site.callCount()).as("the second attempt answered").isEqualTo(2);
  }

  @Test
  void anInterruptedRetryPauseEndsTheCallWithoutAnotherAttempt() throws Exception {
    FaultInjectingStore site = site();
    site.addRule(FaultRule.on(Operation.HEAD).inject(Fault.failBeforeCall(503)));
    ResilientStore store = new ResilientStore(site, settings(3, Duration.ofMinutes(3), Duration.ofMinutes(1))
        .withBreaker(10, 10, 100f, Duration.ofMinutes(1)), pool, time, time.sleeper());

    Future<Boolean> interruptedAfter = caller.submit(() -> {
      try {
        store.head(ID, Conditions.none());
        return false;
      } catch (HybridStorageException e) {
        assertThat(e.code()).isEqualTo(503);
        assertThat(e.reason()).isEqualTo("interrupted");
        return Thread.currentThread().isInterrupted();
      }
    });
    assertThat(time.awaitSleepers(1, REAL_TIMEOUT)).isTrue();
    caller.shutdownNow(); // interrupts the pause
    assertThat(interruptedAfter.get(REAL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("flag kept").isTrue();
    assertThat(site.callCount()).as("no attempt after the interrupt").isEqualTo(1);
    assertThat(time.elapsed()).isZero();
  }
}
