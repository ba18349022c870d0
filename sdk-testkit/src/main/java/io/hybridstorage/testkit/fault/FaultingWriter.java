package io.hybridstorage.testkit.fault;

import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectWriter;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A write under the call's faults: request-body faults and partitions while bytes flow; delays and
 * before-call errors at {@link #commit()} (the write's "call"), then after-commit errors.
 */
final class FaultingWriter implements ObjectWriter {

  private final ObjectWriter out;
  private final Plan plan;
  private final BodyFaults faults;

  FaultingWriter(ObjectWriter out, Plan plan) {
    this.out = out;
    this.plan = plan;
    this.faults = new BodyFaults(plan, Operation.Kind.WRITE);
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
    if (!source.hasRemaining()) {
      return out.write(source);
    }
    long allowed = admitOrAbandon();
    int n;
    if (allowed < source.remaining()) {
      ByteBuffer slice = source.slice();
      slice.limit((int) allowed);
      n = out.write(slice);
      source.position(source.position() + n);
    } else {
      n = out.write(source);
    }
    faults.advance(n);
    return n;
  }

  @Override
  public void precomputedChecksums(String crc32c, @javax.annotation.Nullable String md5) {
    out.precomputedChecksums(crc32c, md5);
  }

  @Override
  public ObjectInfo commit() throws IOException {
    admitOrAbandon();
    plan.beforeCall();
    ObjectInfo info = out.commit();
    plan.afterCommit(info);
    return info;
  }

  /** Strikes due body faults; a broken body abandons the delegate's write, so nothing commits. */
  private long admitOrAbandon() throws IOException {
    try {
      return faults.admit();
    } catch (IOException e) {
      out.close();
      throw e;
    }
  }

  @Override
  public boolean isOpen() {
    return out.isOpen();
  }

  @Override
  public void close() {
    out.close();
  }
}
