package io.hybridstorage.benchmarks;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.HybridStorage;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.memory.InMemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a business unit's unit test pays per call: one 1 KiB {@code Storage.create(BlobInfo,
 * byte[])} followed by {@code Storage.readAllBytes(BlobId)} of the same object, in operations per
 * second, on one thread ({@link #oneThread}) and on two sharing one {@code Storage} ({@link
 * #twoThreads}; each thread cycles over its own 1,024 names). Targets, all in one run:
 *
 * <ul>
 *   <li>{@code LSH}: google-cloud-nio's {@code LocalStorageHelper.getOptions().getService()}, the
 *       anchor a user compares with;
 *   <li>{@code MEMORY_SITE}: {@code HybridStorage.over(new InMemoryStore(..))}, the facade over one
 *       memory site;
 *   <li>{@code THREE_SITE_WORLD}: the world a business unit gets with no configuration, {@code
 *       HybridStorageOptions.fromEnvironment().getService()} (gcp, dc1, dc2 memory sites and the
 *       router; setup fails if a configuration file is set in the environment);
 *   <li>{@code SPI}: the same {@code InMemoryStore} called directly: {@code openWrite} (size
 *       declared, as the facade does) + {@code write} + {@code commit}, then {@code read} and the
 *       stream read to the end.
 * </ul>
 *
 * Goals (issue 13): THREE_SITE_WORLD ≥ 2 × LSH on one thread and ≥ 1.8 × its own one-thread
 * figure on two; MEMORY_SITE ≥ 3 × LSH; MEMORY_SITE's time per operation ≤ 1.3 × SPI's. Run with
 * {@code -prof gc} for allocation per operation; {@code ResultsTable} judges the goals.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class EmbeddedWorldBenchmark {

  static final String BUCKET = "bench";
  static final int NAMES = 1024;

  @Param({"LSH", "MEMORY_SITE", "THREE_SITE_WORLD", "SPI"})
  public String target;

  /** The object size in bytes. */
  @Param({"1024"})
  public int bodyBytes;

  Storage storage;
  ObjectStore spi;
  byte[] body;
  private final AtomicInteger threads = new AtomicInteger();

  @Setup
  public void setUp() {
    body = new byte[bodyBytes];
    new Random(13).nextBytes(body);
    switch (target) {
      case "LSH" -> storage = Worlds.localStorageHelper();
      case "MEMORY_SITE" -> storage = HybridStorage.over(new InMemoryStore("m"));
      case "THREE_SITE_WORLD" -> storage = defaultWorld();
      case "SPI" -> spi = new InMemoryStore("m");
      default -> throw new IllegalArgumentException("target " + target);
    }
    if (spi != null) {
      spi.createBucket(io.hybridstorage.api.BucketSpec.of(BUCKET));
    } else if (!target.equals("LSH")) { // LocalStorageHelper has no bucket calls: every bucket exists
      storage.create(BucketInfo.of(BUCKET));
    }
    // a target that loses or mangles the bytes would measure nothing worth having
    Names check = new Names();
    check.setUp(this);
    byte[] back = op(check);
    if (!Arrays.equals(back, body)) {
      throw new IllegalStateException(target + ": read back " + back.length + " bytes, not the " + body.length
          + " written");
    }
  }

  /** {@code fromEnvironment()} as a business unit calls it, refused when it is not the embedded default. */
  static Storage defaultWorld() {
    HybridStorageOptions options = HybridStorageOptions.fromEnvironment();
    if (!options.sites().keySet().equals(java.util.Set.of(HybridStorageOptions.GCP, HybridStorageOptions.DC1,
        HybridStorageOptions.DC2))) {
      throw new IllegalStateException("fromEnvironment() is not the embedded default world (sites "
          + options.sites().keySet() + "): unset HYBRID_STORAGE_CONFIG / -Dhybrid.storage.config");
    }
    return options.getService();
  }

  @TearDown
  public void tearDown() throws Exception {
    if (storage != null) {
      storage.close();
    }
    if (spi != null) {
      spi.close();
    }
  }

  /** Per thread: its own names, prepared outside the measurement, for every target alike. */
  @State(Scope.Thread)
  public static class Names {
    BlobInfo[] infos;
    BlobId[] ids;
    WriteRequest[] writes;
    ReadRequest[] reads;
    int next;

    @Setup
    public void setUp(EmbeddedWorldBenchmark b) {
      int thread = b.threads.getAndIncrement();
      infos = new BlobInfo[NAMES];
      ids = new BlobId[NAMES];
      writes = new WriteRequest[NAMES];
      reads = new ReadRequest[NAMES];
      for (int i = 0; i < NAMES; i++) {
        String name = "t" + thread + "/k" + i;
        ids[i] = BlobId.of(BUCKET, name);
        infos[i] = BlobInfo.newBuilder(ids[i]).build();
        writes[i] = WriteRequest.of(BUCKET, name).withExpectedSize(b.bodyBytes);
        reads[i] = ReadRequest.of(ObjectId.of(BUCKET, name));
      }
    }
  }

  byte[] op(Names n) {
    int i = n.next++ & (NAMES - 1);
    if (spi == null) {
      storage.create(n.infos[i], body);
      return storage.readAllBytes(n.ids[i]);
    }
    try {
      try (ObjectWriter writer = spi.openWrite(n.writes[i])) {
        ByteBuffer buffer = ByteBuffer.wrap(body);
        while (buffer.hasRemaining()) {
          writer.write(buffer);
        }
        writer.commit();
      }
      try (ObjectContent content = spi.read(n.reads[i])) {
        return content.stream().readAllBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Benchmark
  @Threads(1)
  public byte[] oneThread(Names n) {
    return op(n);
  }

  @Benchmark
  @Threads(2)
  public byte[] twoThreads(Names n) {
    return op(n);
  }
}
