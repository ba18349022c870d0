package io.hybridstorage.testkit.history;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.memory.InMemoryStore;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A deterministic replay of what the generation check found in a concurrent run: a write that
 * draws its generation while the object is absent, and publishes after another write and a delete,
 * re-creates the object with a generation below one already acknowledged.
 */
class InMemoryStoreGenerationTest {

  @Test
  void aRecreatedObjectGetsAGenerationAboveEveryEarlierOne() throws Exception {
    PausingClock clock = new PausingClock();
    InMemoryStore memory = new InMemoryStore("dc1", clock);
    memory.createBucket(BucketSpec.of("bkt"));
    HistoryRecorder recorder = HistoryRecorder.create();
    ObjectStore store = recorder.record(memory);

    AtomicReference<Throwable> slowFailure = new AtomicReference<>(); // a thread's own throw fails no test
    Thread slow = new Thread(() -> {
      try {
        put(store, "slow");
      } catch (Throwable e) {
        slowFailure.set(e);
      }
    }, "slow-writer");
    clock.pauseSecondReadOf(slow); // publish() reads the clock twice: generation, then times
    slow.start();
    assertThat(clock.paused.await(10, TimeUnit.SECONDS)).isTrue();
    put(store, "fast");                                            // acknowledged, higher generation
    store.delete(ObjectId.of("bkt", "k"), Conditions.none());      // absent again
    clock.resume.countDown();
    slow.join(10_000);
    assertThat(slow.isAlive()).as("the slow write finished").isFalse();
    assertThat(slowFailure.get()).as("the slow write is acknowledged").isNull();
    store.head(ObjectId.of("bkt", "k"), Conditions.none());        // observes the slow write

    HistoryChecker.create().check(recorder.history()).assertValid();
  }

  private static void put(ObjectStore store, String value) {
    store.write(WriteRequest.of("bkt", "k"), new ByteArrayInputStream(value.getBytes(UTF_8)));
  }

  /** A clock that blocks one thread on its second reading until released. */
  static final class PausingClock extends Clock {
    final CountDownLatch paused = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);
    private final AtomicInteger reads = new AtomicInteger();
    private volatile Thread target;

    void pauseSecondReadOf(Thread thread) {
      target = thread;
    }

    @Override
    public Instant instant() {
      if (Thread.currentThread() == target && reads.incrementAndGet() == 2) {
        paused.countDown();
        try {
          resume.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Instant.now();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
