package io.hybridstorage.routing.history;

import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.ObjectInfo;
import java.nio.charset.StandardCharsets;
import javax.annotation.Nullable;

/**
 * A register value of the history: an object's content, compared by CRC32C and size (what every
 * site reports), shown as the text the suite wrote when it is known. Every write of the suite
 * writes a text no other write wrote, so a value names the one write it came from.
 */
record Val(String crc32c, long size, @Nullable String text) {

  static Val of(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new Val(Checksums.crc32c(bytes), bytes.length, text);
  }

  static Val of(byte[] bytes) {
    return new Val(Checksums.crc32c(bytes), bytes.length, new String(bytes, StandardCharsets.UTF_8));
  }

  /** The value an {@code ObjectInfo} reports (text unknown), or null when it reports no CRC32C. */
  @Nullable
  static Val of(ObjectInfo info) {
    return info.crc32c() == null ? null : new Val(info.crc32c(), info.size(), null);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Val that && that.size == size && that.crc32c.equals(crc32c);
  }

  @Override
  public int hashCode() {
    return crc32c.hashCode() * 31 + Long.hashCode(size);
  }

  @Override
  public String toString() {
    return text != null ? "'" + text + "'" : "crc32c:" + crc32c + "/" + size + "B";
  }
}
