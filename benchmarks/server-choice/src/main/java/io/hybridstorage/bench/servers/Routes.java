package io.hybridstorage.bench.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The four routes every server answers, written once against {@link Exchange} so that the
 * servers differ only in their HTTP stack:
 * <ul>
 *   <li>{@code GET /small}: a 1 KiB JSON body;</li>
 *   <li>{@code PUT /small}: reads the (1 KiB) body whole, answers a ~200-byte JSON;</li>
 *   <li>{@code GET /large?bytes=N}: streams N bytes from one reused 64 KiB buffer;</li>
 *   <li>{@code PUT /large}: streams the body into a discarding sink and answers the count.</li>
 * </ul>
 * Each call runs on a thread that may block, as the gateway's calls into storage will.
 */
final class Routes {
  /** What a server gives the routes: the request line, a blocking body and a blocking response. */
  interface Exchange {
    String method();

    String path();

    /** The raw query string, or null. */
    String query();

    InputStream body() throws IOException;

    /** Sends status and headers with a fixed Content-Length and returns the body stream. */
    OutputStream respond(int status, String contentType, long contentLength) throws IOException;
  }

  static final int CHUNK = 64 * 1024;
  static final byte[] SMALL = smallJson(1024);
  static final byte[] PUT_SMALL_ANSWER = putAnswer();
  private static final byte[] LARGE_CHUNK = new byte[CHUNK];
  private static final byte[] NOT_FOUND = "{\"error\":{\"code\":404,\"message\":\"no such route\"}}"
      .getBytes(StandardCharsets.UTF_8);
  private static final String JSON = "application/json";

  static {
    Arrays.fill(LARGE_CHUNK, (byte) 'x');
  }

  private Routes() {}

  static void handle(Exchange ex) throws IOException {
    String method = ex.method();
    String path = ex.path();
    if ("/small".equals(path) && "GET".equals(method)) {
      write(ex, 200, SMALL);
    } else if ("/small".equals(path) && "PUT".equals(method)) {
      byte[] in;
      try (InputStream body = ex.body()) {
        in = body.readAllBytes();
      }
      if (in.length < 0) {
        throw new AssertionError();
      }
      write(ex, 200, PUT_SMALL_ANSWER);
    } else if ("/large".equals(path) && "GET".equals(method)) {
      long n = bytesParam(ex.query());
      try (OutputStream out = ex.respond(200, "application/octet-stream", n)) {
        long left = n;
        while (left > 0) {
          int len = (int) Math.min(left, CHUNK);
          out.write(LARGE_CHUNK, 0, len);
          left -= len;
        }
      }
    } else if ("/large".equals(path) && "PUT".equals(method)) {
      long count = 0;
      byte[] buf = new byte[CHUNK];
      try (InputStream body = ex.body()) {
        for (int r; (r = body.read(buf)) >= 0; ) {
          count += r;
        }
      }
      write(ex, 200, ("{\"bytes\":" + count + "}").getBytes(StandardCharsets.UTF_8));
    } else {
      write(ex, 404, NOT_FOUND);
    }
  }

  private static void write(Exchange ex, int status, byte[] body) throws IOException {
    try (OutputStream out = ex.respond(status, JSON, body.length)) {
      out.write(body);
    }
  }

  static long bytesParam(String query) {
    if (query != null) {
      for (String kv : query.split("&")) {
        if (kv.startsWith("bytes=")) {
          return Long.parseLong(kv.substring(6));
        }
      }
    }
    return 0;
  }

  static int port(String[] args) {
    return args.length > 0 ? Integer.parseInt(args[0]) : 8080;
  }

  private static byte[] smallJson(int size) {
    StringBuilder sb = new StringBuilder("{\"kind\":\"storage#object\",\"name\":\"small\",\"pad\":\"");
    String tail = "\"}";
    while (sb.length() < size - tail.length()) {
      sb.append('a');
    }
    return sb.append(tail).toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] putAnswer() {
    String s = "{\"kind\":\"storage#object\",\"id\":\"bench/small/1\",\"name\":\"small\",\"bucket\":\"bench\","
        + "\"generation\":\"1\",\"metageneration\":\"1\",\"size\":\"1024\",\"crc32c\":\"AAAAAA==\","
        + "\"contentType\":\"application/json\"}";
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
