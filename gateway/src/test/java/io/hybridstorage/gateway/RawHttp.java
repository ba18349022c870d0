package io.hybridstorage.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as written: for requests no well-behaved client
 * sends (a foreign Host, a bad escape, a body shorter than its Content-Length, nothing at all).
 */
final class RawHttp {

  private RawHttp() {}

  record Response(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Sends {@code method target} with {@code headers} (Host and Content-Length added unless given) and reads the answer. */
  static Response send(int port, String method, String target, Map<String, String> headers, byte[] body)
      throws IOException {
    try (Socket socket = connect(port, Duration.ofSeconds(30))) {
      OutputStream out = socket.getOutputStream();
      out.write(head(port, method, target, headers, body.length).getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return read(socket.getInputStream());
    }
  }

  static Response send(int port, String method, String target, byte[] body) throws IOException {
    return send(port, method, target, Map.of(), body);
  }

  static Response get(int port, String target) throws IOException {
    return send(port, "GET", target, Map.of(), new byte[0]);
  }

  static Socket connect(int port, Duration readTimeout) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout((int) readTimeout.toMillis());
    return socket;
  }

  /** Whether a connection to {@code port} is refused (nothing listens). */
  static boolean connectFails(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      return false;
    } catch (IOException refused) {
      return true;
    }
  }

  static String head(int port, String method, String target, Map<String, String> headers, long length) {
    StringBuilder h = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    Map<String, String> all = new LinkedHashMap<>();
    all.put("Host", "127.0.0.1:" + port);
    all.put("Connection", "close");
    if (length > 0 || method.equals("POST") || method.equals("PUT")) {
      all.put("Content-Length", String.valueOf(length));
    }
    all.putAll(headers);
    all.forEach((k, v) -> {
      if (v != null) {
        h.append(k).append(": ").append(v).append("\r\n");
      }
    });
    return h.append("\r\n").toString();
  }

  /** Reads one response: status line, headers, and a Content-Length, chunked or until-close body. */
  static Response read(InputStream in) throws IOException {
    String status = line(in);
    if (status == null) {
      throw new java.io.EOFException("the connection closed before a response");
    }
    int code = Integer.parseInt(status.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    String line;
    while ((line = line(in)) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (code == 204 || code == 304) {
      return new Response(code, headers, new byte[0]);
    }
    String length = headers.get("content-length");
    if (length != null) {
      body.write(in.readNBytes(Integer.parseInt(length)));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      while (true) {
        int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
        if (size == 0) {
          line(in);
          break;
        }
        body.write(in.readNBytes(size));
        line(in);
      }
    } else {
      in.transferTo(body);
    }
    return new Response(code, headers, body.toByteArray());
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }
}
