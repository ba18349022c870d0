package io.hybridstorage.testkit.fault;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * One injected failure, named by where it strikes (as OkHttp's {@code SocketEffect} is): before
 * the call reaches the store, in the request body (a write's bytes), after the store committed but
 * before the caller hears so, or in the response body (a read's bytes).
 *
 * <p>{@link FaultRule}s say which calls get which faults; the {@link Call} log lists the faults
 * each call got, with every random choice (a delay drawn from a distribution) already resolved, so
 * two runs with the same seed give equal logs.
 *
 * <p>Errors are {@link io.hybridstorage.api.HybridStorageException}s with the given code and a
 * message starting {@code "injected fault"}; body faults are {@link java.io.IOException}s thrown
 * from the stream or writer, as a broken connection would give.
 */
public sealed interface Fault {

  /** Where a fault strikes. */
  enum Strike {
    /**
     * Before the store is called: it sees nothing. For {@link Operation#WRITE} through {@code
     * openWrite}, "the call" is {@code commit()}: the fault strikes there, before the store
     * commits.
     */
    BEFORE_CALL,
    /** While the caller streams a write's bytes ({@link Operation#WRITE} only); nothing commits. */
    REQUEST_BODY,
    /** After the store did the call (a write committed) but before the caller gets the answer. */
    AFTER_COMMIT,
    /** While the caller reads the bytes of a {@link Operation#READ}. */
    RESPONSE_BODY
  }

  Strike strike();

  /** Whether this fault can strike {@code operation} (body faults need a body). */
  default boolean appliesTo(Operation operation) {
    return switch (strike()) {
      case REQUEST_BODY -> operation == Operation.WRITE;
      case RESPONSE_BODY -> operation == Operation.READ;
      default -> true;
    };
  }

  // ------------------------------------------------------------------ factories

  /** Delays the call by {@code delay} (on the store's {@link io.hybridstorage.testkit.time.Sleeper}). */
  static Fault delay(Duration delay) {
    return new Delay(Latency.fixed(delay));
  }

  /** Delays the call by a delay drawn from {@code latency} with the call's seeded random. */
  static Fault delay(Latency latency) {
    return new Delay(latency);
  }

  /** The call fails with {@code code} (e.g. 503, 429, 500) and the store never sees it. */
  static Fault failBeforeCall(int code) {
    return new FailBeforeCall(checkCode(code));
  }

  /** The site does not answer: 503 "site unreachable", the store never sees the call. */
  static Fault unreachable() {
    return Unreachable.INSTANCE;
  }

  /**
   * The store does the call (a write commits, a delete deletes) but the caller gets {@code code}:
   * a lost acknowledgement, the case that makes an outcome unknown.
   */
  static Fault failAfterCommit(int code) {
    return new FailAfterCommit(checkCode(code));
  }

  /**
   * The write's connection breaks after {@code afterBytes} bytes of the body: the writer throws
   * {@link java.io.IOException} and nothing is committed.
   */
  static Fault failRequestBody(long afterBytes) {
    return new FailRequestBody(checkBytes(afterBytes));
  }

  /**
   * The write's body stalls for {@code stall} after {@code afterBytes} bytes, then goes on: a slow
   * uplink. The stall waits on the store's {@link io.hybridstorage.testkit.time.Sleeper}, in the
   * thread moving the bytes (the writer's {@code write}, or the store reading the stream given to
   * {@code write(request, stream)}); nothing is committed before the body is complete. With a
   * {@link io.hybridstorage.testkit.time.VirtualClock#sleeper()} the write is held mid-body until
   * the test advances the clock.
   */
  static Fault stallRequestBody(long afterBytes, Duration stall) {
    return new StallRequestBody(checkBytes(afterBytes), requireNonNull(stall, "stall"));
  }

  /**
   * The read's connection breaks after {@code afterBytes} bytes: the reader gets {@link
   * java.io.IOException} mid-stream, as a well-behaved store reports a truncated body.
   */
  static Fault truncateResponseBody(long afterBytes) {
    return new TruncateResponseBody(checkBytes(afterBytes));
  }

  /**
   * The read's stream ends early, without an error, after {@code afterBytes} bytes: what a buggy
   * proxy or store does; only a caller that checks sizes or checksums notices.
   */
  static Fault shortResponseBody(long afterBytes) {
    return new ShortResponseBody(checkBytes(afterBytes));
  }

  /** The read's stream stalls for {@code stall} after {@code afterBytes} bytes, then goes on. */
  static Fault stallResponseBody(long afterBytes, Duration stall) {
    return new StallResponseBody(checkBytes(afterBytes), requireNonNull(stall, "stall"));
  }

  /** A fault that strikes a body once {@link #afterBytes()} bytes of it have passed. */
  sealed interface BodyFault extends Fault {
    long afterBytes();
  }

  // ------------------------------------------------------------------ kinds

  /** See {@link #delay(Latency)}. In the call log, {@code latency} is the fixed delay drawn. */
  record Delay(Latency latency) implements Fault {
    public Delay {
      requireNonNull(latency, "latency");
    }

    @Override
    public Strike strike() {
      return Strike.BEFORE_CALL;
    }

    @Override
    public String toString() {
      return "delay(" + latency + ")";
    }
  }

  /** See {@link #failBeforeCall}. */
  record FailBeforeCall(int code) implements Fault {
    @Override
    public Strike strike() {
      return Strike.BEFORE_CALL;
    }

    @Override
    public String toString() {
      return "failBeforeCall(" + code + ")";
    }
  }

  /** See {@link #unreachable}. Partitions log this fault for the calls they fail. */
  enum Unreachable implements Fault {
    INSTANCE;

    @Override
    public Strike strike() {
      return Strike.BEFORE_CALL;
    }

    @Override
    public String toString() {
      return "unreachable";
    }
  }

  /** See {@link #failAfterCommit}. */
  record FailAfterCommit(int code) implements Fault {
    @Override
    public Strike strike() {
      return Strike.AFTER_COMMIT;
    }

    @Override
    public String toString() {
      return "failAfterCommit(" + code + ")";
    }
  }

  /** See {@link #failRequestBody}. */
  record FailRequestBody(long afterBytes) implements BodyFault {
    @Override
    public Strike strike() {
      return Strike.REQUEST_BODY;
    }

    @Override
    public String toString() {
      return "failRequestBody(after " + afterBytes + " bytes)";
    }
  }

  /** See {@link #stallRequestBody}. */
  record StallRequestBody(long afterBytes, Duration stall) implements BodyFault {
    @Override
    public Strike strike() {
      return Strike.REQUEST_BODY;
    }

    @Override
    public String toString() {
      return "stallRequestBody(after " + afterBytes + " bytes, " + stall + ")";
    }
  }

  /** See {@link #truncateResponseBody}. */
  record TruncateResponseBody(long afterBytes) implements BodyFault {
    @Override
    public Strike strike() {
      return Strike.RESPONSE_BODY;
    }

    @Override
    public String toString() {
      return "truncateResponseBody(after " + afterBytes + " bytes)";
    }
  }

  /** See {@link #shortResponseBody}. */
  record ShortResponseBody(long afterBytes) implements BodyFault {
    @Override
    public Strike strike() {
      return Strike.RESPONSE_BODY;
    }

    @Override
    public String toString() {
      return "shortResponseBody(after " + afterBytes + " bytes)";
    }
  }

  /** See {@link #stallResponseBody}. */
  record StallResponseBody(long afterBytes, Duration stall) implements BodyFault {
    @Override
    public Strike strike() {
      return Strike.RESPONSE_BODY;
    }

    @Override
    public String toString() {
      return "stallResponseBody(after " + afterBytes + " bytes, " + stall + ")";
    }
  }

  private static int checkCode(int code) {
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("code (" + code + ") must be an HTTP error code, 400 to 599");
    }
    return code;
  }

  private static long checkBytes(long afterBytes) {
    if (afterBytes < 0) {
      throw new IllegalArgumentException("afterBytes (" + afterBytes + ") must be >= 0");
    }
    return afterBytes;
  }
}
