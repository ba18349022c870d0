package io.hybridstorage.routing.internal;

import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.annotation.Nullable;

/**
 * A routed writer whose work runs in its call's {@link CallScope} (the body's writes and the
 * commit may come from any thread), and which ends the call once: at the end of {@link #commit},
 * or at the first failure of a {@link #write}. Closed without a commit, it ends nothing: no
 * change was made, and no event is raised.
 */
public final class ObservedWriter implements ObjectWriter {

  /** Ends the routed call: with the committed version, or with the failure. */
  @FunctionalInterface
  public interface Finish {
    void finish(@Nullable ObjectInfo committed, @Nullable Exception failure);
  }

  private final ObjectWriter delegate;
  private final CallScope scope;
  private final Finish finish;
  private final AtomicBoolean ended = new AtomicBoolean();

  public ObservedWriter(ObjectWriter delegate, CallScope scope, Finish finish) {
    this.delegate = delegate;
    this.scope = scope;
    this.finish = finish;
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
    try (CallScope.Entered ignored = scope.enter()) {
      return delegate.write(source);
    } catch (IOException | RuntimeException e) {
      end(null, e);
      throw e;
    }
  }

  @Override
  public void precomputedChecksums(String crc32c, @Nullable String md5) {
    delegate.precomputedChecksums(crc32c, md5);
  }

  @Override
  public ObjectInfo commit() throws IOException {
    ObjectInfo info;
    try (CallScope.Entered ignored = scope.enter()) {
      info = delegate.commit();
    } catch (IOException | RuntimeException e) {
      end(null, e);
      throw e;
    }
    end(info, null);
    return info;
  }

  private void end(@Nullable ObjectInfo info, @Nullable Exception failure) {
    if (ended.compareAndSet(false, true)) {
      finish.finish(info, failure);
    }
  }

  @Override
  public boolean isOpen() {
    return delegate.isOpen();
  }

  @Override
  public void close() {
    try (CallScope.Entered ignored = scope.enter()) {
      delegate.close();
    }
  }
}
