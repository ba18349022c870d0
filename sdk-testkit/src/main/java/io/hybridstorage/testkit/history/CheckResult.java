package io.hybridstorage.testkit.history;

import java.util.List;

/**
 * The verdict of a {@link HistoryChecker}: valid, or the violations found (each with the smallest
 * set of ops that shows it). {@link #assertValid()} turns it into a test failure with a readable
 * report.
 */
public final class CheckResult {

  private final String checks;
  private final int ops;
  private final int keys;
  private final List<Violation> violations;

  CheckResult(String checks, int ops, int keys, List<Violation> violations) {
    this.checks = checks;
    this.ops = ops;
    this.keys = keys;
    this.violations = List.copyOf(violations);
  }

  /** Whether no violation was found (an {@link Violation.Kind#UNDECIDED} search is not valid). */
  public boolean isValid() {
    return violations.isEmpty();
  }

  public List<Violation> violations() {
    return violations;
  }

  /** The violations of one kind. */
  public List<Violation> violations(Violation.Kind kind) {
    return violations.stream().filter(v -> v.kind() == kind).toList();
  }

  /**
   * Does nothing when valid.
   *
   * @throws AssertionError with {@link #toString()}, the report, when not
   */
  public void assertValid() {
    if (!isValid()) {
      throw new AssertionError(toString());
    }
  }

  /** The report: what was checked, then each violation and its ops. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(checks).append(" over ").append(ops).append(" ops on ").append(keys).append(keys == 1 ? " key: " : " keys: ");
    if (violations.isEmpty()) {
      return sb.append("valid").toString();
    }
    sb.append(violations.size()).append(violations.size() == 1 ? " violation" : " violations");
    for (Violation violation : violations) {
      sb.append("\n\n").append(violation);
    }
    return sb.toString();
  }
}
