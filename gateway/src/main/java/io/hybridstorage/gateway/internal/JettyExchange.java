package io.hybridstorage.gateway.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import javax.annotation.Nullable;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/** An exchange on a Jetty connection: blocking streams over Jetty's request and response. */
final class JettyExchange implements Exchange {

  private final Request request;
  private final Response response;
  private InputStream body;

  JettyExchange(Request request, Response response) {
    this.request = request;
    this.response = response;
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  @Override
  public String rawPath() {
    String path = request.getHttpURI().getPath();
    return path == null ? "/" : path;
  }

  @Override
  @Nullable
  public String rawQuery() {
    return request.getHttpURI().getQuery();
  }

  @Override
  @Nullable
  public String header(String name) {
    return request.getHeaders().get(name);
  }

  @Override
  public java.util.Collection<String> headerNames() {
    return request.getHeaders().getFieldNamesCollection();
  }

  @Override
  public InputStream body() {
    if (body == null) {
      body = Content.Source.asInputStream(request);
    }
    return body;
  }

  /**
   * Reads and drops what is left of a request body of at most {@code limit} more bytes, so that
   * the connection can serve the next request (a multipart body's epilogue, a body the call
   * refused early); a larger rest is left to Jetty, which closes the connection.
   */
  @Override
  public void drain(long limit) {
    long length = request.getLength();
    if (length == 0 || length < 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
      return; // no body (most GETs): nothing to read, nothing to allocate
    }
    try {
      InputStream in = body();
      byte[] scratch = new byte[8192];
      long left = limit;
      int n;
      while (left > 0 && (n = in.read(scratch, 0, (int) Math.min(scratch.length, left))) >= 0) {
        left -= n;
      }
    } catch (IOException | RuntimeException e) {
      // the connection is gone or the body broken: Jetty closes it
    }
  }

  @Override
  public long contentLength() {
    return request.getLength();
  }

  @Override
  public String origin() {
    String host = request.getHeaders().get(HttpHeader.HOST);
    return request.getHttpURI().getScheme() + "://" + (host != null ? host : Request.getServerName(request) + ":"
        + Request.getServerPort(request));
  }

  @Override
  public String remote() {
    return Request.getRemoteAddr(request);
  }

  @Override
  public boolean inner() {
    return false;
  }

  @Override
  public OutputStream respond(int status, Map<String, String> headers, long length) throws IOException {
    response.setStatus(status);
    headers.forEach((name, value) -> response.getHeaders().put(name, value));
    if (length >= 0) {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
    }
    return Content.Sink.asOutputStream(response);
  }

  @Override
  public boolean committed() {
    return response.isCommitted();
  }
}
