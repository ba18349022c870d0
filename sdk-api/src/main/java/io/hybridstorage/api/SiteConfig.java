package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    String value = properties.get(key);
    return value == null || value.isBlank() ? defaultValue : value.trim();
  }

  /** A whole-number property, or {@code defaultValue} when it is absent. */
  public int intProperty(String key, int defaultValue) {
    String value = properties.get(key);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw badProperty(key, value, "a whole number", e);
    }
  }

  /** {@code true} or {@code false} (any case), or {@code defaultValue} when absent. */
  public boolean booleanProperty(String key, boolean defaultValue) {
    String value = properties.get(key);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw badProperty(key, value, "true or false", null);
    };
  }

  /**
   * A size in bytes: a number of bytes, or a number with a binary unit ({@code 512KiB}, {@code
   * 16MiB}, {@code 1GiB}, {@code 1TiB}); {@code defaultValue} when absent.
   */
  public long sizeProperty(String key, long defaultValue) {
    String value = properties.get(key);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    Matcher m = SIZE.matcher(value.trim());
    if (!m.matches()) {
      throw badProperty(key, value, "a size (bytes, or with KiB, MiB, GiB, TiB)", null);
    }
    int shift = switch (m.group(2) == null ? "" : m.group(2)) {
      case "KiB" -> 10;
      case "MiB" -> 20;
      case "GiB" -> 30;
      case "TiB" -> 40;
      default -> 0;
    };
    try {
      long amount = Long.parseLong(m.group(1));
      if (amount > (Long.MAX_VALUE >> shift)) {
        throw badProperty(key, value, "a size that fits 63 bits", null);
      }
      return amount << shift;
    } catch (NumberFormatException e) {
      throw badProperty(key, value, "a size that fits 63 bits", e);
    }
  }

  /**
   * A duration written as in the configuration file ({@code 250ms}, {@code 1.5s}, {@code 5m} or
   * ISO-8601), or {@code defaultValue} when absent.
   */
  @Nullable
  public Duration durationProperty(String key, @Nullable Duration defaultValue) {
    String value = properties.get(key);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    Duration d = ConfigLoader.parseDuration(value.trim());
    if (d == null || d.isNegative()) {
      throw badProperty(key, value, "a duration (250ms, 1.5s, 5m or ISO-8601)", null);
    }
    return d;
  }

  private IllegalArgumentException badProperty(String key, String value, String what, @Nullable Exception cause) {
    return new IllegalArgumentException("site " + name + ": properties." + key + " ('" + value + "') must be "
        + what, cause);
  }

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(KiB|MiB|GiB|TiB)?");
}
