package io.hybridstorage.bench.servers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK {@code com.sun.net.httpserver.HttpServer} with a cached thread pool, as the sdk-testkit
 * fixture runs today. TCP_NODELAY only with {@code -Dsun.net.httpserver.nodelay=true}.
 */
public final class JdkServer {
  public static void main(String[] args) throws IOException {
    int port = Routes.port(args);
    if (!Boolean.getBoolean("sun.net.httpserver.nodelay")) {
      System.err.println("warning: run with -Dsun.net.httpserver.nodelay=true for TCP_NODELAY");
    }
    ExecutorService pool = Executors.newCachedThreadPool();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    server.setExecutor(pool);
    server.createContext("/", http -> {
      try (http) {
        Routes.handle(new Exchange(http));
      } catch (IOException | RuntimeException e) {
        System.err.println("jdk: " + e);
      }
    });
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop(1);
      pool.shutdown();
    }));
    System.out.println("jdk listening on 127.0.0.1:" + port);
  }

  private record Exchange(HttpExchange http) implements Routes.Exchange {
    @Override
    public String method() {
      return http.getRequestMethod();
    }

    @Override
    public String path() {
      return http.getRequestURI().getRawPath();
    }

    @Override
    public String query() {
      return http.getRequestURI().getRawQuery();
    }

    @Override
    public InputStream body() {
      return http.getRequestBody();
    }

    @Override
    public OutputStream respond(int status, String contentType, long contentLength) throws IOException {
      http.getResponseHeaders().set("Content-Type", contentType);
      http.sendResponseHeaders(status, contentLength == 0 ? -1 : contentLength);
      return http.getResponseBody();
    }
  }
}
