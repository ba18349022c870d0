package io.hybridstorage.vast;

import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A 256 MiB upload and download through {@link VastStore}, against the AWS SDK called directly
 * (one streamed PutObject, one GetObject) on the same S3Mock, a java process of its own started
 * by the benchmark's fork (see {@code S3MockProcess} in sdk-vast-tests; the s3mock-runner module
 * must be built, which {@code -am} does): the baseline shows what the store adds (HEADs,
 * multipart, checksums), never absolute S3Mock speed. Each operation is seconds long, so
 * single-shot timing. Run (nothing is installed in ~/.m2):
 *
 * <pre>
 * mvn -pl benchmarks -am package dependency:build-classpath -Dmdep.outputFile=target/cp.txt -DskipTests
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) org.openjdk.jmh.Main VastStoreBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class VastStoreBenchmark {

  static final long SIZE = 256L * 1024 * 1024;
  static final int PART = 16 * 1024 * 1024;

  private VastStore store;
  private S3Client direct;
  private String bucket;
  private String knownCrc32c;
  private byte[] content;
  private com.google.cloud.storage.Storage facade;
  private java.util.concurrent.ExecutorService pool;

  /** {@code size} bytes cycling over one random 1 MiB block: no allocation per operation. */
  static final class Generated extends InputStream {
    private static final byte[] BLOCK = new byte[1 << 20];

    static {
      new Random(7).nextBytes(BLOCK);
    }

    private final long size;
    private long position;

    Generated(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      return position < size ? BLOCK[(int) (position++ & (BLOCK.length - 1))] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= size) {
        return -1;
      }
      int start = (int) (position & (BLOCK.length - 1));
      int n = (int) Math.min(Math.min(len, size - position), BLOCK.length - start);
      System.arraycopy(BLOCK, start, b, off, n);
      position += n;
      return n;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    store = VastStore.create(VastTestSupport.config(S3MockServer.endpoint())
        .partSize(PART).multipartThreshold(PART).uploadParallelism(4).build());
    direct = VastTestSupport.rawClient(S3MockServer.endpoint());
    pool = java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "bench-part");
      t.setDaemon(true);
      return t;
    });
    bucket = VastTestSupport.newBucket(store, "bench");
    Checksums sums = new Checksums();
    byte[] chunk = new byte[1 << 20];
    try (InputStream in = new Generated(SIZE)) {
      int n;
      while ((n = in.read(chunk)) >= 0) {
        sums.update(chunk, 0, n);
      }
    }
    knownCrc32c = sums.finish()[0];
    content = new Generated(SIZE).readAllBytes();
    facade = io.hybridstorage.api.internal.StorageFacade.over(store, null, "bench");
    store.write(WriteRequest.of(bucket, "read-vast"), new Generated(SIZE));
    direct.putObject(b -> b.bucket(bucket).key("read-direct"),
        RequestBody.fromContentProvider(() -> new Generated(SIZE), SIZE, "application/octet-stream"));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    for (String key : new String[] {"read-vast", "read-direct", "up-vast", "up-vast-crc", "up-vast-declared", "up-facade", "up-direct", "up-direct-mpu", "up-direct-pmpu"}) {
      direct.deleteObject(b -> b.bucket(bucket).key(key));
    }
    store.deleteBucket(bucket);
    facade.close();
    store.close();
    direct.close();
    pool.shutdownNow();
  }

  @Benchmark
  public long uploadDirect() {
    return direct.putObject(b -> b.bucket(bucket).key("up-direct"),
        RequestBody.fromContentProvider(() -> new Generated(SIZE), SIZE, "application/octet-stream"))
        .eTag().length();
  }

  /**
   * The SDK's own multipart upload with the same 16 MiB parts (sequential, as a plain SDK caller
   * streaming an unknown length would write it): separates what S3Mock's multipart costs (it
   * concatenates the parts at completion) from what the store adds.
   */
  @Benchmark
  public long uploadDirectMultipart() throws IOException {
    String id = direct.createMultipartUpload(b -> b.bucket(bucket).key("up-direct-mpu")).uploadId();
    java.util.List<software.amazon.awssdk.services.s3.model.CompletedPart> parts = new java.util.ArrayList<>();
    try (InputStream in = new Generated(SIZE)) {
      byte[] part = new byte[PART];
      for (int number = 1; ; number++) {
        int n = in.readNBytes(part, 0, PART);
        if (n == 0) {
          break;
        }
        int partNumber = number;
        String etag = direct.uploadPart(b -> b.bucket(bucket).key("up-direct-mpu").uploadId(id)
            .partNumber(partNumber), RequestBody.fromContentProvider(
                () -> new java.io.ByteArrayInputStream(part, 0, n), n, "application/octet-stream")).eTag();
        parts.add(software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(partNumber)
            .eTag(etag).build());
      }
    }
    return direct.completeMultipartUpload(b -> b.bucket(bucket).key("up-direct-mpu").uploadId(id)
        .multipartUpload(m -> m.parts(parts))).eTag().length();
  }

  /**
   * The SDK's multipart upload as the store does it: 16 MiB parts, 4 in flight while the next is
   * read, then CompleteMultipartUpload; no checksums, no HEADs. The gap between this and {@link
   * #uploadDirect} is S3Mock's multipart cost (its completion rewrites the whole object); the gap
   * between {@link #uploadVastKnownCrc32c} and this is what the store adds.
   */
  @Benchmark
  public long uploadDirectParallelMultipart() throws Exception {
    String key = "up-direct-pmpu";
    String id = direct.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    java.util.List<java.util.concurrent.Future<software.amazon.awssdk.services.s3.model.CompletedPart>> parts =
        new java.util.ArrayList<>();
    java.util.concurrent.ArrayBlockingQueue<byte[]> free = new java.util.concurrent.ArrayBlockingQueue<>(4);
    for (int i = 0; i < 4; i++) {
      free.add(new byte[PART]);
    }
    try (InputStream in = new Generated(SIZE)) {
      for (int number = 1; ; number++) {
        byte[] part = free.take();
        int n = in.readNBytes(part, 0, PART);
        if (n == 0) {
          break;
        }
        int partNumber = number;
        parts.add(pool.submit(() -> {
          try {
            String etag = direct.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(partNumber),
                RequestBody.fromContentProvider(() -> new java.io.ByteArrayInputStream(part, 0, n), n,
                    "application/octet-stream")).eTag();
            return software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(partNumber)
                .eTag(etag).build();
          } finally {
            free.add(part);
          }
        }));
      }
    }
    java.util.List<software.amazon.awssdk.services.s3.model.CompletedPart> done = new java.util.ArrayList<>();
    for (var f : parts) {
      done.add(f.get());
    }
    return direct.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id)
        .multipartUpload(m -> m.parts(done))).eTag().length();
  }

  /** The default path: the CRC32C is computed on the way and recorded after completion (a server-side copy). */
  @Benchmark
  public long uploadVast() {
    return store.write(WriteRequest.of(bucket, "up-vast"), new Generated(SIZE)).size();
  }

  /** The replication path: the caller gives the CRC32C, so it is verified and recorded up front. */
  @Benchmark
  public long uploadVastKnownCrc32c() {
    return store.write(WriteRequest.of(bucket, "up-vast-crc").withCrc32c(knownCrc32c), new Generated(SIZE)).size();
  }

  /**
   * A write that declares its size and CRC32C (what the facade's {@code create(BlobInfo, byte[])}
   * and replication send): one PutObject streamed while the caller writes, as {@link #uploadDirect}.
   */
  @Benchmark
  public long uploadVastDeclared() {
    return store.write(WriteRequest.of(bucket, "up-vast-declared").withExpectedSize(SIZE).withCrc32c(knownCrc32c),
        new Generated(SIZE)).size();
  }

  /**
   * A business unit's call: {@code Storage.create(BlobInfo, byte[])} on the drop-in facade over
   * VastStore, which computes the CRC32C of the bytes and declares their size (all inside the
   * measurement).
   */
  @Benchmark
  public long uploadFacadeCreateBytes() {
    return facade.create(com.google.cloud.storage.BlobInfo.newBuilder(bucket, "up-facade").build(), content)
        .getSize();
  }

  @Benchmark
  public long downloadDirect() throws IOException {
    try (ResponseInputStream<GetObjectResponse> in = direct.getObject(b -> b.bucket(bucket).key("read-direct"))) {
      return in.transferTo(OutputStream.nullOutputStream());
    }
  }

  @Benchmark
  public long downloadVast() throws IOException {
    try (ObjectContent c = store.read(ReadRequest.of(ObjectId.of(bucket, "read-vast")))) {
      return c.stream().transferTo(OutputStream.nullOutputStream());
    }
  }
}
