package io.hybridstorage.testkit.fault;

import static java.util.Objects.requireNonNull;

import java.util.List;
import javax.annotation.Nullable;

/**
 * One call a {@link FaultInjectingStore} received, as {@code MockWebServer.takeRequest()} reports
 * a request: what was called, on what, by which thread, and the faults it got.
 *
 * @param sequence 1 for the store's first call, then 2, 3, ...; the seeded random of a call
 *     depends on it, so equal call sequences get equal faults
 * @param bucket the bucket the call addresses (for copy and compose: the target's), or null
 * @param object the object name the call addresses (the target's for copy and compose), or null
 * @param arguments the call's arguments (for {@code write(request, stream)} just the request)
 * @param thread the calling thread's name
 * @param faults the faults injected, in the order they strike, random choices resolved (a {@link
 *     Fault.Delay} holds the fixed delay drawn); empty when the call went through untouched
 */
public record Call(
    long sequence,
    Operation operation,
    @Nullable String bucket,
    @Nullable String object,
    List<Object> arguments,
    String thread,
    List<Fault> faults) {

  public Call {
    requireNonNull(operation, "operation");
    arguments = List.copyOf(arguments);
    requireNonNull(thread, "thread");
    faults = List.copyOf(faults);
  }

  /** Whether any fault was injected into this call. */
  public boolean faulted() {
    return !faults.isEmpty();
  }

  /** {@code #3 write gs://b/o [main] failAfterCommit(503)}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("#").append(sequence).append(' ').append(operation.methodName());
    if (bucket != null) {
      sb.append(" gs://").append(bucket);
      if (object != null) {
        sb.append('/').append(object);
      }
    }
    sb.append(" [").append(thread).append(']');
    if (!faults.isEmpty()) {
      sb.append(' ').append(faults);
    }
    return sb.toString();
  }
}
