package io.hybridstorage.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor of {@link GatewayBenchmark}: a bare loopback socket server that speaks just enough
 * HTTP/1.1 for the same client and requests as the real servers. Per request it reads the head,
 * takes {@code Content-Length}, reads and discards that many body bytes; a {@code GET} is answered
 * with {@code getBytes} bytes written from one reused buffer, anything else with a fixed ~200-byte
 * JSON. No store, no parsing of paths or JSON, no hashing, no copies beyond the kernel's: what
 * loopback TCP and a thread per connection cost on this machine. TCP_NODELAY on; one daemon thread
 * per connection (at most 64 here).
 */
final class LoopbackFloor implements AutoCloseable {

  private static final byte[] PUT_ANSWER = ("{\"kind\":\"storage#object\",\"bucket\":\"bench\",\"name\":\"o\","
      + "\"generation\":\"1\",\"metageneration\":\"1\",\"contentType\":\"application/octet-stream\","
      + "\"size\":\"1024\",\"storageClass\":\"STANDARD\"}").getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final long getBytes;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger threads = new AtomicInteger();
  private volatile boolean closed;

  private LoopbackFloor(ServerSocket server, long getBytes) {
    this.server = server;
    this.getBytes = getBytes;
  }

  /** Listens on a free loopback port; every {@code GET} answers {@code getBytes} bytes. */
  static LoopbackFloor start(long getBytes) {
    try {
      ServerSocket socket = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
      LoopbackFloor floor = new LoopbackFloor(socket, getBytes);
      Thread acceptor = new Thread(floor::accept, "floor-accept");
      acceptor.setDaemon(true);
      acceptor.start();
      return floor;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the loopback floor", e);
    }
  }

  int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  private void accept() {
    while (!closed) {
      try {
        Socket s = server.accept();
        s.setTcpNoDelay(true);
        open.add(s);
        Thread t = new Thread(() -> serve(s), "floor-" + threads.incrementAndGet());
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (!closed) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private void serve(Socket s) {
    byte[] buf = new byte[64 * 1024];
    byte[] getHead = ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + getBytes
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] putAnswer = RawHttpClient.concat(("HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=UTF-8"
        + "\r\nContent-Length: " + PUT_ANSWER.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), PUT_ANSWER);
    // a small answer goes out in one write (with TCP_NODELAY, head and body would be two segments)
    byte[] getWhole = getBytes <= 64 * 1024 ? RawHttpClient.concat(getHead, new byte[(int) getBytes]) : null;
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      Head head = new Head();
      int pos = 0;
      int lim = 0;
      while (true) {
        // the head: up to an empty line; keep what follows it in buf
        head.reset();
        int lineStart = pos;
        while (true) {
          if (pos == lim) {
            if (lineStart > 0) { // move the partial line to the front
              System.arraycopy(buf, lineStart, buf, 0, lim - lineStart);
              pos -= lineStart;
              lim -= lineStart;
              lineStart = 0;
            }
            if (lim == buf.length) {
              throw new IOException("a request head line longer than " + buf.length + " bytes");
            }
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
              return;
            }
            lim += n;
          }
          if (buf[pos++] == '\n') {
            int len = pos - lineStart - 1;
            if (len > 0 && buf[lineStart + len - 1] == '\r') {
              len--;
            }
            if (len == 0) {
              break;
            }
            head.line(buf, lineStart, len);
            lineStart = pos;
          }
        }
        long body = head.contentLength;
        long buffered = Math.min(body, lim - pos);
        pos += (int) buffered;
        body -= buffered;
        while (body > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, body));
          if (n < 0) {
            return;
          }
          body -= n;
        }
        if (pos == lim) {
          pos = 0;
          lim = 0;
        }
        if (head.get && getWhole != null) {
          out.write(getWhole);
        } else if (head.get) {
          out.write(getHead);
          long left = getBytes;
          while (left > 0) {
            int n = (int) Math.min(Scratch.ZEROS.length, left);
            out.write(Scratch.ZEROS, 0, n);
            left -= n;
          }
        } else {
          out.write(putAnswer);
        }
        out.flush();
      }
    } catch (SocketException e) {
      // closed by the client or by close()
    } catch (IOException e) {
      if (!closed) {
        throw new UncheckedIOException(e);
      }
    } finally {
      open.remove(s);
    }
  }

  /** What the floor reads of a request head: the method and Content-Length. */
  private static final class Head {
    boolean first = true;
    boolean get;
    long contentLength;

    void reset() {
      first = true;
      get = false;
      contentLength = 0;
    }

    void line(byte[] b, int off, int len) {
      if (first) {
        first = false;
        get = len > 3 && b[off] == 'G' && b[off + 1] == 'E' && b[off + 2] == 'T' && b[off + 3] == ' ';
        return;
      }
      String prefix = "content-length:";
      if (len <= prefix.length()) {
        return;
      }
      for (int i = 0; i < prefix.length(); i++) {
        if (Character.toLowerCase((char) b[off + i]) != prefix.charAt(i)) {
          return;
        }
      }
      long v = 0;
      for (int i = off + prefix.length(); i < off + len; i++) {
        if (b[i] >= '0' && b[i] <= '9') {
          v = v * 10 + (b[i] - '0');
        }
      }
      contentLength = v;
    }
  }

  /** One shared read-only buffer the floor's answers are written from. */
  private static final class Scratch {
    static final byte[] ZEROS = new byte[64 * 1024];
  }
}
