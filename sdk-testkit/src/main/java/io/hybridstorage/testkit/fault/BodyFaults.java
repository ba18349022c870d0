package io.hybridstorage.testkit.fault;

import java.io.IOException;
import java.util.ArrayDeque;
import javax.annotation.Nullable;

/**
 * The body faults of one stream (a read's response body or a write's request body), struck by
 * byte offset, plus the live partition check. Not thread-safe, like the streams it serves.
 */
final class BodyFaults {

  private final Plan plan;
  private final Operation.Kind kind;
  private final String body;
  private final ArrayDeque<Fault> pending;
  private long position;
  @Nullable private IOException broken;
  private boolean ended;

  BodyFaults(Plan plan, Operation.Kind kind) {
    this.plan = plan;
    this.kind = kind;
    this.body = kind == Operation.Kind.READ ? "response body" : "request body";
    this.pending = plan.bodyFaults(kind == Operation.Kind.READ ? Fault.Strike.RESPONSE_BODY : Fault.Strike.REQUEST_BODY);
  }

  /**
   * Call before moving bytes (and at the end of the body): strikes the faults whose offset has been
   * reached. Returns how many bytes may move before the next fault ({@code Long.MAX_VALUE}: no
   * more faults), or -1 when the body ends here silently.
   */
  long admit() throws IOException {
    if (broken != null) {
      throw new IOException(broken.getMessage(), broken);
    }
    if (plan.store().isCut(kind)) {
      throw broken = plan.brokenStream("injected fault: site " + plan.store().site()
          + " unreachable (partition) after " + position + " bytes of the " + body);
    }
    while (!pending.isEmpty() && Plan.offset(pending.peek()) <= position) {
      Fault fault = pending.poll();
      if (fault instanceof Fault.StallResponseBody stall) {
        plan.stall(stall.stall());
      } else if (fault instanceof Fault.StallRequestBody stall) {
        plan.stall(stall.stall());
      } else if (fault instanceof Fault.ShortResponseBody) {
        ended = true;
      } else {
        throw broken = plan.brokenStream("injected fault " + fault + ": connection reset after " + position
            + " bytes of the " + body);
      }
    }
    if (ended) {
      return -1;
    }
    return pending.isEmpty() ? Long.MAX_VALUE : Plan.offset(pending.peek()) - position;
  }

  void advance(long bytes) {
    position += bytes;
  }
}
