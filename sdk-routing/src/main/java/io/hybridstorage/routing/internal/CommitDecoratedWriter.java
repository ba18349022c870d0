package io.hybridstorage.routing.internal;

import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.UnaryOperator;

/**
 * An {@link ObjectWriter} that forwards everything and lets its owner wrap {@code commit} (and
 * the errors of {@code write}) — how the resilience decorator and the router put their rules
 * around a writer they hand out.
 */
public final class CommitDecoratedWriter implements ObjectWriter {

  /** The call a decorator wraps: the delegate's commit. */
  @FunctionalInterface
  public interface Commit {
    ObjectInfo commit() throws IOException;
  }

  /** How a decorator runs a commit (e.g. through a circuit breaker). */
  @FunctionalInterface
  public interface Around {
    ObjectInfo commit(Commit commit) throws IOException;
  }

  private final ObjectWriter delegate;
  private final Around around;
  private final UnaryOperator<RuntimeException> writeErrors;

  public CommitDecoratedWriter(ObjectWriter delegate, Around around, UnaryOperator<RuntimeException> writeErrors) {
    this.delegate = delegate;
    this.around = around;
    this.writeErrors = writeErrors;
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
    try {
      return delegate.write(source);
    } catch (RuntimeException e) {
      throw writeErrors.apply(e);
    }
  }

  @Override
  public void precomputedChecksums(String crc32c, @javax.annotation.Nullable String md5) {
    delegate.precomputedChecksums(crc32c, md5);
  }

  @Override
  public ObjectInfo commit() throws IOException {
    return around.commit(delegate::commit);
  }

  @Override
  public boolean isOpen() {
    return delegate.isOpen();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
