package io.hybridstorage.vast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.Striped;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;

/** Streamed PUTs (declared size) against S3Mock: what a caller that misbehaves leaves behind. */
class StreamedPutWriterTest {

  private static final int SIZE = 3 * 1024 * 1024;

  @Test
  void aWriterDroppedWithoutCloseDoesNotHoldItsKeyForever() throws Exception {
    try (VastStore store = VastStore.create(VastTestSupport.config(S3MockServer.endpoint())
        .socketTimeout(Duration.ofMillis(500)).build())) {
      String bucket = VastTestSupport.newBucket(store, "dropped");
      ObjectWriter dropped = store.openWrite(WriteRequest.of(bucket, "o").withExpectedSize(SIZE));
      assertThat(dropped).isInstanceOf(StreamedPutWriter.class);
      dropped.write(ByteBuffer.wrap(new byte[SIZE - 1])); // the PUT is under way; then the caller is gone
      CompletableFuture<ObjectInfo> next = CompletableFuture.supplyAsync(() -> store.write(
          WriteRequest.of(bucket, "o"), new ByteArrayInputStream("next".getBytes(StandardCharsets.UTF_8))));
      // without a bound on the wait for the caller's bytes, the dropped write's PUT holds the key's
      // lock forever and this never returns (the bound is only against hanging the build)
      assertThat(next.get(60, TimeUnit.SECONDS).size()).isEqualTo(4);
      // the dropped write gave up: it cannot complete, and left nothing
      dropped.write(ByteBuffer.wrap(new byte[1]));
      assertThatThrownBy(dropped::commit).isInstanceOfSatisfying(HybridStorageException.class, e -> {
        assertThat(e.code()).isEqualTo(503);
        assertThat(e.getMessage()).contains("write gs://" + bucket + "/o on dc1")
            .contains("no bytes from the writer for PT0.5S (socketTimeout)");
      });
      try (ObjectContent c = store.read(ReadRequest.of(ObjectId.of(bucket, "o")))) {
        assertThat(c.stream().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("next");
      }
      store.delete(ObjectId.of(bucket, "o"), Conditions.none());
      store.deleteBucket(bucket);
    }
  }

  @Test
  void aStreamedWriteReportsItsPreconditionFailureFromWriteOnceTheBodyOutgrowsThePipe() throws Exception {
    try (VastStore store = VastTestSupport.s3MockStore()) {
      String bucket = VastTestSupport.newBucket(store, "early412");
      store.write(WriteRequest.of(bucket, "o").withGeneration(100),
          new ByteArrayInputStream("live".getBytes(StandardCharsets.UTF_8)));
      int size = 7 * 1024 * 1024; // more than the pipe holds (partSize, 5 MiB here): the caller waits on the PUT
      try (ObjectWriter writer = store.openWrite(WriteRequest.of(bucket, "o").withGeneration(50)
          .withExpectedSize(size))) {
        assertThat(writer).isInstanceOf(StreamedPutWriter.class);
        ByteBuffer body = ByteBuffer.wrap(new byte[size]);
        // decided when the PUT starts (at the first write), not at commit: the router reads it as a skip
        assertThatThrownBy(() -> {
          while (body.hasRemaining()) {
            writer.write(body);
          }
        }).isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(412));
        assertThat(writer.isOpen()).isFalse();
      }
      assertThat(store.head(ObjectId.of(bucket, "o"), Conditions.none()).orElseThrow().generation()).isEqualTo(100);
      store.delete(ObjectId.of(bucket, "o"), Conditions.none());
      store.deleteBucket(bucket);
    }
  }

  @Test
  void aStreamedWriteInProgressDoesNotHoldUpAWriteOfAnotherKey() throws Exception {
    try (VastStore store = VastStore.create(VastTestSupport.config(S3MockServer.endpoint())
        .socketTimeout(Duration.ofSeconds(5)).build())) {
      String bucket = VastTestSupport.newBucket(store, "otherkey");
      // two keys a table of 4096 striped locks (as VastStore had) maps to one lock
      Striped<Lock> stripes = Striped.lazyWeakLock(4096);
      Lock first = stripes.get(bucket + "/a");
      String other = null;
      for (int i = 0; other == null; i++) {
        if (stripes.get(bucket + "/b" + i) == first) {
          other = "b" + i;
        }
      }
      int size = 8 * 1024 * 1024;
      try (ObjectWriter streamed = store.openWrite(WriteRequest.of(bucket, "a").withExpectedSize(size))) {
        // more than the pipe holds (5 MiB): when this returns, the PUT is under way, under its key's lock
        streamed.write(ByteBuffer.wrap(new byte[size - 1]));
        // the same thread writes another key in the meantime: it must not wait for the streamed PUT,
        // which waits for this thread (a stall until socketTimeout fails the streamed write)
        assertThat(store.write(WriteRequest.of(bucket, other), new ByteArrayInputStream(new byte[3])).size())
            .isEqualTo(3);
        streamed.write(ByteBuffer.wrap(new byte[1]));
        assertThat(streamed.commit().size()).isEqualTo(size);
      }
      for (String key : new String[] {"a", other}) {
        store.delete(ObjectId.of(bucket, key), Conditions.none());
      }
      store.deleteBucket(bucket);
    }
  }

  @Test
  void aWriterClosedWhileItsPutWaitsForTheKeyLeavesNothingAndItsThreadEnds() throws Exception {
    try (VastStore store = VastTestSupport.s3MockStore()) {
      String bucket = VastTestSupport.newBucket(store, "waiting");
      int size = 8 * 1024 * 1024;
      byte[] first = new byte[size];
      first[0] = 1;
      try (ObjectWriter holder = store.openWrite(WriteRequest.of(bucket, "o").withExpectedSize(size))) {
        // more than the pipe holds: when this returns, holder's PUT is under way, under the key's lock
        holder.write(ByteBuffer.wrap(first, 0, size - 1));
        ObjectWriter waiting = store.openWrite(WriteRequest.of(bucket, "o").withExpectedSize(size));
        waiting.write(ByteBuffer.wrap(new byte[2 * 1024 * 1024])); // its PUT thread waits for the key's lock
        waiting.close();
        holder.write(ByteBuffer.wrap(first, size - 1, 1));
        holder.commit();
      }
      // the closed writer's thread gets the lock, finds its body abandoned and ends without a trace
      java.util.concurrent.ThreadPoolExecutor uploads = (java.util.concurrent.ThreadPoolExecutor) store.uploadExecutor;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // only against hanging the build
      while (uploads.getActiveCount() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(uploads.getActiveCount()).isZero();
      try (ObjectContent c = store.read(ReadRequest.of(ObjectId.of(bucket, "o")))) {
        assertThat(c.stream().readAllBytes()).isEqualTo(first);
      }
      store.delete(ObjectId.of(bucket, "o"), Conditions.none());
      store.deleteBucket(bucket);
    }
  }

  /**
   * The router's tee writes each buffer to a writer on every site; two callers teeing the same key
   * can have their PUTs take the two stores' key locks in opposite orders, each caller then
   * blocked on the PUT that waits for the other. The bound on the wait for a caller's bytes
   * (socketTimeout) breaks the cycle: a PUT holding a lock fails, the one waiting for it proceeds.
   */
  @Test
  void twoCallersWritingOneKeyToTwoStoresInOppositeLockOrderAreNotStuckForever() throws Exception {
    VastStoreConfig.Builder config = VastTestSupport.config(S3MockServer.endpoint()).socketTimeout(Duration.ofSeconds(1));
    try (VastStore x = VastStore.create(config.site("dc1").build());
        VastStore y = VastStore.create(config.site("dc2").build())) {
      String bx = VastTestSupport.newBucket(x, "cyclex");
      String by = VastTestSupport.newBucket(y, "cycley");
      int size = 8 * 1024 * 1024;
      byte[] body = new byte[size];
      java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        java.util.concurrent.CountDownLatch bothHoldALock = new java.util.concurrent.CountDownLatch(2);
        CompletableFuture<String> a = CompletableFuture.supplyAsync(
            () -> teeTo(x, bx, y, by, body, bothHoldALock), callers);
        CompletableFuture<String> b = CompletableFuture.supplyAsync(
            () -> teeTo(y, by, x, bx, body, bothHoldALock), callers);
        // both end (the 60 s are only against hanging the build): a PUT holding a lock failed after
        // socketTimeout, which let the other caller through; that caller's first PUT may then have
        // completed before its own socketTimeout
        java.util.List<String> outcomes = java.util.List.of(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));
        assertThat(outcomes).isSubsetOf("first 503, second committed", "first committed")
            .contains("first 503, second committed");
      } finally {
        callers.shutdownNow();
      }
      for (VastStore store : new VastStore[] {x, y}) {
        String bucket = store == x ? bx : by;
        assertThat(store.head(ObjectId.of(bucket, "o"), Conditions.none()).orElseThrow().size()).isEqualTo(size);
        store.delete(ObjectId.of(bucket, "o"), Conditions.none());
        store.deleteBucket(bucket);
      }
    }
  }

  /** Streams most of {@code body} to {@code first}, then all of it to {@code second}, then commits both. */
  private static String teeTo(VastStore first, String firstBucket, VastStore second, String secondBucket, byte[] body,
      java.util.concurrent.CountDownLatch bothHoldALock) {
    WriteRequest request = WriteRequest.of("unused", "o").withExpectedSize(body.length);
    try (ObjectWriter one = first.openWrite(new WriteRequest(firstBucket, "o", request.metadata(),
            request.conditions(), null, null, 0, body.length));
        ObjectWriter two = second.openWrite(new WriteRequest(secondBucket, "o", request.metadata(),
            request.conditions(), null, null, 0, body.length))) {
      // more than the pipe holds: when this returns, this caller's PUT on `first` holds its key's lock
      one.write(ByteBuffer.wrap(body, 0, body.length - 1));
      bothHoldALock.countDown();
      bothHoldALock.await();
      ByteBuffer all = ByteBuffer.wrap(body);
      while (all.hasRemaining()) {
        two.write(all); // blocks: `second`'s lock is the other caller's, whose PUT waits for it
      }
      two.commit();
      try {
        one.write(ByteBuffer.wrap(body, body.length - 1, 1));
        one.commit();
        return "first committed";
      } catch (HybridStorageException e) {
        return "first " + e.code() + ", second committed";
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
