package io.hybridstorage.gateway.internal;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The gateway's Jetty handler: each request is served on a pool thread with blocking streams
 * (the store's calls block). A failure after the response started aborts the connection, so a
 * client never takes a cut body for a whole one.
 */
public final class JettyHandler extends Handler.Abstract {

  /** The most of an unread request body read to keep a connection. */
  private static final long DRAIN_LIMIT = 256 * 1024;

  private final ApiHandler api;

  public JettyHandler(ApiHandler api) {
    super(InvocationType.BLOCKING);
    this.api = api;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    try {
      JettyExchange exchange = new JettyExchange(request, response);
      api.serve(exchange);
      exchange.drain(DRAIN_LIMIT);
      callback.succeeded();
    } catch (Throwable t) {
      callback.failed(t);
    }
    return true;
  }
}
