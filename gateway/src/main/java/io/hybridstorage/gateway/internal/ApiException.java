package io.hybridstorage.gateway.internal;

/**
 * An answer in GCS's JSON error format for a request the gateway refuses before (or instead of)
 * calling the store: bad input (400), authentication (401), a Host or Origin not served (400, 403),
 * an unknown upload session (404), a session another request is writing (503).
 */
final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final int code;
  final String reason;

  ApiException(int code, String reason, String message) {
    super(message, null, false, false);
    this.code = code;
    this.reason = reason;
  }

  static ApiException invalid(String message) {
    return new ApiException(400, "invalid", message);
  }

  static ApiException required(String message) {
    return new ApiException(400, "required", message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "notFound", message);
  }
}
