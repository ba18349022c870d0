package io.hybridstorage.benchmarks;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.HybridStorage;
import io.hybridstorage.memory.InMemoryStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
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
 * One large object ({@code objectMiB}, 64 MiB) written through {@code Storage.writer(BlobInfo)} in
 * 1 MiB {@code write} calls and closed, one thread; one operation is the whole object, so MiB/s =
 * ops/s × {@code objectMiB} ({@code ResultsTable} does it). Targets: {@code LSH}, {@code
 * MEMORY_SITE} (the facade over one {@code InMemoryStore}), {@code THREE_SITE_WORLD} (the embedded
 * default, {@code fromEnvironment()}); anchors over the same bytes in the same 1 MiB slices: {@code
 * MD5} ({@code MessageDigest}, the floor of any write that returns an MD5), {@code CRC32C} ({@code
 * java.util.zip.CRC32C}) and {@code MD5_CRC32C} (both, one after the other, on one core).
 *
 * <p>Goals (issue 13), on MEMORY_SITE: {@code gc.alloc.rate.norm} (with {@code -prof gc}) ≤ 1.1 ×
 * the object; throughput ≥ 0.9 × MD5. The object is overwritten under one name, so a store holds
 * one copy at a time; THREE_SITE_WORLD keeps one per site.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class LargeWriterBenchmark {

  static final int CHUNK = 1 << 20;

  @Param({"LSH", "MEMORY_SITE", "THREE_SITE_WORLD", "MD5", "CRC32C", "MD5_CRC32C"})
  public String target;

  /** The object size in MiB, written in 1 MiB calls. */
  @Param({"64"})
  public int objectMiB;

  private Storage storage;
  private BlobInfo info;
  private ByteBuffer chunk;
  private MessageDigest md5;
  private CRC32C crc32c;

  @Setup
  public void setUp() throws NoSuchAlgorithmException {
    byte[] bytes = new byte[CHUNK];
    new Random(13).nextBytes(bytes);
    chunk = ByteBuffer.wrap(bytes);
    md5 = MessageDigest.getInstance("MD5");
    crc32c = new CRC32C();
    switch (target) {
      case "LSH" -> storage = Worlds.localStorageHelper();
      case "MEMORY_SITE" -> storage = HybridStorage.over(new InMemoryStore("m"));
      case "THREE_SITE_WORLD" -> storage = EmbeddedWorldBenchmark.defaultWorld();
      case "MD5", "CRC32C", "MD5_CRC32C" -> { }
      default -> throw new IllegalArgumentException("target " + target);
    }
    if (storage != null) {
      if (!target.equals("LSH")) { // LocalStorageHelper has no bucket calls: every bucket exists
        storage.create(BucketInfo.of("bench"));
      }
      info = BlobInfo.newBuilder("bench", "large").build();
    }
  }

  @TearDown
  public void tearDown() throws Exception {
    if (storage != null) {
      com.google.cloud.storage.Blob written = storage.get(info.getBlobId());
      long expected = (long) objectMiB * CHUNK;
      storage.close();
      if (written == null || written.getSize() != expected) {
        throw new IllegalStateException(target + ": the object is " + (written == null ? "missing" : written.getSize()
            + " bytes") + ", not " + expected);
      }
    }
  }

  @Benchmark
  public long write() throws IOException {
    return switch (target) {
      case "MD5" -> md5();
      case "CRC32C" -> crc32c();
      case "MD5_CRC32C" -> md5() ^ crc32c();
      default -> writer();
    };
  }

  private long writer() throws IOException {
    long written = 0;
    try (WriteChannel channel = storage.writer(info)) {
      for (int i = 0; i < objectMiB; i++) {
        chunk.clear();
        while (chunk.hasRemaining()) {
          written += channel.write(chunk);
        }
      }
    }
    return written;
  }

  private long md5() {
    for (int i = 0; i < objectMiB; i++) {
      chunk.clear();
      md5.update(chunk);
    }
    byte[] digest = md5.digest();
    return digest[0] | (long) digest[15] << 8;
  }

  private long crc32c() {
    crc32c.reset();
    for (int i = 0; i < objectMiB; i++) {
      chunk.clear();
      crc32c.update(chunk);
    }
    return crc32c.getValue();
  }
}
