package io.hybridstorage.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.ObjectInfo;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Tests of one class running in parallel ({@code @Execution(CONCURRENT)}; parallel mode is enabled
 * in junit-platform.properties), every one writing the same bucket and object name through the
 * same static extension: each sees only its own world. The first two tests to start meet at a
 * barrier, so at least two worlds are provably open at once.
 *
 * <p>The annotation is on the methods, not the class: on the class it would also run the class
 * alongside other classes, whose tests Surefire then counts under this one.
 */
class ParallelTestsTest {

  private static final String BUCKET = "shared";
  private static final String NAME = "same/name.txt";
  private static final int TESTS = 8; // 4 methods + 4 repetitions
  private static final int GENERATIONS = 20;

  @RegisterExtension
  static HybridStorageExtension sites = HybridStorageExtension.threeSites();

  private static final AtomicInteger arrivals = new AtomicInteger();
  private static final CyclicBarrier firstTwo = new CyclicBarrier(2);
  private static final Set<HybridWorld> worlds = ConcurrentHashMap.newKeySet();
  private static final Set<String> threads = ConcurrentHashMap.newKeySet();

  @Execution(ExecutionMode.CONCURRENT)
  @Test
  void writerA() throws Exception {
    writeAndCheckOwnData("A", sites.storage());
  }

  @Execution(ExecutionMode.CONCURRENT)
  @Test
  void writerB() throws Exception {
    writeAndCheckOwnData("B", sites.storage());
  }

  @Execution(ExecutionMode.CONCURRENT)
  @Test
  void writerC(Storage storage) throws Exception {
    writeAndCheckOwnData("C", storage);
  }

  @Execution(ExecutionMode.CONCURRENT)
  @Test
  void writerD(Storage storage) throws Exception {
    writeAndCheckOwnData("D", storage);
  }

  @Execution(ExecutionMode.CONCURRENT)
  @RepeatedTest(4)
  void repeatedWriter(TestInfo info, Storage storage) throws Exception {
    writeAndCheckOwnData("R" + info.getDisplayName(), storage);
  }

  private static void writeAndCheckOwnData(String me, Storage storage) throws Exception {
    HybridWorld world = sites.world();
    assertThat(worlds.add(world)).as("a world of its own").isTrue();
    threads.add(Thread.currentThread().getName());
    assertThat(storage).isSameAs(world.storage());

    if (arrivals.incrementAndGet() <= 2) {
      firstTwo.await(30, TimeUnit.SECONDS); // both first tests are running now, each in its world
      // off the test threads, with several worlds open, the extension cannot tell which is meant
      assertThatThrownBy(() -> join(CompletableFuture.supplyAsync(sites::storage)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("hybrid worlds are open (tests run in parallel)")
          .hasMessageContaining("take the world as a test method parameter");
      firstTwo.await(30, TimeUnit.SECONDS); // neither closes its world before both checked
    }

    storage.create(BucketInfo.of(BUCKET)); // no 409: nobody else's bucket is here
    Blob last = null;
    for (int i = 0; i < GENERATIONS; i++) {
      String content = me + "-" + i;
      last = storage.create(BlobInfo.newBuilder(BUCKET, NAME).build(), content.getBytes(UTF_8));
      assertThat(new String(storage.readAllBytes(BUCKET, NAME), UTF_8)).isEqualTo(content);
    }
    Map<String, ObjectInfo> where = world.whereIs(BUCKET, NAME);
    assertThat(where).containsOnlyKeys("gcp", "dc1", "dc2");
    assertThat(where.values()).extracting(ObjectInfo::generation).containsOnly(last.getGeneration());
    for (String site : world.siteNames()) {
      world.assertThat(site).hasContent(BUCKET, NAME, me + "-" + (GENERATIONS - 1));
    }
    assertThat(storage.list(BUCKET).iterateAll()).extracting(Blob::getName).containsExactly(NAME);
  }

  private static <T> T join(CompletableFuture<T> future) throws InterruptedException {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within 30 s", e);
    }
  }

  @AfterAll
  static void everyTestHadItsOwnWorldAndAllAreClosed() {
    assertThat(worlds).hasSize(TESTS).allMatch(HybridWorld::isClosed);
    assertThat(arrivals).hasValue(TESTS);
    assertThat(threads).as("tests ran on several threads").hasSizeGreaterThan(1);
  }
}
