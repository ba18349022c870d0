package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.GCP;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.testkit.fault.Fault;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.fault.FaultRule;
import io.hybridstorage.testkit.fault.Operation;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link RoutingSettings#withBulkhead}: at most {@code maxConcurrent} calls in flight per site; a
 * call finding none free waits up to {@code maxWait}, then fails with a retryable 503 naming the
 * site. Calls are held at the site by an injected delay on the world's blocking virtual clock, so
 * the test knows exactly how many are in flight.
 */
class BulkheadTest {

  private static final ObjectId O = ObjectId.of(BUCKET, "o");

  /**
   * AUTHORITY_ONLY reads AUTHORITY: every head goes to gcp. The journal is drained and replays only
   * when asked, so the test's calls are the only ones at gcp.
   */
  private static World world(RoutingSettings settings) {
    World w = new World(World.placement(WritePolicy.AUTHORITY_ONLY), Clock.systemUTC(),
        settings.withJournal(512, Duration.ofHours(1), 2));
    w.router.createBucket(BucketSpec.of(BUCKET));
    put(w.router, "o", "v");
    assertThat(w.router.drain(Duration.ofSeconds(10))).isTrue();
    return w;
  }

  private static long heads(FaultInjectingStore site) {
    return site.calls().stream().filter(c -> c.operation() == Operation.HEAD).count();
  }

  @Test
  void aFullBulkheadRejectsTheNextCallWithARetryable503NamingTheSite() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try (World w = world(World.testSettings().withBulkhead(2, Duration.ZERO))) {
      FaultInjectingStore gcp = w.faults.get(GCP);
      FaultRule hold = FaultRule.on(Operation.HEAD).inject(Fault.delay(Duration.ofMinutes(1)));
      gcp.addRule(hold);
      long before = heads(gcp);
      Future<Optional<ObjectInfo>> first = callers.submit(() -> w.router.head(O, Conditions.none()));
      Future<Optional<ObjectInfo>> second = callers.submit(() -> w.router.head(O, Conditions.none()));
      assertThat(w.faultTime.awaitSleepers(2, Duration.ofSeconds(10))).as("two heads held at gcp").isTrue();

      assertThatThrownBy(() -> w.router.head(O, Conditions.none()))
          .isInstanceOfSatisfying(HybridStorageException.class, e -> {
            assertThat(e.code()).isEqualTo(503);
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.reason()).isEqualTo("bulkheadFull");
            assertThat(e.operation()).isEqualTo("head");
            assertThat(e.site()).isEqualTo(w.router.site());
            assertThat(e.getMessage()).isEqualTo("head gs://bkt/o on routing[gcp,dc1,dc2]: at gcp: site gcp already"
                + " has 2 calls in flight, the most its bulkhead allows (waited PT0S for one to finish;"
                + " RoutingSettings.withBulkhead)");
          });
      assertThat(heads(gcp) - before).as("the rejected call (and its retry) never reached gcp").isEqualTo(2);
      assertThat(w.router.isSiteOpen(GCP)).as("a full bulkhead is load on the caller's side, not a failing site")
          .isFalse();

      w.faultTime.advance(Duration.ofMinutes(1));
      assertThat(first.get(10, TimeUnit.SECONDS)).isPresent();
      assertThat(second.get(10, TimeUnit.SECONDS)).isPresent();
      assertThat(gcp.removeRule(hold)).isTrue();
      assertThat(w.router.head(O, Conditions.none())).as("the permits came back").isPresent();
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aCallWaitsForAPermitAndGoesOnWhenOneIsReturned() throws Exception {
    // no time limiter: the wait for a permit happens in the calling thread, where the test can see it
    RoutingSettings settings = World.testSettings().withCallTimeout(Duration.ZERO)
        .withBulkhead(1, Duration.ofMinutes(5));
    ExecutorService callers = Executors.newFixedThreadPool(1);
    try (World w = world(settings)) {
      FaultInjectingStore gcp = w.faults.get(GCP);
      gcp.addRule(FaultRule.on(Operation.HEAD).inject(Fault.delay(Duration.ofMinutes(1))));
      long before = heads(gcp);
      Future<Optional<ObjectInfo>> first = callers.submit(() -> w.router.head(O, Conditions.none()));
      assertThat(w.faultTime.awaitSleepers(1, Duration.ofSeconds(10))).isTrue();

      AtomicReference<Object> secondOutcome = new AtomicReference<>();
      Thread second = new Thread(() -> {
        try {
          secondOutcome.set(w.router.head(O, Conditions.none()));
        } catch (RuntimeException e) {
          secondOutcome.set(e);
        }
      });
      second.start();
      awaitState(second, Thread.State.TIMED_WAITING); // waiting for the permit
      assertThat(heads(gcp) - before).as("only the first call is at gcp").isEqualTo(1);
      assertThat(secondOutcome.get()).isNull();

      w.faultTime.advance(Duration.ofMinutes(1)); // the first call answers and returns its permit
      Optional<ObjectInfo> answer = first.get(10, TimeUnit.SECONDS);
      assertThat(answer).isPresent();
      assertThat(w.faultTime.awaitSleepers(1, Duration.ofSeconds(10))).as("the second call reached gcp").isTrue();
      assertThat(heads(gcp) - before).isEqualTo(2);
      w.faultTime.advance(Duration.ofMinutes(1));
      second.join(10_000);
      assertThat(secondOutcome.get()).isEqualTo(answer);
    } finally {
      callers.shutdownNow();
    }
  }

  private static void awaitState(Thread thread, Thread.State state) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != state) {
      assertThat(System.nanoTime()).as(thread.getName() + " never reached " + state).isLessThan(deadline);
      Thread.sleep(1);
    }
  }
}
