package io.hybridstorage.testkit.history;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.hybridstorage.api.Checksums;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import javax.annotation.Nullable;

/**
 * An object's content as a register value: its CRC32C (GCS's base64 form) and size. Two contents
 * are equal when both are; {@code preview} (the text of a short UTF-8 content, when the recorder
 * saw the bytes) is only for reports.
 */
record Content(String crc32c, long size, @Nullable String preview) {

  /** Contents up to this many bytes of printable UTF-8 are shown as text. */
  static final int PREVIEW_BYTES = 48;

  @Override
  public boolean equals(Object other) {
    return other instanceof Content that && that.size == size && that.crc32c.equals(crc32c);
  }

  @Override
  public int hashCode() {
    return crc32c.hashCode() * 31 + Long.hashCode(size);
  }

  @Override
  public String toString() {
    return preview != null ? "'" + preview + "'" : "crc32c:" + crc32c + "/" + size + "B";
  }

  /** The preview of {@code head} (the first bytes of a content of {@code size} bytes), if it is short text. */
  @Nullable
  static String preview(byte[] head, int length, long size) {
    if (size > PREVIEW_BYTES || length != size) {
      return null;
    }
    try {
      CharBuffer text = UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(head, 0, length));
      String s = text.toString();
      return s.chars().allMatch(c -> c >= 0x20 && c != 0x7f) ? s : null;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Accumulates bytes as they pass: CRC32C, size and the first bytes for a preview. Not thread-safe. */
  static final class Fingerprint {
    private final com.google.common.hash.Hasher crc = com.google.common.hash.Hashing.crc32c().newHasher();
    private final byte[] head = new byte[PREVIEW_BYTES];
    private int headLength;
    private long size;

    void update(byte[] bytes, int offset, int length) {
      crc.putBytes(bytes, offset, length);
      int copy = Math.min(length, PREVIEW_BYTES - headLength);
      if (copy > 0) {
        System.arraycopy(bytes, offset, head, headLength, copy);
        headLength += copy;
      }
      size += length;
    }

    void update(ByteBuffer bytes) {
      ByteBuffer view = bytes.duplicate();
      byte[] chunk = new byte[view.remaining()];
      view.get(chunk);
      update(chunk, 0, chunk.length);
    }

    @Nullable private Content content;

    /** The content of the bytes seen; call when they are all in (later updates are ignored). */
    Content content() {
      if (content == null) {
        content = new Content(Checksums.crc32cBase64(crc.hash()), size, preview(head, headLength, size));
      }
      return content;
    }
  }
}
