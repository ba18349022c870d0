package io.hybridstorage.routing.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.RoutingListener;
import io.hybridstorage.routing.RoutingSettings;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.fault.Fault;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.fault.FaultRule;
import io.hybridstorage.testkit.fault.Operation;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A replicated delete ({@link Replicator#deleteUpTo}) that reaches a site before the write it
 * deletes: it must leave a tombstone there, so the write arriving afterwards (a slow replica
 * commit, another router's replication) is refused instead of living on at that site alone.
 * Before, the delete was a HEAD and a conditional delete, which found nothing and left nothing.
 */
class ReplicatorDeleteUpToTest {

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private SiteHandle site(String name, InMemoryStore memory, FaultRule... rules) {
    FaultInjectingStore.Builder b = FaultInjectingStore.builder(memory).seed(1);
    for (FaultRule r : rules) {
      b.rule(r);
    }
    ResilientStore store = new ResilientStore(b.build(),
        RoutingSettings.defaults().withCallTimeout(Duration.ZERO).withRetry(3, Duration.ZERO), pool,
        java.time.Clock.systemUTC(), io.hybridstorage.api.Sleeper.system());
    return new SiteHandle(name, SiteConfig.memory(name, Duration.ZERO), store);
  }

  private static Replicator replicator(SiteHandle target) {
    return new Replicator(n -> target, (b, n) -> Optional.empty(), (op, s, b, n, g) -> false, new RoutingListener() {});
  }

  private static ObjectInfo writeAt(InMemoryStore store, long g, String content) {
    return store.write(WriteRequest.of("bkt", "o").withGeneration(g), new ByteArrayInputStream(content.getBytes(UTF_8)));
  }

  @Test
  void aDeleteThatOvertakesItsWriteLeavesATombstoneAndTheLateWriteIsRefused() {
    InMemoryStore memory = new InMemoryStore("dc2");
    memory.createBucket(BucketSpec.of("bkt"));
    SiteHandle dc2 = site("dc2", memory);
    Replicator replicator = replicator(dc2);
    long g = 1_000_000_000_000_000L;

    assertThat(replicator.deleteUpTo("bkt", "o", g, dc2)).as("nothing there yet").isEqualTo(Replicator.Outcome.SKIPPED);
    byte[] late = "v1, written before the delete".getBytes(UTF_8);
    assertThat(replicator.writeBytes(WriteRequest.of("bkt", "o"), g, late, late.length, dc2))
        .as("the overtaken write, arriving late").isEqualTo(Replicator.Outcome.SKIPPED);
    assertThat(memory.head(ObjectId.of("bkt", "o"), Conditions.none())).as("dc2 stays deleted, like every site")
        .isEmpty();
  }

  @Test
  void aLiveVersionNotNewerIsRemovedAndANewerOneKept() {
    InMemoryStore memory = new InMemoryStore("dc2");
    memory.createBucket(BucketSpec.of("bkt"));
    SiteHandle dc2 = site("dc2", memory);
    Replicator replicator = replicator(dc2);
    long g = 1_000_000_000_000_000L;

    writeAt(memory, g, "v");
    assertThat(replicator.deleteUpTo("bkt", "o", g, dc2)).isEqualTo(Replicator.Outcome.APPLIED);
    assertThat(memory.head(ObjectId.of("bkt", "o"), Conditions.none())).isEmpty();

    writeAt(memory, g + 10, "newer");
    assertThat(replicator.deleteUpTo("bkt", "o", g + 5, dc2)).isEqualTo(Replicator.Outcome.SKIPPED);
    assertThat(memory.head(ObjectId.of("bkt", "o"), Conditions.none()))
        .hasValueSatisfying(h -> assertThat(h.generation()).isEqualTo(g + 10));
  }

  /** Idempotent, so the resilience layer retries it like a delete with a generation. */
  @Test
  void aFailedAttemptIsRetried() {
    InMemoryStore memory = new InMemoryStore("dc2");
    memory.createBucket(BucketSpec.of("bkt"));
    SiteHandle dc2 = site("dc2", memory,
        FaultRule.on(Operation.DELETE).times(1).inject(Fault.failBeforeCall(503)));
    long g = 1_000_000_000_000_000L;
    writeAt(memory, g, "v");

    assertThat(replicator(dc2).deleteUpTo("bkt", "o", g, dc2)).isEqualTo(Replicator.Outcome.APPLIED);
    assertThat(memory.head(ObjectId.of("bkt", "o"), Conditions.none())).isEmpty();
  }
}
