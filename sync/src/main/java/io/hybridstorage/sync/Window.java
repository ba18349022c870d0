package io.hybridstorage.sync;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import javax.annotation.Nullable;

/**
 * A hot-set rule's time window: objects whose partition (a {@code key=value} path segment in the
 * name, e.g. {@code sales/dt=2026-12-01/part-0.parquet}) or update time lies within {@link
 * #within()} of now. Partition values are read with {@link #format()} (a date, or a date and
 * time) in UTC; a name without the key, or with a value the format cannot read, is outside the
 * window (not hot).
 *
 * @param partitionKey the key of the partition segment, or null for an update-time window
 * @param format how the partition value is written (default {@code yyyy-MM-dd})
 * @param within how far back the window reaches
 */
public record Window(@Nullable String partitionKey, DateTimeFormatter format, Duration within) {

  public static final DateTimeFormatter DEFAULT_FORMAT = DateTimeFormatter.ISO_LOCAL_DATE;

  public Window {
    requireNonNull(format, "format");
    requireNonNull(within, "within");
    if (within.isNegative() || within.isZero()) {
      throw new IllegalArgumentException("a window must reach back a positive time, not " + within);
    }
  }

  /** Objects whose {@code key=value} partition is within {@code within} of now. */
  public static Window partition(String key, DateTimeFormatter format, Duration within) {
    return new Window(requireNonNull(key, "key"), format, within);
  }

  /** Objects updated within {@code within} of now. */
  public static Window updatedWithin(Duration within) {
    return new Window(null, DEFAULT_FORMAT, within);
  }

  /** Whether {@code name} (updated at {@code updated}, null when unknown) is in the window at {@code now}. */
  public boolean contains(String name, @Nullable Instant updated, Instant now) {
    Instant oldest = now.minus(within);
    if (partitionKey == null) {
      return updated == null || !updated.isBefore(oldest);
    }
    TemporalAccessor partition = partition(name);
    if (partition == null) {
      return false;
    }
    if (partition.isSupported(ChronoField.HOUR_OF_DAY)) {
      return !LocalDateTime.from(partition).toInstant(ZoneOffset.UTC).isBefore(oldest);
    }
    // a day partition is hot while its day is not older than the window's oldest day
    return !LocalDate.from(partition).isBefore(LocalDate.ofInstant(oldest, ZoneOffset.UTC));
  }

  /** The partition value read, or null when the name has no readable {@code key=value} segment. */
  @Nullable
  private TemporalAccessor partition(String name) {
    String marker = partitionKey + "=";
    for (String segment : name.split("/", -1)) {
      if (segment.startsWith(marker)) {
        try {
          TemporalAccessor t = format.parse(segment.substring(marker.length()));
          return t.isSupported(ChronoField.EPOCH_DAY) ? t : null;
        } catch (DateTimeParseException e) {
          return null;
        }
      }
    }
    return null;
  }
}
