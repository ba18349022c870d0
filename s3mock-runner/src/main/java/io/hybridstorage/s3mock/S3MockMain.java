package io.hybridstorage.s3mock;

import com.adobe.testing.s3mock.S3MockApplication;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Adobe S3Mock in a JVM of its own, for tests: {@code S3MockMain <root directory>} starts it on
 * free loopback ports (plain HTTP and HTTPS), then prints one line on stdout,
 * {@code S3MOCK-READY http=<port> https=<port>}, and nothing else there (Spring's console log goes
 * to stderr). It runs until its stdin reaches end of file, which happens when the parent closes
 * it or dies, however it dies: a test JVM that is killed leaves no S3Mock behind.
 *
 * <p>A failed start prints the cause on stderr and exits with status 1, without the line.
 */
public final class S3MockMain {

  /** The start of the line that reports the bound ports. */
  public static final String READY = "S3MOCK-READY";

  private S3MockMain() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: S3MockMain <root directory>");
      System.exit(2);
    }
    PrintStream handshake = System.out;
    System.setOut(System.err); // the ready line is the only output on stdout
    Thread parentWatch = new Thread(S3MockMain::exitAtEndOfInput, "s3mock-parent-watch");
    parentWatch.setDaemon(true);
    parentWatch.start();
    S3MockApplication app;
    try {
      // a mutable map: start() removes keys from it
      app = S3MockApplication.start(new HashMap<>(Map.of(
          S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT,
          S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
          "server.address", "127.0.0.1",
          S3MockApplication.PROP_ROOT_DIRECTORY, args[0],
          S3MockApplication.PROP_SILENT, true,
          // adds LoopbackOnly below to S3Mock's Spring context
          "spring.main.sources", LoopbackOnly.class.getName())));
    } catch (RuntimeException | Error e) {
      e.printStackTrace();
      System.exit(1);
      return;
    }
    handshake.println(READY + " http=" + app.getHttpPort() + " https=" + app.getPort());
    handshake.flush();
    // Tomcat's threads keep the JVM up; Spring's shutdown hook stops S3Mock at exit
  }

  /** Reads stdin to its end (the parent closed it or died), then exits. */
  private static void exitAtEndOfInput() {
    byte[] ignored = new byte[256];
    try (InputStream in = System.in) {
      while (in.read(ignored) >= 0) {
        // the parent sends nothing; only the end matters
      }
    } catch (IOException e) {
      // a broken pipe: the parent is gone as well
    }
    System.exit(0);
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
