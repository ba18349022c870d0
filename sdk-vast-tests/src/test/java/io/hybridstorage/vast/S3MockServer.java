package io.hybridstorage.vast;

import java.net.URI;

/**
 * One Adobe S3Mock per test JVM, in a process of its own ({@link S3MockProcess}), started on first
 * use and stopped, its store deleted, when this JVM exits (or killed with it). Startup costs
 * seconds, so every test class shares it; keep each class's buckets small (S3Mock rewrites a
 * bucket's metadata file on every PUT).
 */
final class S3MockServer {

  private static final Object LOCK = new Object();
  private static S3MockProcess shared;

  private S3MockServer() {}

  /** The plain-HTTP endpoint of the shared S3Mock, starting it if needed. */
  static URI endpoint() {
    return process().endpoint();
  }

  /** The shared S3Mock, starting it if needed. */
  static S3MockProcess process() {
    synchronized (LOCK) {
      if (shared == null) {
        shared = S3MockProcess.start();
        Runtime.getRuntime().addShutdownHook(new Thread(S3MockServer::stop, "s3mock-stop"));
      }
      return shared;
    }
  }

  private static void stop() {
    synchronized (LOCK) {
      if (shared != null) {
        shared.close();
        shared = null;
      }
    }
  }
}
