package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A GCS {@code matchGlob} pattern (the {@code objects.list} parameter), compiled once and
 * matched against whole object names. Syntax, as the GCS listing documentation gives it:
 *
 * <ul>
 *   <li>{@code *} any run of characters within one "directory" level (not {@code /});
 *   <li>{@code **} any run of characters, across {@code /}; as a whole segment ({@code a/**}{@code
 *       /b}, or a leading {@code **}{@code /b}) it matches zero or more directories, so it also
 *       matches {@code a/b} and {@code b};
 *   <li>{@code ?} exactly one character other than {@code /};
 *   <li>{@code [abc]}, {@code [a-z]}, {@code [!abc]} (or {@code [^abc]}) one character of, or not
 *       of, a set, never {@code /} (as POSIX {@code fnmatch} with {@code FNM_PATHNAME}); a {@code ]}
 *       right after the opening bracket is literal;
 *   <li>{@code {foo,b*r}} any of the comma-separated alternatives (which may hold wildcards and
 *       nest);
 *   <li>{@code \} escapes the next character.
 * </ul>
 *
 * Everything else matches itself. An unclosed {@code [} or {@code {}, or a trailing {@code \}, is
 * an {@link IllegalArgumentException} naming the position; stores report it as 400. Instances are
 * immutable and thread-safe.
 */
public final class Glob {

  private final String pattern;
  private final Pattern regex;

  private Glob(String pattern, Pattern regex) {
    this.pattern = pattern;
    this.regex = regex;
  }

  /** Compiles {@code pattern}; {@link IllegalArgumentException} when it is malformed. */
  public static Glob compile(String pattern) {
    requireNonNull(pattern, "pattern");
    Translator translator = new Translator(pattern);
    String regex = translator.translate(0, false);
    return new Glob(pattern, Pattern.compile(regex, Pattern.DOTALL));
  }

  /** Whether the whole of {@code name} matches. */
  public boolean matches(String name) {
    return regex.matcher(name).matches();
  }

  /** The pattern as given. */
  public String pattern() {
    return pattern;
  }

  /** The equivalent regular expression (for diagnostics). */
  String regex() {
    return regex.pattern();
  }

  @Override
  public String toString() {
    return "Glob(" + pattern + ")";
  }

  /** A recursive-descent translation to a {@link Pattern}; braces recurse. */
  private static final class Translator {
    private final String p;
    private int i;

    Translator(String pattern) {
      this.p = pattern;
    }

    /**
     * Translates from the current position up to the end (top level) or up to the {@code ,} or
     * {@code }} that ends an alternative (inside braces; the caller consumes it).
     */
    String translate(int depth, boolean inBraces) {
      StringBuilder out = new StringBuilder();
      while (i < p.length()) {
        char c = p.charAt(i);
        if (inBraces && (c == ',' || c == '}')) {
          return out.toString();
        }
        switch (c) {
          case '\\' -> {
            if (i + 1 >= p.length()) {
              throw new IllegalArgumentException("glob '" + p + "' ends with an unfinished escape '\\'");
            }
            int cp = p.codePointAt(i + 1);
            literal(out, cp);
            i += 1 + Character.charCount(cp);
          }
          case '*' -> star(out);
          case '?' -> {
            out.append("[^/]");
            i++;
          }
          case '[' -> charClass(out);
          case '{' -> braces(out, depth);
          default -> {
            int cp = p.codePointAt(i);
            literal(out, cp);
            i += Character.charCount(cp);
          }
        }
      }
      if (inBraces) {
        throw new IllegalArgumentException("glob '" + p + "' has an unclosed '{'");
      }
      return out.toString();
    }

    private void star(StringBuilder out) {
      int start = i;
      while (i < p.length() && p.charAt(i) == '*') {
        i++;
      }
      if (i - start == 1) {
        out.append("[^/]*");
        return;
      }
      boolean segmentStart = start == 0 || p.charAt(start - 1) == '/';
      if (segmentStart && i < p.length() && p.charAt(i) == '/') {
        out.append("(?:.*/)?"); // "**/" : zero or more whole directories
        i++;
      } else {
        out.append(".*");
      }
    }

    private void charClass(StringBuilder out) {
      int open = i;
      i++; // '['
      boolean negate = i < p.length() && (p.charAt(i) == '!' || p.charAt(i) == '^');
      if (negate) {
        i++;
      }
      StringBuilder set = new StringBuilder();
      boolean first = true;
      while (true) {
        if (i >= p.length()) {
          throw new IllegalArgumentException("glob '" + p + "' has an unclosed '[' at index " + open);
        }
        int cp = p.codePointAt(i);
        if (cp == ']' && !first) {
          i++;
          break;
        }
        if (cp == '\\' && i + 1 < p.length()) {
          i++;
          cp = p.codePointAt(i);
        }
        i += Character.charCount(cp);
        first = false;
        if (i + 1 < p.length() && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
          int to = p.codePointAt(i + 1);
          if (to < cp) {
            throw new IllegalArgumentException("glob '" + p + "' has an empty range "
                + new String(Character.toChars(cp)) + "-" + new String(Character.toChars(to)));
          }
          i += 1 + Character.charCount(to);
          set.append(hex(cp)).append('-').append(hex(to));
        } else {
          set.append(hex(cp));
        }
      }
      // like '*' and '?', a class never matches the level separator '/'
      out.append(negate ? "[^/" : "[").append(set).append(negate ? "]" : "&&[^/]]");
    }

    private void braces(StringBuilder out, int depth) {
      int open = i;
      i++; // '{'
      out.append("(?:");
      while (true) {
        out.append(translate(depth + 1, true));
        if (i >= p.length()) {
          throw new IllegalArgumentException("glob '" + p + "' has an unclosed '{' at index " + open);
        }
        char c = p.charAt(i++);
        if (c == '}') {
          break;
        }
        out.append('|'); // c == ','
      }
      out.append(')');
    }

    private static void literal(StringBuilder out, int cp) {
      if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '/') {
        out.append((char) cp);
      } else {
        out.append(hex(cp));
      }
    }

    private static String hex(int cp) {
      return "\\x{" + Integer.toHexString(cp) + "}";
    }
  }
}
