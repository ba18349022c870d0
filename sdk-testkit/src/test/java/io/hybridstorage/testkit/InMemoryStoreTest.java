package io.hybridstorage.testkit;

import io.hybridstorage.memory.InMemoryStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What the TCK cannot see from outside: the clock, and store independence. */
class InMemoryStoreTest {

  private static ObjectInfo put(InMemoryStore store, String bucket, String name, String content) {
    return store.write(WriteRequest.of(bucket, name),
        new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void generationsAreClockMicrosAndStillIncreaseWhenTheClockStandsStill() {
    Instant t = Instant.parse("2024-05-01T10:00:00.123456789Z");
    InMemoryStore store = new InMemoryStore("dc1", Clock.fixed(t, ZoneOffset.UTC));
    store.createBucket(BucketSpec.of("bkt"));
    ObjectInfo first = put(store, "bkt", "o", "1");
    ObjectInfo second = put(store, "bkt", "o", "2");
    ObjectInfo other = put(store, "bkt", "p", "3");
    long micros = t.getEpochSecond() * 1_000_000 + 123_456;
    assertThat(first.generation()).isEqualTo(micros);
    assertThat(second.generation()).isEqualTo(micros + 1);
    assertThat(other.generation()).as("unique across names").isEqualTo(micros + 2);
    assertThat(first.createTime()).isEqualTo(t);
  }

  @Test
  void assignedGenerationsRaiseLaterStoreAssignedOnes() {
    InMemoryStore store = new InMemoryStore("dc1");
    store.createBucket(BucketSpec.of("bkt"));
    long far = (System.currentTimeMillis() + 86_400_000L) * 1000;
    ObjectInfo replicated = store.write(WriteRequest.of("bkt", "o").withGeneration(far),
        new ByteArrayInputStream(new byte[] {1}));
    assertThat(replicated.generation()).isEqualTo(far);
    assertThat(put(store, "bkt", "other", "x").generation()).isGreaterThan(far);
  }

  @Test
  void refusedAssignedGenerationCarriesTheGenerationHeldEvenWhenDeleted() {
    InMemoryStore store = new InMemoryStore("dc1");
    store.createBucket(BucketSpec.of("bkt"));
    store.write(WriteRequest.of("bkt", "o").withGeneration(5_000), new ByteArrayInputStream(new byte[] {1}));
    HybridStorageException live = catchThrowableOfType(() -> store.write(
        WriteRequest.of("bkt", "o").withGeneration(4_000), new ByteArrayInputStream(new byte[] {2})),
        HybridStorageException.class);
    assertThat(live.code()).isEqualTo(412);
    assertThat(live.heldGeneration()).isEqualTo(5_000);
    assertThat(live.getMessage()).contains("which this site holds");

    store.delete(ObjectId.of("bkt", "o"), Conditions.none());
    HybridStorageException deleted = catchThrowableOfType(() -> store.write(
        WriteRequest.of("bkt", "o").withGeneration(4_000), new ByteArrayInputStream(new byte[] {2})),
        HybridStorageException.class);
    assertThat(deleted.code()).isEqualTo(412);
    assertThat(deleted.heldGeneration()).isEqualTo(5_000);
    assertThat(deleted.getMessage()).contains("deleted (tombstone)");
  }

  @Test
  void aLostNameForgetsItsTombstoneToo() {
    InMemoryStore store = new InMemoryStore("dc1");
    store.createBucket(BucketSpec.of("bkt"));
    store.write(WriteRequest.of("bkt", "o").withGeneration(5_000), new ByteArrayInputStream(new byte[] {1}));
    store.delete(ObjectId.of("bkt", "o"), Conditions.none());
    assertThat(store.lose("bkt", "o")).as("the tombstone was there").isTrue();
    ObjectInfo older = store.write(WriteRequest.of("bkt", "o").withGeneration(4_000),
        new ByteArrayInputStream(new byte[] {2}));
    assertThat(older.generation()).as("as if the site never held the name").isEqualTo(4_000);
    assertThat(store.lose("bkt", "never")).isFalse();
  }

  @Test
  void storesAreIndependent() {
    InMemoryStore a = new InMemoryStore("a");
    InMemoryStore b = new InMemoryStore("b");
    a.createBucket(BucketSpec.of("same"));
    assertThat(b.getBucket("same")).isEmpty();
    b.createBucket(BucketSpec.of("same"));
    put(a, "same", "o", "x");
    assertThat(b.head(ObjectId.of("same", "o"), Conditions.none())).isEmpty();
    assertThat(a.toString()).isEqualTo("InMemoryStore(a)");
  }

  @Test
  void deletingABucketWhileItsFirstObjectIsWrittenNeverLosesAnAcknowledgedWrite() throws Exception {
    InMemoryStore store = new InMemoryStore("dc1");
    for (int round = 0; round < 200; round++) {
      String bucket = "race-" + round;
      store.createBucket(BucketSpec.of(bucket));
      ObjectWriter writer = store.openWrite(WriteRequest.of(bucket, "o"));
      writer.write(ByteBuffer.wrap(new byte[] {7}));
      // the deleter's outcome is asserted on this thread: an AssertionError thrown on the deleter's
      // own thread would only end that thread and never fail the test
      AtomicReference<Throwable> deleteFailure = new AtomicReference<>();
      Thread deleter = new Thread(() -> {
        try {
          store.deleteBucket(bucket);
        } catch (Throwable e) {
          deleteFailure.set(e);
        }
      });
      deleter.start();
      boolean acknowledged;
      try {
        writer.commit();
        acknowledged = true;
      } catch (HybridStorageException e) {
        assertThat(e.code()).isEqualTo(404);
        acknowledged = false;
      }
      deleter.join();
      if (deleteFailure.get() != null) {
        assertThat(deleteFailure.get()).as("round %d: deleting a bucket with an object in it", round)
            .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(409));
      }
      boolean bucketExists = store.getBucket(bucket).isPresent();
      if (acknowledged) {
        assertThat(bucketExists).as("round %d: an acknowledged object keeps its bucket", round).isTrue();
        assertThat(store.list(ListRequest.of(bucket)).items()).hasSize(1);
      } else {
        assertThat(bucketExists).isFalse();
      }
    }
  }

  @Test
  void closeKeepsTheStoreUsable() {
    InMemoryStore store = new InMemoryStore("dc1");
    store.createBucket(BucketSpec.of("bkt"));
    store.close();
    store.close();
    assertThat(put(store, "bkt", "o", "x").size()).isEqualTo(1);
  }

  @Test
  void writerRejectsUseAfterCommit() throws Exception {
    InMemoryStore store = new InMemoryStore("dc1");
    store.createBucket(BucketSpec.of("bkt"));
    ObjectWriter writer = store.openWrite(WriteRequest.of("bkt", "o"));
    writer.commit();
    assertThat(writer.isOpen()).isFalse();
    assertThat(catchThrowableOfType(java.nio.channels.ClosedChannelException.class,
        () -> writer.write(ByteBuffer.wrap(new byte[1])))).isNotNull();
  }
}
