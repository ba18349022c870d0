package io.hybridstorage.api.internal;

import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.HybridStorageException;
import java.io.IOException;
import java.util.function.Supplier;
import javax.annotation.Nullable;

/**
 * The one place where store failures become what GCS callers catch: {@link StorageException} with
 * the GCS code, reason and message of the {@link HybridStorageException}, which stays attached as
 * the cause. {@code StorageException}'s own constructor derives {@code isRetryable()} from the
 * code and reason exactly as the client does for a server reply (503, 429, … retryable; 4xx and
 * 501 not).
 */
final class Errors {

  static final String NOT_IMPLEMENTED = "notImplemented";

  private Errors() {}

  static StorageException translate(HybridStorageException e) {
    return new StorageException(e.code(), e.getMessage(), e.reason(), e);
  }

  /** Runs a store call, translating its failures. */
  static <T> T call(Supplier<T> body) {
    try {
      return body.get();
    } catch (HybridStorageException e) {
      throw translate(e);
    }
  }

  static void run(Runnable body) {
    try {
      body.run();
    } catch (HybridStorageException e) {
      throw translate(e);
    }
  }

  /**
   * 501 naming the {@code Storage} method, the object or bucket, the site and why; never retryable.
   */
  static StorageException unsupported(String method, @Nullable String bucket, @Nullable String object,
      String site, String detail) {
    return translate(new HybridStorageException(501, NOT_IMPLEMENTED, method, bucket, object, site,
        detail, null));
  }

  /** 400 for a caller mistake the client would send to GCS and GCS would reject. */
  static StorageException invalid(String method, @Nullable String bucket, @Nullable String object,
      String site, String detail) {
    return translate(HybridStorageException.invalid(method, bucket, object, site, detail));
  }

  /** 503 (retryable) for an I/O failure moving bytes between the caller and a store. */
  static StorageException io(String method, @Nullable String bucket, @Nullable String object, String site,
      IOException e) {
    return translate(HybridStorageException.io(method, bucket, object, site, e));
  }

  static boolean isNotFound(HybridStorageException e) {
    return e.code() == 404;
  }
}
