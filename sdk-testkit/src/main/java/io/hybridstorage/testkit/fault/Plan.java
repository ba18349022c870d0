package io.hybridstorage.testkit.fault;

import io.hybridstorage.api.HybridStorageException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;

/** The faults decided for one call, and how each strikes. */
final class Plan {

  private final FaultInjectingStore store;
  private final Call call;

  Plan(FaultInjectingStore store, Call call) {
    this.store = store;
    this.call = call;
  }

  Call call() {
    return call;
  }

  FaultInjectingStore store() {
    return store;
  }

  /** Strikes a partition decided when the call began (openWrite checks this before opening). */
  void failIfUnreachable() {
    if (call.faults().contains(Fault.unreachable())) {
      throw unreachable("");
    }
  }

  /** Delays, then the first before-call error. */
  void beforeCall() {
    Duration delay = Duration.ZERO;
    for (Fault fault : call.faults()) {
      if (fault instanceof Fault.Delay d) {
        delay = delay.plus(((Latency.FixedLatency) d.latency()).delay());
      }
    }
    if (!delay.isZero()) {
      try {
        store.sleeper().sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HybridStorageException(503, "backendError", call.operation().methodName(), call.bucket(),
            call.object(), store.site(), "interrupted during an injected delay of " + delay + suffix(), e);
      }
    }
    for (Fault fault : call.faults()) {
      if (fault == Fault.unreachable()) {
        throw unreachable("");
      }
      if (fault instanceof Fault.FailBeforeCall f) {
        throw error(f.code(), "injected fault " + f);
      }
    }
  }

  /** After the delegate did the call: the first after-commit error, closing {@code result} if it holds resources. */
  void afterCommit(Object result) {
    for (Fault fault : call.faults()) {
      if (fault instanceof Fault.FailAfterCommit f) {
        if (result instanceof Closeable closeable) {
          try {
            closeable.close();
          } catch (IOException | RuntimeException ignored) {
            // The caller gets the injected error; the resource is released as well as it can be.
          }
        }
        throw error(f.code(), "injected fault " + f + ": the store did the call, the answer was lost");
      }
    }
  }

  /** The body faults of this call that strike {@code strike}, by offset. */
  ArrayDeque<Fault> bodyFaults(Fault.Strike strike) {
    List<Fault> faults = call.faults().stream()
        .filter(f -> f.strike() == strike)
        .sorted(Comparator.comparingLong(Plan::offset))
        .toList();
    return new ArrayDeque<>(faults);
  }

  static long offset(Fault fault) {
    if (fault instanceof Fault.FailRequestBody f) {
      return f.afterBytes();
    } else if (fault instanceof Fault.StallRequestBody f) {
      return f.afterBytes();
    } else if (fault instanceof Fault.TruncateResponseBody f) {
      return f.afterBytes();
    } else if (fault instanceof Fault.ShortResponseBody f) {
      return f.afterBytes();
    } else if (fault instanceof Fault.StallResponseBody f) {
      return f.afterBytes();
    }
    throw new IllegalArgumentException("not a body fault: " + fault);
  }

  void stall(Duration stall) throws InterruptedIOException {
    try {
      store.sleeper().sleep(stall);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException io = new InterruptedIOException("interrupted during an injected stall" + suffix());
      io.initCause(e);
      throw io;
    }
  }

  HybridStorageException unreachable(String when) {
    return new HybridStorageException(503, "backendError", call.operation().methodName(), call.bucket(),
        call.object(), store.site(), "injected fault: site " + store.site() + " unreachable (partition)" + when
            + suffix(), null);
  }

  IOException brokenStream(String detail) {
    return new IOException(HybridStorageException.describe(call.operation().methodName(), call.bucket(),
        call.object(), store.site()) + ": " + detail + suffix());
  }

  private HybridStorageException error(int code, String detail) {
    return new HybridStorageException(code, reason(code), call.operation().methodName(), call.bucket(),
        call.object(), store.site(), detail + suffix(), null);
  }

  private String suffix() {
    return " (seed " + store.seedForMessages() + ", call #" + call.sequence() + ")";
  }

  /** The reason GCS's JSON API gives with each code. */
  static String reason(int code) {
    return switch (code) {
      case 400 -> "invalid";
      case 401 -> "required";
      case 403 -> "forbidden";
      case 404 -> "notFound";
      case 408 -> "requestTimeout";
      case 409 -> "conflict";
      case 412 -> "conditionNotMet";
      case 416 -> "requestedRangeNotSatisfiable";
      case 429 -> "rateLimitExceeded";
      case 501 -> "notImplemented";
      case 502 -> "badGateway";
      case 504 -> "gatewayTimeout";
      default -> code >= 500 ? "backendError" : "injectedFault";
    };
  }
}
