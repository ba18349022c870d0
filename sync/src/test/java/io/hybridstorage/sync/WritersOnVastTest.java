package io.hybridstorage.sync;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.routing.Reconciled;
import io.hybridstorage.vast.SyncS3Mock;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Objects written on a VAST site outside the SDK — an NFS writer or an S3 tool (the AWS SDK against
 * S3Mock, a real S3 server), a copier such as VAST SyncEngine — met by the sync: dc1 is VAST on
 * S3Mock, gcp (the authority) and dc2 in memory.
 */
class WritersOnVastTest {

  private final Map<String, Reconciled> outcomes = new ConcurrentHashMap<>();
  private SyncWorld w;
  private S3Client s3;
  private String bucket;

  @BeforeEach
  void open() {
    bucket = SyncS3Mock.bucketName("sync");
    Placement p = Placement.builder(bucket).replicas("gcp", "dc1", "dc2").authority("gcp")
        .write(WritePolicy.AUTHORITY_ONLY).read(ReadPolicy.AUTHORITY).consistency(Consistency.STRONG).build();
    w = new SyncWorld(p, Clock.systemUTC(), Map.of("dc1", SyncS3Mock.store("dc1")), bucket);
    s3 = SyncS3Mock.rawClient();
  }

  @AfterEach
  void close() {
    w.close();
    s3.close();
  }

  private SyncEngine engine(List<String> writers) {
    SyncConfig config = SyncConfig.builder(w.options).rule(bucket, null, List.of(), null, List.of("dc1", "dc2"),
        writers).scanInterval(Duration.ZERO).workers(2).build();
    return SyncEngine.builder(w.router, config).listener(new SyncListener() {
      @Override
      public void applied(String rule, String site, String b, String name, Reconciled outcome, Duration lag) {
        outcomes.put(site + " " + name, outcome);
      }
    }).build().start();
  }

  private void nfsWrite(String name, String value) {
    s3.putObject(r -> r.bucket(bucket).key(name), RequestBody.fromString(value, UTF_8));
  }

  private HeadObjectResponse rawHead(String name) {
    return s3.headObject(r -> r.bucket(bucket).key(name));
  }

  @Test
  void aFileWrittenOnVastByAnNfsWriterReachesTheAuthorityAndTheOtherSite() throws Exception {
    try (SyncEngine sync = engine(List.of("dc1"))) {
      nfsWrite("nfs/report.csv", "a,b\n1,2\n");
      assertThat(w.head("dc1", "nfs/report.csv").orElseThrow().generation()).as("foreign: no generation").isZero();
      assertThat(sync.scanNow()).isEqualTo(1);
      assertThat(sync.awaitIdle(Duration.ofSeconds(30))).isTrue();
      ObjectInfo atGcp = w.head("gcp", "nfs/report.csv").orElseThrow();
      assertThat(atGcp.generation()).isPositive();
      assertThat(w.read("gcp", "nfs/report.csv")).isEqualTo("a,b\n1,2\n");
      assertThat(w.head("dc2", "nfs/report.csv").orElseThrow().generation()).isEqualTo(atGcp.generation());
      assertThat(w.read("dc2", "nfs/report.csv")).isEqualTo("a,b\n1,2\n");
      // dc2's copy came from the sync or from the router's own journal (AUTHORITY_ONLY journals the
      // other replicas best effort): either way once, and the sync saw it
      assertThat(outcomes.get("dc2 nfs/report.csv")).isIn(Reconciled.COPIED, Reconciled.UNCHANGED);
      assertThat(outcomes.get("dc1 nfs/report.csv")).isIn(Reconciled.FOREIGN_REPLICA, Reconciled.UNCHANGED);
      // the router's own journal (AUTHORITY_ONLY journals the other replicas best effort) may still be
      // replacing dc1's foreign copy with the generation copy: let it finish, then nothing differs
      assertThat(w.router.drain(Duration.ofSeconds(30))).isTrue();
      assertThat(sync.scanNow()).as("every site holds the authority's generation or its bytes").isZero();
      assertThat(sync.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(w.head("gcp", "nfs/report.csv").orElseThrow().generation()).as("not ingested twice")
          .isEqualTo(atGcp.generation());

      // the NFS writer rewrites the file: a new version at the authority and at dc2
      nfsWrite("nfs/report.csv", "a,b\n3,4\n");
      sync.scanNow();
      assertThat(sync.awaitIdle(Duration.ofSeconds(30))).isTrue();
      ObjectInfo second = w.head("gcp", "nfs/report.csv").orElseThrow();
      assertThat(second.generation()).isGreaterThan(atGcp.generation());
      assertThat(w.read("gcp", "nfs/report.csv")).isEqualTo("a,b\n3,4\n");
      assertThat(w.read("dc2", "nfs/report.csv")).isEqualTo("a,b\n3,4\n");
      assertThat(w.read("dc1", "nfs/report.csv")).isEqualTo("a,b\n3,4\n");
    }
  }

  @Test
  void aCopyVastSyncEngineMadeCountsAsAReplicaByItsBytesAndAStaleOneIsReplaced() throws Exception {
    try (SyncEngine sync = engine(List.of())) {
      ObjectInfo export = w.outside("gcp", "bq/export-0.avro", "rows");
      ObjectInfo other = w.outside("gcp", "bq/export-1.avro", "new rows");
      nfsWrite("bq/export-0.avro", "rows"); // SyncEngine's copy: same bytes, no metadata of ours
      nfsWrite("bq/export-1.avro", "old rows"); // SyncEngine's copy of an older version
      sync.scanNow();
      assertThat(sync.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(outcomes).containsEntry("dc1 bq/export-0.avro", Reconciled.FOREIGN_REPLICA)
          .containsEntry("dc1 bq/export-1.avro", Reconciled.COPIED);
      assertThat(rawHead("bq/export-0.avro").metadata()).as("left as SyncEngine wrote it")
          .doesNotContainKey("hs-generation");
      assertThat(w.head("dc1", "bq/export-1.avro").orElseThrow().generation()).isEqualTo(other.generation());
      assertThat(w.read("dc1", "bq/export-1.avro")).isEqualTo("new rows");
      assertThat(w.head("dc2", "bq/export-0.avro").orElseThrow().generation()).isEqualTo(export.generation());
      assertThat(w.head("gcp", "bq/export-1.avro").orElseThrow().generation()).as("dc1 is no writer: not ingested")
          .isEqualTo(other.generation());
    }
  }

  @Test
  void aDeleteAtTheAuthorityRemovesTheVastCopyAndItsTombstoneRefusesALateCopy() throws Exception {
    try (SyncEngine sync = engine(List.of())) {
      ObjectInfo o = w.outside("gcp", "t/o", "x");
      sync.scanNow();
      assertThat(sync.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(w.head("dc1", "t/o")).isPresent();
      ObjectStore gcp = w.memory.get("gcp");
      gcp.delete(io.hybridstorage.api.ObjectId.of(bucket, "t/o"), io.hybridstorage.api.Conditions.none());
      MemoryFeed feed = new MemoryFeed("gcp");
      feed.offer(new Change(Change.Kind.DELETE, "gcp", bucket, "t/o", o.generation(), 0, -1, null,
          java.time.Instant.now(), "test"));
      // a second engine on the same router, fed by the delete notification
      SyncConfig config = SyncConfig.builder(w.options).rule(bucket, null, List.of(), null, List.of()).workers(1)
          .scanInterval(Duration.ZERO).build();
      try (SyncEngine byFeed = SyncEngine.builder(w.router, config).feed(feed).build().start()) {
        assertThat(byFeed.awaitIdle(Duration.ofSeconds(30))).isTrue();
      }
      assertThat(w.head("dc1", "t/o")).isEmpty();
      assertThat(w.router.reconcile(bucket, "t/o", "dc2", "dc1", 0)).as("dc2 may still hold it; dc1 refuses it")
          .isIn(Reconciled.UNCHANGED);
    }
  }

  @Test
  void twoSyncProcessesMeetingTheSameNfsWriteBringItToTheAuthorityOnce() throws Exception {
    w.close();
    HistoryCheck gcp = new HistoryCheck(new io.hybridstorage.memory.InMemoryStore("gcp"));
    Placement p = Placement.builder(bucket).replicas("gcp", "dc1", "dc2").authority("gcp")
        .write(WritePolicy.AUTHORITY_ONLY).read(ReadPolicy.AUTHORITY).consistency(Consistency.STRONG).build();
    w = new SyncWorld(p, Clock.systemUTC(), Map.of("gcp", gcp, "dc1", SyncS3Mock.store("dc1")), bucket);
    // a second process: its own router and journal over the same sites (another datacenter's sync)
    Map<String, ObjectStore> shared = new java.util.LinkedHashMap<>();
    w.memory.forEach((name, store) -> shared.put(name, new io.hybridstorage.api.ForwardingObjectStore(store) {
      @Override
      public void close() {} // the first world's
    }));
    io.hybridstorage.api.HybridStorageOptions other = w.options.toBuilder()
        .journalDirectory(w.dir.resolve("journal-2")).build();
    try (io.hybridstorage.routing.RoutingStore router2 = io.hybridstorage.routing.RoutingStore.create(shared, other);
         SyncEngine one = engine(List.of("dc1"));
         SyncEngine two = SyncEngine.builder(router2, SyncConfig.builder(other).rule(bucket, null, List.of(), null,
             List.of("dc1", "dc2"), List.of("dc1")).scanInterval(Duration.ZERO).workers(2).build()).build().start()) {
      nfsWrite("nfs/shared.csv", "x,y\n");
      java.util.concurrent.CompletableFuture<Integer> a = java.util.concurrent.CompletableFuture.supplyAsync(one::scanNow);
      java.util.concurrent.CompletableFuture<Integer> b = java.util.concurrent.CompletableFuture.supplyAsync(two::scanNow);
      assertThat(a.get() + b.get()).isPositive();
      assertThat(one.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(two.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(gcp.commits("nfs/shared.csv")).as("one generation at the authority: the other write was refused (412)"
          + " and found the same bytes there").isEqualTo(1);
      assertThat(w.read("gcp", "nfs/shared.csv")).isEqualTo("x,y\n");
      assertThat(w.read("dc2", "nfs/shared.csv")).isEqualTo("x,y\n");
      assertThat(gcp.violations()).isEmpty();
    }
  }
}
