package io.hybridstorage.testkit.history;

import static java.util.Objects.requireNonNull;

import javax.annotation.Nullable;

/**
 * One operation of a {@link History}: its invocation and its response.
 *
 * <p>Values are compared with {@code equals}; {@code null} is "absent" (no live object). Checks
 * are meaningful when every write of a key writes a distinct value, as in Jepsen tests.
 *
 * @param id 1 for the first op invoked, then 2, 3, ... (the order of invocation)
 * @param process who invoked it (a thread name, or a name given to the history builder)
 * @param site the site the op went to, or null when not known
 * @param key the register: an object, {@code gs://bucket/name} when recorded from a store
 * @param expected for {@link Type#CAS}: the value the op required (null: that the object be absent)
 * @param value for writes and CAS: the value written (null for a delete-as-CAS); for reads: the
 *     value read (null: absent), or {@link #UNKNOWN} when the read did not observe it (a ranged
 *     read, a metadata read without a checksum)
 * @param generation the generation acknowledged (writes) or observed (reads), when known
 * @param info why the op failed or is unknown (the error), else null
 * @param invokedAt the invocation's position in the history's event order (its logical time)
 * @param completedAt the response's position in the event order; {@link Long#MAX_VALUE} when it
 *     never came
 * @param startNanos monotonic nanos at invocation (for display and latency)
 * @param endNanos monotonic nanos at the response; -1 when it never came
 */
public record Op(
    int id,
    String process,
    @Nullable String site,
    Type type,
    String key,
    @Nullable Object expected,
    @Nullable Object value,
    @Nullable Long generation,
    Outcome outcome,
    @Nullable String info,
    long invokedAt,
    long completedAt,
    long startNanos,
    long endNanos) {

  /** The value of a read that did not observe one. Never equal to a written value. */
  public static final Object UNKNOWN = Unobserved.VALUE;

  /** What an op does to its register. */
  public enum Type {
    /** Observes the value (and maybe the generation). */
    READ,
    /** Sets the value unconditionally. */
    WRITE,
    /** Sets the value if the current one equals {@code expected} (GCS: {@code ifGenerationMatch}). */
    CAS,
    /** Removes the value (the object becomes absent). */
    DELETE
  }

  /** How an op ended, in Jepsen's terms ({@code :ok}, {@code :fail}, {@code :info}). */
  public enum Outcome {
    /** It took effect (a read: it observed its value). */
    OK,
    /** It certainly did not take effect (e.g. 412, 404, 400); checkers ignore it. */
    FAIL,
    /**
     * It may or may not have taken effect, at any time after its invocation (a timeout, a 503, a
     * lost acknowledgement, a crash). For a read: it observed nothing usable.
     */
    UNKNOWN
  }

  public Op {
    requireNonNull(process, "process");
    requireNonNull(type, "type");
    requireNonNull(key, "key");
    requireNonNull(outcome, "outcome");
  }

  /** Whether this op changes its register (write, CAS, delete). */
  public boolean isMutation() {
    return type != Type.READ;
  }

  /** Whether this op's response came before {@code other}'s invocation (real-time order). */
  public boolean precedes(Op other) {
    return completedAt < other.invokedAt;
  }

  /** {@code #4 p2@dc1 read gs://b/k -> 'v1' ok gen=7 [events 9..12]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("#").append(id).append(' ').append(process);
    if (site != null) {
      sb.append('@').append(site);
    }
    sb.append(' ').append(type.name().toLowerCase(java.util.Locale.ROOT)).append(' ').append(key);
    switch (type) {
      case READ -> sb.append(" -> ").append(outcome == Outcome.OK ? show(value) : "?");
      case WRITE -> sb.append(' ').append(show(value));
      case CAS -> sb.append(' ').append(show(expected)).append(" -> ").append(show(value));
      case DELETE -> { }
    }
    sb.append(' ').append(outcome.name().toLowerCase(java.util.Locale.ROOT));
    if (generation != null) {
      sb.append(" gen=").append(generation);
    }
    if (info != null) {
      sb.append(" (").append(info).append(')');
    }
    sb.append(" [events ").append(invokedAt).append("..")
        .append(completedAt == Long.MAX_VALUE ? "never" : String.valueOf(completedAt)).append(']');
    return sb.toString();
  }

  /** A value as reports show it: strings quoted, null as "absent". */
  static String show(@Nullable Object value) {
    if (value == null) {
      return "absent";
    }
    if (value instanceof CharSequence) {
      return "'" + value + "'";
    }
    return String.valueOf(value);
  }

  private enum Unobserved {
    VALUE;

    @Override
    public String toString() {
      return "?";
    }
  }
}
