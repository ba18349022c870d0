package io.hybridstorage.cli;

import java.time.Duration;

/** Durations as an operator reads them: {@code 0s}, {@code 850ms}, {@code 12.3s}, {@code 4m05s}, {@code 2h10m}. */
final class Durations {

  private Durations() {}

  static String format(Duration d) {
    long millis = d.toMillis();
    if (millis == 0) {
      return "0s";
    }
    if (millis < 1000) {
      return millis + "ms";
    }
    if (millis < 60_000) {
      return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    long seconds = millis / 1000;
    if (seconds < 3600) {
      return String.format(java.util.Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(java.util.Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
  }
}
