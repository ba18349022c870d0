package io.hybridstorage.vast;

import java.io.FilterInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The body of a GET as the caller reads it. An I/O failure mid-body (a reset connection, a
 * socket timeout) is thrown as a retryable {@link io.hybridstorage.api.HybridStorageException}
 * 503 naming the object and endpoint. Closing before the end aborts the HTTP connection rather
 * than draining the rest of a possibly huge body.
 */
final class S3BodyStream extends FilterInputStream {

  private final ResponseInputStream<GetObjectResponse> response;
  private final S3Errors errors;
  private final String op;
  private final String bucket;
  private final String name;
  private boolean eof;
  private boolean closed;

  S3BodyStream(ResponseInputStream<GetObjectResponse> response, S3Errors errors, String op, String bucket,
      String name) {
    super(response);
    this.response = response;
    this.errors = errors;
    this.op = op;
    this.bucket = bucket;
    this.name = name;
  }

  @Override
  public int read() throws IOException {
    try {
      int b = super.read();
      eof |= b < 0;
      return b;
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    try {
      int n = super.read(buffer, offset, length);
      eof |= n < 0;
      return n;
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return super.skip(n);
    } catch (IOException e) {
      throw fail(e);
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
