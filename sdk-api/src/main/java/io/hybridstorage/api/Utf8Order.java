package io.hybridstorage.api;

import java.util.Comparator;
import javax.annotation.Nullable;

/**
 * The order GCS (and S3) list names in: lexicographic by UTF-8 bytes. For valid Unicode strings
 * this equals code point order, which differs from {@link String#compareTo} (UTF-16 code units)
 * exactly where a supplementary character (a surrogate pair, e.g. an emoji) meets a character
 * from U+E000 to U+FFFF: {@code "\uFFFD"} sorts before {@code "😀"} here but after it in Java
 * string order. Comparing needs no encoding: surrogates are remapped above U+FFFF on the fly.
 *
 * <p>Use {@link #INSTANCE} wherever names are sorted (a {@code ConcurrentSkipListMap} of a
 * bucket, a merged listing of several sites), and {@link #prefixEnd} to jump past every name
 * with a given prefix.
 */
public final class Utf8Order implements Comparator<String> {

  /** The one instance (stateless, thread-safe). */
  public static final Utf8Order INSTANCE = new Utf8Order();

  private Utf8Order() {}

  @Override
  public int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        return fixup(ca) - fixup(cb);
      }
    }
    return a.length() - b.length();
  }

  /** Whether {@code a} sorts strictly before {@code b}. */
  public static boolean lessThan(String a, String b) {
    return INSTANCE.compare(a, b) < 0;
  }

  /** The later of two bounds; {@code null} means "no bound" and loses to any string. */
  @Nullable
  public static String max(@Nullable String a, @Nullable String b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return INSTANCE.compare(a, b) >= 0 ? a : b;
  }

  /**
   * The smallest string that sorts after every string starting with {@code prefix}, or {@code
   * null} when there is none (the prefix is empty or only U+10FFFF). Every name {@code >=} the
   * result does not start with {@code prefix}; every name starting with it is {@code <} the
   * result.
   */
  @Nullable
  public static String prefixEnd(String prefix) {
    int end = prefix.length();
    while (end > 0) {
      int last = prefix.codePointBefore(end);
      int start = end - Character.charCount(last);
      if (last < Character.MAX_CODE_POINT) {
        int next = last + 1;
        if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
          next = Character.MAX_SURROGATE + 1;
        }
        return new StringBuilder(start + 2).append(prefix, 0, start).appendCodePoint(next).toString();
      }
      end = start;
    }
    return null;
  }

  /** Maps UTF-16 units so that their numeric order is code point order: surrogates go last. */
  private static int fixup(char c) {
    if (c >= Character.MIN_SURROGATE) {
      return c <= Character.MAX_SURROGATE ? c + 0x2000 : c - 0x800;
    }
    return c;
  }

  @Override
  public String toString() {
    return "Utf8Order";
  }
}
