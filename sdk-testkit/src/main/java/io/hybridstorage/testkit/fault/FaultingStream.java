package io.hybridstorage.testkit.fault;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A stream under body faults: a read's response body, or the caller's data flowing into {@code
 * write(request, stream)} (the request body).
 */
final class FaultingStream extends InputStream {

  private final InputStream in;
  private final BodyFaults faults;

  FaultingStream(InputStream in, Plan plan, Operation.Kind kind) {
    this.in = in;
    this.faults = new BodyFaults(plan, kind);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (length == 0) {
      return 0;
    }
    long allowed = faults.admit();
    if (allowed < 0) {
      return -1;
    }
    int n = in.read(buffer, offset, (int) Math.min(length, allowed));
    if (n > 0) {
      faults.advance(n);
    }
    return n;
  }

  @Override
  public int available() throws IOException {
    return in.available();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
