package io.hybridstorage.benchmarks;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.RoutingSettings;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.routing.internal.journal.JournalEntry;
import io.hybridstorage.routing.internal.journal.ReplicationJournal;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The replication journal: durable appends per second (each caller waits for its group commit's
 * fsync, 16 callers at once, as concurrent writers do) and replayed entries per second (a router's
 * backlog of 2 × 5,000 entries drained into in-memory sites). Goal: ≥ 10,000/s each.
 */
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class JournalBenchmark {

  /** One journal shared by the appending threads. */
  @State(Scope.Benchmark)
  public static class Appends {
    ReplicationJournal journal;
    final AtomicLong next = new AtomicLong();

    @Setup
    public void open() {
      journal = ReplicationJournal.open(Worlds.tempDir(), Clock.systemUTC(), 512);
    }

    @TearDown
    public void close() {
      journal.close();
    }
  }

  /** The latency one caller alone sees: one group commit (put, commit, fsync) per append. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Threads(1)
  public void durableAppendLatency(Appends s) {
    durableAppend(s);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(16)
  public void durableAppend(Appends s) {
    long n = s.next.incrementAndGet();
    s.journal.append(List.of(JournalEntry.of(JournalEntry.Op.WRITE, "bench", "object-" + n, n, "gcp", "dc1",
        System.currentTimeMillis()))).join();
  }

  /** A router with a backlog: 10,000 writes journaled for dc1 and dc2 (replay only on demand). */
  @State(Scope.Benchmark)
  public static class Backlog {
    static final int WRITES = 5_000;
    RoutingStore router;

    /** Replay lanes (parallel objects). */
    @Param({"4", "8"})
    public int lanes;

    /** The per-call time limit; 0 switches the TimeLimiter (and its thread hop per call) off. */
    @Param({"30", "0"})
    public int timeoutSeconds;

    @Setup(Level.Invocation)
    public void fill() {
      router = Worlds.router(Worlds.sites(0, 0, 0), WritePolicy.AUTHORITY_THEN_ASYNC,
          RoutingSettings.defaults().withJournal(512, Duration.ofHours(1), lanes)
              .withCallTimeout(Duration.ofSeconds(timeoutSeconds)));
      router.createBucket(BucketSpec.of("bench"));
      byte[] body = new byte[64];
      for (int i = 0; i < WRITES; i++) {
        router.write(WriteRequest.of("bench", "k" + i), new ByteArrayInputStream(body));
      }
      if (router.journalDepth() != 2 * WRITES) {
        throw new IllegalStateException("backlog " + router.journalDepth());
      }
    }

    @TearDown(Level.Invocation)
    public void close() {
      router.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(2 * Backlog.WRITES)
  @Warmup(iterations = 1)
  @Measurement(iterations = 3)
  public int replay(Backlog b) {
    if (!b.router.drain(Duration.ofMinutes(2))) {
      throw new IllegalStateException("did not drain: " + b.router.journalDepth());
    }
    return b.router.journalDepth();
  }
}
