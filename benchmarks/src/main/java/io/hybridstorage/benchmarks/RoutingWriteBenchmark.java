package io.hybridstorage.benchmarks;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.RoutingSettings;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of one write (4 KiB unless {@code bodyBytes} says otherwise) through the router per write policy, against baselines: the slowest
 * replica written alone, and the authority written alone. Sites: gcp (authority) and dc1 take
 * 5 ms per write, dc2 30 ms (injected at commit). Goals: DUAL_WRITE_SYNC ≤ 1.1 × SLOWEST_ALONE;
 * AUTHORITY_THEN_ASYNC ≤ 1.05 × AUTHORITY_ONLY. {@code PRIMARY_FIRST} variants disable the
 * parallel tee (authority commits, then the replicas), the alternative the design weighed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RoutingWriteBenchmark {

  @Param({"SLOWEST_ALONE", "DUAL_WRITE_SYNC", "DUAL_WRITE_SYNC_PRIMARY_FIRST", "AUTHORITY_ALONE",
      "AUTHORITY_ONLY", "AUTHORITY_THEN_ASYNC", "QUORUM"})
  public String target;

  /** The authority's (and dc1's) write latency in ms; dc2 takes 30 ms. */
  @Param({"5"})
  public int nearMillis;

  /** The body size; larger bodies stream longer before the commit (the journal is appended at open). */
  @Param({"4096"})
  public int bodyBytes;

  private ObjectStore store;
  private byte[] body;
  private int next;

  @Setup
  public void setUp() {
    body = new byte[bodyBytes];
    Map<String, ObjectStore> sites = Worlds.sites(nearMillis, nearMillis, 30);
    RoutingSettings settings = RoutingSettings.defaults();
    store = switch (target) {
      case "SLOWEST_ALONE" -> sites.get("dc2");
      case "AUTHORITY_ALONE" -> sites.get("gcp");
      case "DUAL_WRITE_SYNC_PRIMARY_FIRST" -> Worlds.router(sites, WritePolicy.DUAL_WRITE_SYNC,
          settings.withTee(settings.teeBufferBytes(), false));
      default -> Worlds.router(sites, WritePolicy.valueOf(target), settings);
    };
    store.createBucket(BucketSpec.of("bench"));
  }

  @TearDown
  public void tearDown() {
    store.close();
  }

  @Benchmark
  public ObjectInfo write() {
    return store.write(WriteRequest.of("bench", "k" + (next++ % 1000)), new ByteArrayInputStream(body));
  }
}
