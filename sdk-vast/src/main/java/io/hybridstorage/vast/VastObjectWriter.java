package io.hybridstorage.vast;

import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A streaming write to a {@link VastStore}: one PutObject at commit when the object fits in
 * {@code multipartThreshold}, else a multipart upload whose parts go up while the caller is still
 * writing. Heap: at most {@code uploadParallelism} buffers of {@code partSize} (the one filling
 * plus those in flight), reused from part to part. Nothing is visible before {@link #commit()};
 * a failure, a checksum mismatch or {@link #close()} without commit aborts the upload.
 */
final class VastObjectWriter implements ObjectWriter {

  private static final Logger LOG = LoggerFactory.getLogger(VastObjectWriter.class);
  private static final String OP = "write";

  private final VastStore store;
  private final WriteRequest request;
  private final int componentCount;
  private final Checksums checksums = new Checksums();
  private final int partSize;
  private final long threshold;

  /** The bytes not yet sent: the whole object (single-part phase) or the part being filled. */
  private byte[] buffer = new byte[0];
  private int length;

  // multipart phase
  @Nullable private String uploadId;
  private long generation;
  private Instant createTime;
  private int partCount;
  private final Map<Integer, CompletedPart> parts = new ConcurrentSkipListMap<>();
  private final List<Future<?>> inFlight = new ArrayList<>();
  private final Semaphore buffers;
  private final Queue<byte[]> pool = new ConcurrentLinkedQueue<>();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

  private boolean committed;
  private boolean closed;

  VastObjectWriter(VastStore store, WriteRequest request, int componentCount) {
    this.store = store;
    this.request = request;
    this.componentCount = componentCount;
    this.partSize = (int) store.config.partSize();
    this.threshold = store.config.multipartThreshold();
    this.buffers = new Semaphore(store.config.uploadParallelism());
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
    rethrowFailure();
    int n = source.remaining();
    try {
      request.checkWritable(checksums.size() + n, store.site());
    } catch (HybridStorageException e) {
      close();
      throw e;
    }
    checksums.update(source);
    while (source.hasRemaining()) {
      if (uploadId == null && length + (long) source.remaining() <= threshold) {
        ensureCapacity(length + source.remaining());
        int r = source.remaining();
        source.get(buffer, length, r);
        length += r;
      } else {
        if (uploadId == null) {
          startMultipart();
        }
        if (buffer == null) {
          buffer = takeBuffer();
        }
        int r = Math.min(source.remaining(), partSize - length);
        source.get(buffer, length, r);
        length += r;
        if (length == partSize) {
          submitPart();
        }
      }
    }
    return n;
  }

  private void ensureCapacity(int needed) {
    if (buffer.length < needed) {
      int grown = (int) Math.min(threshold, Math.max(needed, Math.max(64 * 1024, 2L * buffer.length)));
      buffer = Arrays.copyOf(buffer, grown);
    }
  }

  /** Starts the multipart upload, fixing the metadata (generation, and the CRC32C if the caller gave it). */
  private void startMultipart() {
    String bucket = request.bucket();
    String name = request.name();
    Current current = request.generation() != 0 ? null
        : store.headCurrent(OP, bucket, name, false).orElse(null);
    generation = store.nextGeneration(OP, bucket, name, current, request.generation());
    createTime = store.clock.instant();
    ObjectMetadata metadata = request.metadata();
    Map<String, String> user = HsMetadata.encode(generation, 1, request.crc32c(), null, createTime, createTime,
        componentCount, metadata);
    try {
      uploadId = store.s3.createMultipartUpload(b -> b.bucket(bucket).key(name).metadata(user)
          .contentType(VastStore.contentTypeOrDefault(metadata)).contentEncoding(metadata.contentEncoding())
          .contentDisposition(metadata.contentDisposition()).contentLanguage(metadata.contentLanguage())
          .cacheControl(metadata.cacheControl())).uploadId();
    } catch (SdkException e) {
      throw store.errors.map(e, OP, bucket, name);
    }
    // the bytes held so far become the start of part 1, in a full-size buffer that counts against the bound
    byte[] first = takeBuffer();
    System.arraycopy(buffer, 0, first, 0, length);
    buffer = first;
  }

  private byte[] takeBuffer() {
    try {
      buffers.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort();
      throw store.errors.unavailable(OP, request.bucket(), request.name(),
          "interrupted while waiting for a part upload", e);
    }
    rethrowFailure();
    byte[] b = pool.poll();
    return b != null ? b : new byte[partSize];
  }

  private void submitPart() {
    if (partCount == VastStoreConfig.MAX_PARTS) {
      abort();
      throw HybridStorageException.invalid(OP, request.bucket(), request.name(), store.site(),
          "the object exceeds partSize × " + VastStoreConfig.MAX_PARTS + " = "
              + (long) partSize * VastStoreConfig.MAX_PARTS + " bytes; configure a larger partSize");
    }
    byte[] bytes = buffer;
    int size = length;
    int partNumber = ++partCount;
    buffer = null;
    length = 0;
    String id = uploadId;
    inFlight.add(store.uploadExecutor.submit(() -> {
      try {
        if (failure.get() == null) {
          String etag = store.s3.uploadPart(b -> b.bucket(request.bucket()).key(request.name()).uploadId(id)
              .partNumber(partNumber).contentLength((long) size), VastStore.body(bytes, size)).eTag();
          parts.put(partNumber, CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
        }
      } catch (SdkException e) {
        failure.compareAndSet(null, store.errors.map(e, OP, request.bucket(), request.name()));
      } catch (RuntimeException e) {
        failure.compareAndSet(null, store.errors.unavailable(OP, request.bucket(), request.name(), "part " + partNumber + " failed: " + e, e));
      } finally {
        pool.offer(bytes);
        buffers.release();
      }
    }));
  }

  private void rethrowFailure() {
    RuntimeException e = failure.get();
    if (e != null) {
      abort();
      throw e;
    }
  }

  @Override
  public ObjectInfo commit() throws IOException {
    if (!isOpen()) {
      throw new ClosedChannelException();
    }
    rethrowFailure();
    String[] sums = checksums.finish();
    String crc32c = sums[0];
    String md5 = sums[1];
    try {
      ObjectInfo info = uploadId == null ? putSingle(crc32c, md5) : completeMultipart(crc32c, md5);
      committed = true;
      return info;
    } finally {
      if (!committed) {
        close();
      }
    }
  }

  private ObjectInfo putSingle(String crc32c, String md5) {
    request.verify(length, crc32c, md5, store.site());
    byte[] bytes = buffer;
    int size = length;
    ObjectMetadata metadata = request.metadata();
    return store.publish(OP, request.bucket(), request.name(), request.conditions(), request.generation(), false,
        (current, guard) -> {
          long gen = store.nextGeneration(OP, request.bucket(), request.name(), current, request.generation());
          Instant now = store.clock.instant();
          Map<String, String> user = HsMetadata.encode(gen, 1, crc32c, storedMd5(md5), now, now, componentCount,
              metadata);
          PutObjectResponse r = store.putObject(request, user, md5, size, guard, VastStore.body(bytes, size));
          return new ObjectInfo(request.bucket(), request.name(), gen, 1, size, crc32c, storedMd5(md5), r.eTag(),
              metadata, now, now, null, componentCount);
        });
  }

  private ObjectInfo completeMultipart(String crc32c, String md5) {
    if (length > 0) {
      submitPart();
    }
    awaitParts();
    rethrowFailure();
    long size = checksums.size();
    request.verify(size, crc32c, md5, store.site());
    ObjectMetadata metadata = request.metadata();
    boolean stamp = request.crc32c() == null && store.config.recordMultipartChecksums();
    ObjectInfo published = store.publish(OP, request.bucket(), request.name(), request.conditions(),
        request.generation(), false, (current, guard) -> {
          long held = request.generation() != 0 ? 0 // publish checked the assigned one
              : store.held(OP, request.bucket(), request.name(), current);
          if (held >= generation) {
            throw store.errors.unavailable(OP, request.bucket(), request.name(), "generation "
                + held + " was committed (or deleted) while this upload (generation " + generation
                + ") was in progress; retry the write", null);
          }
          String etag = complete(guard);
          uploadId = null; // completed: nothing to abort any more
          return new ObjectInfo(request.bucket(), request.name(), generation, 1, size, request.crc32c(), null, etag,
              metadata, createTime, createTime, null, componentCount);
        });
    return stamp ? store.recordChecksums(published, crc32c, storedMd5(md5)) : published;
  }

  /**
   * CompleteMultipartUpload. A large completion can outlast the socket timeout; the SDK's retry
   * then finds the upload gone (NoSuchUpload) although the first attempt succeeded: if the live
   * version is ours (our generation), that is our success.
   */
  private String complete(@Nullable Current.Guard guard) {
    try {
      return store.s3.completeMultipartUpload(b -> {
        b.bucket(request.bucket()).key(request.name()).uploadId(uploadId)
            .multipartUpload(m -> m.parts(VastStore.sorted(parts)));
        if (guard != null) {
          b.ifMatch(guard.ifMatch()).ifNoneMatch(guard.ifNoneMatch());
        }
      }).eTag();
    } catch (S3Exception e) {
      if ("NoSuchUpload".equals(S3Errors.errorCode(e))) {
        Current live = store.headCurrent(OP, request.bucket(), request.name(), false).orElse(null);
        if (live != null && live.info().generation() == generation) {
          return live.etag();
        }
      }
      throw e;
    }
  }

  /** GCS reports no MD5 for a composite object. */
  @Nullable
  private String storedMd5(String md5) {
    return componentCount > 0 ? null : md5;
  }

  private void awaitParts() {
    for (Future<?> f : inFlight) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure.compareAndSet(null, store.errors.unavailable(OP, request.bucket(), request.name(), "interrupted while waiting for part uploads", e));
      } catch (ExecutionException e) {
        failure.compareAndSet(null, store.errors.unavailable(OP, request.bucket(), request.name(), String.valueOf(e.getCause()), e.getCause()));
      }
    }
    inFlight.clear();
  }

  /** Waits for the parts in flight (so none lands after), then aborts the multipart upload. */
  private void abort() {
    String id = uploadId;
    if (id == null) {
      return;
    }
    uploadId = null;
    failure.compareAndSet(null, store.errors.unavailable(OP, request.bucket(), request.name(), "the write was abandoned", null));
    awaitParts();
    abortQuietly(store, request.bucket(), request.name(), id);
  }

  static void abortQuietly(VastStore store, String bucket, String name, String uploadId) {
    try {
      store.s3.abortMultipartUpload(b -> b.bucket(bucket).key(name).uploadId(uploadId));
    } catch (SdkException e) {
      LOG.warn("gs://{}/{} on {}: aborting multipart upload {} failed; its parts remain until the bucket's"
          + " lifecycle rule removes them: {}", bucket, name, store.site(), uploadId, e.toString());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!committed) {
      abort();
    }
    buffer = null;
    pool.clear();
  }
}
