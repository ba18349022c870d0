package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * A part of the configuration that sdk-api carries without knowing its keys: single values kept
 * as text, whose meaning belongs to the component that reads them. The router's tuning ({@link
 * HybridStorageOptions#routing()}, read by the {@link io.hybridstorage.api.spi.RouterProvider})
 * and a site's backend {@link SiteConfig#properties() properties} are such sections; sdk-api stays
 * independent of the modules that know the keys.
 *
 * <p>The file loader checks the syntax only (a mapping of single values). The reader checks the
 * keys and the values with the typed readers below, which accept the forms of the rest of the file
 * (sizes {@code 16MiB}, durations {@code 250ms}, {@code 1.5s} or ISO-8601) and fail with an {@link
 * IllegalArgumentException} naming the key, the value and what is allowed. A reader that checks
 * every key first and then reports all problems together calls {@link #requireNoProblems}, which
 * throws a {@link HybridStorageConfigException} naming {@link #origin()} (the file).
 *
 * @param name how messages name this section and its keys: {@code routing} gives {@code
 *     routing.callTimeout}
 * @param origin where the values came from: the configuration file (and who named it), or the
 *     builder method that set them
 * @param values key → value as written, in configuration order; absent or blank: the reader's
 *     default
 */
public record ConfigSection(String name, String origin, Map<String, String> values) {

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(KiB|MiB|GiB|TiB)?");

  public ConfigSection {
    requireNonNull(name, "name");
    requireNonNull(origin, "origin");
    Map<String, String> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(requireNonNull(k, "key"), requireNonNull(v, () -> name + "." + k)));
    values = Collections.unmodifiableMap(copy);
  }

  /** A section without values: every reader returns its default. */
  public static ConfigSection empty(String name) {
    return new ConfigSection(name, "(not configured)", Map.of());
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * One problem per key not in {@code known}, in configuration order, as the file loader words
   * them: {@code routing.callTimout: unknown key; valid keys here: callTimeout, …}.
   */
  public List<String> unknownKeys(Collection<String> known) {
    return values.keySet().stream()
        .filter(k -> !known.contains(k))
        .map(k -> name + "." + k + ": unknown key; valid keys here: " + String.join(", ", known))
        .toList();
  }

  /**
   * The problem line for a value that is not what {@code key} allows: {@code routing.retryAttempts
   * ('0') must be a whole number >= 1}.
   */
  public String mustBe(String key, String allowed) {
    return name + "." + key + " ('" + values.get(key) + "') must be " + allowed;
  }

  /**
   * Throws a {@link HybridStorageConfigException} naming {@link #origin()} and listing {@code
   * problems}, when there are any.
   */
  public void requireNoProblems(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new HybridStorageConfigException(origin, problems);
    }
  }

  /** The value as text, trimmed, or {@code defaultValue} when it is absent. */
  @Nullable
  public String text(String key, @Nullable String defaultValue) {
    String value = values.get(key);
    return value == null || value.isBlank() ? defaultValue : value.trim();
  }

  /** A whole number that fits an {@code int}, or {@code defaultValue} when absent. */
  public int wholeNumber(String key, int defaultValue) {
    String value = text(key, null);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw invalid(key, "a whole number", e);
    }
  }

  /** A decimal number ({@code 50}, {@code 12.5}), or {@code defaultValue} when absent. */
  public double decimal(String key, double defaultValue) {
    String value = text(key, null);
    if (value == null) {
      return defaultValue;
    }
    try {
      return new java.math.BigDecimal(value).doubleValue();
    } catch (NumberFormatException e) {
      throw invalid(key, "a number", e);
    }
  }

  /** {@code true} or {@code false} (any case), or {@code defaultValue} when absent. */
  public boolean flag(String key, boolean defaultValue) {
    String value = text(key, null);
    if (value == null) {
      return defaultValue;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(key, "true or false", null);
    };
  }

  /**
   * A size in bytes: a number of bytes, or a number with a binary unit ({@code 512KiB}, {@code
   * 16MiB}, {@code 1GiB}, {@code 1TiB}); {@code defaultValue} when absent.
   */
  public long size(String key, long defaultValue) {
    String value = text(key, null);
    if (value == null) {
      return defaultValue;
    }
    Matcher m = SIZE.matcher(value);
    if (!m.matches()) {
      throw invalid(key, "a size (bytes, or with KiB, MiB, GiB, TiB)", null);
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
        throw invalid(key, "a size that fits 63 bits", null);
      }
      return amount << shift;
    } catch (NumberFormatException e) {
      throw invalid(key, "a size that fits 63 bits", e);
    }
  }

  /**
   * A duration of zero or more, written as in the configuration file ({@code 250ms}, {@code 1.5s},
   * {@code 5m} or ISO-8601), or {@code defaultValue} when absent.
   */
  @Nullable
  public Duration duration(String key, @Nullable Duration defaultValue) {
    String value = text(key, null);
    if (value == null) {
      return defaultValue;
    }
    Duration d = ConfigLoader.parseDuration(value);
    if (d == null || d.isNegative()) {
      throw invalid(key, "a duration (250ms, 1.5s, 5m or ISO-8601)", null);
    }
    return d;
  }

  private IllegalArgumentException invalid(String key, String allowed, @Nullable Exception cause) {
    return new IllegalArgumentException(mustBe(key, allowed), cause);
  }
}
