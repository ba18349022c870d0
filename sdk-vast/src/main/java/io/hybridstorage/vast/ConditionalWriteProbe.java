package io.hybridstorage.vast;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Finds out at start whether the server honours every S3 conditional request {@link VastStore}
 * relies on: If-None-Match: * and If-Match on PutObject, CopyObject and CompleteMultipartUpload,
 * and If-Match on DeleteObject. It writes temporary objects under {@code .hs-probe/} in the probe
 * bucket and removes them. A server that ignores any of them (answers 200 where 412 is due) gets
 * emulated preconditions: honouring only some would leave a silent hole.
 */
final class ConditionalWriteProbe {

  private static final Logger LOG = LoggerFactory.getLogger(ConditionalWriteProbe.class);

  private final VastStore store;
  private final String bucket;
  private final List<String> failures = new ArrayList<>();

  ConditionalWriteProbe(VastStore store, String bucket) {
    this.store = store;
    this.bucket = bucket;
  }

  boolean run() {
    String key = ".hs-probe/" + UUID.randomUUID();
    String copy = key + "-copy";
    var s3 = store.s3;
    try {
      String etag = s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*"), RequestBody.fromString("a")).eTag();
      refused("PutObject If-None-Match: * on an existing key",
          () -> s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*"), RequestBody.fromString("b")));
      refused("PutObject If-Match with a stale ETag",
          () -> s3.putObject(b -> b.bucket(bucket).key(key).ifMatch("\"0\""), RequestBody.fromString("b")));
      String etag2 = s3.putObject(b -> b.bucket(bucket).key(key).ifMatch(etag), RequestBody.fromString("bb")).eTag();
      s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(copy)
          .ifNoneMatch("*"));
      refused("CopyObject If-None-Match: * on an existing key",
          () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket)
              .destinationKey(copy).ifNoneMatch("*")));
      refused("CopyObject If-Match with a stale ETag",
          () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket)
              .destinationKey(copy).ifMatch("\"0\"")));
      String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
      try {
        String part = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
            RequestBody.fromString("c")).eTag();
        refused("CompleteMultipartUpload If-None-Match: * on an existing key",
            () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).ifNoneMatch("*")
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(part)))));
        refused("CompleteMultipartUpload If-Match with a stale ETag",
            () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).ifMatch("\"0\"")
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(part)))));
      } finally {
        VastObjectWriter.abortQuietly(store, bucket, key, uploadId);
      }
      refused("DeleteObject If-Match with a stale ETag",
          () -> s3.deleteObject(b -> b.bucket(bucket).key(key).ifMatch("\"0\"")));
      s3.deleteObject(b -> b.bucket(bucket).key(key).ifMatch(etag2));
    } catch (SdkException e) {
      failures.add("probe failed: " + e.getMessage());
    } finally {
      for (String k : List.of(key, copy)) {
        try {
          s3.deleteObject(b -> b.bucket(bucket).key(k));
        } catch (SdkException e) {
          LOG.warn("VAST store {}: could not delete probe object {}/{}: {}", store.site(), bucket, k, e.toString());
        }
      }
    }
    if (failures.isEmpty()) {
      return true;
    }
    LOG.info("VAST store {} at {}: conditional requests not fully honoured ({}); preconditions are emulated"
        + " in this process", store.site(), store.config.endpoint(), String.join("; ", failures));
    return false;
  }

  /** Records a failure unless {@code call} is refused with 412 (or S3Mock's 304). */
  private void refused(String what, Supplier<?> call) {
    try {
      call.get();
      failures.add(what + " was accepted");
    } catch (SdkException e) {
      if (!S3Errors.isPreconditionFailed(e)) {
        failures.add(what + " failed with " + e.getMessage());
      }
    }
  }
}
