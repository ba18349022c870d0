package io.hybridstorage.benchmarks;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.routing.RoutingSettings;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.sync.Change;
import io.hybridstorage.sync.Lag;
import io.hybridstorage.sync.MemoryFeed;
import io.hybridstorage.sync.SyncConfig;
import io.hybridstorage.sync.SyncEngine;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The sync (issue 15) over three in-memory sites (gcp the authority, dc1 and dc2 the rule's
 * sites; the router itself does not replicate: AUTHORITY_ONLY), fed by an in-memory feed with
 * durable queue on disk (fsync per batch, as in production):
 *
 * <ul>
 *   <li>{@code applied}: changes applied per second by one process — each invocation writes 1,000
 *       new 1 KiB versions straight into gcp (as a job outside the SDK would), offers their
 *       changes, and waits until both sites hold every one (so the figure includes the source
 *       writes: a lower bound of the sync's own rate). Goal: at least 5,000/s.
 *   <li>{@code steadyLag}: changes offered at a steady {@code rate} per second for {@code seconds}
 *       (each at its write time), then the lag from the change's time at the source to applied,
 *       p50 and p99 over both sites, reported as the secondary results {@code lagP50Millis} and
 *       {@code lagP99Millis}. Goal: p99 at most 2 s under 1,000 changes/s.
 * </ul>
 */
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 3)
public class SyncBenchmark {

  static final String BUCKET = "lake";
  static final int BATCH = 1000;
  static final int SIZE = 1024;

  /** One sync process over three in-memory sites. */
  @State(Scope.Benchmark)
  public static class World {
    @Param({"4"})
    public int workers;

    RoutingStore router;
    SyncEngine engine;
    MemoryFeed feed;
    ObjectStore gcp;
    Path dir;
    final Random random = new Random(42);
    final byte[] data = new byte[SIZE];
    long next;

    @Setup(Level.Trial)
    public void open() throws Exception {
      dir = Files.createTempDirectory("sync-bench");
      Placement lake = Placement.builder(BUCKET).replicas("gcp", "dc1", "dc2").authority("gcp")
          .write(WritePolicy.AUTHORITY_ONLY).read(ReadPolicy.AUTHORITY).consistency(Consistency.STRONG).build();
      HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites().clearPlacements().placement(lake)
          .journalDirectory(dir.resolve("journal")).build();
      Map<String, ObjectStore> sites = new LinkedHashMap<>();
      for (String s : List.of("gcp", "dc1", "dc2")) {
        sites.put(s, new InMemoryStore(s));
      }
      gcp = sites.get("gcp");
      router = RoutingStore.create(sites, options, RoutingSettings.defaults());
      router.createBucket(BucketSpec.of(BUCKET));
      feed = new MemoryFeed("gcp");
      SyncConfig config = SyncConfig.builder(options).rule(BUCKET, null, List.of(), null, List.of("dc1", "dc2"))
          .stateDirectory(dir.resolve("state")).workers(workers).scanInterval(Duration.ZERO).build();
      engine = SyncEngine.builder(router, config).feed(feed).build().start();
    }

    /** Writes a new 1 KiB version of one of 50,000 names into gcp, outside the SDK; returns its change. */
    Change write(Instant at) {
      random.nextBytes(data);
      String name = "bench/p" + (next % 64) + "/o" + (next++ % 50_000);
      ObjectInfo i = gcp.write(WriteRequest.of(BUCKET, name).withCrc32c(Checksums.crc32c(data)),
          new ByteArrayInputStream(data));
      return new Change(Change.Kind.FINALIZE, "gcp", BUCKET, name, i.generation(), 0, i.size(), i.crc32c(), at,
          "bench");
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      engine.close();
      router.close();
      com.google.common.io.MoreFiles.deleteRecursively(dir);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public long applied(World w) throws InterruptedException {
    Instant now = Instant.now();
    for (int i = 0; i < BATCH; i++) {
      w.feed.offer(w.write(now));
    }
    if (!w.engine.awaitIdle(Duration.ofMinutes(5))) {
      throw new IllegalStateException("the sync did not apply " + BATCH + " changes in 5 minutes");
    }
    return w.engine.applied();
  }

  /** The lag figures of one {@link #steadyLag} run (JMH reports them beside the run's time). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class LagFigures {
    public double lagP50Millis;
    public double lagP99Millis;
    public double lagMaxMillis;
    public double changes;
  }

  /** Offers {@code rate} changes per second for {@code seconds}, then reads the lag. */
  @State(Scope.Benchmark)
  public static class Steady {
    @Param({"1000"})
    public int rate;

    @Param({"20"})
    public int seconds;
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  public void steadyLag(World w, Steady s, LagFigures figures) throws InterruptedException {
    com.google.common.util.concurrent.RateLimiter limiter = com.google.common.util.concurrent.RateLimiter.create(s.rate);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(s.seconds);
    long offered = 0;
    while (System.nanoTime() < end) {
      limiter.acquire();
      w.feed.offer(w.write(Instant.now()));
      offered++;
    }
    if (!w.engine.awaitIdle(Duration.ofMinutes(5))) {
      throw new IllegalStateException("the sync did not catch up within 5 minutes");
    }
    double p50 = 0;
    double p99 = 0;
    double max = 0;
    for (String site : List.of("dc1", "dc2")) {
      Lag lag = w.engine.staleness().of(BUCKET + "/", site).orElseThrow();
      p50 = Math.max(p50, lag.p50().toNanos() / 1e6);
      p99 = Math.max(p99, lag.p99().toNanos() / 1e6);
      max = Math.max(max, lag.max().toNanos() / 1e6);
    }
    figures.lagP50Millis = p50;
    figures.lagP99Millis = p99;
    figures.lagMaxMillis = max;
    figures.changes = offered;
  }
}
