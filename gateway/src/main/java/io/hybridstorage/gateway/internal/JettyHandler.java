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

  private final ApiHandler api;

  public JettyHandler(ApiHandler api) {
    super(InvocationType.BLOCKING);
    this.api = api;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    try {
      api.serve(new JettyExchange(request, response));
      callback.succeeded();
    } catch (Throwable t) {
      callback.failed(t);
    }
    return true;
  }
}
