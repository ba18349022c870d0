package io.hybridstorage.benchmarks;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.benchmarks.baseline.GcsApiServer;
import io.hybridstorage.gateway.Gateway;
import io.hybridstorage.memory.InMemoryStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The GCS JSON API gateway (issue 14) against what it replaced and against the floor, three
 * servers side by side in one run ({@code server}):
 * <ul>
 *   <li>{@code GATEWAY}: {@link Gateway} (Jetty 12), anonymous calls allowed, its defaults
 *       otherwise;
 *   <li>{@code FIXTURE}: the removed JDK-{@code HttpServer} test fixture, restored from git as the
 *       frozen baseline {@link GcsApiServer} (defects and all), with {@code
 *       -Dsun.net.httpserver.nodelay=true} as its tests ran it;
 *   <li>{@code FLOOR}: {@link LoopbackFloor}, a bare loopback socket server that reads the request
 *       and answers fixed bytes: what loopback HTTP costs at all on this machine.
 * </ul>
 * Every call goes through {@link RawHttpClient}, a keep-alive HTTP/1.1 client over one socket per
 * thread that allocates nothing per call (not the GCS client, whose own cost would hide the
 * servers'). Client and server share this JVM and the machine's cores.
 *
 * <p><b>Small operations</b> over an {@link InMemoryStore}: {@code get} is {@code GET
 * /storage/v1/b/bench/o/small?alt=media} of a 1 KiB object; {@code put} is {@code POST
 * /upload/storage/v1/b/bench/o?uploadType=media&name=put-<thread>} of 1 KiB (each thread its own
 * object). The suffix is the number of concurrent clients (JMH threads, one connection each): 1,
 * 16, 64. Each runs in {@code Throughput} (ops/ms; × 1000 = ops/s) and {@code SampleTime} (p50,
 * p99 per call) mode.
 *
 * <p><b>Large transfers</b> over a {@link ByteFreeStore} (keeps no bytes): {@code download} is a
 * {@code GET ?alt=media} of a {@code largeMiB} object (1 GiB), {@code upload} a {@code POST
 * uploadType=media} of as many bytes, one client, one transfer per iteration ({@code
 * SingleShotTime}; MiB/s = {@code largeMiB} / seconds). During each transfer {@link HeapWatch}
 * samples the heap: {@code heapPeakGrowthMiB} (used-heap peak minus used at the start: what the
 * transfer allocated and held until a GC), {@code heapLiveGrowthMiB} (heap left after a GC during
 * the transfer minus the live heap before it; 0 when no GC ran) and {@code gcs}; they are
 * reported as secondary results. The client and the store allocate nothing per transfer, so
 * these are the server's. The fixture holds an upload whole in memory (two copies while it reads
 * it), hence {@code -Xmx4g} for every server.
 *
 * <p>The gateway's access log (a line per call through slf4j-simple to the fork's stderr) is
 * switched off ({@code WARN}) in the forks, as the fixture and the floor log nothing; the rest of
 * the gateway is as shipped.
 *
 * <p>Issue 14's goals, read off by {@link ResultsTable}: large transfers ≥ 0.7× the floor's MiB/s
 * with heap growth ≤ 64 MiB; small operations ≥ 5× the fixture's ops/s at 64 clients.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dsun.net.httpserver.nodelay=true",
    "-Dorg.slf4j.simpleLogger.log.io.hybridstorage.gateway.access=warn"})
public class GatewayBenchmark {

  static final String BUCKET = "bench";
  static final int SMALL = 1024;

  /** The server under test, started per trial over the store its subclass makes. */
  @State(Scope.Benchmark)
  public abstract static class Target {
    @Param({"GATEWAY", "FIXTURE", "FLOOR"})
    public String server;

    int port;
    private AutoCloseable running;

    void start(ObjectStore store, long floorGetBytes) {
      switch (server) {
        case "GATEWAY" -> {
          Gateway gateway = Gateway.builder(store).allowAnonymous().stopTimeout(Duration.ofSeconds(2)).start();
          port = gateway.port();
          running = gateway;
        }
        case "FIXTURE" -> {
          if (!Boolean.getBoolean("sun.net.httpserver.nodelay")) {
            throw new IllegalStateException("run the fixture with -Dsun.net.httpserver.nodelay=true, as it ran");
          }
          GcsApiServer fixture = GcsApiServer.start(store);
          port = URI.create(fixture.endpoint()).getPort();
          running = fixture;
        }
        case "FLOOR" -> {
          LoopbackFloor floor = LoopbackFloor.start(floorGetBytes);
          port = floor.port();
          running = floor;
        }
        default -> throw new IllegalArgumentException("server " + server);
      }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      if (running != null) {
        running.close();
      }
    }
  }

  // ------------------------------------------------------------------ 1 KiB get / put

  /** The server over an {@code InMemoryStore} holding {@code bench/small} (1 KiB). */
  @State(Scope.Benchmark)
  public static class Small extends Target {
    final byte[] body = new byte[SMALL];

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      new Random(14).nextBytes(body);
      InMemoryStore store = new InMemoryStore("gcp");
      store.createBucket(BucketSpec.of(BUCKET));
      store.write(WriteRequest.of(BUCKET, "small"), new ByteArrayInputStream(body));
      start(store, SMALL);
      try (RawHttpClient check = new RawHttpClient(port)) {
        long got = check.exchange(RawHttpClient.get(port, "/storage/v1/b/bench/o/small?alt=media"));
        if (got != SMALL) {
          throw new IllegalStateException(server + ": GET answered " + got + " bytes, not " + SMALL);
        }
        check.exchange(RawHttpClient.concat(
            RawHttpClient.post(port, "/upload/storage/v1/b/bench/o?uploadType=media&name=check", SMALL), body));
      }
    }
  }

  /** One keep-alive connection per benchmark thread, with its requests prebuilt. */
  @State(Scope.Thread)
  public static class Client {
    RawHttpClient http;
    byte[] get;
    byte[] put;

    @Setup(Level.Trial)
    public void open(Small small, ThreadParams thread) {
      http = new RawHttpClient(small.port);
      get = RawHttpClient.get(small.port, "/storage/v1/b/bench/o/small?alt=media");
      put = RawHttpClient.concat(RawHttpClient.post(small.port,
          "/upload/storage/v1/b/bench/o?uploadType=media&name=put-" + thread.getThreadIndex(), SMALL), small.body);
    }

    @TearDown(Level.Trial)
    public void close() {
      http.close();
    }
  }

  @Benchmark
  @Threads(1)
  public long get1(Client c) throws IOException {
    return c.http.exchange(c.get);
  }

  @Benchmark
  @Threads(16)
  public long get16(Client c) throws IOException {
    return c.http.exchange(c.get);
  }

  @Benchmark
  @Threads(64)
  public long get64(Client c) throws IOException {
    return c.http.exchange(c.get);
  }

  @Benchmark
  @Threads(1)
  public long put1(Client c) throws IOException {
    return c.http.exchange(c.put);
  }

  @Benchmark
  @Threads(16)
  public long put16(Client c) throws IOException {
    return c.http.exchange(c.put);
  }

  @Benchmark
  @Threads(64)
  public long put64(Client c) throws IOException {
    return c.http.exchange(c.put);
  }

  // ------------------------------------------------------------------ 1 GiB up / down

  /** The server over a {@link ByteFreeStore} declaring {@code bench/large} of {@code largeMiB}. */
  @State(Scope.Benchmark)
  public static class Large extends Target {
    @Param({"1024"})
    public long largeMiB;

    long bytes;
    RawHttpClient http;
    byte[] get;
    byte[] postHead;
    HeapWatch heap;

    @Setup(Level.Trial)
    public void setUp() {
      bytes = largeMiB * 1024 * 1024;
      ByteFreeStore store = new ByteFreeStore();
      store.createBucket(BucketSpec.of(BUCKET));
      store.declare(BUCKET, "large", bytes);
      start(store, bytes);
      http = new RawHttpClient(port);
      get = RawHttpClient.get(port, "/storage/v1/b/bench/o/large?alt=media");
      postHead = RawHttpClient.post(port, "/upload/storage/v1/b/bench/o?uploadType=media&name=uploaded", bytes);
      heap = new HeapWatch();
    }

    /** A full GC before every transfer: the live heap {@code heapLiveGrowthMiB} counts from. */
    @Setup(Level.Iteration)
    public void baseline() {
      heap.baseline();
    }

    @TearDown(Level.Trial)
    public void closeClient() {
      http.close();
      heap.close();
    }

    void check(long transferred) {
      if (transferred != bytes) {
        throw new IllegalStateException(server + ": " + transferred + " bytes moved, not " + bytes);
      }
    }
  }

  /** The heap during the transfers of an iteration (the largest per transfer), as secondary results. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Heap {
    /** Used-heap peak during a transfer minus the used heap at its start, MiB. */
    public double heapPeakGrowthMiB;
    /** Heap left after a GC during a transfer minus the live heap before it, MiB (0: no GC ran). */
    public double heapLiveGrowthMiB;
    /** Collections during the transfers. */
    public double gcs;

    @Setup(Level.Iteration)
    public void reset() {
      heapPeakGrowthMiB = 0;
      heapLiveGrowthMiB = 0;
      gcs = 0;
    }

    void add(HeapWatch.Growth g) {
      heapPeakGrowthMiB = Math.max(heapPeakGrowthMiB, g.peakGrowth() / ResultsTable.MIB);
      heapLiveGrowthMiB = Math.max(heapLiveGrowthMiB, g.liveGrowth() / ResultsTable.MIB);
      gcs += g.gcs();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 5)
  @Threads(1)
  public long download(Large large, Heap heap) throws IOException {
    large.heap.begin();
    long n = large.http.exchange(large.get);
    heap.add(large.heap.end());
    large.check(n);
    return n;
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 5)
  @Threads(1)
  public long upload(Large large, Heap heap) throws IOException {
    large.heap.begin();
    long n = large.http.upload(large.postHead, large.bytes);
    heap.add(large.heap.end());
    return n;
  }
}
