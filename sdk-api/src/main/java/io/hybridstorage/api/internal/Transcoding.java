package io.hybridstorage.api.internal;

import io.hybridstorage.api.ObjectInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.zip.GZIPInputStream;

/**
 * The client's automatic gzip decompression: an object stored with {@code Content-Encoding: gzip}
 * reads decompressed unless the caller asked for the raw bytes ({@code
 * shouldReturnRawInputStream(true)}), and only when the bytes really start with the gzip magic
 * number (as the client's {@code GzipReadableByteChannel} checks), so a read from the middle of an
 * object, or a mislabelled object, passes through unchanged.
 */
final class Transcoding {

  private Transcoding() {}

  static InputStream decode(ObjectInfo info, InputStream in, boolean raw) throws IOException {
    if (raw || !"gzip".equalsIgnoreCase(info.metadata().contentEncoding())) {
      return in;
    }
    PushbackInputStream peek = new PushbackInputStream(in, 2);
    byte[] magic = new byte[2];
    int n = peek.readNBytes(magic, 0, 2);
    if (n > 0) {
      peek.unread(magic, 0, n);
    }
    if (n == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new GZIPInputStream(peek, 64 * 1024);
    }
    return peek;
  }
}
