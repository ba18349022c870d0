package io.hybridstorage.vast;

import com.adobe.testing.s3mock.S3MockApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One Adobe S3Mock per test JVM, started on first use in this JVM on free loopback ports, its
 * store in a temporary directory that is deleted when the JVM exits. Startup costs seconds, so
 * every test class shares it; keep each class's buckets small (S3Mock rewrites a bucket's
 * metadata file on every PUT).
 */
final class S3MockServer {

  private static final Object LOCK = new Object();
  private static S3MockApplication app;
  private static Path root;

  private S3MockServer() {}

  /** The plain-HTTP endpoint of the shared S3Mock, starting it if needed. */
  static URI endpoint() {
    synchronized (LOCK) {
      if (app == null) {
        start();
      }
      return URI.create("http://127.0.0.1:" + app.getHttpPort());
    }
  }

  private static void start() {
    try {
      root = Files.createTempDirectory("s3mock");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // a mutable map: start() removes keys from it
    app = S3MockApplication.start(new HashMap<>(Map.of(
        S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT,
        S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
        "server.address", "127.0.0.1",
        S3MockApplication.PROP_ROOT_DIRECTORY, root.toString(),
        S3MockApplication.PROP_SILENT, true,
        // adds LoopbackOnly below to S3Mock's Spring context
        "spring.main.sources", LoopbackOnly.class.getName())));
    Runtime.getRuntime().addShutdownHook(new Thread(S3MockServer::stop, "s3mock-stop"));
  }

  private static void stop() {
    synchronized (LOCK) {
      if (app != null) {
        app.stop();
        app = null;
      }
      if (root != null) {
        try (Stream<Path> files = Files.walk(root)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
          // best effort at JVM exit
        }
      }
    }
  }

  /**
   * S3Mock adds its plain-HTTP Tomcat connector without an address (all interfaces); this binds
   * it to loopback like the HTTPS one ({@code server.address}).
   */
  @Configuration(proxyBeanMethods = false)
  static class LoopbackOnly {
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> loopbackConnectors() {
      return factory -> {
        for (Connector connector : factory.getAdditionalTomcatConnectors()) {
          connector.setProperty("address", "127.0.0.1");
        }
      };
    }
  }
}
