package io.hybridstorage.gateway.internal;

import io.hybridstorage.api.Conditions;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.annotation.Nullable;

/**
 * One API call: the method (after {@code X-HTTP-Method-Override}, honoured on POST only, as GCS
 * does), the path segments and query decoded strictly (a bad {@code %} escape or invalid UTF-8 is
 * a 400, never a replacement character), and the ways to answer it.
 */
final class Call {

  /** The largest JSON request body read (after content decoding): GCS's metadata limits are far below. */
  static final int MAX_JSON_BODY = 1 << 20;
  /** The most of an unread request body read before answering, to keep the connection. */
  static final long DRAIN_LIMIT = 256 * 1024;

  final Exchange exchange;
  final String method;
  final List<String> path;
  private final Map<String, String> query;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private int status;
  private long bytesOut;
  private long bytesIn;

  Call(Exchange exchange, int prefixSegments) {
    this(exchange, segments(exchange.rawPath(), prefixSegments), query(exchange.rawQuery()));
  }

  private Call(Exchange exchange, List<String> path, Map<String, String> query) {
    this.exchange = exchange;
    String override = exchange.header("X-HTTP-Method-Override");
    String sent = exchange.method();
    this.method = override != null && sent.equals("POST") ? override.trim().toUpperCase(Locale.ROOT) : sent;
    this.path = path;
    this.query = query;
  }

  /** A call whose path or query could not be decoded: only good for answering an error. */
  static Call bare(Exchange exchange) {
    return new Call(exchange, List.of(), Map.of());
  }

  private static List<String> segments(String rawPath, int skip) {
    List<String> out = new ArrayList<>();
    String[] parts = rawPath.split("/", -1);
    for (int i = 1 + skip; i < parts.length; i++) {
      out.add(decode(parts[i], false));
    }
    return out;
  }

  /**
   * Decodes {@code %XX} escapes (and, in a query, {@code +} as a space) into UTF-8, strictly: a
   * malformed escape or bytes that are not UTF-8 are a 400, so that two different names can never
   * decode to the same object.
   */
  static String decode(String s, boolean plusIsSpace) {
    if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (lo < 0) {
          throw ApiException.invalid("Invalid percent-encoding in '" + printable(s) + "' at index " + i);
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        out.write(' ');
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw ApiException.invalid("'" + printable(s) + "' does not decode to valid UTF-8");
    }
  }

  /** {@code s} cut to 200 characters, for an error message. */
  static String printable(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  private static Map<String, String> query(@Nullable String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq), true);
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
      out.putIfAbsent(key, value);
    }
    return out;
  }

  @Nullable
  String param(String name) {
    return query.get(name);
  }

  Map<String, String> params() {
    return query;
  }

  /** A whole-number query parameter; a value that is not one (or out of range) is a 400. */
  @Nullable
  Long longParam(String name) {
    String v = query.get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ApiException.invalid("Invalid value for " + name + ": '" + printable(v) + "' is not a 64-bit integer");
    }
  }

  long generation(String name) {
    Long g = longParam(name);
    if (g != null && g < 0) {
      throw ApiException.invalid("Invalid value for " + name + ": " + g);
    }
    return g == null ? 0 : g;
  }

  /**
   * {@code maxResults}: absent or 0 means the store's default page; larger than {@code max} is cut
   * to {@code max} (GCS answers at most 1,000 items a page); negative is a 400.
   */
  int pageSize(int max) {
    Long v = longParam("maxResults");
    if (v == null) {
      return 0;
    }
    if (v < 0) {
      throw ApiException.invalid("Invalid value for maxResults: " + v + " (must be at least 0)");
    }
    return (int) Math.min(v, max);
  }

  /** The four preconditions under the given prefix ({@code if} or {@code ifSource}). */
  Conditions conditions(String prefix) {
    return new Conditions(longParam(prefix + "GenerationMatch"), longParam(prefix + "GenerationNotMatch"),
        longParam(prefix + "MetagenerationMatch"), longParam(prefix + "MetagenerationNotMatch"));
  }

  @Nullable
  String header(String name) {
    return exchange.header(name);
  }

  /**
   * The request body, un-gzipped when the client compressed it; counts what arrives. A failure
   * to read it is a {@link BodyException}, unchecked so that it passes through the store's
   * write (which would report an {@code IOException} as the store's own failure): a body that
   * is not the gzip it claims is the client's 400, a connection that broke is nobody's answer.
   */
  InputStream bodyStream() throws IOException {
    InputStream counted = new java.io.FilterInputStream(exchange.body()) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          bytesIn++;
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          bytesIn += n;
        }
        return n;
      }
    };
    String encoding = header("Content-Encoding");
    if (encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity")) {
      return new BodyStream(counted, false);
    }
    if (!encoding.trim().equalsIgnoreCase("gzip")) {
      throw ApiException.invalid("Unsupported Content-Encoding '" + printable(encoding) + "' (gzip and identity are)");
    }
    return new BodyStream(new LazyGzip(counted), true);
  }

  /** Whether the body arrives as sent: its declared length is the length of what is stored. */
  boolean identityBody() {
    String encoding = header("Content-Encoding");
    return encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity");
  }

  /** A failure to read the request body, thrown through code that only passes IOExceptions of its own. */
  static final class BodyException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final boolean badEncoding;

    BodyException(IOException cause, boolean badEncoding) {
      super(cause.getMessage(), cause);
      this.badEncoding = badEncoding;
    }
  }

  /** Reads through, turning every IOException into a {@link BodyException}. */
  private static final class BodyStream extends java.io.FilterInputStream {
    private final boolean gzip;

    BodyStream(InputStream in, boolean gzip) {
      super(in);
      this.gzip = gzip;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw wrap(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw wrap(e);
      }
    }

    private BodyException wrap(IOException e) {
      boolean badEncoding = gzip && (e instanceof java.util.zip.ZipException
          || e instanceof java.io.EOFException && !(e instanceof org.eclipse.jetty.io.EofException));
      return new BodyException(e, badEncoding);
    }
  }

  /** A gzip stream that reads its header on first use, so that a bad header fails as a read does. */
  private static final class LazyGzip extends InputStream {
    private final InputStream raw;
    private GZIPInputStream gzip;

    LazyGzip(InputStream raw) {
      this.raw = raw;
    }

    private GZIPInputStream gzip() throws IOException {
      if (gzip == null) {
        gzip = new GZIPInputStream(raw, 64 * 1024);
      }
      return gzip;
    }

    @Override
    public int read() throws IOException {
      return gzip().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return gzip().read(b, off, len);
    }

    @Override
    public void close() throws IOException {
      raw.close();
    }
  }

  /** A JSON request body, at most {@link #MAX_JSON_BODY} bytes after decoding (413 beyond). */
  byte[] jsonBody() throws IOException {
    try (InputStream in = bodyStream()) {
      byte[] data = in.readNBytes(MAX_JSON_BODY + 1);
      if (data.length > MAX_JSON_BODY) {
        throw new ApiException(413, "uploadTooLarge", "The JSON request body is larger than " + MAX_JSON_BODY
            + " bytes");
      }
      return data;
    }
  }

  int status() {
    return status;
  }

  long bytesIn() {
    return bytesIn;
  }

  long bytesOut() {
    return bytesOut;
  }

  void setHeader(String name, String value) {
    headers.put(name, value);
  }

  void json(int code, String json) throws IOException {
    json(code, json.getBytes(StandardCharsets.UTF_8));
  }

  void json(int code, byte[] json) throws IOException {
    setHeader("Content-Type", "application/json; charset=UTF-8");
    bytes(code, json);
  }

  void bytes(int code, byte[] body) throws IOException {
    try (OutputStream out = stream(code, body.length)) {
      out.write(body);
    }
  }

  void empty(int code) throws IOException {
    bytes(code, new byte[0]);
  }

  /** Starts a response of {@code length} bytes (-1: unknown) and returns its body stream. */
  OutputStream stream(int code, long length) throws IOException {
    status = code;
    exchange.drain(DRAIN_LIMIT);
    // 204 and 304 carry no body and no Content-Length (RFC 9110)
    OutputStream out = exchange.respond(code, headers, code == 304 || code == 204 ? -1 : length);
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        bytesOut += len;
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        bytesOut++;
      }
    };
  }

  /** A JSON API error body; a 304 (a read's failed not-match precondition) has no body, as in HTTP. */
  void error(int code, String reason, String message) throws IOException {
    headers.clear();
    if (code == 304) {
      empty(304);
      return;
    }
    json(code, JsonApi.error(code, reason, message));
  }
}
