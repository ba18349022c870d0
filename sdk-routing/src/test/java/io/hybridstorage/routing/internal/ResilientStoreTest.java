package io.hybridstorage.routing.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.RoutingSettings;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.fault.Fault;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.fault.FaultRule;
import io.hybridstorage.testkit.fault.Operation;
import io.hybridstorage.testkit.time.VirtualClock;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The time limit of {@link ResilientStore}: calls are limited, bodies are not. */
class ResilientStoreTest {

  /**
   * A replica copy ({@code write(request, stream)}, what replay, repair and the buffered tee use)
   * takes as long as its body takes: with a time limit of 1 ns, a metadata call that is held times
   * out, but a copy whose body stalls for minutes completes. Before, the limit covered the whole
   * copy, so a replica of an object too large to move within {@code callTimeout} never arrived.
   */
  @Test
  void aWholeStreamWriteIsNotTimeLimitedWhileMetadataCallsAre() throws Exception {
    VirtualClock clock = VirtualClock.create();
    InMemoryStore memory = new InMemoryStore("dc2");
    memory.createBucket(BucketSpec.of("bkt"));
    FaultInjectingStore site = FaultInjectingStore.builder(memory).seed(1).sleeper(clock.sleeper())
        .rule(FaultRule.on(Operation.HEAD).inject(Fault.delay(Duration.ofMinutes(5))))
        .rule(FaultRule.on(Operation.WRITE).inject(Fault.stallRequestBody(3, Duration.ofMinutes(5))))
        .build();
    ExecutorService pool = Executors.newCachedThreadPool();
    ExecutorService callers = Executors.newSingleThreadExecutor();
    try {
      ResilientStore store = new ResilientStore(site, RoutingSettings.defaults().withCallTimeout(Duration.ofNanos(1))
          .withRetry(1, Duration.ZERO), pool, clock, clock.sleeper());

      assertThatThrownBy(() -> store.head(ObjectId.of("bkt", "o"), Conditions.none()))
          .isInstanceOfSatisfying(HybridStorageException.class, e -> {
            assertThat(e.code()).isEqualTo(503);
            assertThat(e.reason()).isEqualTo("timeout");
            assertThat(e.getMessage()).isEqualTo("head gs://bkt/o on dc2: no answer from site dc2 within PT0.000000001S");
          });
      clock.advance(Duration.ofMinutes(5)); // lets the abandoned head finish

      Future<ObjectInfo> copy = callers.submit(() -> store.write(WriteRequest.of("bkt", "o").withGeneration(7),
          new ByteArrayInputStream("0123456789".getBytes(UTF_8))));
      assertThat(clock.awaitSleepers(1, Duration.ofSeconds(10))).as("the body stalled after 3 bytes").isTrue();
      clock.advance(Duration.ofMinutes(5));
      assertThat(copy.get(10, TimeUnit.SECONDS).generation()).isEqualTo(7);
      try (ObjectContent content = memory.read(ReadRequest.of(ObjectId.of("bkt", "o")))) {
        assertThat(new String(content.stream().readAllBytes(), UTF_8)).isEqualTo("0123456789");
      }
    } finally {
      callers.shutdownNow();
      pool.shutdownNow();
      clock.advance(Duration.ofDays(1));
    }
  }

  /**
   * A site that answers nothing (a black hole) opens its breaker at its first time-out, so the
   * router fails over after one {@code callTimeout}; before, the default breaker needed ten
   * time-outs — with one caller, ten times the time limit.
   */
  @Test
  void aSilentSiteOpensItsBreakerAtTheFirstTimeout() throws Exception {
    VirtualClock clock = VirtualClock.create();
    InMemoryStore memory = new InMemoryStore("gcp");
    memory.createBucket(BucketSpec.of("bkt"));
    FaultInjectingStore site = FaultInjectingStore.builder(memory).seed(1).sleeper(clock.sleeper())
        .rule(FaultRule.on(Operation.HEAD).inject(Fault.delay(Duration.ofMinutes(5))))
        .build();
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      ResilientStore store = new ResilientStore(site, RoutingSettings.defaults().withCallTimeout(Duration.ofMillis(50))
          .withRetry(1, Duration.ZERO), pool, clock, clock.sleeper());
      assertThat(store.isOpen()).isFalse();
      assertThatThrownBy(() -> store.head(ObjectId.of("bkt", "o"), Conditions.none()))
          .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.reason()).isEqualTo("timeout"));
      assertThat(store.isOpen()).as("open after one time-out of a silent site").isTrue();
      assertThatThrownBy(() -> store.head(ObjectId.of("bkt", "o"), Conditions.none()))
          .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.reason()).isEqualTo("circuitOpen"));
    } finally {
      pool.shutdownNow();
      clock.advance(Duration.ofDays(1));
    }
  }

  /**
   * One slow call while the site answers others is a slow call, not a silent site: it counts as
   * one failure, and the breaker stays closed.
   */
  @Test
  void oneSlowCallAmongAnsweredOnesDoesNotOpenTheBreaker() throws Exception {
    VirtualClock clock = VirtualClock.create();
    InMemoryStore memory = new InMemoryStore("gcp");
    memory.createBucket(BucketSpec.of("bkt"));
    FaultRule slow = FaultRule.on(Operation.HEAD).forObject("bkt", "slow").inject(Fault.delay(Duration.ofMinutes(5)));
    FaultInjectingStore site = FaultInjectingStore.builder(memory).seed(1).sleeper(clock.sleeper()).rule(slow).build();
    ExecutorService pool = Executors.newCachedThreadPool();
    ExecutorService callers = Executors.newSingleThreadExecutor();
    try {
      ResilientStore store = new ResilientStore(site, RoutingSettings.defaults().withCallTimeout(Duration.ofSeconds(2))
          .withRetry(1, Duration.ZERO), pool, clock, clock.sleeper());
      Future<?> held = callers.submit(() -> store.head(ObjectId.of("bkt", "slow"), Conditions.none()));
      assertThat(clock.awaitSleepers(1, Duration.ofSeconds(10))).as("the slow call is at the site").isTrue();
      assertThat(store.head(ObjectId.of("bkt", "fast"), Conditions.none())).as("another call is answered").isEmpty();
      assertThatThrownBy(() -> held.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(
          java.util.concurrent.TimeoutException.class);
      assertThat(store.isOpen()).as("the site answered meanwhile").isFalse();
    } finally {
      callers.shutdownNow();
      pool.shutdownNow();
      clock.advance(Duration.ofDays(1));
    }
  }
}
