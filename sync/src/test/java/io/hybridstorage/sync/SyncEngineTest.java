package io.hybridstorage.sync;

import static io.hybridstorage.sync.SyncWorld.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.Reconciled;
import io.hybridstorage.testkit.time.VirtualClock;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine over three in-memory sites, fed by an in-memory feed and by scans. */
class SyncEngineTest {

  /** gcp is the authority; the router itself never replicates (AUTHORITY_ONLY): the sync does. */
  static Placement lake() {
    return Placement.builder(BUCKET).replicas("gcp", "dc1", "dc2").authority("gcp")
        .write(WritePolicy.AUTHORITY_ONLY).read(ReadPolicy.AUTHORITY).consistency(Consistency.STRONG).build();
  }

  private static SyncConfig config(SyncWorld w, Window window) {
    return SyncConfig.builder(w.options).rule(BUCKET, null, List.of(), window, List.of("dc1", "dc2"))
        .scanInterval(Duration.ZERO).workers(2).build();
  }

  private static Change finalize(ObjectInfo i) {
    return new Change(Change.Kind.FINALIZE, "gcp", i.bucket(), i.name(), i.generation(), 0, i.size(), i.crc32c(),
        Instant.now(), "test");
  }

  private static Change delete(ObjectInfo i) {
    return new Change(Change.Kind.DELETE, "gcp", i.bucket(), i.name(), i.generation(), 0, -1, null, Instant.now(),
        "test");
  }

  @Test
  void writesOverwritesMetadataAndDeletesOutsideTheSdkReachEverySiteOfTheRule() throws Exception {
    try (SyncWorld w = new SyncWorld(lake(), Clock.systemUTC());
         MemoryFeed feed = new MemoryFeed("gcp");
         SyncEngine sync = SyncEngine.builder(w.router, config(w, null)).feed(feed).build().start()) {
      ObjectInfo a1 = w.outside("gcp", "exports/a", "one");
      feed.offer(finalize(a1));
      assertThat(sync.awaitIdle(Duration.ofSeconds(10))).isTrue();
      for (String s : List.of("dc1", "dc2")) {
        assertThat(w.head(s, "exports/a").orElseThrow().generation()).as(s).isEqualTo(a1.generation());
        assertThat(w.read(s, "exports/a")).isEqualTo("one");
      }
      ObjectInfo a2 = w.outside("gcp", "exports/a", "two");
      feed.offer(new Change(Change.Kind.FINALIZE, "gcp", BUCKET, "exports/a", a2.generation(), a1.generation(),
          a2.size(), a2.crc32c(), Instant.now(), "test"));
      assertThat(sync.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(w.read("dc1", "exports/a")).isEqualTo("two");
      w.memory.get("gcp").updateMetadata(ObjectId.of(BUCKET, "exports/a"), MetadataPatch.ofCustom(Map.of("k", "v")),
          Conditions.none());
      feed.offer(new Change(Change.Kind.METADATA_UPDATE, "gcp", BUCKET, "exports/a", a2.generation(), 0, -1, null,
          Instant.now(), "test"));
      assertThat(sync.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(w.head("dc2", "exports/a").orElseThrow().metadata().custom()).containsEntry("k", "v");
      w.memory.get("gcp").delete(ObjectId.of(BUCKET, "exports/a"), Conditions.none());
      feed.offer(delete(a2));
      assertThat(sync.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(w.head("dc1", "exports/a")).isEmpty();
      assertThat(w.head("dc2", "exports/a")).isEmpty();
      assertThat(sync.staleness().of(BUCKET + "/", "dc1")).hasValueSatisfying(l -> assertThat(l.count()).isEqualTo(4));
    }
  }

  @Test
  void duplicatedReorderedAndLateChangesNeverPutAnOlderGenerationOverANewerOne() throws Exception {
    try (SyncWorld w = new SyncWorld(lake(), Clock.systemUTC());
         MemoryFeed feed = new MemoryFeed("gcp");
         SyncEngine sync = SyncEngine.builder(w.router, config(w, null)).feed(feed).build().start()) {
      ObjectInfo g1 = w.outside("gcp", "o", "first");
      ObjectInfo g2 = w.outside("gcp", "o", "second");
      // newest first, then the older one, then duplicates of both, then the delete of the first
      feed.offer(finalize(g2));
      feed.offer(finalize(g1));
      feed.offer(finalize(g2));
      feed.offer(finalize(g1));
      feed.offer(new Change(Change.Kind.DELETE, "gcp", BUCKET, "o", g1.generation(), 0, -1, null, Instant.now(),
          "test"));
      assertThat(sync.awaitIdle(Duration.ofSeconds(10))).isTrue();
      for (String s : List.of("dc1", "dc2")) {
        assertThat(w.head(s, "o").orElseThrow().generation()).as(s).isEqualTo(g2.generation());
        assertThat(w.read(s, "o")).isEqualTo("second");
      }
    }
  }

  @Test
  void aDroppedNotificationIsCaughtByTheScanAndAScanAlsoFindsDeletes() throws Exception {
    try (SyncWorld w = new SyncWorld(lake(), Clock.systemUTC());
         SyncEngine sync = SyncEngine.builder(w.router, config(w, null)).build().start()) {
      ObjectInfo kept = w.outside("gcp", "t/dt=1/a", "a");
      w.outside("gcp", "t/dt=2/b", "b");
      w.outside("gcp", "top", "c");
      assertThat(sync.scanNow()).isEqualTo(6); // 3 objects x 2 sites
      assertThat(sync.awaitIdle(Duration.ofSeconds(10))).isTrue();
      for (String s : List.of("dc1", "dc2")) {
        for (String n : List.of("t/dt=1/a", "t/dt=2/b", "top")) {
          assertThat(w.head(s, n)).as(s + " " + n).isPresent();
        }
      }
      assertThat(sync.scanNow()).as("nothing differs any more").isZero();
      assertThat(kept.generation()).isPositive();
    }
  }

  @Test
  void objectsOutsideTheWindowAreNotCopiedAndThoseThatLeaveItAreEvictedOnPremOnly() throws Exception {
    LocalDate today = LocalDate.of(2030, 1, 10);
    VirtualClock clock = VirtualClock.create(today.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600));
    Window week = Window.partition("dt", Window.DEFAULT_FORMAT, Duration.ofDays(7));
    try (SyncWorld w = new SyncWorld(lake(), Clock.systemUTC());
         SyncEngine sync = SyncEngine.builder(w.router, config(w, week)).clock(clock).build().start()) {
      w.outside("gcp", "sales/dt=2030-01-09/p0", "hot");
      w.outside("gcp", "sales/dt=2030-01-03/p0", "edge"); // 7 days back: still in
      w.outside("gcp", "sales/dt=2029-12-01/p0", "cold");
      w.outside("gcp", "sales/README", "no partition");
      sync.scanNow();
      assertThat(sync.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(w.head("dc1", "sales/dt=2030-01-09/p0")).isPresent();
      assertThat(w.head("dc1", "sales/dt=2030-01-03/p0")).isPresent();
      assertThat(w.head("dc1", "sales/dt=2029-12-01/p0")).isEmpty();
      assertThat(w.head("dc1", "sales/README")).isEmpty();
      clock.advance(Duration.ofDays(2)); // 2030-01-03 leaves the window
      sync.scanNow();
      assertThat(sync.awaitIdle(Duration.ofSeconds(10))).isTrue();
      for (String s : List.of("dc1", "dc2")) {
        assertThat(w.head(s, "sales/dt=2030-01-03/p0")).as(s).isEmpty();
        assertThat(w.head(s, "sales/dt=2030-01-09/p0")).as(s).isPresent();
      }
      assertThat(w.head("gcp", "sales/dt=2030-01-03/p0")).as("never evicted from the authority").isPresent();
    }
  }

  @Test
  void aSiteDownDuringApplyIsRetriedUntilItReturns() throws Exception {
    Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    try (SyncWorld w = new SyncWorld(lake(), Clock.systemUTC());
         MemoryFeed feed = new MemoryFeed("gcp");
         SyncEngine sync = SyncEngine.builder(w.router, config(w, null)).feed(feed).listener(new SyncListener() {
           @Override
           public void failed(String rule, String bucket, String name, int attempt, Throwable error) {
             failures.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
           }
         }).build().start()) {
      w.faults.get("dc2").partition();
      ObjectInfo o = w.outside("gcp", "o", "x");
      feed.offer(finalize(o));
      assertThat(sync.awaitIdle(Duration.ofMillis(700))).isFalse();
      assertThat(w.head("dc1", "o")).as("the healthy site is not held back").isPresent();
      assertThat(failures.get("o").get()).isPositive();
      w.faults.get("dc2").heal();
      assertThat(sync.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(w.head("dc2", "o").orElseThrow().generation()).isEqualTo(o.generation());
    }
  }

  @Test
  void writesTheRoutersJournalReplicatedAreNotCopiedAgain() throws Exception {
    Placement async = Placement.builder(BUCKET).replicas("gcp", "dc1", "dc2").authority("gcp")
        .write(WritePolicy.AUTHORITY_THEN_ASYNC).read(ReadPolicy.NEAREST_VERIFIED).consistency(Consistency.STRONG)
        .build();
    Map<String, Reconciled> outcomes = new ConcurrentHashMap<>();
    try (SyncWorld w = new SyncWorld(async, Clock.systemUTC());
         MemoryFeed feed = new MemoryFeed("gcp");
         SyncEngine sync = SyncEngine.builder(w.router, config(w, null)).feed(feed).listener(new SyncListener() {
           @Override
           public void applied(String rule, String site, String bucket, String name, Reconciled outcome,
               Duration lag) {
             outcomes.put(site, outcome);
           }
         }).build().start()) {
      ObjectInfo o = w.router.write(WriteRequest.of(BUCKET, "sdk"), new ByteArrayInputStream(new byte[] {1, 2}));
      assertThat(w.router.drain(Duration.ofSeconds(10))).isTrue();
      assertThat(w.head("dc1", "sdk")).as("the journal replicated it").isPresent();
      int callsBefore = w.faults.get("dc1").callCount();
      feed.offer(finalize(o)); // GCS's notification of the SDK's own write
      assertThat(sync.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(outcomes).containsEntry("dc1", Reconciled.UNCHANGED).containsEntry("dc2", Reconciled.UNCHANGED);
      assertThat(w.faults.get("dc1").calls().subList(callsBefore, w.faults.get("dc1").callCount()))
          .as("not even a HEAD: the journal's replay was seen").isEmpty();
    }
  }

  @Test
  void aWriteWhoseDeleteNotificationWasLostIsDeletedByItsOwnLateNotification() throws Exception {
    try (SyncWorld w = new SyncWorld(lake(), Clock.systemUTC());
         MemoryFeed feed = new MemoryFeed("gcp");
         SyncEngine sync = SyncEngine.builder(w.router, config(w, null)).feed(feed).build().start()) {
      ObjectInfo o = w.outside("gcp", "tmp/o", "x");
      feed.offer(finalize(o));
      assertThat(sync.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(w.head("dc1", "tmp/o")).isPresent();
      ObjectInfo o2 = w.outside("gcp", "tmp/o", "y");
      w.memory.get("gcp").delete(ObjectId.of(BUCKET, "tmp/o"), Conditions.none());
      feed.offer(finalize(o2)); // the overwrite's notification came; the delete's was lost
      assertThat(sync.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(w.head("dc1", "tmp/o")).isEmpty();
      assertThat(w.head("dc2", "tmp/o")).isEmpty();
    }
  }
}
