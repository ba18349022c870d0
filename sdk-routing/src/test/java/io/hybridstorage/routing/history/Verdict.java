package io.hybridstorage.routing.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the checks found in one run (or several, {@link #add}ed up): the counts the suite publishes,
 * and a report per violation, each with the few ops and events needed to read it.
 */
final class Verdict {

  /** The invariants, as counted. */
  enum Invariant {
    /** An acknowledged change missing from the authority after heal and drain. */
    LOST("acknowledged writes lost"),
    /** A value the router refused (4xx) or nobody wrote, seen at the end or by a read. */
    PHANTOM("refused or unwritten values seen"),
    /** A replica whose live version differs from the authority's after heal and drain. */
    DIVERGED("replicas diverged"),
    /** Generations out of real-time, session or causal order, or issued twice. */
    GENERATION_ORDER("generation-order violations"),
    /** STRONG placements: the testkit's checker (no stale read, linearizable, generation order). */
    LINEARIZABILITY("linearizability violations"),
    /** A router's journal that did not drain with every link healed. */
    UNDRAINED("journals not drained"),
    /** The harness failed (a client or repair thread threw an Error, a client hung). */
    HARNESS("harness errors");

    final String label;

    Invariant(String label) {
      this.label = label;
    }
  }

  final List<String> seeds = new ArrayList<>();
  long ops;
  long historyOps;
  final Map<String, Long> faults = new TreeMap<>();
  final Map<Invariant, Long> violations = new TreeMap<>();
  long conflicts;
  long conflictLosses;
  long excusedDivergence;
  long verifyDifferences;
  long failedOps;
  long unknownOps;
  /** Refused and unknown mutations by their first words ({@code 412 conditionNotMet}, {@code 503 circuitOpen}, ...). */
  final Map<String, Long> outcomes = new TreeMap<>();
  final List<Long> staleness = new ArrayList<>();
  /** Where the time went: workload, drain, checks (ms). */
  final Map<String, Long> phases = new java.util.LinkedHashMap<>();
  final List<String> reports = new ArrayList<>();

  void violation(Invariant invariant, String report) {
    violations.merge(invariant, 1L, Long::sum);
    reports.add(invariant + " " + report);
  }

  long count(Invariant invariant) {
    return violations.getOrDefault(invariant, 0L);
  }

  boolean ok() {
    return violations.values().stream().allMatch(n -> n == 0);
  }

  void fault(String kind, long n) {
    faults.merge(kind, n, Long::sum);
  }

  Verdict add(Verdict other) {
    seeds.addAll(other.seeds);
    ops += other.ops;
    historyOps += other.historyOps;
    other.faults.forEach(this::fault);
    other.violations.forEach((k, v) -> violations.merge(k, v, Long::sum));
    conflicts += other.conflicts;
    conflictLosses += other.conflictLosses;
    excusedDivergence += other.excusedDivergence;
    verifyDifferences += other.verifyDifferences;
    failedOps += other.failedOps;
    unknownOps += other.unknownOps;
    other.outcomes.forEach((k, n) -> outcomes.merge(k, n, Long::sum));
    staleness.addAll(other.staleness);
    other.phases.forEach((k, n) -> phases.merge(k, n, Long::sum));
    reports.addAll(other.reports);
    return this;
  }

  /** Read staleness percentile in milliseconds (0 when no read returned a value). */
  double stalenessMillis(double percentile) {
    if (staleness.isEmpty()) {
      return 0;
    }
    List<Long> sorted = new ArrayList<>(staleness);
    sorted.sort(null);
    int i = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
  }

  long totalFaults() {
    return faults.values().stream().mapToLong(Long::longValue).sum();
  }

  /** One line of figures. */
  String figures() {
    StringBuilder sb = new StringBuilder();
    sb.append(ops).append(" ops (").append(failedOps).append(" refused, ").append(unknownOps).append(" unknown), ")
        .append(totalFaults()).append(" faults ").append(faults).append("; ");
    for (Invariant i : Invariant.values()) {
      sb.append(i.label).append(' ').append(count(i)).append(", ");
    }
    sb.append("conflicts ").append(conflicts).append(" (").append(conflictLosses).append(" lost at convergence), ")
        .append("divergence excused ").append(excusedDivergence).append(", verify differences ")
        .append(verifyDifferences).append(String.format(", read staleness p50/p99/max %.1f/%.1f/%.1f ms",
            stalenessMillis(50), stalenessMillis(99), stalenessMillis(100)));
    return sb.toString();
  }
}
