package io.hybridstorage.bench.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 core (no servlets): a blocking {@link Handler.Abstract} (invocation type BLOCKING, so
 * Jetty calls it on a pool thread that may block) on the default {@link QueuedThreadPool}, using
 * {@link Content.Source#asInputStream} and {@link Content.Sink#asOutputStream}.
 */
public final class JettyServer {
  public static void main(String[] args) throws Exception {
    int port = Routes.port(args);
    Server server = new Server(new QueuedThreadPool());
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendDateHeader(true);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.setAcceptedTcpNoDelay(true);
    connector.setAcceptQueueSize(1024);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        try {
          Routes.handle(new Exchange(request, response));
          callback.succeeded();
        } catch (Throwable t) {
          callback.failed(t);
        }
        return true;
      }
    });
    server.setStopTimeout(1000);
    server.setStopAtShutdown(true);
    server.start();
    System.out.println("jetty listening on 127.0.0.1:" + port);
    server.join();
  }

  private record Exchange(Request request, Response response) implements Routes.Exchange {
    @Override
    public String method() {
      return request.getMethod();
    }

    @Override
    public String path() {
      return request.getHttpURI().getPath();
    }

    @Override
    public String query() {
      return request.getHttpURI().getQuery();
    }

    @Override
    public InputStream body() {
      return Content.Source.asInputStream(request);
    }

    @Override
    public OutputStream respond(int status, String contentType, long contentLength) {
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, contentLength);
      return Content.Sink.asOutputStream(response);
    }
  }
}
