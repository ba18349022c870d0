package io.hybridstorage.vast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

/**
 * S3Mock runs in a JVM of its own (issue 12): this JVM has none of its classes and the library
 * versions hybrid-storage-vast's users get, and the S3Mock process goes away when stopped or when
 * its parent dies.
 */
class S3MockProcessTest {

  @Test
  void theTestJvmCannotLoadSpringNorS3Mock() {
    S3MockServer.endpoint(); // started, and still nothing of it here
    for (String name : List.of("org.springframework.boot.SpringApplication",
        "org.springframework.context.ApplicationContext", "com.adobe.testing.s3mock.S3MockApplication",
        "org.apache.catalina.connector.Connector", "io.hybridstorage.s3mock.S3MockMain")) {
      assertThatThrownBy(() -> Class.forName(name, false, getClass().getClassLoader()))
          .as(name).isInstanceOf(ClassNotFoundException.class);
    }
  }

  @Test
  void jacksonAndSlf4jAreTheVersionsUsersGet() throws IOException {
    Properties expected = new Properties();
    try (InputStream in = getClass().getResourceAsStream("/users-versions.properties")) {
      expected.load(in);
    }
    // Spring Boot 3.5.8, which S3Mock needs, manages Jackson 2.19.4
    assertThat(com.fasterxml.jackson.databind.ObjectMapper.class.getPackage().getImplementationVersion())
        .isEqualTo(expected.getProperty("jackson"));
    assertThat(com.fasterxml.jackson.core.JsonFactory.class.getPackage().getImplementationVersion())
        .isEqualTo(expected.getProperty("jackson"));
    assertThat(org.slf4j.Logger.class.getPackage().getImplementationVersion())
        .isEqualTo(expected.getProperty("slf4j"));
  }

  @Test
  void theSharedS3MockIsAChildProcess() {
    ProcessHandle s3mock = S3MockServer.process().process().toHandle();

    assertThat(s3mock.pid()).isNotEqualTo(ProcessHandle.current().pid());
    assertThat(s3mock.isAlive()).isTrue();
    assertThat(ProcessHandle.current().children().map(ProcessHandle::pid)).contains(s3mock.pid());
    assertThat(s3mock.info().command()).as("this JDK's java").isEqualTo(ProcessHandle.current().info().command());
  }

  @Test
  void closeStopsTheProcessFreesItsPortsAndDeletesItsStore() throws Exception {
    S3MockProcess own = S3MockProcess.start();
    Process process = own.process();
    int httpPort = own.httpPort();
    int httpsPort = own.httpsPort();
    Path directory = own.directory();
    try (own; S3Client raw = VastTestSupport.rawClient(own.endpoint())) {
      raw.createBucket(b -> b.bucket("closing"));
      // its own store, not the shared S3Mock's
      assertThat(raw.listBuckets().buckets()).extracting(Bucket::name).containsExactly("closing");
      new Socket("127.0.0.1", httpsPort).close();
      assertThat(httpsPort).isNotEqualTo(httpPort);
    }

    assertThat(process.isAlive()).isFalse();
    assertThat(process.exitValue()).as("exited on its own when its stdin closed, not killed").isZero();
    assertThat(directory).doesNotExist();
    for (int port : new int[] {httpPort, httpsPort}) {
      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).as("port %s", port)
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void theProcessExitsWhenItsParentIsKilled() throws Exception {
    // a parent JVM that starts an S3Mock and is then killed (SIGKILL: no shutdown hook of it runs)
    Path classes = Path.of(S3MockProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path parentLog = Files.createTempFile("s3mock-parent", ".log");
    Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classes.toString(), DyingParent.class.getName())
        .redirectError(parentLog.toFile())
        .start();
    ProcessHandle s3mock = null;
    Path directory = null;
    try {
      String line = S3MockProcess.firstLine(parent.getInputStream(), "s3mock-parent-stdout").get(3, TimeUnit.MINUTES);
      assertThat(line).as("the parent's S3Mock (its log: %s)", Files.readString(parentLog)).isNotNull();
      String[] fields = line.split(" ", 2);
      s3mock = ProcessHandle.of(Long.parseLong(fields[0])).orElseThrow();
      directory = Path.of(fields[1]);
      assertThat(s3mock.isAlive()).isTrue();

      parent.destroyForcibly().waitFor();

      s3mock.onExit().get(1, TimeUnit.MINUTES); // a TimeoutException fails the test
      assertThat(s3mock.isAlive()).isFalse();
    } finally {
      parent.destroyForcibly();
      if (s3mock != null) {
        s3mock.destroyForcibly();
      }
      if (directory != null) {
        deleteRecursively(directory); // the parent had no chance to
      }
      Files.deleteIfExists(parentLog);
    }
  }

  /** Starts an S3Mock, prints its pid and directory, and waits to be killed. Only JDK classes. */
  static final class DyingParent {
    public static void main(String[] args) throws IOException {
      S3MockProcess s3mock = S3MockProcess.start();
      System.out.println(s3mock.process().pid() + " " + s3mock.directory());
      System.out.flush();
      System.in.read(); // until killed (the test never writes nor closes this)
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
