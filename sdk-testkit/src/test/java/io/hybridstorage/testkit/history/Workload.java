package io.hybridstorage.testkit.history;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.testkit.fault.StoreOps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/** A Jepsen-style register workload on real threads: writes of unique values, reads, CAS, deletes. */
final class Workload {

  private Workload() {}

  /**
   * {@code threads} threads each run {@code opsPerThread} random ops on {@code keys} objects; with
   * {@code deletes}, one op in 20 is a delete.
   */
  static void run(ObjectStore store, int threads, int opsPerThread, int keys, long seed, boolean deletes)
      throws Exception {
    CyclicBarrier start = new CyclicBarrier(threads);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread worker = new Thread(() -> {
        Random random = new Random(seed * 1000 + id);
        long[] lastGeneration = new long[keys];
        try {
          start.await();
          for (int i = 0; i < opsPerThread; i++) {
            int key = random.nextInt(keys);
            String name = "k" + key;
            String value = "t" + id + "-" + i;
            try {
              int dice = random.nextInt(20);
              if (dice < 7) {
                write(store, name, value, Conditions.none(), random.nextBoolean());
              } else if (dice < 13) {
                lastGeneration[key] = read(store, name);
              } else if (dice < 15) {
                store.head(ObjectId.of(HistoryRecorderTest.BUCKET, name), Conditions.none())
                    .ifPresent(info -> lastGeneration[key] = info.generation());
              } else if (dice < 19 || !deletes) {
                write(store, name, value, Conditions.generationMatch(lastGeneration[key]), random.nextBoolean());
              } else {
                store.delete(ObjectId.of(HistoryRecorderTest.BUCKET, name), Conditions.none());
              }
            } catch (RuntimeException | IOException expected) {
              // 404, 412 and injected faults are part of the workload; the history has them.
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "worker-" + t);
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join(60_000);
    }
    if (failure.get() != null) {
      throw new AssertionError("workload thread failed", failure.get());
    }
  }

  private static void write(ObjectStore store, String name, String value, Conditions conditions, boolean streaming)
      throws IOException {
    if (streaming) {
      StoreOps.putStreaming(store, HistoryRecorderTest.BUCKET, name, value, conditions);
    } else {
      StoreOps.put(store, HistoryRecorderTest.BUCKET, name, value, conditions);
    }
  }

  private static long read(ObjectStore store, String name) throws IOException {
    try (ObjectContent content = store.read(ReadRequest.of(ObjectId.of(HistoryRecorderTest.BUCKET, name)))) {
      content.stream().readAllBytes();
      ObjectInfo info = content.info();
      return info.generation();
    }
  }

  /** How many ops overlapped in time with the op invoked just before them on the same key. */
  static int overlapping(History history) {
    int count = 0;
    for (String key : history.keys()) {
      List<Op> ops = history.ops(key);
      for (int i = 1; i < ops.size(); i++) {
        if (!ops.get(i - 1).precedes(ops.get(i))) {
          count++;
        }
      }
    }
    return count;
  }
}
