package io.hybridstorage.routing.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.routing.RoutingListener;
import io.hybridstorage.routing.RoutingSettings;
import io.hybridstorage.routing.internal.journal.JournalEntry;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A replica's journal entry asks two things before it skips: whether the source itself still has
 * an entry of the same change (its outcome there was unknown; that entry rolls it forward), and
 * what the source holds. Another replay thread may apply the source's entry and remove it
 * between the two questions. Here the journal's answer is that interleaving, made
 * deterministic: asked, it first applies the source's own change, then answers "nothing
 * pending" — as the journal would a moment after the other thread removed the entry. The
 * replica's entry must still be applied (ActiveActiveTest, 8 runs in 300, kept dc2's copy of a
 * deleted object before the journal was asked first).
 */
class ReplicatorSourceEntryRaceTest {

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final InMemoryStore dc1Memory = new InMemoryStore("dc1");
  private final InMemoryStore dc2Memory = new InMemoryStore("dc2");
  private final SiteHandle dc1 = site("dc1", dc1Memory);
  private final SiteHandle dc2 = site("dc2", dc2Memory);
  private final AtomicInteger asked = new AtomicInteger();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private SiteHandle site(String name, InMemoryStore memory) {
    memory.createBucket(BucketSpec.of("bkt"));
    ResilientStore store = new ResilientStore(memory,
        RoutingSettings.defaults().withCallTimeout(Duration.ZERO).withRetry(1, Duration.ZERO), pool,
        java.time.Clock.systemUTC(), io.hybridstorage.api.Sleeper.system());
    return new SiteHandle(name, SiteConfig.memory(name, Duration.ZERO), store);
  }

  /** A replicator whose journal, asked about the source, applies the source's own entry first. */
  private Replicator replicatorWhoseSourceEntryIsAppliedWhileAsking(Runnable sourceEntry) {
    Map<String, SiteHandle> sites = Map.of("dc1", dc1, "dc2", dc2);
    return new Replicator(sites::get, (b, n) -> Optional.empty(), (op, site, b, n, g) -> {
      if (asked.getAndIncrement() == 0) {
        sourceEntry.run(); // another replay thread applies the source's entry, then removes it
      }
      return false;
    }, new RoutingListener() {});
  }

  private static ObjectInfo writeAt(InMemoryStore store, long g, String content) {
    return store.write(WriteRequest.of("bkt", "o").withGeneration(g), new ByteArrayInputStream(content.getBytes(UTF_8)));
  }

  @Test
  void aDeleteAppliedAtTheSourceWhileTheReplicaAsksIsAppliedAtTheReplica() {
    long g = 1_000_000_000_000_000L;
    writeAt(dc1Memory, g, "v0");
    writeAt(dc2Memory, g, "v0");
    Replicator replicator = replicatorWhoseSourceEntryIsAppliedWhileAsking(() -> dc1Memory.deleteUpTo("bkt", "o", g));

    Replicator.Outcome outcome = replicator.apply(JournalEntry.of(JournalEntry.Op.DELETE, "bkt", "o", g, "dc1", "dc2", 0));

    assertThat(asked).as("the journal was asked about the source's entry").hasValue(1);
    assertThat(outcome).isEqualTo(Replicator.Outcome.APPLIED);
    assertThat(dc2Memory.head(ObjectId.of("bkt", "o"), Conditions.none())).as("o on dc2, deleted at dc1").isEmpty();
  }

  @Test
  void aDeleteThatDidNotHappenAtTheSourceAndHasNoEntryThereIsSkipped() {
    long g = 1_000_000_000_000_000L;
    writeAt(dc1Memory, g, "v0");
    writeAt(dc2Memory, g, "v0");
    Replicator replicator = replicatorWhoseSourceEntryIsAppliedWhileAsking(() -> { });

    Replicator.Outcome outcome = replicator.apply(JournalEntry.of(JournalEntry.Op.DELETE, "bkt", "o", g, "dc1", "dc2", 0));

    assertThat(outcome).isEqualTo(Replicator.Outcome.SKIPPED);
    assertThat(dc2Memory.head(ObjectId.of("bkt", "o"), Conditions.none())).as("o on dc2: the delete failed at dc1")
        .map(ObjectInfo::generation).contains(g);
  }

  @Test
  void aWriteRolledForwardToTheSourceWhileTheReplicaAsksReachesTheReplica() {
    long g = 1_000_000_000_000_000L;
    Replicator replicator = replicatorWhoseSourceEntryIsAppliedWhileAsking(() -> writeAt(dc1Memory, g, "v1"));

    Replicator.Outcome outcome = replicator.apply(JournalEntry.of(JournalEntry.Op.WRITE, "bkt", "o", g, "dc1", "dc2", 0));

    assertThat(asked).as("the journal was asked about the source's entry").hasValue(1);
    assertThat(outcome).isEqualTo(Replicator.Outcome.APPLIED);
    assertThat(dc2Memory.head(ObjectId.of("bkt", "o"), Conditions.none())).as("o on dc2, rolled forward to dc1")
        .map(ObjectInfo::generation).contains(g);
  }
}
