package io.hybridstorage.testkit.history;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One thing wrong with a history, with the few ops that show it.
 *
 * @param key the register (object) concerned
 * @param ops the ops that show the problem, smallest set found, in invocation order
 * @param explanation what is wrong, in words, with the ops listed one per line
 */
public record Violation(Kind kind, String key, List<Op> ops, String explanation) {

  /** What kind of property failed. */
  public enum Kind {
    /** A read (or CAS) after an acknowledged write observed an older value: the write was lost. */
    LOST_WRITE,
    /** A read returned a value that no op wrote and that was not there initially. */
    UNWRITTEN_VALUE,
    /** Generations went backwards in real-time order (a write not above what was seen before it). */
    GENERATION_ORDER,
    /** Two acknowledged writes of one object got the same generation. */
    DUPLICATE_GENERATION,
    /** No order of the ops respects real time and the register's rules. */
    NOT_LINEARIZABLE,
    /** The linearizability search ran out of budget: neither proved nor refuted. */
    UNDECIDED
  }

  public Violation {
    requireNonNull(kind, "kind");
    requireNonNull(key, "key");
    ops = List.copyOf(ops);
    requireNonNull(explanation, "explanation");
  }

  @Override
  public String toString() {
    return kind + " " + key + ": " + explanation;
  }
}
