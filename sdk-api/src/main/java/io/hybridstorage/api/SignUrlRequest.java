package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;

/** A V4 signed URL for {@code method} (GET, PUT, HEAD, DELETE) on an object, valid for {@code ttl}. */
public record SignUrlRequest(String bucket, String name, String method, Duration ttl, Map<String, String> headers) {
  public SignUrlRequest {
    requireNonNull(bucket, "bucket");
    requireNonNull(name, "name");
    requireNonNull(method, "method");
    requireNonNull(ttl, "ttl");
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }
}
