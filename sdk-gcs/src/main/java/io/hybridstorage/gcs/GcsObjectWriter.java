package io.hybridstorage.gcs;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BlobWriteSession;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobWriteOption;
import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming write to GCS that publishes nothing before {@link #commit()}.
 *
 * <p>How "nothing visible before commit" holds:
 *
 * <ul>
 *   <li>The first {@code singleRequestLimit} bytes are buffered here. An object that fits is
 *       sent at commit in one request ({@code Storage.create(BlobInfo, byte[], ...)}): before
 *       that, GCS has not heard of it.
 *   <li>A larger object streams through a {@link BlobWriteSession} (a resumable upload): chunks
 *       go to GCS as the client's buffer fills, but GCS publishes the object only when the
 *       session is finalized, which happens in {@code channel.close()} — called by {@link
 *       #commit()} only. {@link #close()} without commit drops the channel <em>without closing
 *       it</em>, so the upload is never finalized.
 * </ul>
 *
 * <p>Limits of abandoning: the GCS client offers no public call to cancel a resumable session,
 * so an abandoned large upload stays as an unfinalized session on GCS (invisible to reads and
 * lists, not billed as an object) until GCS expires it (after a week); the client's chunk buffer
 * is freed by the garbage collector. A {@code Storage} configured with a {@code
 * BlobWriteSessionConfig} that makes parts visible (parallel composite uploads) would break this
 * guarantee: {@link GcsStoreProvider} always builds the default (resumable) configuration.
 *
 * <p>The declared size ({@link WriteRequest#expectedSize()}) and client checksums are verified here, over the bytes that passed, before anything is
 * published (400 on mismatch, and nothing is finalized). They are also sent to GCS ({@code
 * crc32cMatch}/{@code md5Match}), which verifies them again against the bytes it received.
 * Preconditions are sent with the upload and decided by GCS atomically with the publish (412).
 */
final class GcsObjectWriter implements ObjectWriter {

  private static final Logger log = LoggerFactory.getLogger(GcsObjectWriter.class);

  private final GcsStore store;
  private final Storage storage;
  private final WriteRequest request;
  private final int singleRequestLimit;
  private final Checksums checksums = new Checksums();

  private byte[] buffer = new byte[0];
  private int buffered;
  private BlobWriteSession session;
  private WritableByteChannel channel;
  private boolean done;

  GcsObjectWriter(GcsStore store, Storage storage, WriteRequest request, int singleRequestLimit) {
    this.store = store;
    this.storage = storage;
    this.request = request;
    this.singleRequestLimit = singleRequestLimit;
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
    if (done) {
      throw new ClosedChannelException();
    }
    int n = source.remaining();
    try {
      request.checkWritable(checksums.size() + n, store.site());
    } catch (RuntimeException e) {
      close(); // a write past the declared size ends the write, as on GCS: nothing is finalized
      throw e;
    }
    checksums.update(source);
    if (channel == null && fitsInOneRequest(buffered + (long) n)) {
      ensureCapacity(buffered + n);
      source.get(buffer, buffered, n);
      buffered += n;
      return n;
    }
    if (channel == null) {
      startSession();
    }
    while (source.hasRemaining()) {
      int written = GcsErrors.call("write", request.bucket(), request.name(), store.site(),
          () -> channel.write(source));
      if (written == 0) {
        Thread.onSpinWait();
      }
    }
    return n;
  }

  private boolean fitsInOneRequest(long size) {
    return singleRequestLimit > 0 && size <= singleRequestLimit;
  }

  private void ensureCapacity(int needed) {
    if (needed > buffer.length) {
      int grown = (int) Math.min(singleRequestLimit, Math.max(needed, Math.max(8192L, buffer.length * 2L)));
      buffer = Arrays.copyOf(buffer, grown);
    }
  }

  private void startSession() throws IOException {
    BlobInfo info = target().build();
    List<BlobWriteOption> options = new ArrayList<>(List.of(GcsConversions.writeOptions(request.conditions())));
    if (request.crc32c() != null) {
      options.add(BlobWriteOption.crc32cMatch());
    }
    if (request.md5() != null) {
      options.add(BlobWriteOption.md5Match());
    }
    session = GcsErrors.call("write", request.bucket(), request.name(), store.site(),
        () -> storage.blobWriteSession(info, options.toArray(BlobWriteOption[]::new)));
    channel = GcsErrors.call("write", request.bucket(), request.name(), store.site(), session::open);
    ByteBuffer pending = ByteBuffer.wrap(buffer, 0, buffered);
    while (pending.hasRemaining()) {
      channel.write(pending);
    }
    buffer = new byte[0];
    buffered = 0;
  }

  private BlobInfo.Builder target() {
    BlobInfo.Builder b = GcsConversions.blobInfo(BlobId.of(request.bucket(), request.name()), request.metadata());
    if (request.crc32c() != null) {
      b.setCrc32c(request.crc32c());
    }
    if (request.md5() != null) {
      b.setMd5(request.md5());
    }
    return b;
  }

  @Override
  public ObjectInfo commit() throws IOException {
    if (done) {
      throw new IllegalStateException("write gs://" + request.bucket() + "/" + request.name()
          + " on " + store.site() + ": already committed or closed");
    }
    done = true;
    String[] sums = checksums.finish();
    // 400 here publishes nothing: the upload is not finalized.
    request.verify(checksums.size(), sums[0], sums[1], store.site());
    BlobInfo result;
    if (channel == null && singleRequestLimit > 0) {
      byte[] content = buffered == buffer.length ? buffer : Arrays.copyOf(buffer, buffered);
      buffer = null;
      BlobInfo info = target().build();
      result = GcsErrors.call("write", request.bucket(), request.name(), store.site(),
          () -> storage.create(info, content, GcsConversions.targetOptions(request.conditions())));
    } else {
      if (channel == null) {
        startSession();
      }
      GcsErrors.call("write", request.bucket(), request.name(), store.site(), () -> {
        channel.close();
        return null;
      });
      result = GcsErrors.call("write", request.bucket(), request.name(), store.site(),
          () -> session.getResult().get());
    }
    return GcsConversions.objectInfo(result);
  }

  @Override
  public boolean isOpen() {
    return !done;
  }

  /** Abandons the write unless committed: the resumable session (if any) is never finalized. */
  @Override
  public void close() {
    if (!done) {
      done = true;
      if (channel != null) {
        log.debug("write gs://{}/{} on {} abandoned: its resumable upload is left unfinalized",
            request.bucket(), request.name(), store.site());
      }
    }
    buffer = null;
    channel = null;
    session = null;
  }
}
