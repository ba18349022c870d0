package io.hybridstorage.vast;

import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import javax.annotation.Nullable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * A write whose size the caller declared ({@link WriteRequest#expectedSize()}): one PutObject
 * with that Content-Length, whose body streams to the server while the caller writes. A thread of
 * the store sends the request (the HEAD, the preconditions and the PUT, under {@link
 * VastStore#publish}); the caller's bytes reach it through a {@link ChunkPipe} of at most {@code
 * partSize} bytes, which holds back the last chunk until {@link #commit()} has checked the size
 * and the caller's checksums. A failed check, a failed request or {@link #close()} without commit
 * tears the body, so the server never completes the PUT and nothing becomes visible.
 *
 * <p>The preconditions are decided when the first bytes are written rather than at commit (held
 * atomically with the PUT, as for every publish). A body cannot be sent twice: when the server
 * refuses a request after reading from the body, the write fails with a retryable 503. The
 * caller's pace drives the connection, so it must keep writing: a pause longer than the server's
 * idle timeout, or than {@link VastStoreConfig#socketTimeout()}, fails the write (the store's
 * thread then stops waiting, so a writer dropped without close holds neither it nor the key's
 * lock for longer). The key's lock is held while the caller writes: other writers of the key in
 * this process wait for this one, and two callers that each stream one key to two stores (the
 * router's tee) can take the stores' locks in opposite orders; that cycle lasts until one PUT
 * gives up after socketTimeout (503). The MD5 is recorded only when the caller gave it; the CRC32C, when
 * the caller did not give it, is recorded after the PUT by {@link VastStore#recordChecksums}.
 */
final class StreamedPutWriter implements ObjectWriter {

  private static final String OP = "write";
  private static final int CHUNK_SIZE = 1024 * 1024;

  private final VastStore store;
  private final WriteRequest request;
  private final Checksums checksums;
  private final ChunkPipe pipe;
  @Nullable private Future<ObjectInfo> put;
  private boolean committed;
  private boolean closed;

  StreamedPutWriter(VastStore store, WriteRequest request) {
    this.store = store;
    this.request = request;
    this.pipe = new ChunkPipe(CHUNK_SIZE, (int) Math.max(2, store.config.partSize() / CHUNK_SIZE),
        store.config.socketTimeout());
    // the MD5 is needed only to check the caller's, or to record it with a CRC32C we compute
    boolean md5 = request.md5() != null || (request.crc32c() == null && store.config.recordMultipartChecksums());
    this.checksums = md5 ? new Checksums() : Checksums.withoutMd5();
  }

  @Override
  public boolean isOpen() {
    return !closed && !committed;
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
    if (!isOpen()) {
      throw new ClosedChannelException();
    }
    int n = source.remaining();
    try {
      request.checkWritable(checksums.size() + n, store.site());
    } catch (HybridStorageException e) {
      close();
      throw e;
    }
    if (put == null) {
      put = store.uploadExecutor.submit(this::upload);
    }
    checksums.update(source);
    try {
      pipe.write(source);
    } catch (InterruptedIOException e) {
      close();
      throw store.errors.unavailable(OP, request.bucket(), request.name(), "interrupted while writing", e);
    } catch (IOException e) {
      // only the request failing fails the pipe while the writer is open: report its failure
      RuntimeException failure = await(e);
      close();
      throw failure;
    }
    return n;
  }

  /** On the store's thread: the whole PutObject, reading the body from the pipe. */
  private ObjectInfo upload() {
    String bucket = request.bucket();
    String name = request.name();
    long size = request.expectedSize();
    try {
      return store.publish(OP, bucket, name, request.conditions(), request.generation(), false,
          (current, guard) -> {
            long generation = store.nextGeneration(OP, bucket, name, current, request.generation());
            Instant now = store.clock.instant();
            Map<String, String> user = HsMetadata.encode(generation, 1, request.crc32c(), request.md5(), now, now,
                0, request.metadata());
            RequestBody body = RequestBody.fromContentProvider(this::body, size, "application/octet-stream");
            PutObjectResponse r = store.putObject(request, user, request.md5(), size, guard, body);
            return new ObjectInfo(bucket, name, generation, 1, size, request.crc32c(), request.md5(), r.eTag(),
                request.metadata(), now, now, null, 0);
          });
    } catch (RuntimeException | Error e) {
      pipe.fail(new IOException("the upload failed: " + e.getMessage(), e));
      throw e;
    }
  }

  /**
   * The body, for the SDK: the pipe, which it may open again only while nothing was read from it
   * and it has not failed (an SDK retry then reports why, not that the body cannot be resent).
   */
  private InputStream body() {
    IOException failed = pipe.failure();
    if (failed != null) {
      throw new UncheckedIOException(failed);
    }
    if (pipe.readStarted()) {
      throw new UncheckedIOException(new IOException("write gs://" + request.bucket() + "/" + request.name()
          + " on " + store.site() + ": a streamed body cannot be sent again; retry the write"));
    }
    return pipe.source();
  }

  @Override
  public ObjectInfo commit() throws IOException {
    if (!isOpen()) {
      throw new ClosedChannelException();
    }
    String[] sums = checksums.finish();
    try {
      request.verify(checksums.size(), sums[0], sums[1], store.site());
    } catch (HybridStorageException e) {
      close();
      throw e;
    }
    try {
      pipe.finish();
    } catch (IOException e) {
      // the request failed: await() reports why
    }
    ObjectInfo info;
    try {
      info = await();
    } finally {
      if (!committed) {
        close();
      }
    }
    committed = true;
    if (request.crc32c() == null && store.config.recordMultipartChecksums()) {
      return store.recordChecksums(info, sums[0], sums[1]);
    }
    return info;
  }

  private ObjectInfo await() {
    try {
      return put.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw store.errors.unavailable(OP, request.bucket(), request.name(), "interrupted while the PUT completed",
          e);
    } catch (ExecutionException e) {
      throw asStorageException(e.getCause());
    }
  }

  /** The failure of the request, which has failed the pipe ({@code e}) and is ending. */
  private RuntimeException await(IOException e) {
    try {
      await();
      return HybridStorageException.io(OP, request.bucket(), request.name(), store.site(), e);
    } catch (RuntimeException failure) {
      return failure;
    }
  }

  private RuntimeException asStorageException(Throwable cause) {
    if (cause instanceof HybridStorageException h) {
      return h;
    }
    return store.errors.unavailable(OP, request.bucket(), request.name(), String.valueOf(cause), cause);
  }

  /** Abandons the write unless committed: the body is torn, so the PUT never completes. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!committed) {
      pipe.fail(new IOException("write gs://" + request.bucket() + "/" + request.name() + " on " + store.site()
          + " was abandoned before commit"));
      if (put != null) {
        put.cancel(false);
      }
    }
  }
}
