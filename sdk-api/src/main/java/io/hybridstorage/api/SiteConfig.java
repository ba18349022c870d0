package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
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

  /**
   * Shows {@link #credentialsRef()} only when it is {@code none} or a file path: a SiteConfig built
   * in code passes no loader, and a reference that is neither may be a secret pasted in (it is
   * shown by length). User info in the endpoint is hidden too.
   */
  @Override
  public String toString() {
    String ref = credentialsRef == null || credentialsRef.equals("none") || credentialsRef.startsWith("/")
        || credentialsRef.startsWith("./") || credentialsRef.startsWith("../") || credentialsRef.startsWith("~/")
        ? credentialsRef : "(" + credentialsRef.length() + " characters, not shown)";
    String shownEndpoint = endpoint == null ? null : endpoint.replaceFirst("//[^/@]*@", "//***@");
    return "SiteConfig[name=" + name + ", kind=" + kind + ", endpoint=" + shownEndpoint + ", credentialsRef=" + ref
        + ", latency=" + latency + ", properties=" + properties + "]";
  }

  /** An in-memory site. */
  public static SiteConfig memory(String name, Duration latency) {
    return new SiteConfig(name, "memory", null, null, latency, Map.of());
  }

  /**
   * For a {@link io.hybridstorage.api.spi.StoreProvider}: fails, naming the site, on a property
   * not in {@code known} (a misspelt setting must not be silently ignored).
   */
  public void checkProperties(Collection<String> known) {
    List<String> unknown = properties.keySet().stream().filter(k -> !known.contains(k)).sorted().toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("site " + name + ": unknown properties " + unknown + " for kind " + kind
          + "; known: " + known.stream().sorted().toList());
    }
  }

  /** A property as text, trimmed, or {@code defaultValue} when it is absent. */
  @Nullable
  public String stringProperty(String key, @Nullable String defaultValue) {
    return propertySection().text(key, defaultValue);
  }

  /** A whole-number property, or {@code defaultValue} when it is absent. */
  public int intProperty(String key, int defaultValue) {
    return propertySection().wholeNumber(key, defaultValue);
  }

  /** {@code true} or {@code false} (any case), or {@code defaultValue} when absent. */
  public boolean booleanProperty(String key, boolean defaultValue) {
    return propertySection().flag(key, defaultValue);
  }

  /**
   * A size in bytes: a number of bytes, or a number with a binary unit ({@code 512KiB}, {@code
   * 16MiB}, {@code 1GiB}, {@code 1TiB}); {@code defaultValue} when absent.
   */
  public long sizeProperty(String key, long defaultValue) {
    return propertySection().size(key, defaultValue);
  }

  /**
   * A duration written as in the configuration file ({@code 250ms}, {@code 1.5s}, {@code 5m} or
   * ISO-8601), or {@code defaultValue} when absent.
   */
  @Nullable
  public Duration durationProperty(String key, @Nullable Duration defaultValue) {
    return propertySection().duration(key, defaultValue);
  }

  /** The properties with the typed readers; errors name the site: {@code site dc1: properties.partSize}. */
  private ConfigSection propertySection() {
    return new ConfigSection("site " + name + ": properties", "site " + name, properties);
  }
}
