package io.hybridstorage.vast;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * 1 GiB generated on the fly (never held in memory) streamed through VastStore into S3Mock and
 * back, in a JVM of {@code -Xmx256m} (its own Surefire execution, see the pom), once as a multipart
 * upload and once, with its size declared, as one streamed PutObject: the upload's heap is bounded
 * by {@code partSize × uploadParallelism} whatever the object size, and the CRC32C round-trips.
 */
@Tag("large")
class VastStoreLargeUploadTest {

  private static final long SIZE = 1024L * 1024 * 1024;
  private static final long PART = 8L * 1024 * 1024;

  /** Deterministic pseudo-random bytes: a random 1 MiB block, each pass XORed with its index. */
  static final class Generated extends InputStream {
    private final byte[] block = new byte[1 << 20];
    private final long size;
    private final CRC32C crc = new CRC32C();
    private long position;

    Generated(long size, long seed) {
      this.size = size;
      new Random(seed).nextBytes(block);
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - position);
      for (int i = 0; i < n; i++) {
        long p = position + i;
        b[off + i] = (byte) (block[(int) (p & (block.length - 1))] ^ (p >>> 20));
      }
      crc.update(b, off, n);
      position += n;
      return n;
    }

    String crc32c() {
      return Checksums.crc32cBase64(com.google.common.hash.HashCode.fromInt((int) crc.getValue()));
    }
  }

  @Test
  void oneGibStreamsThroughBoundedHeapAndTheCrc32cRoundTrips() throws Exception {
    // a multipart upload: the size is not declared
    roundTrip("big", crc32c -> WriteRequest.of("unused", "big").withCrc32c(crc32c));
  }

  @Test
  void aDeclaredGibStreamsAsOnePutThroughBoundedHeap() throws Exception {
    // one streamed PutObject: the size is declared (and within singlePutLimit, 1 GiB by default)
    roundTrip("declared", crc32c -> WriteRequest.of("unused", "declared").withCrc32c(crc32c).withExpectedSize(SIZE));
  }

  private void roundTrip(String name, java.util.function.Function<String, WriteRequest> request) throws Exception {
    long maxHeap = Runtime.getRuntime().maxMemory();
    assertThat(maxHeap).as("run in the -Xmx256m execution").isLessThanOrEqualTo(300L * 1024 * 1024);
    // S3Mock concatenates and hashes the parts of a 1 GiB completion for tens of seconds here
    VastStoreConfig config = VastTestSupport.config(S3MockServer.endpoint()).socketTimeout(Duration.ofMinutes(3))
        .partSize(PART).multipartThreshold(PART).uploadParallelism(4).build();
    assertThat(config.singlePutLimit()).isGreaterThanOrEqualTo(SIZE);
    String bucket = VastTestSupport.bucketName("large");
    try (VastStore store = VastStore.create(config);
        S3Client raw = VastTestSupport.rawClient(S3MockServer.endpoint())) {
      store.createBucket(BucketSpec.of(bucket));
      // a replicating caller knows the CRC32C up front (so no copy adds it after completion,
      // which would copy the whole GiB again inside S3Mock); the store still verifies it
      Generated first = new Generated(SIZE, 42);
      first.transferTo(OutputStream.nullOutputStream());
      resetPeaks();
      Generated data = new Generated(SIZE, 42);
      WriteRequest base = request.apply(first.crc32c());
      ObjectInfo info = store.write(new WriteRequest(bucket, name, base.metadata(), base.conditions(), base.crc32c(),
          base.md5(), base.generation(), base.expectedSize()), data);
      long peakAfterGc = peakUsedAfterGc();

      assertThat(info.size()).isEqualTo(SIZE);
      assertThat(info.crc32c()).isEqualTo(data.crc32c());
      assertThat(store.head(ObjectId.of(bucket, name), Conditions.none()).orElseThrow().crc32c())
          .isEqualTo(data.crc32c());
      assertThat(raw.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
      // parts in flight: 4 × 8 MiB (a declared PUT: one 8 MiB pipe), plus the SDK and the test;
      // S3Mock runs in its own JVM (S3MockProcess), so none of its heap counts here (measured:
      // 19-37 MiB)
      assertThat(peakAfterGc).as("peak heap used after GC").isLessThan(96L * 1024 * 1024);

      CRC32C back = new CRC32C();
      long read = 0;
      try (ObjectContent c = store.read(ReadRequest.of(ObjectId.of(bucket, name)))) {
        byte[] chunk = new byte[1 << 20];
        int n;
        while ((n = c.stream().read(chunk)) >= 0) {
          back.update(chunk, 0, n);
          read += n;
        }
      }
      assertThat(read).isEqualTo(SIZE);
      assertThat(Checksums.crc32cBase64(com.google.common.hash.HashCode.fromInt((int) back.getValue())))
          .isEqualTo(data.crc32c());
    } finally {
      try (VastStore cleanup = VastStore.create(config)) {
        cleanup.delete(ObjectId.of(bucket, name), Conditions.none());
        cleanup.deleteBucket(bucket);
      }
    }
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The largest heap in use right after a collection, summed over pools, since {@link #resetPeaks}. */
  private static long peakUsedAfterGc() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
        sum += pool.getCollectionUsage().getUsed();
      }
    }
    return sum;
  }
}
