package io.hybridstorage.vast;

import io.hybridstorage.api.HybridStorageException;
import java.io.IOException;
import java.net.URI;
import javax.annotation.Nullable;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Translates S3 failures into the GCS codes of {@link HybridStorageException}: NoSuchKey and
 * NoSuchBucket 404, PreconditionFailed 412, BucketNotEmpty and BucketAlreadyExists 409,
 * AccessDenied 403, InvalidRange 416, NotImplemented 501, and SlowDown, 5xx, timeouts and I/O
 * errors a retryable 503 (a failed TLS handshake too: the site is unreachable from this process,
 * and the message says how to trust an internal CA). The message names the operation, bucket, object, site and endpoint.
 */
final class S3Errors {

  private final String site;
  private final URI endpoint;

  S3Errors(String site, URI endpoint) {
    this.site = site;
    this.endpoint = endpoint;
  }

  /** The S3 error code of {@code e} ({@code NoSuchKey} …), or null (HEAD answers carry none). */
  @Nullable
  static String errorCode(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  static boolean isNotFound(SdkException e) {
    return e instanceof S3Exception s3 && s3.statusCode() == 404;
  }

  static boolean isNoSuchBucket(SdkException e) {
    return e instanceof S3Exception s3 && "NoSuchBucket".equals(errorCode(s3));
  }

  /**
   * A failed write condition: 412, or 304 (S3Mock answers 304 to a CompleteMultipartUpload
   * whose If-None-Match fails; no S3 write legitimately answers 304).
   */
  static boolean isPreconditionFailed(SdkException e) {
    return e instanceof S3Exception s3 && (s3.statusCode() == 412 || s3.statusCode() == 304);
  }

  HybridStorageException map(SdkException e, String op, @Nullable String bucket, @Nullable String object) {
    if (e instanceof S3Exception s3) {
      return mapS3(s3, op, bucket, object);
    }
    String what;
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      what = "timed out talking to " + endpoint;
    } else if (tlsFailure(e)) {
      what = "TLS handshake with " + endpoint + " failed (when its certificate comes from an internal CA, trust "
          + "that CA with the site's trustedCertificates, a PEM bundle)";
    } else if (e instanceof AbortedException) {
      what = "aborted talking to " + endpoint;
    } else if (e instanceof SdkClientException) {
      what = "I/O failure talking to " + endpoint;
    } else {
      what = "S3 client failure talking to " + endpoint;
    }
    return new HybridStorageException(503, "backendError", op, bucket, object, site,
        what + " (retryable): " + e.getMessage(), e);
  }

  /**
   * Whether a TLS handshake failed: an untrusted certificate, no common protocol (SSLHandshakeException),
   * or a certificate for another host name (the HTTP client's SSLPeerUnverifiedException). Not any
   * SSLException: one in the middle of a body is an I/O failure like any other.
   */
  private static boolean tlsFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException || t instanceof SSLPeerUnverifiedException) {
        return true;
      }
    }
    return false;
  }

  /** A retryable 503 of this site that is not an S3 answer (interrupted, contended, closed). */
  HybridStorageException unavailable(String op, @Nullable String bucket, @Nullable String object, String detail,
      @Nullable Throwable cause) {
    return new HybridStorageException(503, "backendError", op, bucket, object, site, detail, cause);
  }

  /** An I/O failure while streaming a body (after the SDK call returned). */
  HybridStorageException io(String op, @Nullable String bucket, @Nullable String object, IOException e) {
    String what = e instanceof java.net.SocketTimeoutException ? "timed out reading from " : "I/O failure reading from ";
    return new HybridStorageException(503, "backendError", op, bucket, object, site,
        what + endpoint + " (retryable): " + e, e);
  }

  private HybridStorageException mapS3(S3Exception e, String op, @Nullable String bucket, @Nullable String object) {
    String code = errorCode(e);
    int status = e.statusCode();
    String detail = (code == null ? "" : code + " ") + "(HTTP " + status + ") from " + endpoint + ": "
        + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
    int gcs;
    String reason;
    if ("NoSuchBucket".equals(code)) {
      gcs = 404;
      reason = "notFound";
      detail = "The specified bucket does not exist. " + detail;
    } else if ("NoSuchKey".equals(code) || "NoSuchVersion".equals(code) || "NoSuchUpload".equals(code)
        || status == 404) {
      gcs = 404;
      reason = "notFound";
      if (object != null) {
        detail = "No such object: " + bucket + "/" + object + ". " + detail;
      }
    } else if ("PreconditionFailed".equals(code) || status == 412 || status == 304) {
      gcs = 412;
      reason = "conditionNotMet";
    } else if ("BucketNotEmpty".equals(code) || "BucketAlreadyExists".equals(code)
        || "BucketAlreadyOwnedByYou".equals(code) || "OperationAborted".equals(code) || status == 409) {
      gcs = 409;
      reason = "conflict";
    } else if ("AccessDenied".equals(code) || "InvalidAccessKeyId".equals(code)
        || "SignatureDoesNotMatch".equals(code) || status == 403) {
      gcs = 403;
      reason = "forbidden";
    } else if ("InvalidRange".equals(code) || status == 416) {
      gcs = 416;
      reason = "requestedRangeNotSatisfiable";
    } else if ("NotImplemented".equals(code) || status == 501 || status == 405) {
      gcs = 501;
      reason = "notImplemented";
    } else if ("SlowDown".equals(code) || "RequestTimeout".equals(code) || "InternalError".equals(code)
        || "ServiceUnavailable".equals(code) || status >= 500 || status == 429) {
      gcs = 503;
      reason = "backendError";
      detail = detail + " (retryable)";
    } else if (status == 401) {
      gcs = 401;
      reason = "unauthorized";
    } else {
      gcs = 400;
      reason = "invalid";
    }
    return new HybridStorageException(gcs, reason, op, bucket, object, site, detail, e);
  }
}
