package io.hybridstorage.api.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * The fields a call's {@code fields(...)} option asks for ({@code BlobGetOption.fields}, {@code
 * BlobListOption.fields}, {@code BucketGetOption.fields}, {@code BucketListOption.fields}): GCS
 * then returns only those (the JSON API's partial response), so the client's {@code Blob} or
 * {@code Bucket} has every other field {@code null}. The option's value is the JSON API {@code
 * fields} parameter the client would send, e.g. {@code bucket,name,size} for a get and {@code
 * nextPageToken,prefixes,items/bucket,items/name,items/size} for a list; a selection is kept by
 * its top-level field names ({@code items/…} or {@code items(…)} for a list).
 */
final class FieldSelection {

  /** No {@code fields} option: every field. */
  static final FieldSelection ALL = new FieldSelection(null);

  @Nullable private final Set<String> names;

  private FieldSelection(@Nullable Set<String> names) {
    this.names = names;
  }

  /** The selection of a get's {@code fields} value; {@link #ALL} when there is none. */
  static FieldSelection ofResource(@Nullable String fields) {
    if (fields == null) {
      return ALL;
    }
    Set<String> names = new HashSet<>();
    for (String path : split(fields)) {
      names.add(root(path));
    }
    return new FieldSelection(names);
  }

  /** The selection within each item of a list's {@code fields} value; {@link #ALL} when there is none. */
  static FieldSelection ofItems(@Nullable String fields) {
    if (fields == null) {
      return ALL;
    }
    Set<String> names = new HashSet<>();
    for (String path : split(fields)) {
      if (path.startsWith("items/")) {
        names.add(root(path.substring("items/".length())));
      } else if (path.startsWith("items(") && path.endsWith(")")) {
        for (String inner : split(path.substring("items(".length(), path.length() - 1))) {
          names.add(root(inner));
        }
      } else if (path.equals("items")) {
        return ALL;
      }
    }
    return new FieldSelection(names);
  }

  /** Whether the field of this JSON name (e.g. {@code size}, {@code timeCreated}) is returned. */
  boolean has(String jsonName) {
    return names == null || names.contains(jsonName);
  }

  /** Top-level comma-separated parts; commas inside parentheses stay in their part. */
  private static List<String> split(String fields) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < fields.length(); i++) {
      char c = fields.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        add(parts, fields.substring(start, i));
        start = i + 1;
      }
    }
    add(parts, fields.substring(start));
    return parts;
  }

  private static void add(List<String> parts, String part) {
    String trimmed = part.trim();
    if (!trimmed.isEmpty()) {
      parts.add(trimmed);
    }
  }

  private static String root(String path) {
    int end = path.length();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '/' || c == '(') {
        end = i;
        break;
      }
    }
    return path.substring(0, end);
  }

  @Override
  public String toString() {
    return names == null ? "FieldSelection(all)" : "FieldSelection" + names;
  }
}
