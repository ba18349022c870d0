package io.hybridstorage.vast;

import java.util.Comparator;

/** Strings in UTF-8 byte order (= code point order; Java's {@code compareTo} is UTF-16 order). */
final class Utf8Order {

  static final Comparator<String> COMPARATOR = Utf8Order::compare;

  private Utf8Order() {}

  static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /**
   * A string just below {@code s}, for S3's exclusive {@code start-after} when GCS's {@code
   * startOffset} is inclusive: {@code s} with its last code point lowered by one and padded with
   * U+10FFFF, so only names that are practically impossible fall between. Null when {@code s}
   * has no such predecessor (empty, or ending in U+0000): then list from the start and filter.
   */
  static String predecessor(String s) {
    if (s.isEmpty()) {
      return null;
    }
    int last = s.codePointBefore(s.length());
    if (last == 0) {
      return null;
    }
    int lower = last - 1;
    if (lower >= Character.MIN_SURROGATE && lower <= Character.MAX_SURROGATE) {
      lower = Character.MIN_SURROGATE - 1;
    }
    String head = s.substring(0, s.length() - Character.charCount(last));
    return head + new String(Character.toChars(lower)) + "\uDBFF\uDFFF\uDBFF\uDFFF\uDBFF\uDFFF\uDBFF\uDFFF";
  }
}
