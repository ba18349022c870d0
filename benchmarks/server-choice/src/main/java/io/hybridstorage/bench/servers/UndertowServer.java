package io.hybridstorage.bench.servers;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.InputStream;
import java.io.OutputStream;
import org.xnio.Options;

/**
 * Undertow core: an {@link HttpHandler} that dispatches from the IO thread to the worker pool
 * (defaults: IO threads = max(cpus, 2), workers = 8 per IO thread) and uses the blocking streams
 * of {@link HttpServerExchange#startBlocking()}.
 */
public final class UndertowServer {
  public static void main(String[] args) {
    int port = Routes.port(args);
    HttpHandler handler = new HttpHandler() {
      @Override
      public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
          exchange.dispatch(this);
          return;
        }
        exchange.startBlocking();
        Routes.handle(new Exchange(exchange));
      }
    };
    Undertow server = Undertow.builder()
        .addHttpListener(port, "127.0.0.1")
        .setSocketOption(Options.TCP_NODELAY, true)
        .setSocketOption(Options.BACKLOG, 1024)
        .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, true)
        // 2.3.x refuses any body over 2 MiB (413, or a reset mid-chunked-upload) unless raised;
        // 5 TiB is the largest GCS object
        .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 5L << 40)
        .setHandler(handler)
        .build();
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    System.out.println("undertow listening on 127.0.0.1:" + port);
  }

  private record Exchange(HttpServerExchange exchange) implements Routes.Exchange {
    @Override
    public String method() {
      return exchange.getRequestMethod().toString();
    }

    @Override
    public String path() {
      return exchange.getRequestPath();
    }

    @Override
    public String query() {
      return exchange.getQueryString();
    }

    @Override
    public InputStream body() {
      return exchange.getInputStream();
    }

    @Override
    public OutputStream respond(int status, String contentType, long contentLength) {
      exchange.setStatusCode(status);
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
      exchange.setResponseContentLength(contentLength);
      return exchange.getOutputStream();
    }
  }
}
