package io.hybridstorage.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor of {@link GatewayBenchmark}: a bare loopback socket server that speaks just enough
 * HTTP/1.1 for the same client and requests as the real servers. Per request it reads the head,
 * takes {@code Content-Length}, reads and discards that many body bytes; a {@code GET} is answered
 * with {@code getBytes} bytes written from one reused buffer, anything else with a fixed ~200-byte
 * JSON. No store, no parsing of paths or JSON, no hashing, and direct buffers through blocking
 * {@link SocketChannel}s, so no copy beyond the kernel's: what loopback TCP and a thread per
 * connection cost on this machine. TCP_NODELAY on; one daemon thread per connection (at most 64
 * here).
 */
final class LoopbackFloor implements AutoCloseable {

  private static final byte[] PUT_ANSWER = ("{\"kind\":\"storage#object\",\"bucket\":\"bench\",\"name\":\"o\","
      + "\"generation\":\"1\",\"metageneration\":\"1\",\"contentType\":\"application/octet-stream\","
      + "\"size\":\"1024\",\"storageClass\":\"STANDARD\"}").getBytes(StandardCharsets.US_ASCII);

  private final ServerSocketChannel server;
  private final long getBytes;
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger threads = new AtomicInteger();
  private volatile boolean closed;

  private LoopbackFloor(ServerSocketChannel server, long getBytes) {
    this.server = server;
    this.getBytes = getBytes;
  }

  /** Listens on a free loopback port; every {@code GET} answers {@code getBytes} bytes. */
  static LoopbackFloor start(long getBytes) {
    try {
      ServerSocketChannel socket = ServerSocketChannel.open();
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
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
    return server.socket().getLocalPort();
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    for (SocketChannel s : open) {
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
        SocketChannel s = server.accept();
        s.setOption(StandardSocketOptions.TCP_NODELAY, true);
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

  private static ByteBuffer direct(byte[] bytes) {
    return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
  }

  private static void writeFully(SocketChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  /**
   * One connection: direct buffers through a blocking {@link SocketChannel} (no copy into the heap,
   * as Jetty does), one 64 KiB buffer for reading and one for the bytes of a large answer.
   */
  private void serve(SocketChannel ch) {
    byte[] getHead = ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + getBytes
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    // a small answer goes out in one write (with TCP_NODELAY, head and body would be two segments)
    ByteBuffer getAnswer = direct(getBytes <= 64 * 1024 ? RawHttpClient.concat(getHead, new byte[(int) getBytes])
        : getHead);
    ByteBuffer putAnswer = direct(RawHttpClient.concat(("HTTP/1.1 200 OK\r\nContent-Type: application/json; "
        + "charset=UTF-8\r\nContent-Length: " + PUT_ANSWER.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
        PUT_ANSWER));
    ByteBuffer data = ByteBuffer.allocateDirect(64 * 1024);
    ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024).flip(); // empty, ready to read from
    Head head = new Head();
    try (ch) {
      while (true) {
        // the head: up to an empty line; what follows it stays in `in`
        head.reset();
        int lineStart = in.position();
        int i = lineStart;
        while (true) {
          if (i == in.limit()) {
            in.position(lineStart);
            in.compact();
            if (!in.hasRemaining()) {
              throw new IOException("a request head line longer than " + in.capacity() + " bytes");
            }
            int n = ch.read(in);
            in.flip();
            if (n < 0) {
              return;
            }
            i -= lineStart;
            lineStart = 0;
            continue;
          }
          if (in.get(i++) == '\n') {
            int len = i - lineStart - 1;
            if (len > 0 && in.get(lineStart + len - 1) == '\r') {
              len--;
            }
            if (len == 0) {
              in.position(i);
              break;
            }
            head.line(in, lineStart, len);
            lineStart = i;
          }
        }
        long body = head.contentLength;
        int buffered = (int) Math.min(body, in.remaining());
        in.position(in.position() + buffered);
        body -= buffered;
        while (body > 0) {
          in.clear().limit((int) Math.min(in.capacity(), body));
          int n = ch.read(in);
          if (n < 0) {
            return;
          }
          body -= n;
          in.position(0).limit(0);
        }
        if (head.get) {
          writeFully(ch, getAnswer.rewind());
          long left = getBytes <= 64 * 1024 ? 0 : getBytes;
          while (left > 0) {
            data.clear().limit((int) Math.min(data.capacity(), left));
            left -= data.remaining();
            writeFully(ch, data);
          }
        } else {
          writeFully(ch, putAnswer.rewind());
        }
      }
    } catch (IOException e) {
      // closed by the client or by close()
    } finally {
      open.remove(ch);
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

    void line(ByteBuffer b, int off, int len) {
      if (first) {
        first = false;
        get = len > 3 && b.get(off) == 'G' && b.get(off + 1) == 'E' && b.get(off + 2) == 'T' && b.get(off + 3) == ' ';
        return;
      }
      String prefix = "content-length:";
      if (len <= prefix.length()) {
        return;
      }
      for (int i = 0; i < prefix.length(); i++) {
        if (Character.toLowerCase((char) b.get(off + i)) != prefix.charAt(i)) {
          return;
        }
      }
      long v = 0;
      for (int i = off + prefix.length(); i < off + len; i++) {
        byte c = b.get(i);
        if (c >= '0' && c <= '9') {
          v = v * 10 + (c - '0');
        }
      }
      contentLength = v;
    }
  }
}
