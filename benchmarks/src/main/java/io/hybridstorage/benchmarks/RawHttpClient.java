package io.hybridstorage.benchmarks;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A bare HTTP/1.1 keep-alive client over one socket, for {@link GatewayBenchmark}: it sends
 * prebuilt request heads (and bodies from one reused buffer) and reads the response into one
 * reused buffer, allocating nothing per call, so that the servers' costs are not hidden behind a
 * client's (the GCS client, or {@code java.net.http.HttpClient} with its selector thread and
 * per-call objects) and the heap growth seen during a large transfer is the server's. It reads
 * {@code Content-Length} and chunked bodies, reconnects after {@code Connection: close}, and throws
 * on any status other than 2xx with the start of the answer. One instance per thread.
 */
final class RawHttpClient implements Closeable {

  private final int port;
  private final byte[] buf = new byte[64 * 1024];
  private final byte[] line = new byte[8 * 1024];
  private final byte[] out = new byte[64 * 1024];
  private int pos;
  private int lim;
  private Socket socket;
  private InputStream in;
  private OutputStream os;
  private boolean closeAfter;

  RawHttpClient(int port) {
    this.port = port;
    connect();
  }

  /** {@code GET path HTTP/1.1} with a {@code Host} header, as bytes to send again and again. */
  static byte[] get(int port, String pathAndQuery) {
    return ("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** A {@code POST} head announcing {@code length} bytes of {@code application/octet-stream}. */
  static byte[] post(int port, String pathAndQuery, long length) {
    return ("POST " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** A head and a small body in one array, sent with one write. */
  static byte[] concat(byte[] head, byte[] body) {
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** Sends {@code request} (head and any body) and returns the length of the response body read. */
  long exchange(byte[] request) throws IOException {
    reconnectIfClosed();
    os.write(request);
    os.flush();
    return readResponse();
  }

  /** Sends {@code head}, then {@code length} bytes from a reused buffer, and reads the response. */
  long upload(byte[] head, long length) throws IOException {
    reconnectIfClosed();
    os.write(head);
    long left = length;
    while (left > 0) {
      int n = (int) Math.min(out.length, left);
      os.write(out, 0, n);
      left -= n;
    }
    os.flush();
    return readResponse();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  private void connect() {
    try {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(60_000);
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
      in = socket.getInputStream();
      os = socket.getOutputStream();
      pos = 0;
      lim = 0;
      closeAfter = false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to 127.0.0.1:" + port, e);
    }
  }

  private void reconnectIfClosed() {
    if (closeAfter) {
      close();
      connect();
    }
  }

  private long readResponse() throws IOException {
    int n = readLine();
    if (n < 12 || line[0] != 'H') {
      throw new IOException("not an HTTP status line: " + new String(line, 0, n, StandardCharsets.ISO_8859_1));
    }
    int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    long length = -1;
    boolean chunked = false;
    closeAfter = false;
    while ((n = readLine()) > 0) {
      if (startsWithIgnoreCase(n, "content-length:")) {
        length = parseLong(n, "content-length:".length());
      } else if (startsWithIgnoreCase(n, "transfer-encoding:") && containsIgnoreCase(n, "chunked")) {
        chunked = true;
      } else if (startsWithIgnoreCase(n, "connection:") && containsIgnoreCase(n, "close")) {
        closeAfter = true;
      }
    }
    if (status / 100 != 2) {
      byte[] start = new byte[Math.min(2048, Math.max(0, lim - pos))];
      System.arraycopy(buf, pos, start, 0, start.length);
      closeAfter = true;
      throw new IOException("HTTP " + status + ": " + new String(start, StandardCharsets.UTF_8));
    }
    if (status == 204 || status == 304) {
      return 0;
    }
    if (chunked) {
      long total = 0;
      while (true) {
        n = readLine();
        long size = parseHex(n);
        if (size == 0) {
          while (readLine() > 0) {
            // trailers
          }
          return total;
        }
        skip(size);
        total += size;
        readLine(); // the CRLF after the chunk
      }
    }
    if (length < 0) {
      closeAfter = true;
      long total = 0;
      while (fill()) {
        total += lim - pos;
        pos = lim;
      }
      return total;
    }
    skip(length);
    return length;
  }

  /** Reads past {@code count} body bytes into the reused buffer. */
  private void skip(long count) throws IOException {
    long left = count;
    while (left > 0) {
      if (pos == lim && !fill()) {
        throw new EOFException("the connection closed with " + left + " of " + count + " body bytes unread");
      }
      int n = (int) Math.min(left, lim - pos);
      pos += n;
      left -= n;
    }
  }

  /** One line without its CRLF into {@link #line}; its length. */
  private int readLine() throws IOException {
    int n = 0;
    while (true) {
      if (pos == lim && !fill()) {
        throw new EOFException("the connection closed in a response head");
      }
      byte b = buf[pos++];
      if (b == '\n') {
        return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
      }
      if (n == line.length) {
        throw new IOException("a response header line longer than " + line.length + " bytes");
      }
      line[n++] = b;
    }
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n < 0) {
      return false;
    }
    pos = 0;
    lim = n;
    return true;
  }

  private boolean startsWithIgnoreCase(int n, String prefix) {
    if (n < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (Character.toLowerCase((char) line[i]) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean containsIgnoreCase(int n, String word) {
    outer:
    for (int i = 0; i + word.length() <= n; i++) {
      for (int j = 0; j < word.length(); j++) {
        if (Character.toLowerCase((char) line[i + j]) != word.charAt(j)) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private long parseLong(int n, int from) {
    long v = 0;
    for (int i = from; i < n; i++) {
      byte b = line[i];
      if (b >= '0' && b <= '9') {
        v = v * 10 + (b - '0');
      }
    }
    return v;
  }

  private long parseHex(int n) throws IOException {
    long v = 0;
    int digits = 0;
    for (int i = 0; i < n; i++) {
      int d = Character.digit((char) line[i], 16);
      if (d < 0) {
        break; // a chunk extension
      }
      v = v * 16 + d;
      digits++;
    }
    if (digits == 0) {
      throw new IOException("not a chunk size: " + new String(line, 0, n, StandardCharsets.ISO_8859_1));
    }
    return v;
  }
}
