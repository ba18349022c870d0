package io.hybridstorage.benchmarks;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.testkit.fault.Fault;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.fault.FaultRule;
import io.hybridstorage.testkit.fault.Operation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
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
 * Latency distributions (SampleTime: p50, p99 in the JSON) of routed 1 KiB writes and reads, with
 * every call to a site first sleeping its round trip: gcp (the authority) 30 ms, dc1 (the local
 * site) 1 ms, dc2 30 ms; the sites' latency hints say the same, so reads go to dc1 first. One
 * thread.
 *
 * <p>{@link #write}: each write policy through the router, and the baselines, each site written
 * alone ({@code GCP_ALONE}, {@code DC1_ALONE}, {@code DC2_ALONE}). The slowest replica each policy
 * waits for: AUTHORITY_ONLY, AUTHORITY_THEN_ASYNC and QUORUM(2) (the authority and the fastest
 * other replica) wait for gcp; DUAL_WRITE_SYNC for gcp and dc2; LOCAL_THEN_ASYNC for dc1. The
 * policies that journal also wait for the journal's fsync. The async policies' replication backlog
 * (30 ms per replayed write) grows during a measurement; the router is closed, not drained.
 *
 * <p>{@link #read}: each read policy through the router over an object every site holds
 * (AUTHORITY and NEAREST_VERIFIED under STRONG, NEAREST, HEDGED and READ_THROUGH under SESSION,
 * which they need), and each site read alone. Then the tail: dc1 delays 10 % of its reads
 * (seeded) by a further 200 ms; {@code DC1_TAIL_ALONE} reads it alone, {@code HEDGED_DC1_TAIL}
 * reads through HEDGED (hedge after {@code hedgeMillis}, to gcp or dc2: their latency hints tie).
 * Goal (issue 13): HEDGED_DC1_TAIL's p99 ≤ 1.2 × the healthy second site's p50 read alone.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 10)
@Fork(1)
public class RoutingLatencyBenchmark {

  static final String BUCKET = "bench";
  static final long GCP_MS = 30;
  static final long DC1_MS = 1;
  static final long DC2_MS = 30;
  static final double TAIL_PROBABILITY = 0.10;
  static final Duration TAIL = Duration.ofMillis(200);

  /** One write per invocation to one of 1,000 names, through the router or to one site alone. */
  @State(Scope.Benchmark)
  public static class Writes {
    @Param({"GCP_ALONE", "DC1_ALONE", "DC2_ALONE", "AUTHORITY_ONLY", "DUAL_WRITE_SYNC", "QUORUM",
        "AUTHORITY_THEN_ASYNC", "LOCAL_THEN_ASYNC"})
    public String writeCase;

    @Param({"1024"})
    public int bodyBytes;

    ObjectStore store;
    private ObjectStore router;
    byte[] body;
    int next;

    @Setup
    public void setUp() {
      body = new byte[bodyBytes];
      new Random(13).nextBytes(body);
      Map<String, FaultInjectingStore> sites = Worlds.roundTrips(GCP_MS, DC1_MS, DC2_MS);
      if (writeCase.endsWith("_ALONE")) {
        store = sites.get(writeCase.substring(0, 3).toLowerCase(java.util.Locale.ROOT));
      } else {
        WritePolicy policy = WritePolicy.valueOf(writeCase);
        Placement.Builder p = Placement.builder(Placement.ANY_BUCKET).replicas("gcp", "dc1", "dc2").authority("gcp");
        p = policy == WritePolicy.QUORUM ? p.quorum(2) : p.write(policy);
        // STRONG is impossible when the local site acknowledges
        p = policy == WritePolicy.LOCAL_THEN_ASYNC ? p.read(ReadPolicy.NEAREST).consistency(Consistency.SESSION)
            : p.read(ReadPolicy.NEAREST_VERIFIED).consistency(Consistency.STRONG);
        router = Worlds.router(sites, p.build(), GCP_MS, DC1_MS, DC2_MS);
        store = router;
      }
      store.createBucket(BucketSpec.of(BUCKET));
    }

    @TearDown
    public void tearDown() {
      store.close();
    }
  }

  /** One read of the whole 1 KiB object per invocation. */
  @State(Scope.Benchmark)
  public static class Reads {
    @Param({"GCP_ALONE", "DC1_ALONE", "DC2_ALONE", "AUTHORITY", "NEAREST", "NEAREST_VERIFIED", "HEDGED",
        "READ_THROUGH", "DC1_TAIL_ALONE", "HEDGED_DC1_TAIL"})
    public String readCase;

    /** HEDGED's hedge delay: when the second site is asked if dc1 has not answered. */
    @Param({"3"})
    public int hedgeMillis;

    ObjectStore store;
    ReadRequest request;
    byte[] body;

    @Setup
    public void setUp() throws IOException {
      body = new byte[1024];
      new Random(13).nextBytes(body);
      Map<String, FaultInjectingStore> sites = Worlds.roundTrips(GCP_MS, DC1_MS, DC2_MS);
      request = ReadRequest.of(ObjectId.of(BUCKET, "r"));
      if (readCase.endsWith("_ALONE")) {
        store = sites.get(readCase.substring(0, 3).toLowerCase(java.util.Locale.ROOT));
        store.createBucket(BucketSpec.of(BUCKET));
        store.write(WriteRequest.of(BUCKET, "r"), new ByteArrayInputStream(body));
      } else {
        ReadPolicy policy = ReadPolicy.valueOf(readCase.startsWith("HEDGED") ? "HEDGED" : readCase);
        boolean strong = policy == ReadPolicy.AUTHORITY || policy == ReadPolicy.NEAREST_VERIFIED;
        Placement p = Placement.builder(Placement.ANY_BUCKET).replicas("gcp", "dc1", "dc2").authority("gcp")
            .write(WritePolicy.DUAL_WRITE_SYNC).read(policy)
            .consistency(strong ? Consistency.STRONG : Consistency.SESSION)
            .hedgeDelay(Duration.ofMillis(hedgeMillis)).build();
        store = Worlds.router(sites, p, GCP_MS, DC1_MS, DC2_MS);
        store.createBucket(BucketSpec.of(BUCKET));
        store.write(WriteRequest.of(BUCKET, "r"), new ByteArrayInputStream(body)); // to all three
      }
      if (readCase.contains("TAIL")) {
        sites.get("dc1").addRule(FaultRule.on(Operation.READ).withProbability(TAIL_PROBABILITY)
            .inject(Fault.delay(TAIL)));
      }
      byte[] back = readAll(this);
      if (!Arrays.equals(back, body)) {
        throw new IllegalStateException(readCase + ": read " + back.length + " bytes, not the ones written");
      }
    }

    @TearDown
    public void tearDown() {
      store.close();
    }
  }

  static byte[] readAll(Reads r) throws IOException {
    try (ObjectContent content = r.store.read(r.request)) {
      return content.stream().readAllBytes();
    }
  }

  @Benchmark
  public ObjectInfo write(Writes w) {
    return w.store.write(WriteRequest.of(BUCKET, "k" + (w.next++ % 1000)), new ByteArrayInputStream(w.body));
  }

  @Benchmark
  public byte[] read(Reads r) throws IOException {
    return readAll(r);
  }
}
