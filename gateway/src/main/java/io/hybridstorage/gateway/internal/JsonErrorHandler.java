package io.hybridstorage.gateway.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself (a request it cannot parse: a bad {@code %} escape, a header too
 * large, a URI it refuses) in GCS's JSON error format instead of Jetty's HTML page.
 */
public final class JsonErrorHandler extends ErrorHandler {

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int code = response.getStatus() > 0 ? response.getStatus() : 500;
    Object status = request.getAttribute(ERROR_STATUS);
    if (status instanceof Integer s) {
      code = s;
    }
    Object message = request.getAttribute(ERROR_MESSAGE);
    String text = message != null ? message.toString() : HttpStatus.getMessage(code);
    String reason = code == 431 || code == 414 ? "requestTooLarge" : code >= 500 ? "backendError" : "invalid";
    byte[] body = JsonApi.error(code, reason, text).getBytes(StandardCharsets.UTF_8);
    response.setStatus(code);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=UTF-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }
}
