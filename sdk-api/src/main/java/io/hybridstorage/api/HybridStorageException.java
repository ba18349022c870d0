package io.hybridstorage.api;

import java.io.IOException;
import javax.annotation.Nullable;

/**
 * A failure of an {@link ObjectStore} call, carrying the HTTP code and reason GCS would give, the
 * operation, the bucket, the object and the site. The {@code Storage} facade rethrows it as
 * {@code com.google.cloud.storage.StorageException} (which is final) with the same code, reason
 * and message, and this exception as the cause.
 *
 * <p>Messages read like {@code write gs://b/o on dc1: ifGenerationMatch=7 failed, current=9}.
 */
public final class HybridStorageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int code;
  private final String reason;
  private final String operation;
  @Nullable private final String bucket;
  @Nullable private final String object;
  @Nullable private final String site;
  private final boolean retryable;
  private final long heldGeneration;
  private final String detail;

  public HybridStorageException(int code, String reason, String operation, @Nullable String bucket,
      @Nullable String object, @Nullable String site, String detail, @Nullable Throwable cause) {
    this(code, reason, operation, bucket, object, site, detail, cause, 0);
  }

  private HybridStorageException(int code, String reason, String operation, @Nullable String bucket,
      @Nullable String object, @Nullable String site, String detail, @Nullable Throwable cause, long heldGeneration) {
    super(describe(operation, bucket, object, site) + ": " + detail, cause);
    this.code = code;
    this.reason = reason;
    this.operation = operation;
    this.bucket = bucket;
    this.object = object;
    this.site = site;
    this.retryable = isRetryableCode(code);
    this.heldGeneration = heldGeneration;
    this.detail = detail;
  }

  /** {@code op gs://bucket/object on site}, the prefix of every message. */
  public static String describe(String operation, @Nullable String bucket, @Nullable String object,
      @Nullable String site) {
    StringBuilder sb = new StringBuilder(operation);
    if (bucket != null) {
      sb.append(" gs://").append(bucket);
      if (object != null) {
        sb.append('/').append(object);
      }
    }
    if (site != null) {
      sb.append(" on ").append(site);
    }
    return sb.toString();
  }

  /** The codes the GCS client retries (for idempotent calls). */
  public static boolean isRetryableCode(int code) {
    return code == 408 || code == 429 || code == 500 || code == 502 || code == 503 || code == 504;
  }

  public static HybridStorageException invalid(String op, @Nullable String bucket, @Nullable String object,
      @Nullable String site, String detail) {
    return new HybridStorageException(400, "invalid", op, bucket, object, site, detail, null);
  }

  public static HybridStorageException bucketNotFound(String op, String bucket, @Nullable String site) {
    return new HybridStorageException(404, "notFound", op, bucket, null, site,
        "The specified bucket does not exist.", null);
  }

  public static HybridStorageException objectNotFound(String op, String bucket, String object,
      @Nullable String site) {
    return new HybridStorageException(404, "notFound", op, bucket, object, site,
        "No such object: " + bucket + "/" + object, null);
  }

  public static HybridStorageException conflict(String op, @Nullable String bucket, @Nullable String object,
      @Nullable String site, String detail) {
    return new HybridStorageException(409, "conflict", op, bucket, object, site, detail, null);
  }

  public static HybridStorageException preconditionFailed(String op, String bucket, @Nullable String object,
      @Nullable String site, String detail) {
    return new HybridStorageException(412, "conditionNotMet", op, bucket, object, site, detail, null);
  }

  /**
   * 304: a read whose not-match precondition ({@code ifGenerationNotMatch}, {@code
   * ifMetagenerationNotMatch}) failed, as GCS answers it (see {@link Conditions#checkRead}).
   */
  public static HybridStorageException notModified(String op, String bucket, @Nullable String object,
      @Nullable String site, String detail) {
    return new HybridStorageException(304, "notModified", op, bucket, object, site, detail, null);
  }

  /**
   * 412: an assigned generation ({@link WriteRequest#generation()}) is not greater than {@code
   * held}, the highest generation the name has held on the site — live, noncurrent or, when
   * {@code deleted}, a deleted one (a tombstone). {@link #heldGeneration()} carries {@code held},
   * so the caller can issue a newer generation without another round trip.
   */
  public static HybridStorageException generationNotNewer(String op, String bucket, String object,
      @Nullable String site, long assigned, long held, boolean deleted) {
    return new HybridStorageException(412, "conditionNotMet", op, bucket, object, site,
        "assigned generation " + assigned + " is not newer than generation " + held + (deleted
            ? ", which this site held and deleted (tombstone)" : ", which this site holds"), null, held);
  }

  public static HybridStorageException rangeNotSatisfiable(String op, String bucket, String object,
      @Nullable String site, String detail) {
    return new HybridStorageException(416, "requestedRangeNotSatisfiable", op, bucket, object, site, detail, null);
  }

  /** 501: the operation is not supported by this backend. */
  public static HybridStorageException unsupported(String op, @Nullable String bucket, @Nullable String object,
      @Nullable String site) {
    return new HybridStorageException(501, "notImplemented", op, bucket, object, site,
        op + " is not supported by the backend of site " + site, null);
  }

  /** 503, retryable: an I/O failure talking to (or inside) a backend. */
  public static HybridStorageException io(String op, @Nullable String bucket, @Nullable String object,
      @Nullable String site, IOException cause) {
    return new HybridStorageException(503, "backendError", op, bucket, object, site,
        String.valueOf(cause.getMessage()), cause);
  }

  public int code() {
    return code;
  }

  /** What went wrong, without the {@link #describe} prefix of the message. */
  public String detail() {
    return detail;
  }

  /**
   * This error re-issued by {@code by} (a store that called the failing one, e.g. a router): the
   * same code, reason, operation, names and {@link #heldGeneration()}, {@code by} as the site, the
   * failing site named in the detail ({@code write gs://b/o on routing[gcp,dc1,dc2]: at gcp:
   * ifGenerationMatch=0 failed, current=7}) and this error as the cause. This error itself when it
   * is already {@code by}'s.
   */
  public HybridStorageException reissuedBy(String by) {
    if (by.equals(site)) {
      return this;
    }
    return new HybridStorageException(code, reason, operation, bucket, object, by,
        site == null ? detail : "at " + site + ": " + detail, this, heldGeneration);
  }

  public String reason() {
    return reason;
  }

  public String operation() {
    return operation;
  }

  @Nullable
  public String bucket() {
    return bucket;
  }

  @Nullable
  public String object() {
    return object;
  }

  @Nullable
  public String site() {
    return site;
  }

  public boolean isRetryable() {
    return retryable;
  }

  /**
   * For the 412 refusing an assigned generation ({@link #generationNotNewer}): the highest
   * generation the name has held on the site, deleted ones included; 0 for every other error.
   */
  public long heldGeneration() {
    return heldGeneration;
  }
}
