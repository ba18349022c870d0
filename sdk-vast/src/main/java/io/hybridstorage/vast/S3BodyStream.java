package io.hybridstorage.vast;

import io.hybridstorage.api.Checksums;
import java.io.FilterInputStream;
import java.io.IOException;
import java.util.zip.CRC32C;
import javax.annotation.Nullable;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The body of a GET as the caller reads it. An I/O failure mid-body (a reset connection, a
 * socket timeout) is thrown as a retryable {@link io.hybridstorage.api.HybridStorageException}
 * 503 naming the object and endpoint. Closing before the end aborts the HTTP connection rather
 * than draining the rest of a possibly huge body. When the whole object is read and its CRC32C
 * is recorded, the bytes are checked against it at the end: a mismatch (a torn or corrupted
 * body) is a retryable 503 instead of silently wrong data.
 */
final class S3BodyStream extends FilterInputStream {

  private final ResponseInputStream<GetObjectResponse> response;
  private final S3Errors errors;
  private final String op;
  private final String bucket;
  private final String name;
  @Nullable private final String expectedCrc32c;
  @Nullable private final CRC32C crc;
  private boolean eof;
  private boolean closed;

  /**
   * @param expectedCrc32c the whole object's recorded CRC32C to check at the end, or null
   *     (a range, or unknown)
   */
  S3BodyStream(ResponseInputStream<GetObjectResponse> response, S3Errors errors, String op, String bucket,
      String name, @Nullable String expectedCrc32c) {
    super(response);
    this.response = response;
    this.errors = errors;
    this.op = op;
    this.bucket = bucket;
    this.name = name;
    this.expectedCrc32c = expectedCrc32c;
    this.crc = expectedCrc32c == null ? null : new CRC32C();
  }

  @Override
  public int read() throws IOException {
    try {
      int b = super.read();
      if (b < 0) {
        atEnd();
      } else if (crc != null) {
        crc.update(b);
      }
      return b;
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    try {
      int n = super.read(buffer, offset, length);
      if (n < 0) {
        atEnd();
      } else if (crc != null) {
        crc.update(buffer, offset, n);
      }
      return n;
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    // skipped bytes still count towards the CRC32C
    byte[] sink = new byte[(int) Math.min(8192, Math.max(0, n))];
    long skipped = 0;
    while (skipped < n) {
      int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  private void atEnd() {
    if (eof) {
      return;
    }
    eof = true;
    if (crc != null) {
      String actual = Checksums.crc32cBase64(com.google.common.hash.HashCode.fromInt((int) crc.getValue()));
      if (!actual.equals(expectedCrc32c)) {
        throw errors.unavailable(op, bucket, name, "the bytes read have CRC32C " + actual
            + " but the object records " + expectedCrc32c + " (torn or corrupted body; retry)", null);
      }
    }
  }

  private RuntimeException fail(IOException e) {
    response.abort();
    return errors.io(op, bucket, name, e);
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (!eof) {
      response.abort();
    }
    try {
      response.close();
    } catch (IOException e) {
      // aborted connections may complain on close; the caller is done with the bytes
    }
  }
}
