package io.hybridstorage.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.routing.internal.CeilingFile;
import io.hybridstorage.routing.internal.journal.JournalEntry;
import io.hybridstorage.routing.internal.journal.ReplicationJournal;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without {@code journalDirectory} the journal lives in memory (issue 13): the temporary directory
 * it used to fsync into was deleted on close and no later process could read it, so the fsync and
 * the committer hand-off bought nothing. With a directory it is a durable file, as before.
 */
class InMemoryJournalTest {

  private static Map<String, ObjectStore> sites() {
    Map<String, ObjectStore> sites = new LinkedHashMap<>();
    sites.put(World.GCP, new InMemoryStore(World.GCP));
    sites.put(World.DC1, new InMemoryStore(World.DC1));
    sites.put(World.DC2, new InMemoryStore(World.DC2));
    return sites;
  }

  private static HybridStorageOptions.Builder options() {
    return HybridStorageOptions.inMemoryThreeSites();
  }

  private static void write(RoutingStore router) {
    router.createBucket(BucketSpec.of("bkt"));
    router.write(WriteRequest.of("bkt", "o"), new ByteArrayInputStream(new byte[] {1, 2, 3}));
  }

  @Test
  void withoutADirectoryNothingIsWrittenBesideTheRouter() throws Exception {
    try (RoutingStore router = RoutingStore.create(sites(), options().build())) {
      write(router);
      Path dir = router.journalDirectory();
      assertThat(dir.resolve("journal.mv.db")).doesNotExist();
      assertThat(dir.resolve(CeilingFile.NAME)).doesNotExist();
    }
  }

  @Test
  void withADirectoryTheJournalAndCeilingAreFiles(@TempDir Path dir) throws Exception {
    try (RoutingStore router = RoutingStore.create(sites(), options().journalDirectory(dir).build())) {
      write(router);
      assertThat(dir.resolve("journal.mv.db")).exists();
      assertThat(dir.resolve(CeilingFile.NAME)).exists();
      assertThat(Files.readString(dir.resolve(CeilingFile.NAME)).trim()).matches("[0-9]+");
    }
  }

  @Test
  void anInMemoryJournalStoresAnAppendBeforeItReturns() {
    try (ReplicationJournal journal = ReplicationJournal.inMemory(Clock.systemUTC())) {
      assertThat(journal.isDurable()).isFalse();
      CompletableFuture<List<JournalEntry>> stored = journal.append(List.of(
          JournalEntry.of(JournalEntry.Op.WRITE, "bkt", "o", 7, "gcp", "dc2", 0),
          JournalEntry.of(JournalEntry.Op.WRITE, "bkt", "o", 7, "gcp", "dc1", 0)));
      assertThat(stored).isCompleted();
      List<JournalEntry> entries = stored.join();
      assertThat(entries).extracting(JournalEntry::sequence).containsExactly(1L, 2L);
      assertThat(journal.depth()).isEqualTo(2);
      assertThat(journal.depth("dc2")).isEqualTo(1);
      assertThat(journal.pending(10)).extracting(JournalEntry::target).containsExactly("dc2", "dc1");
      journal.remove(entries.get(0));
      assertThat(journal.pending("dc2", "bkt", "o")).isEmpty();
      assertThat(journal.depth()).isEqualTo(1);
    }
  }
}
