package io.hybridstorage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.core.ApiFutures;
import com.google.api.core.SettableApiFuture;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BlobWriteSession;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobWriteOption;
import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The write path's one promise, checked against a recording {@code Storage}: GCS publishes an
 * upload only when its channel is closed, and only {@code commit()} closes it.
 */
class GcsObjectWriterTest {

  /** A Storage that records calls and hands out one recording BlobWriteSession. */
  private static final class Recording {
    final List<String> calls = new ArrayList<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    BlobInfo sessionInfo;
    List<BlobWriteOption> sessionOptions;
    int channelCloses;
    final SettableApiFuture<BlobInfo> result = SettableApiFuture.create();

    final Storage storage = (Storage) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Storage.class}, (proxy, method, args) -> {
          if (method.getName().equals("getOptions")) {
            return null; // asked once by GcsStore's constructor (can these credentials sign?)
          }
          calls.add(method.getName());
          if (method.getName().equals("blobWriteSession")) {
            sessionInfo = (BlobInfo) args[0];
            sessionOptions = List.of((BlobWriteOption[]) args[1]);
            return session();
          }
          throw new UnsupportedOperationException(method.getName());
        });

    private BlobWriteSession session() {
      return new BlobWriteSession() {
        @Override
        public WritableByteChannel open() {
          calls.add("open");
          return new WritableByteChannel() {
            boolean open = true;

            @Override
            public int write(ByteBuffer src) {
              int n = src.remaining();
              byte[] bytes = new byte[n];
              src.get(bytes);
              received.writeBytes(bytes);
              return n;
            }

            @Override
            public boolean isOpen() {
              return open;
            }

            @Override
            public void close() {
              channelCloses++;
              open = false;
              result.set(sessionInfo.toBuilder().setBlobId(
                  com.google.cloud.storage.BlobId.of(sessionInfo.getBucket(), sessionInfo.getName(), 42L)).build());
            }
          };
        }

        @Override
        public com.google.api.core.ApiFuture<BlobInfo> getResult() {
          return channelCloses == 0 ? ApiFutures.immediateFailedFuture(new IllegalStateException("not finalized"))
              : result;
        }
      };
    }
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static GcsStore store(Recording r, int limit) {
    return GcsStore.builder(r.storage).site("gcp").singleRequestLimit(limit).build();
  }

  @Test
  void abandoningAStreamingWriteNeverFinalizesTheUpload() throws Exception {
    Recording r = new Recording();
    ObjectWriter writer = store(r, 0).openWrite(WriteRequest.of("b", "o"));

    writer.write(bytes("hello"));
    writer.close();
    writer.close();

    assertThat(r.calls).containsExactly("blobWriteSession", "open");
    assertThat(r.received.toString(StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(r.channelCloses).isZero();
  }

  @Test
  void commitFinalizesOnceAndReportsTheVersionGcsCreated() throws Exception {
    Recording r = new Recording();
    WriteRequest request = WriteRequest.of("b", "o")
        .withMetadata(ObjectMetadata.ofContentType("text/plain").withCustom(Map.of("k", "v")))
        .withConditions(Conditions.doesNotExist());
    ObjectWriter writer = store(r, 0).openWrite(request);

    writer.write(bytes("hello "));
    writer.write(bytes("world"));
    ObjectInfo info = writer.commit();
    writer.close();

    assertThat(r.channelCloses).isEqualTo(1);
    assertThat(r.received.toString(StandardCharsets.UTF_8)).isEqualTo("hello world");
    assertThat(info.generation()).isEqualTo(42);
    assertThat(info.metadata().contentType()).isEqualTo("text/plain");
    assertThat(info.metadata().custom()).containsEntry("k", "v");
    assertThat(r.sessionOptions).containsExactly(BlobWriteOption.generationMatch(0));
    assertThatThrownBy(writer::commit).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aChecksumMismatchFailsWith400AndFinalizesNothing() throws Exception {
    Recording r = new Recording();
    String wrongCrc = Checksums.crc32c("other".getBytes(StandardCharsets.UTF_8));
    ObjectWriter writer = store(r, 0).openWrite(WriteRequest.of("b", "o").withCrc32c(wrongCrc));

    writer.write(bytes("hello"));

    assertThatThrownBy(writer::commit)
        .isInstanceOfSatisfying(HybridStorageException.class, e -> {
          assertThat(e.code()).isEqualTo(400);
          assertThat(e.getMessage()).startsWith("write gs://b/o on gcp: Provided CRC32C");
        });
    assertThat(r.channelCloses).isZero();
    // GCS is asked to verify too.
    assertThat(r.sessionOptions).contains(BlobWriteOption.crc32cMatch());
    assertThat(r.sessionInfo.getCrc32c()).isEqualTo(wrongCrc);
  }

  @Test
  void matchingClientChecksumsCommit() throws Exception {
    Recording r = new Recording();
    byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
    ObjectWriter writer = store(r, 0).openWrite(
        WriteRequest.of("b", "o").withCrc32c(Checksums.crc32c(data)).withMd5(Checksums.md5(data)));

    writer.write(ByteBuffer.wrap(data));

    assertThat(writer.commit().generation()).isEqualTo(42);
    assertThat(r.sessionOptions).contains(BlobWriteOption.crc32cMatch(), BlobWriteOption.md5Match());
  }

  @Test
  void aSmallWriteTalksToGcsOnlyAtCommit() throws Exception {
    Recording r = new Recording();
    ObjectWriter writer = store(r, 1024).openWrite(WriteRequest.of("b", "o"));

    writer.write(bytes("small"));
    writer.close();

    assertThat(r.calls).isEmpty();
  }

  @Test
  void aWriteOutgrowingTheBufferStreamsEverythingInOrder() throws Exception {
    Recording r = new Recording();
    ObjectWriter writer = store(r, 8).openWrite(WriteRequest.of("b", "o"));

    writer.write(bytes("12345"));
    assertThat(r.calls).isEmpty();
    writer.write(bytes("6789abcdef"));
    writer.write(bytes("XYZ"));

    assertThat(r.calls).containsExactly("blobWriteSession", "open");
    assertThat(r.received.toString(StandardCharsets.UTF_8)).isEqualTo("123456789abcdefXYZ");
    assertThat(writer.commit().size()).isZero(); // the recording session reports no size
    assertThat(r.channelCloses).isEqualTo(1);
  }

  @Test
  void writingAfterCloseFails() {
    Recording r = new Recording();
    ObjectWriter writer = store(r, 1024).openWrite(WriteRequest.of("b", "o"));

    writer.close();

    assertThat(writer.isOpen()).isFalse();
    assertThatThrownBy(() -> writer.write(bytes("x"))).isInstanceOf(ClosedChannelException.class);
  }

  @Test
  void aCallerAssignedGenerationIsRejectedWith501NamingOperationAndSite() {
    Recording r = new Recording();
    GcsStore store = store(r, 1024);

    assertThatThrownBy(() -> store.openWrite(WriteRequest.of("b", "o").withGeneration(7)))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> {
          assertThat(e.code()).isEqualTo(501);
          assertThat(e.site()).isEqualTo("gcp");
          assertThat(e.operation()).isEqualTo("write");
          assertThat(e.getMessage()).contains("write gs://b/o on gcp", "caller-assigned generation (7)");
        });
    assertThat(store.capabilities()).doesNotContain(io.hybridstorage.api.Capability.ASSIGNED_GENERATIONS);
    assertThat(r.calls).isEmpty();
  }
}
