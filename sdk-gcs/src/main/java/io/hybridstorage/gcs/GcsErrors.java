package io.hybridstorage.gcs;

import com.google.api.client.http.HttpResponseException;
import com.google.cloud.storage.StorageException;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hybridstorage.api.HybridStorageException;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import javax.annotation.Nullable;

/**
 * The one place where failures of the GCS client become {@link HybridStorageException}s: the GCS
 * code (304/400/404/409/412/416/5xx) and reason are kept, and the operation, bucket, object and site
 * are added. A {@link StorageException} of code 0 is a transport failure in the client (it reports
 * I/O errors that way) and becomes a retryable 503, except when its cause is an {@link
 * UnsupportedOperationException} (a {@code Storage} that lacks the call), which becomes 501.
 */
final class GcsErrors {

  private GcsErrors() {}

  /** A call to the GCS client that may throw checked exceptions. */
  @FunctionalInterface
  interface GcsCall<T> {
    T run() throws IOException, InterruptedException, ExecutionException;
  }

  /** Runs {@code call}, translating every failure of the client. */
  static <T> T call(String op, @Nullable String bucket, @Nullable String object, String site, GcsCall<T> call) {
    try {
      return call.run();
    } catch (HybridStorageException e) {
      throw e;
    } catch (RuntimeException | IOException | ExecutionException e) {
      throw translate(e, op, bucket, object, site);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HybridStorageException(503, "backendError", op, bucket, object, site,
          "interrupted while waiting for GCS", e);
    }
  }

  /** Translates any failure thrown by the GCS client (or by a channel or future of it). */
  static HybridStorageException translate(Throwable failure, String op, @Nullable String bucket,
      @Nullable String object, String site) {
    Throwable e = unwrap(failure);
    if (e instanceof HybridStorageException hse) {
      return hse;
    }
    if (e instanceof StorageException se) {
      int code = se.getCode();
      if (code <= 0) {
        if (se.getCause() instanceof UnsupportedOperationException uoe) {
          return unsupported(op, bucket, object, site, uoe);
        }
        return new HybridStorageException(503, "backendError", op, bucket, object, site,
            firstLine(se.getMessage()), se);
      }
      String reason = se.getReason();
      String detail = detail(se);
      HttpResponseException http = httpCause(se);
      if (http != null) {
        // Failures of resumable uploads carry GCS's JSON error only in the HTTP response.
        JsonObject error = errorBody(http.getContent());
        if (error != null) {
          if (error.has("message")) {
            detail = error.get("message").getAsString();
          }
          if ((reason == null || reason.isEmpty()) && error.has("errors")
              && error.getAsJsonArray("errors").size() > 0
              && error.getAsJsonArray("errors").get(0).getAsJsonObject().has("reason")) {
            reason = error.getAsJsonArray("errors").get(0).getAsJsonObject().get("reason").getAsString();
          }
        }
      }
      if (reason == null || reason.isEmpty()) {
        reason = reasonOf(code);
      }
      return new HybridStorageException(code, reason, op, bucket, object, site, detail, se);
    }
    if (e instanceof UnsupportedOperationException uoe) {
      return unsupported(op, bucket, object, site, uoe);
    }
    if (e instanceof IllegalArgumentException) {
      return new HybridStorageException(400, "invalid", op, bucket, object, site, firstLine(e.getMessage()), e);
    }
    if (e instanceof IOException io) {
      return HybridStorageException.io(op, bucket, object, site, io);
    }
    return new HybridStorageException(500, "backendError", op, bucket, object, site,
        e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()), e);
  }

  /**
   * The most specific failure: the client wraps {@link StorageException}s in {@link IOException}s
   * (channels) and {@link ExecutionException}s (futures).
   */
  private static Throwable unwrap(Throwable e) {
    Throwable current = e;
    while ((current instanceof IOException || current instanceof ExecutionException)
        && current.getCause() != null
        && (current.getCause() instanceof StorageException
            || current.getCause() instanceof HybridStorageException
            || current.getCause() instanceof IOException
            || current.getCause() instanceof ExecutionException)) {
      current = current.getCause();
    }
    return current;
  }

  private static HybridStorageException unsupported(String op, @Nullable String bucket, @Nullable String object,
      String site, UnsupportedOperationException cause) {
    return new HybridStorageException(501, "notImplemented", op, bucket, object, site,
        "the Storage behind site " + site + " does not support this call: " + firstLine(cause.getMessage()), cause);
  }

  static String reasonOf(int code) {
    return switch (code) {
      case 304 -> "notModified";
      case 400 -> "invalid";
      case 401 -> "required";
      case 403 -> "forbidden";
      case 404 -> "notFound";
      case 409 -> "conflict";
      case 412 -> "conditionNotMet";
      case 416 -> "requestedRangeNotSatisfiable";
      case 429 -> "rateLimitExceeded";
      case 501 -> "notImplemented";
      default -> code >= 500 ? "backendError" : "error";
    };
  }

  /**
   * What went wrong, without a prefix already naming a target: a {@code Storage} that is itself a
   * hybrid facade puts its store's {@code op gs://b/o on site: } before the detail.
   */
  private static String detail(StorageException se) {
    String message = firstLine(se.getMessage());
    if (se.getCause() instanceof HybridStorageException inner) {
      String prefix = HybridStorageException.describe(inner.operation(), inner.bucket(), inner.object(),
          inner.site()) + ": ";
      if (message.startsWith(prefix)) {
        return message.substring(prefix.length());
      }
    }
    return message;
  }

  @Nullable
  private static HttpResponseException httpCause(Throwable e) {
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof HttpResponseException http) {
        return http;
      }
    }
    return null;
  }

  /** The {@code error} object of a JSON API error body, or null when the body is not one. */
  @Nullable
  static JsonObject errorBody(@Nullable String content) {
    if (content == null || content.isBlank()) {
      return null;
    }
    try {
      JsonElement root = JsonParser.parseString(content);
      if (root.isJsonObject() && root.getAsJsonObject().has("error")
          && root.getAsJsonObject().get("error").isJsonObject()) {
        return root.getAsJsonObject().getAsJsonObject("error");
      }
    } catch (RuntimeException notJson) {
      // an HTML or empty error page: keep the client's message
    }
    return null;
  }

  /** The first line of a message: HTTP failures carry the whole response after it. */
  static String firstLine(@Nullable String message) {
    if (message == null) {
      return "(no message)";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
