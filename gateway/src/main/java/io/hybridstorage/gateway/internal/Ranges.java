package io.hybridstorage.gateway.internal;

import io.hybridstorage.api.ByteRange;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectId;
import javax.annotation.Nullable;

/**
 * The {@code Range} header of a media download, as RFC 9110 defines it and GCS answers it: one
 * {@code bytes=first-last}, {@code bytes=first-} or {@code bytes=-suffix}. A range whose last
 * byte is before its first, or anything that is not a number, is a 400; a suffix of 0 bytes is
 * unsatisfiable (416); a range starting past the end is the store's 416.
 */
final class Ranges {

  private Ranges() {}

  static ByteRange parse(@Nullable String header, ObjectId id) {
    if (header == null || header.isBlank()) {
      return ByteRange.all();
    }
    String h = header.trim();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
      throw ApiException.invalid("Invalid Range header '" + Call.printable(header) + "': only bytes ranges are served");
    }
    String spec = h.substring(6).trim();
    if (spec.contains(",")) {
      throw ApiException.invalid("Invalid Range header '" + Call.printable(header)
          + "': one range per request (multipart/byteranges is not served)");
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      throw ApiException.invalid("Invalid Range header '" + Call.printable(header) + "'");
    }
    String first = spec.substring(0, dash).trim();
    String last = spec.substring(dash + 1).trim();
    if (first.isEmpty()) {
      long suffix = number(last, header);
      if (suffix == 0) {
        throw HybridStorageException.rangeNotSatisfiable("read", id.bucket(), id.name(), "gateway",
            "a suffix range of 0 bytes (" + Call.printable(header) + ") selects nothing");
      }
      return ByteRange.suffix(suffix);
    }
    long start = number(first, header);
    if (last.isEmpty()) {
      return ByteRange.from(start);
    }
    long end = number(last, header);
    if (end < start) {
      throw ApiException.invalid("Invalid Range header '" + Call.printable(header)
          + "': the last byte is before the first");
    }
    return end == Long.MAX_VALUE ? ByteRange.from(start) : ByteRange.of(start, end - start + 1);
  }

  private static long number(String s, String header) {
    if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw ApiException.invalid("Invalid Range header '" + Call.printable(header) + "'");
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw ApiException.invalid("Invalid Range header '" + Call.printable(header) + "': number too large");
    }
  }
}
