package io.hybridstorage.testkit.fault;

import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectInfo;
import java.io.IOException;
import java.io.InputStream;
import javax.annotation.Nullable;

/** A read's content whose stream is under the call's response-body faults and live partitions. */
final class FaultingContent implements ObjectContent {

  private final ObjectContent content;
  private final Plan plan;
  @Nullable private InputStream stream;

  FaultingContent(ObjectContent content, Plan plan) {
    this.content = content;
    this.plan = plan;
  }

  @Override
  public ObjectInfo info() {
    return content.info();
  }

  @Override
  public synchronized InputStream stream() {
    if (stream == null) {
      stream = new FaultingStream(content.stream(), plan, Operation.Kind.READ);
    }
    return stream;
  }

  @Override
  public void close() throws IOException {
    content.close();
  }
}
