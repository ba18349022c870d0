package io.hybridstorage.testkit.tck;

import static io.hybridstorage.testkit.tck.Tck.bytes;
import static io.hybridstorage.testkit.tck.Tck.put;
import static io.hybridstorage.testkit.tck.Tck.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.hybridstorage.api.Capability;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.Utf8Order;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.testkit.tck.Tck.Result;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Concurrency with real threads: atomic preconditions, distinct increasing generations, whole
 * values for readers, stable paging under concurrent writes, no lost updates.
 */
public interface ConcurrencyTester extends StoreTester {

  @Test
  default void sixteenConcurrentCreatesWithDoesNotExistExactlyOneWins() {
    String bucket = newBucket();
    List<Result<ObjectInfo>> results = Tck.race(16, t -> put(store(),
        WriteRequest.of(bucket, "contended").withConditions(Conditions.doesNotExist()), bytes("writer-" + t)));
    List<Integer> winners = new ArrayList<>();
    for (int t = 0; t < results.size(); t++) {
      Result<ObjectInfo> r = results.get(t);
      if (r.ok()) {
        winners.add(t);
      } else {
        assertThat(Tck.code(r)).as("thread %d failed with %s", t, r.error()).isEqualTo(412);
      }
    }
    assertThat(winners).as("exactly one create succeeds").hasSize(1);
    int winner = winners.get(0);
    assertThat(read(store(), bucket, "contended")).isEqualTo("writer-" + winner);
    assertThat(store().head(ObjectId.of(bucket, "contended"), Conditions.none())).hasValueSatisfying(
        h -> assertThat(h.generation()).isEqualTo(results.get(winner).value().generation()));
  }

  @Test
  default void concurrentOverwritesGetDistinctIncreasingGenerationsAndReadersSeeWholeValues() {
    String bucket = newBucket();
    int writers = 4;
    int writes = 8;
    put(store(), bucket, "hot", value(-1, -1));
    Map<Long, String> acknowledged = new ConcurrentHashMap<>();
    Map<Long, String> observed = new ConcurrentHashMap<>();
    AtomicInteger finishedWriters = new AtomicInteger();
    AtomicInteger reads = new AtomicInteger();
    List<Result<List<Long>>> results = Tck.race(writers + 1, t -> {
      if (t == writers) { // the reader
        while (finishedWriters.get() < writers || reads.get() == 0) {
          try (ObjectContent content = store().read(ReadRequest.of(ObjectId.of(bucket, "hot")))) {
            String text = Tck.text(content.stream().readAllBytes());
            assertWhole(text);
            String previous = observed.putIfAbsent(content.info().generation(), text);
            if (previous != null && !previous.equals(text)) {
              fail("generation %d read as two different values", content.info().generation());
            }
          }
          reads.incrementAndGet();
        }
        return List.of();
      }
      List<Long> generations = new ArrayList<>();
      try {
        for (int i = 0; i < writes; i++) {
          String v = value(t, i);
          ObjectInfo info;
          try (ObjectWriter writer = store().openWrite(WriteRequest.of(bucket, "hot"))) {
            byte[] b = bytes(v);
            for (int at = 0; at < b.length; at += 1000) { // several chunks, so a torn write would show
              writer.write(ByteBuffer.wrap(b, at, Math.min(1000, b.length - at)));
              Thread.yield();
            }
            info = writer.commit();
          }
          acknowledged.put(info.generation(), v);
          generations.add(info.generation());
        }
        return generations;
      } finally {
        finishedWriters.incrementAndGet();
      }
    });
    Set<Long> all = new HashSet<>();
    for (int t = 0; t <= writers; t++) {
      Result<List<Long>> r = results.get(t);
      assertThat(r.error()).as("thread %d", t).isNull();
      List<Long> mine = r.value();
      for (int i = 1; i < mine.size(); i++) {
        assertThat(mine.get(i)).as("writer %d's generations increase", t).isGreaterThan(mine.get(i - 1));
      }
      all.addAll(mine);
    }
    assertThat(all).as("every acknowledged generation is distinct").hasSize(writers * writes);
    assertThat(reads.get()).isPositive();
    observed.forEach((generation, text) -> {
      if (acknowledged.containsKey(generation)) {
        assertThat(text).as("generation %d", generation).isEqualTo(acknowledged.get(generation));
      }
    });
    long last = all.stream().mapToLong(Long::longValue).max().orElseThrow();
    assertThat(store().head(ObjectId.of(bucket, "hot"), Conditions.none()))
        .hasValueSatisfying(h -> assertThat(h.generation()).as("the newest generation is live").isEqualTo(last));
    assertThat(read(store(), bucket, "hot")).isEqualTo(acknowledged.get(last));
  }

  /** A 4000-byte value made of one token repeated; a mix of two writes is detectable. */
  private static String value(int writer, int i) {
    String token = String.format("[w%02d-%04d]", writer + 1, i + 1); // 10 characters
    return token.repeat(400);
  }

  private static void assertWhole(String text) {
    assertThat(text).hasSize(4000);
    assertThat(text).isEqualTo(text.substring(0, 10).repeat(400));
  }

  @Test
  default void pagedListingUnderConcurrentWritesNeitherSkipsNorRepeats() throws Exception {
    String bucket = newBucket();
    List<String> existing = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      existing.add(String.format("k-%02d", i));
    }
    for (String name : existing) {
      put(store(), bucket, name, "v0");
    }
    AtomicBoolean listingDone = new AtomicBoolean();
    AtomicInteger writes = new AtomicInteger();
    AtomicReference<Throwable> writerError = new AtomicReference<>();
    Thread writer = new Thread(() -> {
      try {
        for (int n = 0; !listingDone.get() && n < 500; n++) {
          // new names between and around existing ones, and overwrites of existing ones
          String name = switch (n % 3) {
            case 0 -> String.format("k-%02d-new-%03d", n % 20, n);
            case 1 -> String.format("k-%02d", n % 20);
            default -> (n % 2 == 0 ? "a-" : "z-") + n;
          };
          put(store(), bucket, name, "v" + n);
          writes.incrementAndGet();
        }
      } catch (Throwable t) {
        writerError.set(t);
      }
    }, "tck-list-writer");
    writer.setDaemon(true);
    writer.start();
    List<String> seen = new ArrayList<>();
    try {
      String token = null;
      do {
        int before = writes.get();
        ListPage<ObjectInfo> page = store().list(ListRequest.of(bucket).withPageSize(3).withPageToken(token));
        page.items().forEach(i -> seen.add(i.name()));
        token = page.nextPageToken();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Tck.RACE_TIMEOUT_SECONDS);
        while (writes.get() == before && writer.isAlive() && System.nanoTime() < deadline) {
          Thread.onSpinWait(); // let the writer change the bucket between pages
        }
      } while (token != null);
    } finally {
      listingDone.set(true);
      writer.join(TimeUnit.SECONDS.toMillis(Tck.RACE_TIMEOUT_SECONDS));
    }
    assertThat(writerError.get()).isNull();
    assertThat(writes.get()).as("writes happened during the listing").isPositive();
    assertThat(seen).as("no name repeats").doesNotHaveDuplicates();
    assertThat(seen).as("names come in UTF-8 order").isSortedAccordingTo(Utf8Order.INSTANCE);
    assertThat(seen).as("no existing name is skipped").containsAll(existing);
  }

  @Test
  default void concurrentConditionalIncrementsLoseNoUpdate() {
    String bucket = newBucket();
    put(store(), bucket, "counter", "0");
    int threads = 4;
    int increments = 5;
    List<Result<Integer>> results = Tck.race(threads, t -> {
      int conflicts = 0;
      for (int done = 0; done < increments; ) {
        long generation;
        int value;
        try (ObjectContent content = store().read(ReadRequest.of(ObjectId.of(bucket, "counter")))) {
          generation = content.info().generation();
          value = Integer.parseInt(Tck.text(content.stream().readAllBytes()));
        }
        Thread.sleep(1); // widen the read-modify-write window: without atomic preconditions updates get lost
        try {
          put(store(), WriteRequest.of(bucket, "counter").withConditions(Conditions.generationMatch(generation)),
              bytes(String.valueOf(value + 1)));
          done++;
        } catch (HybridStorageException e) {
          if (e.code() != 412) {
            throw e;
          }
          conflicts++;
        }
      }
      return conflicts;
    });
    results.forEach(r -> assertThat(r.error()).isNull());
    assertThat(read(store(), bucket, "counter")).isEqualTo(String.valueOf(threads * increments));
  }

  @Test
  default void concurrentMetadataPatchesWithMetagenerationMatchLoseNoUpdate() {
    String bucket = newBucket();
    put(store(), bucket, "o", "x");
    int threads = 4;
    List<Result<Boolean>> results = Tck.race(threads, t -> {
      while (true) {
        ObjectInfo current = store().head(ObjectId.of(bucket, "o"), Conditions.none()).orElseThrow();
        try {
          store().updateMetadata(ObjectId.of(bucket, "o"), MetadataPatch.ofCustom(Map.of("t" + t, "done")),
              Conditions.none().withMetagenerationMatch(current.metageneration()));
          return true;
        } catch (HybridStorageException e) {
          if (e.code() != 412) {
            throw e;
          }
        }
      }
    });
    results.forEach(r -> assertThat(r.error()).isNull());
    ObjectInfo finalInfo = store().head(ObjectId.of(bucket, "o"), Conditions.none()).orElseThrow();
    assertThat(finalInfo.metageneration()).isEqualTo(1 + threads);
    assertThat(finalInfo.metadata().custom()).containsOnlyKeys("t0", "t1", "t2", "t3");
  }

  @Test
  default void concurrentWritesToDistinctNamesAreAllListed() {
    String bucket = newBucket();
    int threads = 8;
    int each = 4;
    List<Result<Integer>> results = Tck.race(threads, t -> {
      for (int i = 0; i < each; i++) {
        put(store(), bucket, "t" + t + "/o" + i, "v");
      }
      return each;
    });
    results.forEach(r -> assertThat(r.error()).isNull());
    assertThat(Tck.names(store(), ListRequest.of(bucket).withPageSize(7))).hasSize(threads * each)
        .doesNotHaveDuplicates();
  }

  @Test
  @Requires(Capability.ATOMIC_PRECONDITIONS)
  default void concurrentConditionalDeletesExactlyOneSucceeds() {
    String bucket = newBucket();
    ObjectInfo info = put(store(), bucket, "victim", "x");
    List<Result<Boolean>> results = Tck.race(8,
        t -> store().delete(ObjectId.of(bucket, "victim"), Conditions.generationMatch(info.generation())));
    int deleted = 0;
    for (Result<Boolean> r : results) {
      if (r.ok() && Boolean.TRUE.equals(r.value())) {
        deleted++;
      } else if (!r.ok()) {
        assertThat(Tck.code(r)).as("a losing delete: %s", r.error()).isIn(404, 412);
      }
    }
    assertThat(deleted).as("exactly one delete removes the object").isEqualTo(1);
    assertThat(store().head(ObjectId.of(bucket, "victim"), Conditions.none())).isEmpty();
  }
}
