package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * One site of the hybrid world.
 *
 * @param name the site's name, used in placements, errors and metrics ({@code gcp}, {@code dc1})
 * @param kind the backend: {@code gcs}, {@code vast} or {@code memory}; a {@link
 *     io.hybridstorage.api.spi.StoreProvider} of that kind must be on the classpath
 * @param endpoint the backend's endpoint URL, when it has one
 * @param credentialsRef where the credentials are found (an environment variable or file name) —
 *     never the secret itself
 * @param latency the expected round-trip latency from this process; orders "nearest"
 * @param properties backend-specific settings (part size, region …)
 */
public record SiteConfig(
    String name,
    String kind,
    @Nullable String endpoint,
    @Nullable String credentialsRef,
    Duration latency,
    Map<String, String> properties) {

  public SiteConfig {
    requireNonNull(name, "name");
    requireNonNull(kind, "kind");
    requireNonNull(latency, "latency");
    properties = properties == null ? Map.of() : Map.copyOf(properties);
    if (name.isBlank()) {
      throw new IllegalArgumentException("site name must not be blank");
    }
    if (latency.isNegative()) {
      throw new IllegalArgumentException("site " + name + ": latency (" + latency + ") must not be negative");
    }
  }

  /** An in-memory site. */
  public static SiteConfig memory(String name, Duration latency) {
    return new SiteConfig(name, "memory", null, null, latency, Map.of());
  }
}
