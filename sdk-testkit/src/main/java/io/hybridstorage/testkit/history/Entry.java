package io.hybridstorage.testkit.history;

import javax.annotation.Nullable;

/** An op being recorded: invoked, completed later (or never). Thread-safe. */
final class Entry {

  final int id;
  final String process;
  @Nullable final String site;
  final Op.Type type;
  final String key;
  @Nullable final Object expected;
  final long invokedAt;
  final long startNanos;

  @Nullable private Object value;
  @Nullable private Long generation;
  @Nullable private Op.Outcome outcome;
  @Nullable private String info;
  private long completedAt = Long.MAX_VALUE;
  private long endNanos = -1;

  Entry(int id, String process, @Nullable String site, Op.Type type, String key, @Nullable Object expected,
      @Nullable Object value, long invokedAt, long startNanos) {
    this.id = id;
    this.process = process;
    this.site = site;
    this.type = type;
    this.key = key;
    this.expected = expected;
    this.value = value;
    this.invokedAt = invokedAt;
    this.startNanos = startNanos;
  }

  /** Sets the value (a read's, or a streamed write's once its bytes are known) before completing. */
  synchronized void value(@Nullable Object newValue) {
    this.value = newValue;
  }

  synchronized boolean completed() {
    return outcome != null;
  }

  synchronized void complete(Op.Outcome how, @Nullable Long observedGeneration, @Nullable String why, long at,
      long nanos) {
    if (outcome != null) {
      throw new IllegalStateException("op #" + id + " (" + type + " " + key + ") already completed: " + outcome);
    }
    this.outcome = how;
    this.generation = observedGeneration;
    this.info = why;
    this.completedAt = at;
    this.endNanos = nanos;
  }

  /** The op as of now; one never completed is {@link Op.Outcome#UNKNOWN}. */
  synchronized Op toOp() {
    if (outcome == null) {
      return new Op(id, process, site, type, key, expected, type == Op.Type.READ ? Op.UNKNOWN : value, null,
          Op.Outcome.UNKNOWN, "no response recorded", invokedAt, Long.MAX_VALUE, startNanos, -1);
    }
    return new Op(id, process, site, type, key, expected, value, generation, outcome, info, invokedAt,
        completedAt, startNanos, endNanos);
  }
}
