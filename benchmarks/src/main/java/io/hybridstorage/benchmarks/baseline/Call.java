package io.hybridstorage.benchmarks.baseline;

import com.sun.net.httpserver.HttpExchange;
import io.hybridstorage.api.Conditions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/** One HTTP call: method, decoded path segments, query, body, and the ways to answer it. */
final class Call {

  final HttpExchange exchange;
  final String method;
  /** The path after its API prefix ({@code /storage/v1}, {@code /upload/storage/v1} …), decoded. */
  final List<String> path;
  final Map<String, String> query;
  private boolean answered;

  Call(HttpExchange exchange, int prefixSegments) {
    this.exchange = exchange;
    String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
    this.method = override != null ? override.toUpperCase(java.util.Locale.ROOT) : exchange.getRequestMethod();
    this.path = segments(exchange.getRequestURI().getRawPath(), prefixSegments);
    this.query = query(exchange.getRequestURI().getRawQuery());
  }

  private static List<String> segments(String rawPath, int skip) {
    List<String> out = new ArrayList<>();
    String[] parts = rawPath.split("/", -1);
    for (int i = 1 + skip; i < parts.length; i++) {
      out.add(percentDecode(parts[i]));
    }
    return out;
  }

  /** Decodes %XX only: in a path, '+' is a plus. */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(@Nullable String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(key, value);
    }
    return out;
  }

  @Nullable
  String param(String name) {
    return query.get(name);
  }

  @Nullable
  Long longParam(String name) {
    String v = query.get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("query parameter " + name + " (" + v + ") is not a number", e);
    }
  }

  long generation(String name) {
    Long g = longParam(name);
    return g == null ? 0 : g;
  }

  /** The four preconditions under the given prefix ({@code if} or {@code ifSource}). */
  Conditions conditions(String prefix) {
    return new Conditions(longParam(prefix + "GenerationMatch"), longParam(prefix + "GenerationNotMatch"),
        longParam(prefix + "MetagenerationMatch"), longParam(prefix + "MetagenerationNotMatch"));
  }

  @Nullable
  String header(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  /** The request body, un-gzipped when the client compressed it ({@code Content-Encoding: gzip}). */
  InputStream bodyStream() throws IOException {
    String encoding = header("Content-Encoding");
    InputStream in = exchange.getRequestBody();
    return encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("gzip")
        ? new java.util.zip.GZIPInputStream(in) : in;
  }

  byte[] body() throws IOException {
    try (InputStream in = bodyStream()) {
      return in.readAllBytes();
    }
  }

  boolean answered() {
    return answered;
  }

  void json(int code, String json) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    bytes(code, json.getBytes(StandardCharsets.UTF_8));
  }

  void bytes(int code, byte[] body) throws IOException {
    answered = true;
    drain();
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }

  /** Starts a response of {@code length} bytes (0: none) and returns its body stream. */
  OutputStream stream(int code, long length) throws IOException {
    answered = true;
    drain();
    exchange.sendResponseHeaders(code, length == 0 ? -1 : length);
    return exchange.getResponseBody();
  }

  void empty(int code) throws IOException {
    bytes(code, new byte[0]);
  }

  /** A JSON API error body; a 304 (a read's failed not-match precondition) has no body, as in HTTP. */
  void error(int code, String reason, String message) throws IOException {
    if (code == 304) {
      empty(304);
      return;
    }
    json(code, JsonApi.error(code, reason, message));
  }

  void setHeader(String name, String value) {
    exchange.getResponseHeaders().set(name, value);
  }

  /** Reads what is left of the request, so the connection can be kept. */
  private void drain() {
    try (InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException ignored) {
      // the connection is closed with the exchange anyway
    }
  }
}
