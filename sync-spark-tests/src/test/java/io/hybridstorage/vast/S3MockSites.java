package io.hybridstorage.vast;

import java.net.URI;

/**
 * An S3Mock in a process of its own ({@link S3MockProcess} of sdk-vast-tests, whose methods are
 * package-private) for tests outside this package: one per VAST site. {@link #close()} stops it and
 * deletes its store.
 */
public final class S3MockSites implements AutoCloseable {

  private final S3MockProcess process;

  private S3MockSites(S3MockProcess process) {
    this.process = process;
  }

  /** Starts one S3Mock and waits until it serves. */
  public static S3MockSites start() {
    return new S3MockSites(S3MockProcess.start());
  }

  /** Its plain-HTTP endpoint. */
  public URI endpoint() {
    return process.endpoint();
  }

  @Override
  public void close() {
    process.close();
  }
}
