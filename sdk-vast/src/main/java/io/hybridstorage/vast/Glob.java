package io.hybridstorage.vast;

import java.util.regex.Pattern;

/**
 * GCS's {@code matchGlob} as a regular expression: {@code **} any characters, {@code *} any
 * characters but {@code /}, {@code ?} one character but {@code /}, {@code [..]} a class
 * ({@code [!..]} negated), {@code {a,b}} alternatives.
 */
final class Glob {

  private Glob() {}

  static Pattern compile(String glob) {
    StringBuilder re = new StringBuilder();
    int braces = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            re.append(".*");
            i++;
          } else {
            re.append("[^/]*");
          }
        }
        case '?' -> re.append("[^/]");
        case '[' -> {
          int end = glob.indexOf(']', i + 2);
          if (end < 0) {
            re.append("\\[");
          } else {
            String body = glob.substring(i + 1, end);
            if (body.startsWith("!")) {
              body = "^" + body.substring(1);
            }
            re.append('[').append(body.replace("\\", "\\\\")).append(']');
            i = end;
          }
        }
        case '{' -> {
          braces++;
          re.append("(?:");
        }
        case '}' -> {
          if (braces > 0) {
            braces--;
            re.append(')');
          } else {
            re.append("\\}");
          }
        }
        case ',' -> re.append(braces > 0 ? "|" : ",");
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    while (braces-- > 0) {
      re.append(')');
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
