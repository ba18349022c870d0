package io.hybridstorage.facade;

import static io.hybridstorage.facade.World.BUCKET;
import static io.hybridstorage.facade.World.bytes;
import static io.hybridstorage.facade.World.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BlobWriteSession;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reader} and {@code writer}: ranges, laziness, streaming, failures. */
class StreamsTest {

  private static final String DIGITS = "0123456789abcdefghij";

  private final World world = new World();
  private final Storage storage = world.storage;

  StreamsTest() {
    storage.create(BlobInfo.newBuilder(BUCKET, "digits").build(), bytes(DIGITS));
  }

  private static String readAll(ReadChannel reader, int bufferSize) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(bufferSize);
    while (reader.read(buffer) >= 0) {
      buffer.flip();
      out.write(buffer.array(), 0, buffer.limit());
      buffer.clear();
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void readerSeeksAndLimits() throws Exception {
    try (ReadChannel reader = storage.reader(BUCKET, "digits")) {
      reader.seek(5);
      reader.limit(12);
      assertThat(reader.limit()).isEqualTo(12);
      assertThat(readAll(reader, 4)).isEqualTo("56789ab");
      reader.seek(2);
      assertThat(readAll(reader, 3)).as("seek after end-of-range reopens").isEqualTo("23456789ab");
      reader.limit(Long.MAX_VALUE);
      reader.seek(18);
      assertThat(readAll(reader, 64)).isEqualTo("ij");
      reader.seek(100);
      assertThat(reader.read(ByteBuffer.allocate(4))).as("past the end, as the client: -1").isEqualTo(-1);
    }
    try (ReadChannel reader = storage.reader(BlobId.of(BUCKET, "digits"))) {
      reader.seek(-3);
      assertThat(readAll(reader, 2)).as("a negative seek reads the tail").isEqualTo("hij");
    }
    try (ReadChannel reader = storage.reader(BUCKET, "digits")) {
      reader.limit(0);
      assertThat(reader.read(ByteBuffer.allocate(4))).isEqualTo(-1);
    }
  }

  @Test
  void readerChunkSizeAndDirectBuffers() throws Exception {
    try (ReadChannel reader = storage.reader(BUCKET, "digits")) {
      reader.setChunkSize(3);
      ByteBuffer direct = ByteBuffer.allocateDirect(7);
      assertThat(reader.read(direct)).isPositive();
      reader.setChunkSize(1024);
      StringBuilder rest = new StringBuilder();
      direct.flip();
      while (direct.hasRemaining()) {
        rest.append((char) direct.get());
      }
      rest.append(readAll(reader, 5));
      assertThat(rest.toString()).isEqualTo(DIGITS);
    }
  }

  @Test
  void readerKeepsTheGenerationItFirstOpened() throws Exception {
    try (ReadChannel reader = storage.reader(BUCKET, "digits")) {
      ByteBuffer first = ByteBuffer.allocate(5);
      reader.read(first);
      storage.create(BlobInfo.newBuilder(BUCKET, "digits").build(), bytes("XXXXXXXXXXXXXXXXXXXX"));
      reader.seek(10);
      assertThat(readAll(reader, 4)).isEqualTo("abcdefghij");
      ReadChannel restored = reader.capture().restore();
      restored.seek(0);
      assertThat(readAll(restored, 8)).as("a captured reader too").isEqualTo(DIGITS);
    }
  }

  @Test
  void readerIsLazyAndStreams() throws Exception {
    AtomicLong pulled = new AtomicLong();
    List<String> calls = new ArrayList<>();
    ObjectStore store = Stores.recording(endless(pulled), calls);
    Storage lazy = World.over(store);
    try (ReadChannel reader = lazy.reader(BUCKET, "huge")) {
      assertThat(calls).as("nothing requested before the first read").doesNotContain("read");
      reader.setChunkSize(64 * 1024);
      assertThat(reader.read(ByteBuffer.allocate(10))).isEqualTo(10);
      assertThat(pulled.get()).as("one chunk pulled, not the object").isLessThanOrEqualTo(64 * 1024);
    }
  }

  @Test
  void readerOnAMissingObjectFailsOnFirstReadAsTheClient() {
    ReadChannel reader = storage.reader(BUCKET, "nope");
    IOException e = catchThrowableOfType(IOException.class, () -> reader.read(ByteBuffer.allocate(4)));
    assertThat(e.getCause()).isInstanceOfSatisfying(StorageException.class, cause -> {
      assertThat(cause.getCode()).isEqualTo(404);
      assertThat(cause.getMessage()).contains("gs://bkt/nope", "mem");
    });
  }

  @Test
  void readerPreconditionsAndRawGzip() throws Exception {
    long generation = storage.get(BUCKET, "digits").getGeneration();
    ReadChannel wrong = storage.reader(BlobId.of(BUCKET, "digits"), BlobSourceOption.generationMatch(generation + 1));
    IOException e = catchThrowableOfType(IOException.class, () -> wrong.read(ByteBuffer.allocate(4)));
    assertThat(((StorageException) e.getCause()).getCode()).isEqualTo(412);

    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      gz.write(bytes("compressed text"));
    }
    storage.create(BlobInfo.newBuilder(BUCKET, "z.txt").setContentEncoding("gzip").build(), zipped.toByteArray());
    assertThat(text(storage.readAllBytes(BUCKET, "z.txt"))).as("decompressed, as the client does")
        .isEqualTo("compressed text");
    assertThat(storage.readAllBytes(BUCKET, "z.txt", BlobSourceOption.shouldReturnRawInputStream(true)))
        .isEqualTo(zipped.toByteArray());
    try (ReadChannel reader = storage.reader(BUCKET, "z.txt")) {
      assertThat(readAll(reader, 4)).isEqualTo("compressed text");
    }
  }

  @Test
  void writerCommitsOnCloseWithPreconditions() throws Exception {
    BlobInfo info = BlobInfo.newBuilder(BUCKET, "written").setContentType("text/plain").build();
    try (WriteChannel writer = storage.writer(info, BlobWriteOption.doesNotExist())) {
      writer.setChunkSize(256 * 1024);
      writer.write(ByteBuffer.wrap(bytes("part one, ")));
      assertThat(storage.get(BUCKET, "written")).as("invisible until close").isNull();
      writer.write(ByteBuffer.wrap(bytes("part two")));
    }
    Blob blob = storage.get(BUCKET, "written");
    assertThat(text(blob.getContent())).isEqualTo("part one, part two");
    assertThat(blob.getContentType()).isEqualTo("text/plain");

    WriteChannel again = storage.writer(info, BlobWriteOption.doesNotExist());
    again.write(ByteBuffer.wrap(bytes("lost")));
    StorageException e = catchThrowableOfType(StorageException.class, again::close);
    assertThat(e.getCode()).isEqualTo(412);
    assertThat(again.isOpen()).isFalse();
    assertThat(text(storage.readAllBytes(BUCKET, "written"))).isEqualTo("part one, part two");
  }

  @Test
  void writerVerifiesClientChecksumsOnlyWhenAsked() throws Exception {
    BlobInfo wrong = BlobInfo.newBuilder(BUCKET, "checked").setCrc32c(Checksums.crc32c(bytes("other"))).build();
    WriteChannel checked = storage.writer(wrong, BlobWriteOption.crc32cMatch());
    checked.write(ByteBuffer.wrap(bytes("content")));
    StorageException e = catchThrowableOfType(StorageException.class, checked::close);
    assertThat(e.getCode()).isEqualTo(400);
    assertThat(e.getMessage()).contains("CRC32C");
    assertThat(storage.get(BUCKET, "checked")).isNull();

    try (WriteChannel unchecked = storage.writer(wrong)) {
      unchecked.write(ByteBuffer.wrap(bytes("content")));
    }
    assertThat(storage.get(BUCKET, "checked").getCrc32c()).isEqualTo(Checksums.crc32c(bytes("content")));

    BlobInfo right = BlobInfo.newBuilder(BUCKET, "md5").setMd5(Checksums.md5(bytes("content"))).build();
    try (WriteChannel md5 = storage.writer(right, BlobWriteOption.md5Match())) {
      md5.write(ByteBuffer.wrap(bytes("content")));
    }
    assertThat(storage.get(BUCKET, "md5").getMd5()).isEqualTo(Checksums.md5(bytes("content")));
  }

  @Test
  void createFromFilesAndStreamsAndDownloadTo(@TempDir Path temp) throws Exception {
    Path file = temp.resolve("in.bin");
    byte[] data = new byte[700_000];
    new java.util.Random(7).nextBytes(data);
    Files.write(file, data);
    Blob fromFile = storage.createFrom(BlobInfo.newBuilder(BUCKET, "from-file").build(), file, 4096);
    assertThat(fromFile.getSize()).isEqualTo(data.length);
    assertThat(fromFile.getContentType()).as("GCS's default").isEqualTo("application/octet-stream");
    Blob fromStream = storage.createFrom(BlobInfo.newBuilder(BUCKET, "from-stream").build(),
        Files.newInputStream(file), BlobWriteOption.doesNotExist());
    assertThat(fromStream.getCrc32c()).isEqualTo(fromFile.getCrc32c());
    Path out = temp.resolve("out.bin");
    storage.downloadTo(BlobId.of(BUCKET, "from-stream"), out);
    assertThat(Files.readAllBytes(out)).isEqualTo(data);
    StorageException dir = catchThrowableOfType(StorageException.class,
        () -> storage.createFrom(BlobInfo.newBuilder(BUCKET, "d").build(), temp));
    assertThat(dir.getMessage()).contains("is a directory");
    StorageException missing = catchThrowableOfType(StorageException.class,
        () -> storage.downloadTo(BlobId.of(BUCKET, "nope"), new ByteArrayOutputStream()));
    assertThat(missing.getCode()).isEqualTo(404);
  }

  @Test
  void aFailingSourcePublishesNothing() {
    InputStream broken = new InputStream() {
      private int left = 1000;

      @Override
      public int read() throws IOException {
        if (left <= 0) {
          throw new IOException("source broke");
        }
        left--;
        return 'x';
      }
    };
    IOException e = catchThrowableOfType(IOException.class,
        () -> storage.createFrom(BlobInfo.newBuilder(BUCKET, "half").build(), broken));
    assertThat(e).hasMessage("source broke");
    assertThat(storage.get(BUCKET, "half")).isNull();
  }

  @Test
  void blobWriteSessionResolvesToTheObject() throws Exception {
    BlobWriteSession session = storage.blobWriteSession(BlobInfo.newBuilder(BUCKET, "session").build());
    try (WritableByteChannel channel = session.open()) {
      Channels.newOutputStream(channel).write(bytes("via session"));
    }
    assertThat(session.getResult().get().getSize()).isEqualTo(11L);
    assertThat(text(storage.readAllBytes(BUCKET, "session"))).isEqualTo("via session");
  }

  /**
   * 256 MiB through {@code writer()} into a store that only counts bytes: the heap retained while
   * streaming (measured after GC at three points mid-stream) stays far below the object's size.
   */
  @Test
  void writerStreams256MiBInSmallHeap() throws Exception {
    long total = 256L * 1024 * 1024;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    List<Long> retained = new ArrayList<>();
    AtomicLong counted = new AtomicLong();
    Storage counting = World.over(countingStore(counted));
    System.gc();
    long baseline = memory.getHeapMemoryUsage().getUsed();
    byte[] chunk = new byte[1024 * 1024];
    new java.util.Random(1).nextBytes(chunk);
    try (WriteChannel writer = counting.writer(BlobInfo.newBuilder(BUCKET, "big").build())) {
      for (long written = 0; written < total; written += chunk.length) {
        writer.write(ByteBuffer.wrap(chunk));
        if (written % (64L * 1024 * 1024) == 0 && written > 0) {
          System.gc();
          retained.add(memory.getHeapMemoryUsage().getUsed() - baseline);
        }
      }
    }
    assertThat(counted.get()).isEqualTo(total);
    assertThat(retained).hasSize(3).allSatisfy(bytes ->
        assertThat(bytes).as("heap retained mid-stream").isLessThan(64L * 1024 * 1024));
  }

  /** A store that reads an endless stream of zeros for any object and counts what is pulled. */
  private static ObjectStore endless(AtomicLong pulled) {
    ObjectInfo info = new ObjectInfo(BUCKET, "huge", 1, 1, Long.MAX_VALUE / 2, null, null, null,
        ObjectMetadata.empty(), null, null, null, 0);
    return stubStore("endless", (method, args) -> {
      if (method.equals("read")) {
        ReadRequest request = (ReadRequest) args[0];
        assertThat(request.id().name()).isEqualTo("huge");
        return ObjectContent.of(info, new InputStream() {
          @Override
          public int read() {
            pulled.incrementAndGet();
            return 0;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            pulled.addAndGet(len);
            java.util.Arrays.fill(b, off, off + len, (byte) 0);
            return len;
          }
        });
      }
      throw HybridStorageException.unsupported(method, null, null, "endless");
    });
  }

  /** A store whose writes only count bytes. */
  private static ObjectStore countingStore(AtomicLong counted) {
    return stubStore("counting", (method, args) -> {
      if (!method.equals("openWrite")) {
        throw HybridStorageException.unsupported(method, null, null, "counting");
      }
      WriteRequest request = (WriteRequest) args[0];
      return new ObjectWriter() {
        private boolean open = true;

        @Override
        public int write(ByteBuffer source) {
          int n = source.remaining();
          source.position(source.limit());
          counted.addAndGet(n);
          return n;
        }

        @Override
        public ObjectInfo commit() {
          return new ObjectInfo(request.bucket(), request.name(), 1, 1, counted.get(), null, null, null,
              request.metadata(), null, null, null, 0);
        }

        @Override
        public boolean isOpen() {
          return open;
        }

        @Override
        public void close() {
          open = false;
        }
      };
    });
  }

  private static ObjectStore stubStore(String site, java.util.function.BiFunction<String, Object[], Object> calls) {
    return (ObjectStore) Proxy.newProxyInstance(ObjectStore.class.getClassLoader(), new Class<?>[] {ObjectStore.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "site":
              return site;
            case "capabilities":
              return Set.<Capability>of();
            case "close":
              return null;
            case "toString":
              return site;
            case "hashCode":
              return 0;
            case "equals":
              return proxy == args[0];
            default:
              return calls.apply(method.getName(), args);
          }
        });
  }
}
