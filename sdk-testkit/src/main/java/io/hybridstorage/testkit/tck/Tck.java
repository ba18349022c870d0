package io.hybridstorage.testkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.annotation.Nullable;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Helpers of the TCK testers: writing, reading, listing, expecting errors, racing threads. */
final class Tck {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  /** Bound on every concurrent test; generous for slow real servers. */
  static final long RACE_TIMEOUT_SECONDS = 120;

  private Tck() {}

  static String randomBucketName() {
    StringBuilder sb = new StringBuilder("tck-");
    for (int i = 0; i < 12; i++) {
      sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Deterministic non-repeating-ish bytes (so an offset error cannot go unnoticed). */
  static byte[] pattern(int size) {
    byte[] out = new byte[size];
    for (int i = 0; i < size; i++) {
      out[i] = (byte) (i * 31 + (i >>> 8) * 7 + (i >>> 16));
    }
    return out;
  }

  static ObjectInfo put(ObjectStore store, String bucket, String name, String content) {
    return put(store, WriteRequest.of(bucket, name), bytes(content));
  }

  static ObjectInfo put(ObjectStore store, WriteRequest request, byte[] content) {
    return store.write(request, new ByteArrayInputStream(content));
  }

  static byte[] readBytes(ObjectStore store, ReadRequest request) {
    try (ObjectContent content = store.read(request)) {
      return content.stream().readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(ObjectStore store, ObjectId id) {
    return text(readBytes(store, ReadRequest.of(id)));
  }

  static String read(ObjectStore store, String bucket, String name) {
    return read(store, ObjectId.of(bucket, name));
  }

  /** Runs {@code call}, which must throw a {@link HybridStorageException} of {@code code}. */
  static HybridStorageException expect(int code, ThrowingCallable call) {
    Throwable thrown = null;
    try {
      call.call();
    } catch (Throwable t) {
      thrown = t;
    }
    if (thrown == null) {
      return fail("expected a HybridStorageException with code " + code + " but the call succeeded");
    }
    if (!(thrown instanceof HybridStorageException e)) {
      throw new AssertionError("expected a HybridStorageException with code " + code + " but got " + thrown, thrown);
    }
    assertThat(e.code()).as("code of: %s", e.getMessage()).isEqualTo(code);
    return e;
  }

  /**
   * Asserts that an error names the operation's target: {@code gs://bucket[/object]} and the site,
   * in the message and in the fields.
   */
  static void assertNames(HybridStorageException e, ObjectStore store, String bucket, @Nullable String object) {
    String target = "gs://" + bucket + (object == null ? "" : "/" + object);
    assertThat(e.getMessage()).as("message of a %d", e.code()).contains(target).contains(" on " + store.site());
    assertThat(e.bucket()).isEqualTo(bucket);
    if (object != null) {
      assertThat(e.object()).isEqualTo(object);
    }
    assertThat(e.site()).isEqualTo(store.site());
  }

  /**
   * Every page of a listing from {@code request}'s own token on: the items and the prefixes, each
   * page checked against the page size.
   */
  static List<ListPage<ObjectInfo>> pages(ObjectStore store, ListRequest request) {
    List<ListPage<ObjectInfo>> pages = new ArrayList<>();
    String token = request.pageToken();
    do {
      ListPage<ObjectInfo> page = store.list(request.withPageToken(token));
      assertThat(page.items().size() + page.prefixes().size())
          .as("entries on page %d", pages.size() + 1).isLessThanOrEqualTo(request.effectivePageSize());
      pages.add(page);
      token = page.nextPageToken();
      if (pages.size() > 10_000) {
        fail("listing does not end");
      }
    } while (token != null);
    return pages;
  }

  /** The names of every item of a listing, over all pages, in the order returned. */
  static List<String> names(ObjectStore store, ListRequest request) {
    List<String> names = new ArrayList<>();
    for (ListPage<ObjectInfo> page : pages(store, request)) {
      page.items().forEach(i -> names.add(i.name()));
    }
    return names;
  }

  /** Items and prefixes of one page merged in listing order (prefixes end with the delimiter). */
  static List<String> entries(ListPage<ObjectInfo> page) {
    List<String> all = new ArrayList<>(page.prefixes());
    page.items().forEach(i -> all.add(i.name()));
    all.sort(io.hybridstorage.api.Utf8Order.INSTANCE);
    return all;
  }

  /** A task of one racing thread. */
  @FunctionalInterface
  interface Racer<T> {
    T run(int thread) throws Exception;
  }

  /** What one racing thread returned or threw. */
  record Result<T>(@Nullable T value, @Nullable Throwable error) {
    boolean ok() {
      return error == null;
    }
  }

  /**
   * Runs {@code racer} on {@code threads} real threads released at once, and returns each
   * thread's result in thread order. Fails when they do not finish within the timeout.
   */
  static <T> List<Result<T>> race(int threads, Racer<T> racer) {
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "tck-racer");
      t.setDaemon(true);
      return t;
    });
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int thread = i;
        futures.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          return racer.run(thread);
        }));
      }
      ready.await(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      go.countDown();
      List<Result<T>> results = new ArrayList<>();
      for (Future<T> future : futures) {
        try {
          results.add(new Result<>(future.get(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS), null));
        } catch (java.util.concurrent.ExecutionException e) {
          results.add(new Result<>(null, e.getCause()));
        } catch (TimeoutException e) {
          return fail("a racing thread did not finish within " + RACE_TIMEOUT_SECONDS + " s");
        }
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    } finally {
      pool.shutdownNow();
    }
  }

  /** The code of a racing thread's {@link HybridStorageException}, or -1 for any other error. */
  static int code(Result<?> result) {
    return result.error() instanceof HybridStorageException e ? e.code() : -1;
  }
}
