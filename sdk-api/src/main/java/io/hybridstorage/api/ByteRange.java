package io.hybridstorage.api;

/**
 * A byte range of an object: {@code length} bytes from {@code offset} ({@code length == -1}: to
 * the end), or, when {@code offset < 0}, the last {@code -offset} bytes (a suffix range).
 */
public record ByteRange(long offset, long length) {

  private static final ByteRange ALL = new ByteRange(0, -1);

  public ByteRange {
    if (length < -1) {
      throw new IllegalArgumentException("length (" + length + ") must be >= -1");
    }
    if (offset < 0 && length != -1) {
      throw new IllegalArgumentException("a suffix range (offset " + offset + ") cannot have a length");
    }
  }

  public static ByteRange all() {
    return ALL;
  }

  public static ByteRange from(long offset) {
    return new ByteRange(offset, -1);
  }

  public static ByteRange of(long offset, long length) {
    return new ByteRange(offset, length);
  }

  /** The last {@code n} bytes (all of them if the object is shorter). */
  public static ByteRange suffix(long n) {
    if (n <= 0) {
      throw new IllegalArgumentException("suffix length (" + n + ") must be positive");
    }
    return new ByteRange(-n, -1);
  }

  public boolean isAll() {
    return offset == 0 && length == -1;
  }

  /** The first byte this range reads of an object of {@code size} bytes. */
  public long start(long size) {
    return offset < 0 ? Math.max(0, size + offset) : offset;
  }

  /** The number of bytes this range reads of an object of {@code size} bytes (after {@link #check}). */
  public long count(long size) {
    long start = start(size);
    long remaining = Math.max(0, size - start);
    return length == -1 ? remaining : Math.min(length, remaining);
  }

  /**
   * 416 when the range starts at or past the end of a non-empty object (HTTP's rule; GCS answers
   * the same). A range at offset 0 of an empty object reads nothing.
   */
  public void check(long size, String operation, String bucket, String name, String site) {
    if (offset > 0 && offset >= size) {
      throw HybridStorageException.rangeNotSatisfiable(operation, bucket, name, site,
          "range starts at " + offset + " but the object has " + size + " bytes");
    }
  }

  @Override
  public String toString() {
    if (offset < 0) {
      return "bytes=" + offset;
    }
    return "bytes=" + offset + "-" + (length == -1 ? "" : String.valueOf(offset + length - 1));
  }
}
