package io.hybridstorage.cli;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Listings through the hybrid {@code Storage} shared by {@code ls}, {@code cp -r} and {@code rm -r}. */
final class Listings {

  private Listings() {}

  /** {@code name} as a folder: itself when empty or ending in {@code /}, else with a {@code /} added. */
  static String folder(String name) {
    return name.isEmpty() || name.endsWith("/") ? name : name + "/";
  }

  /** The last segment of {@code name} (without a trailing {@code /}). */
  static String baseName(String name) {
    String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  /**
   * The live objects whose names start with {@code prefix}, every level (no delimiter), in name
   * order; with {@code versions}, noncurrent versions too.
   */
  static List<Blob> objects(Storage storage, String bucket, String prefix, boolean versions) {
    return list(storage, bucket, prefix, versions, false);
  }

  /**
   * One level under {@code prefix} ({@code /} as the delimiter): objects, and the folders below as
   * directory entries ({@link Blob#isDirectory()}), in name order.
   */
  static List<Blob> level(Storage storage, String bucket, String prefix, boolean versions) {
    return list(storage, bucket, prefix, versions, true);
  }

  private static List<Blob> list(Storage storage, String bucket, String prefix, boolean versions, boolean oneLevel) {
    List<BlobListOption> options = new ArrayList<>();
    if (oneLevel) {
      options.add(BlobListOption.currentDirectory());
    }
    if (!prefix.isEmpty()) {
      options.add(BlobListOption.prefix(prefix));
    }
    if (versions) {
      options.add(BlobListOption.versions(true));
    }
    List<Blob> result = new ArrayList<>();
    for (Blob blob : storage.list(bucket, options.toArray(BlobListOption[]::new)).iterateAll()) {
      result.add(blob);
    }
    result.sort(Comparator.comparing(Blob::getName).thenComparing(b -> b.getGeneration() == null ? 0L
        : b.getGeneration()));
    return result;
  }
}
