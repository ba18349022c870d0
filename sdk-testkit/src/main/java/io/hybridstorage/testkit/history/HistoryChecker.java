package io.hybridstorage.testkit.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.Nullable;

/**
 * Checks a {@link History} of per-object registers, key by key (a history is linearizable iff each
 * key's is: Herlihy and Wing's locality):
 *
 * <ol>
 *   <li>{@linkplain #checkNoLostWrites no acknowledged write lost}: an op that begins after a
 *       write was acknowledged observes that write or a later one, never a value every source of
 *       which was overwritten by it (and never a value nobody wrote);
 *   <li>{@linkplain #checkGenerations generations increase}: an acknowledged write's generation
 *       exceeds every generation acknowledged or observed before it began, reads never observe a
 *       generation below one seen before they began, and no two writes share a generation;
 *   <li>{@linkplain #checkLinearizable linearizability} of read / write / CAS / delete: some order
 *       of the ops, each placed between its invocation and its response, makes every read return
 *       the latest write. Ops of unknown outcome may take effect at any time after their invocation,
 *       or never. A failure is reported as the smallest window of ops found that cannot be
 *       linearized, reduced to the ops that matter.
 * </ol>
 *
 * <pre>{@code
 * HistoryChecker.create().check(recorder.history()).assertValid();
 * }</pre>
 *
 * <p>The first two are fast (n log n) and name the ops in conflict. The third walks the history
 * once with Lowe's just-in-time linearization (the algorithm of Knossos's {@code linear} checker),
 * keeping every configuration (state, which running ops took effect) that explains the history so
 * far, so its cost grows with the length of the history times what the concurrency allows, not
 * exponentially with the length: 10,000 ops per key from 10 threads check in well under a second.
 * It stops with {@link Violation.Kind#UNDECIDED} past its {@linkplain #withSearchBudget budget}.
 * Checks assume each write of a key writes a distinct value.
 *
 * <p>Immutable and thread-safe.
 */
public final class HistoryChecker {

  /**
   * Configurations (state, which running ops took effect) the linearizability check may hold or
   * explore at one response before it gives up.
   */
  public static final long DEFAULT_SEARCH_BUDGET = 500_000;

  /** Violations of one kind reported per key; more are counted, not listed. */
  private static final int MAX_REPORTED_PER_KEY = 3;

  private final long searchBudget;

  private HistoryChecker(long searchBudget) {
    this.searchBudget = searchBudget;
  }

  public static HistoryChecker create() {
    return new HistoryChecker(DEFAULT_SEARCH_BUDGET);
  }

  /** This checker with another search budget (configurations held or explored at one response). */
  public HistoryChecker withSearchBudget(long configurations) {
    if (configurations < 1) {
      throw new IllegalArgumentException("search budget (" + configurations + ") must be positive");
    }
    return new HistoryChecker(configurations);
  }

  /** All three checks. */
  public CheckResult check(History history) {
    List<Violation> violations = new ArrayList<>();
    for (Map.Entry<String, List<Op>> key : history.byKey().entrySet()) {
      violations.addAll(lostWrites(key.getKey(), key.getValue(), history.initialValue(key.getKey())));
      violations.addAll(generations(key.getKey(), key.getValue()));
      violations.addAll(linearizable(key.getKey(), key.getValue(), history.initialValue(key.getKey())));
    }
    return result("no lost writes, generation order, linearizability", history, violations);
  }

  /** Property 1: no acknowledged write lost. */
  public CheckResult checkNoLostWrites(History history) {
    List<Violation> violations = new ArrayList<>();
    history.byKey().forEach((key, ops) -> violations.addAll(lostWrites(key, ops, history.initialValue(key))));
    return result("no lost writes", history, violations);
  }

  /** Property 2: generations increase in real-time order and are unique per object. */
  public CheckResult checkGenerations(History history) {
    List<Violation> violations = new ArrayList<>();
    history.byKey().forEach((key, ops) -> violations.addAll(generations(key, ops)));
    return result("generation order", history, violations);
  }

  /** Property 3: every key's history is linearizable. */
  public CheckResult checkLinearizable(History history) {
    List<Violation> violations = new ArrayList<>();
    history.byKey().forEach((key, ops) -> violations.addAll(linearizable(key, ops, history.initialValue(key))));
    return result("linearizability", history, violations);
  }

  private static CheckResult result(String checks, History history, List<Violation> violations) {
    return new CheckResult(checks, history.size(), history.keys().size(), violations);
  }

  // ------------------------------------------------------------------ 1. lost writes

  private static List<Violation> lostWrites(String key, List<Op> ops, @Nullable Object initial) {
    // Where each value can come from: the latest (effective) end of an op that wrote it.
    Map<Object, Long> latestEnd = new HashMap<>();
    Map<Object, Op> latestSource = new HashMap<>();
    latestEnd.put(initial, -1L);
    long anyValueEnd = Long.MIN_VALUE; // writes of unobserved values can explain any value
    List<Op> acked = new ArrayList<>();
    for (Op op : ops) {
      if (!op.isMutation() || op.outcome() == Op.Outcome.FAIL) {
        continue;
      }
      long end = effectiveEnd(op);
      if (op.value() == Op.UNKNOWN) {
        anyValueEnd = Math.max(anyValueEnd, end);
      } else if (end > latestEnd.getOrDefault(op.value(), Long.MIN_VALUE)) {
        latestEnd.put(op.value(), end);
        latestSource.put(op.value(), op);
      }
      if (op.outcome() == Op.Outcome.OK) {
        acked.add(op);
      }
    }
    acked.sort(Comparator.comparingLong(Op::completedAt));
    // latest[i]: of acked[0..i], the one invoked last.
    Op[] latest = new Op[acked.size()];
    for (int i = 0; i < acked.size(); i++) {
      Op op = acked.get(i);
      latest[i] = i > 0 && latest[i - 1].invokedAt() > op.invokedAt() ? latest[i - 1] : op;
    }
    List<Violation> lost = new ArrayList<>();
    List<Violation> unwritten = new ArrayList<>();
    Set<Op> reportedWrites = new HashSet<>();
    for (Op observer : ops) {
      Object seen;
      if (observer.type() == Op.Type.READ && observer.outcome() == Op.Outcome.OK && observer.value() != Op.UNKNOWN) {
        seen = observer.value();
      } else if (observer.type() == Op.Type.CAS && observer.outcome() == Op.Outcome.OK) {
        seen = observer.expected();
      } else {
        continue;
      }
      if (!latestEnd.containsKey(seen) && anyValueEnd == Long.MIN_VALUE) {
        unwritten.add(new Violation(Violation.Kind.UNWRITTEN_VALUE, key, List.of(observer),
            describe(observer) + " observed " + Op.show(seen) + ", which no op wrote and the object did not"
                + " hold initially (" + Op.show(initial) + "):\n  " + observer));
        continue;
      }
      int i = lastCompletedBefore(acked, observer.invokedAt());
      if (i < 0) {
        continue;
      }
      Op write = latest[i];
      long sourceEnd = Math.max(latestEnd.getOrDefault(seen, Long.MIN_VALUE), anyValueEnd);
      if (write.invokedAt() > sourceEnd && reportedWrites.add(write)) {
        Op source = latestSource.get(seen);
        List<Op> shown = new ArrayList<>();
        if (source != null) {
          shown.add(source);
        }
        shown.add(write);
        shown.add(observer);
        shown.sort(Comparator.comparingInt(Op::id));
        lost.add(new Violation(Violation.Kind.LOST_WRITE, key, shown,
            describe(observer) + " observed " + Op.show(seen) + " although " + describe(write)
                + (write.type() == Op.Type.DELETE ? "" : " of " + Op.show(write.value()))
                + " was acknowledged (event " + write.completedAt()
                + ") before it began (event " + observer.invokedAt() + ") and "
                + (source == null ? "the initial value" : "every write of " + Op.show(seen))
                + " ended before that write began: the acknowledged write was lost, or the read is stale"
                + lines(shown)));
      }
    }
    List<Violation> result = new ArrayList<>(capped(lost));
    result.addAll(capped(unwritten));
    return result;
  }

  private static int lastCompletedBefore(List<Op> byCompletion, long time) {
    int lo = 0;
    int hi = byCompletion.size() - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (byCompletion.get(mid).completedAt() < time) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** When an op's effect may last have happened: its response, or never for an unknown outcome. */
  private static long effectiveEnd(Op op) {
    return op.outcome() == Op.Outcome.OK ? op.completedAt() : Long.MAX_VALUE;
  }

  // ------------------------------------------------------------------ 2. generations

  private static List<Violation> generations(String key, List<Op> ops) {
    List<Op> known = ops.stream()
        .filter(op -> op.outcome() == Op.Outcome.OK && op.generation() != null && op.type() != Op.Type.DELETE)
        .toList();
    List<Violation> duplicates = new ArrayList<>();
    Map<Long, Op> writers = new HashMap<>();
    for (Op op : known) {
      if (op.isMutation()) {
        Op other = writers.putIfAbsent(op.generation(), op);
        if (other != null) {
          duplicates.add(new Violation(Violation.Kind.DUPLICATE_GENERATION, key, List.of(other, op),
              describe(other) + " and " + describe(op) + " were both acknowledged as generation "
                  + op.generation() + lines(List.of(other, op))));
        }
      }
    }
    List<Op> byEnd = new ArrayList<>(known);
    byEnd.sort(Comparator.comparingLong(Op::completedAt));
    List<Violation> order = new ArrayList<>();
    Op highest = null;
    int j = 0;
    for (Op op : known) { // in invocation order
      while (j < byEnd.size() && byEnd.get(j).completedAt() < op.invokedAt()) {
        Op done = byEnd.get(j++);
        if (highest == null || done.generation() > highest.generation()) {
          highest = done;
        }
      }
      if (highest == null) {
        continue;
      }
      boolean wrong = op.isMutation()
          ? op.generation() <= highest.generation()
          : op.generation() < highest.generation();
      if (wrong) {
        order.add(new Violation(Violation.Kind.GENERATION_ORDER, key, List.of(highest, op),
            describe(op) + (op.isMutation() ? " was acknowledged as generation " : " observed generation ")
                + op.generation() + " although " + describe(highest) + " had "
                + (highest.isMutation() ? "been acknowledged as" : "observed") + " generation "
                + highest.generation() + " before it began" + lines(List.of(highest, op))));
      }
    }
    List<Violation> result = new ArrayList<>(capped(duplicates));
    result.addAll(capped(order));
    return result;
  }

  // ------------------------------------------------------------------ 3. linearizability

  private List<Violation> linearizable(String key, List<Op> ops, @Nullable Object initial) {
    List<Linearizability.Step> steps = Linearizability.prepare(ops);
    Linearizability.Verdict verdict = Linearizability.run(steps, initial, searchBudget).verdict();
    if (verdict == Linearizability.Verdict.LINEARIZABLE) {
      return List.of();
    }
    if (verdict == Linearizability.Verdict.UNDECIDED) {
      return List.of(new Violation(Violation.Kind.UNDECIDED, key, List.of(),
          "the linearizability check of " + steps.size() + " ops gave up: more than " + searchBudget
              + " configurations at one response; raise HistoryChecker.withSearchBudget or run fewer"
              + " concurrent ops on one object"));
    }
    Linearizability.Failure failure = Linearizability.minimize(steps, initial, searchBudget);
    List<Op> core = failure.core().stream().map(Linearizability.Step::op).toList();
    Set<Op> weakened = failure.core().stream().filter(step -> !step.definite() && step.op().outcome() == Op.Outcome.OK)
        .map(Linearizability.Step::op).collect(Collectors.toSet());
    StringBuilder sb = new StringBuilder();
    sb.append("no order of these ").append(core.size()).append(core.size() == 1 ? " op" : " ops")
        .append(" puts each between its invocation and its response with every read returning the latest write")
        .append(" (window: events ").append(failure.from()).append("..").append(failure.to())
        .append(", ").append(failure.window().size()).append(" of ").append(steps.size()).append(" ops; value at its start: ")
        .append(failure.fromInitialState() ? Op.show(initial) + " (initial)" : "any").append(')');
    for (Op op : core) {
      sb.append("\n  ").append(weakened.contains(op) ? "~ " : "").append(op);
    }
    if (!weakened.isEmpty()) {
      sb.append("\n  (~: the failure remains even if this op may or may not have taken effect)");
    }
    return List.of(new Violation(Violation.Kind.NOT_LINEARIZABLE, key, core, sb.toString()));
  }

  // ------------------------------------------------------------------ text

  private static String describe(Op op) {
    return op.type().name().toLowerCase(java.util.Locale.ROOT) + " #" + op.id();
  }

  private static String lines(List<Op> ops) {
    StringBuilder sb = new StringBuilder(":");
    for (Op op : ops) {
      sb.append("\n  ").append(op);
    }
    return sb.toString();
  }

  private static List<Violation> capped(List<Violation> violations) {
    if (violations.size() <= MAX_REPORTED_PER_KEY) {
      return violations;
    }
    List<Violation> shown = new ArrayList<>(violations.subList(0, MAX_REPORTED_PER_KEY - 1));
    Violation last = violations.get(MAX_REPORTED_PER_KEY - 1);
    shown.add(new Violation(last.kind(), last.key(), last.ops(), last.explanation() + "\n  (and "
        + (violations.size() - MAX_REPORTED_PER_KEY) + " more " + last.kind() + " violations on this key)"));
    return shown;
  }
}
