package io.hybridstorage.gateway.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;

/**
 * {@code POST /batch/storage/v1}: a {@code multipart/mixed} body of up to 100 {@code
 * application/http} requests, each served as if it came alone (with the batch's credentials
 * unless it carries its own), answered by a {@code multipart/mixed} body of their responses in
 * order, each with the {@code Content-ID} {@code response-<its request's id>}. The body is
 * bounded (a batch carries metadata calls, not media).
 */
final class Batch {

  static final int MAX_CALLS = 100;
  static final int MAX_BODY = 16 << 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ApiHandler api;

  Batch(ApiHandler api) {
    this.api = api;
  }

  void handle(Call call) throws IOException {
    if (!call.method.equals("POST")) {
      throw new ApiException(405, "methodNotAllowed", call.method + " on the batch endpoint");
    }
    String boundary = Uploads.boundary(call.header("Content-Type"), "multipart/mixed");
    if (boundary == null) {
      throw ApiException.invalid("A batch needs Content-Type: multipart/mixed; boundary=…");
    }
    List<Part> parts = parts(call, boundary);
    if (parts.isEmpty()) {
      throw ApiException.invalid("The batch holds no requests");
    }
    if (parts.size() > MAX_CALLS) {
      throw ApiException.invalid("A batch holds at most " + MAX_CALLS + " requests; this one has " + parts.size());
    }
    String answerBoundary = "batch_" + Long.toHexString(RANDOM.nextLong());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Part part : parts) {
      Inner inner = Inner.parse(part.body, call);
      api.serve(inner);
      write(out, "--" + answerBoundary + "\r\nContent-Type: application/http\r\n");
      if (part.contentId != null) {
        write(out, "Content-ID: <response-" + strip(part.contentId) + ">\r\n");
      }
      write(out, "\r\n");
      out.writeBytes(inner.response());
      write(out, "\r\n");
    }
    write(out, "--" + answerBoundary + "--\r\n");
    call.setHeader("Content-Type", "multipart/mixed; boundary=" + answerBoundary);
    call.bytes(200, out.toByteArray());
  }

  private static String strip(String contentId) {
    String id = contentId.trim();
    if (id.startsWith("<") && id.endsWith(">")) {
      id = id.substring(1, id.length() - 1);
    }
    return id;
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  private record Part(@Nullable String contentId, byte[] body) {}

  private static List<Part> parts(Call call, String boundary) throws IOException {
    List<Part> parts = new ArrayList<>();
    RuntimeException[] failure = new RuntimeException[1];
    boolean[] complete = new boolean[1];
    MultiPart.Parser parser = new MultiPart.Parser(boundary, new MultiPart.Parser.Listener() {
      private String contentId;
      private ByteArrayOutputStream body;

      @Override
      public void onPartBegin() {
        contentId = null;
        body = new ByteArrayOutputStream();
      }

      @Override
      public void onPartHeader(String name, String value) {
        if (name.equalsIgnoreCase("Content-ID")) {
          contentId = value;
        }
      }

      @Override
      public void onPartContent(Content.Chunk chunk) {
        ByteBuffer b = chunk.getByteBuffer();
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        body.writeBytes(copy); // copied, so not retained; the parser releases the chunk
      }

      @Override
      public void onPartEnd() {
        parts.add(new Part(contentId, body.toByteArray()));
      }

      @Override
      public void onComplete() {
        complete[0] = true;
      }

      @Override
      public void onFailure(Throwable cause) {
        failure[0] = ApiException.invalid("Malformed batch body: " + cause.getMessage());
      }
    });
    parser.setMaxParts(MAX_CALLS + 1);
    byte[] body;
    try (InputStream in = call.bodyStream()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      throw new ApiException(413, "uploadTooLarge", "A batch body is at most " + MAX_BODY + " bytes");
    }
    parser.parse(Content.Chunk.from(ByteBuffer.wrap(body), true));
    if (failure[0] != null) {
      throw failure[0];
    }
    if (!complete[0]) {
      throw ApiException.invalid("Malformed batch body: it ends before its closing boundary");
    }
    return parts;
  }

  /** One request of a batch, and its response kept in memory (metadata calls only). */
  private static final class Inner implements Exchange {
    private final String method;
    private final String rawPath;
    @Nullable private final String rawQuery;
    private final Map<String, String> headers;
    private final byte[] body;
    private final Call outer;
    private final ByteArrayOutputStream response = new ByteArrayOutputStream();
    private boolean committed;

    private Inner(String method, String rawPath, @Nullable String rawQuery, Map<String, String> headers, byte[] body,
        Call outer) {
      this.method = method;
      this.rawPath = rawPath;
      this.rawQuery = rawQuery;
      this.headers = headers;
      this.body = body;
      this.outer = outer;
    }

    /** {@code METHOD url HTTP/1.1}, headers, an empty line, the body (the client sends absolute URLs). */
    static Inner parse(byte[] part, Call outer) {
      int at = 0;
      String requestLine = null;
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      while (at < part.length) {
        int eol = indexOf(part, (byte) '\n', at);
        int end = eol < 0 ? part.length : eol;
        String line = new String(part, at, end - at, StandardCharsets.UTF_8);
        if (line.endsWith("\r")) {
          line = line.substring(0, line.length() - 1);
        }
        at = eol < 0 ? part.length : eol + 1;
        if (requestLine == null) {
          if (line.isBlank()) {
            continue;
          }
          requestLine = line;
        } else if (line.isEmpty()) {
          break;
        } else {
          int colon = line.indexOf(':');
          if (colon <= 0) {
            throw ApiException.invalid("Malformed batch request header '" + Call.printable(line) + "'");
          }
          headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
      }
      if (requestLine == null) {
        throw ApiException.invalid("A batch part holds no request");
      }
      String[] words = requestLine.split(" ");
      if (words.length != 3 || !words[2].startsWith("HTTP/")) {
        throw ApiException.invalid("Malformed batch request line '" + Call.printable(requestLine) + "'");
      }
      String target = words[1];
      String path;
      String query;
      try {
        URI uri = URI.create(target);
        path = uri.getRawPath();
        query = uri.getRawQuery();
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("Malformed batch request URL '" + Call.printable(target) + "'");
      }
      if (path == null || !path.startsWith("/")) {
        throw ApiException.invalid("Malformed batch request URL '" + Call.printable(target) + "'");
      }
      byte[] body = java.util.Arrays.copyOfRange(part, Math.min(at, part.length), part.length);
      return new Inner(words[0].toUpperCase(Locale.ROOT), path, query, headers, body, outer);
    }

    private static int indexOf(byte[] b, byte needle, int from) {
      for (int i = from; i < b.length; i++) {
        if (b[i] == needle) {
          return i;
        }
      }
      return -1;
    }

    byte[] response() {
      return response.toByteArray();
    }

    @Override
    public String method() {
      return method;
    }

    @Override
    public String rawPath() {
      return rawPath;
    }

    @Override
    @Nullable
    public String rawQuery() {
      return rawQuery;
    }

    @Override
    @Nullable
    public String header(String name) {
      String own = headers.get(name);
      if (own == null && name.equalsIgnoreCase("Authorization")) {
        return outer.header("Authorization");
      }
      return own;
    }

    @Override
    public java.util.Collection<String> headerNames() {
      return headers.keySet();
    }

    @Override
    public InputStream body() {
      return new ByteArrayInputStream(body);
    }

    @Override
    public long contentLength() {
      return body.length;
    }

    @Override
    public String origin() {
      return outer.exchange.origin();
    }

    @Override
    public String remote() {
      return outer.exchange.remote();
    }

    @Override
    public boolean inner() {
      return true;
    }

    @Override
    public OutputStream respond(int status, Map<String, String> headers, long length) {
      committed = true;
      StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ')
          .append(HttpStatus.getMessage(status)).append("\r\n");
      Map<String, String> all = new LinkedHashMap<>(headers);
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      if (length >= 0 && !all.containsKey("Content-Length")) {
        head.append("Content-Length: ").append(length).append("\r\n");
      }
      head.append("\r\n");
      response.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
      return response;
    }

    @Override
    public boolean committed() {
      return committed;
    }
  }
}
