package io.hybridstorage.vast;

import io.hybridstorage.api.ObjectMetadata;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.ArrayList;
import javax.annotation.Nullable;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * A server-side multipart copy: one UploadPartCopy per slice of a source (each pinned to the
 * source's ETag), up to {@code uploadParallelism} at once, then CompleteMultipartUpload with the
 * publish guard. Any failure aborts the upload: no orphaned parts, nothing visible.
 */
final class MultipartCopy {

  /** Bytes {@code first..last} (inclusive) of {@code bucket/name} at ETag {@code etag}. */
  record Slice(String bucket, String name, String etag, long first, long last) {}

  private final VastStore store;
  private final String bucket;
  private final String name;

  MultipartCopy(VastStore store, String bucket, String name) {
    this.store = store;
    this.bucket = bucket;
    this.name = name;
  }

  /** Runs the copy and returns the new ETag; S3 failures propagate as {@link SdkException}. */
  String run(List<Slice> slices, Map<String, String> user, ObjectMetadata metadata,
      @Nullable Current.Guard guard) {
    String uploadId = store.s3.createMultipartUpload(b -> b.bucket(bucket).key(name).metadata(user)
        .contentType(VastStore.contentTypeOrDefault(metadata)).contentEncoding(metadata.contentEncoding())
        .contentDisposition(metadata.contentDisposition()).contentLanguage(metadata.contentLanguage())
        .cacheControl(metadata.cacheControl())).uploadId();
    boolean completed = false;
    try {
      Map<Integer, CompletedPart> parts = new ConcurrentSkipListMap<>();
      Semaphore inFlight = new Semaphore(store.config.uploadParallelism());
      List<Future<?>> futures = new ArrayList<>();
      AtomicBoolean failed = new AtomicBoolean();
      for (int i = 0; i < slices.size(); i++) {
        Slice slice = slices.get(i);
        int partNumber = i + 1;
        inFlight.acquireUninterruptibly();
        if (failed.get()) {
          inFlight.release();
          break;
        }
        futures.add(store.uploadExecutor.submit(() -> {
          try {
            UploadPartCopyResponse r = store.s3.uploadPartCopy(b -> b.sourceBucket(slice.bucket())
                .sourceKey(slice.name()).copySourceIfMatch(slice.etag())
                .copySourceRange("bytes=" + slice.first() + "-" + slice.last())
                .destinationBucket(bucket).destinationKey(name).uploadId(uploadId).partNumber(partNumber));
            parts.put(partNumber, CompletedPart.builder().partNumber(partNumber)
                .eTag(r.copyPartResult().eTag()).build());
          } catch (RuntimeException e) {
            failed.set(true);
            throw e;
          } finally {
            inFlight.release();
          }
        }));
      }
      RuntimeException failure = null;
      for (Future<?> f : futures) {
        try {
          await(f);
        } catch (RuntimeException e) {
          failure = failure == null ? e : failure;
        }
      }
      if (failure != null) {
        throw failure;
      }
      String etag = store.s3.completeMultipartUpload(b -> {
        b.bucket(bucket).key(name).uploadId(uploadId)
            .multipartUpload(m -> m.parts(VastStore.sorted(parts)));
        if (guard != null) {
          b.ifMatch(guard.ifMatch()).ifNoneMatch(guard.ifNoneMatch());
        }
      }).eTag();
      completed = true;
      return etag;
    } finally {
      if (!completed) {
        VastObjectWriter.abortQuietly(store, bucket, name, uploadId);
      }
    }
  }

  private static void await(Future<?> f) {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SdkClientException.create("interrupted while copying parts", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw SdkClientException.create("part copy failed", e.getCause());
    }
  }
}
