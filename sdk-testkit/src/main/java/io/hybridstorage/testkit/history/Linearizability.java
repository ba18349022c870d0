package io.hybridstorage.testkit.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.Nullable;

/**
 * Linearizability of one register's history, by Lowe's just-in-time linearization with the
 * configurations deduplicated (Knossos's {@code linear} checker; see {@link #run}), and a
 * reduction of a failing history to a small window of ops that still cannot be linearized.
 *
 * <p>The register: a value or absent (null). READ must return the current value; WRITE sets it;
 * DELETE makes it absent; CAS sets it when the current value equals the expected one. An op of
 * unknown outcome may take effect at any point after its invocation or never: it never responds,
 * so it is never forced, and leaving it out changes nothing that was observed. A write of an
 * unobserved value ({@link Op#UNKNOWN}, e.g. a copy that failed) makes the state {@link #ANY},
 * which the next read pins down.
 */
final class Linearizability {

  enum Verdict {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    /** The search budget ran out first. */
    UNDECIDED
  }

  /** A state that could be any value: initially unknown, or after a write of an unobserved value. */
  static final Object ANY = new Object() {
    @Override
    public String toString() {
      return "any";
    }
  };

  private static final Object ILLEGAL = new Object();
  private static final long NEVER = Long.MAX_VALUE;
  /** Failing windows up to this many ops are reduced op by op to a core. */
  private static final int MAX_CORE_REDUCTION = 300;
  /** How many starts before the latest failing one the reduction also tries. */
  private static final int EARLIER_STARTS = 3;

  private Linearizability() {}

  /** An op as the search sees it: maybe weakened to "unknown" by the window reduction. */
  record Step(Op op, boolean definite, long invokedAt, long completedAt) {
    static Step of(Op op) {
      boolean definite = op.outcome() == Op.Outcome.OK;
      return new Step(op, definite, op.invokedAt(), definite ? op.completedAt() : NEVER);
    }

    Step weakened() {
      return new Step(op, false, invokedAt, NEVER);
    }

    boolean isRead() {
      return op.type() == Op.Type.READ;
    }
  }

  /** What a failed check reports: the core ops, the window they come from, and its start state. */
  record Failure(List<Step> core, List<Step> window, long from, long to, boolean fromInitialState) {}

  /** The steps to search: failed ops and reads that observed nothing dropped. */
  static List<Step> prepare(List<Op> ops) {
    List<Step> steps = new ArrayList<>(ops.size());
    for (Op op : ops) {
      if (op.outcome() == Op.Outcome.FAIL) {
        continue;
      }
      if (op.type() == Op.Type.READ && (op.outcome() != Op.Outcome.OK || op.value() == Op.UNKNOWN)) {
        continue;
      }
      steps.add(Step.of(op));
    }
    return simplify(steps);
  }

  /**
   * Drops unknown reads and the unknown mutations whose value nothing observes: such a mutation can
   * always be linearized last, so dropping it changes no verdict, and it would multiply the search.
   */
  static List<Step> simplify(List<Step> steps) {
    Set<Object> observed = new HashSet<>();
    for (Step step : steps) {
      if (step.isRead()) {
        observed.add(step.op.value());
      } else if (step.op.type() == Op.Type.CAS) {
        observed.add(step.op.expected());
      }
    }
    List<Step> kept = new ArrayList<>(steps.size());
    for (Step step : steps) {
      if (step.definite) {
        kept.add(step);
      } else if (!step.isRead() && (step.op.value() == Op.UNKNOWN || observed.contains(step.op.value()))) {
        kept.add(step);
      }
    }
    return kept;
  }

  /** A verdict, and for NOT_LINEARIZABLE the event at which no linearization remained. */
  record Result(Verdict verdict, long failedAt) {}

  /**
   * Lowe's just-in-time linearization, as Knossos's {@code linear} checker runs it: walk the events
   * in order, keeping every configuration (register state, which running ops are already
   * linearized) that explains the history so far. An invocation adds a running op. A response of
   * op {@code o} forces it: each configuration either linearized {@code o} already, or linearizes
   * running ops, in every order the register allows, until {@code o} is linearized; configurations
   * that cannot are dropped. No configuration left means no linearization: the history fails at
   * that response. Ops of unknown outcome never respond: they may be linearized at any later point,
   * or never.
   *
   * <p>Configurations only name running ops, so the frontier is bounded by the concurrency, not by
   * the length of the history; {@code budget} caps the configurations held or explored at one
   * response.
   */
  static Result run(List<Step> steps, @Nullable Object initial, long budget) {
    int n = steps.size();
    long[] retireAt = retirements(steps);
    // Event e: op e / 3, and e % 3 = 0 invocation, 1 response, 2 retirement (see retirements).
    List<Integer> events = new ArrayList<>(2 * n);
    for (int i = 0; i < n; i++) {
      events.add(3 * i);
      if (steps.get(i).completedAt != NEVER) {
        events.add(3 * i + 1);
      }
      if (retireAt[i] != NEVER) {
        events.add(3 * i + 2);
      }
    }
    events.sort((a, b) -> {
      int c = Long.compare(time(steps, retireAt, a), time(steps, retireAt, b));
      if (c != 0) {
        return c;
      }
      c = Integer.compare(a % 3, b % 3); // invocations, then responses, then retirements
      return c != 0 ? c : Integer.compare(a, b);
    });
    List<Integer> running = new ArrayList<>();
    Set<Configuration> frontier = new HashSet<>();
    frontier.add(new Configuration(initial, new int[0]));
    for (int event : events) {
      int op = event / 3;
      if (event % 3 == 0) {
        running.add(op);
        continue;
      }
      if (event % 3 == 2) {
        running.remove(Integer.valueOf(op));
        Set<Configuration> merged = new HashSet<>();
        for (Configuration configuration : frontier) {
          merged.add(configuration.contains(op) ? configuration.without(op) : configuration);
        }
        frontier = merged;
        continue;
      }
      Set<Configuration> next = new HashSet<>();
      Set<Configuration> seen = new HashSet<>(frontier);
      ArrayDeque<Configuration> queue = new ArrayDeque<>();
      for (Configuration configuration : frontier) {
        if (configuration.contains(op)) {
          next.add(configuration.without(op));
        } else {
          queue.add(configuration);
        }
      }
      while (!queue.isEmpty()) {
        Configuration configuration = queue.poll();
        for (int candidate : running) {
          if (configuration.contains(candidate)) {
            continue;
          }
          Object after = step(configuration.state, steps.get(candidate));
          if (after == ILLEGAL) {
            continue;
          }
          if (candidate == op) {
            next.add(new Configuration(after, configuration.linearized));
          } else {
            Configuration grown = configuration.with(candidate, after);
            if (seen.add(grown)) {
              queue.add(grown);
            }
          }
        }
        if (seen.size() + next.size() > budget) {
          return new Result(Verdict.UNDECIDED, time(steps, retireAt, event));
        }
      }
      running.remove(Integer.valueOf(op));
      if (next.isEmpty()) {
        return new Result(Verdict.NOT_LINEARIZABLE, time(steps, retireAt, event));
      }
      frontier = next;
    }
    return new Result(Verdict.LINEARIZABLE, -1);
  }

  /**
   * Reduces a history that cannot be linearized from {@code initial} to a small witness: the
   * failing prefix ends at the response where no linearization remained (ops still running there
   * count as unknown); its start moves as late as it can while the window still fails from any
   * state (ops running at the start count as unknown, earlier ones are summed up by the free
   * state); then, op by op, reads are dropped and writes made unknown while it still fails. Each
   * step only removes constraints, so the witness failing proves that the history fails.
   */
  static Failure minimize(List<Step> steps, @Nullable Object initial, long budget) {
    long[] times = eventTimes(steps);
    // 1. The shortest failing prefix ends at the response where no linearization remained.
    long to = run(steps, initial, budget).failedAt();
    // 2. The latest start from which that prefix still fails, whatever the state there.
    int best = -1;
    int lo = 0;
    int hi = Arrays.binarySearch(times, to) + 1; // starts in times[0 .. index of `to`]
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (fails(window(steps, times[mid], to), ANY, budget)) {
        best = mid;
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (best < 0) {
      return reduce(window(steps, Long.MIN_VALUE, to), initial, times[0], to, true, budget);
    }
    // A slightly earlier start keeps more ops definite, which sometimes gives a smaller core.
    Failure smallest = null;
    for (int start = best; start >= Math.max(0, best - EARLIER_STARTS); start--) {
      List<Step> window = window(steps, times[start], to);
      if (smallest != null && window.size() > MAX_CORE_REDUCTION) {
        break;
      }
      Failure failure = reduce(window, ANY, times[start], to, false, budget);
      if (smallest == null || weight(failure.core) < weight(smallest.core)) {
        smallest = failure;
      }
    }
    return smallest;
  }

  /**
   * The core of a failing window: each read dropped, then each definite write made unknown, unless
   * the failure needs it. Reads go first: a core of definite writes and few reads reads best.
   */
  private static Failure reduce(List<Step> window, @Nullable Object start, long from, long to,
      boolean fromInitialState, long budget) {
    List<Step> core = new ArrayList<>(window);
    if (core.size() <= MAX_CORE_REDUCTION) {
      for (boolean reads : new boolean[] {true, false}) {
        for (Step candidate : window) {
          int i = indexOf(core, candidate.op);
          if (i < 0 || candidate.isRead() != reads || !core.get(i).definite) {
            continue; // another pass's, already dropped, or already unknown
          }
          List<Step> attempt = new ArrayList<>(core);
          if (reads) {
            attempt.remove(i);
          } else {
            attempt.set(i, core.get(i).weakened());
          }
          attempt = simplify(attempt);
          if (fails(attempt, start, budget)) {
            core = attempt;
          }
        }
      }
    }
    return new Failure(core, window, from, to, fromInitialState);
  }

  /** Fewer ops first, then fewer ops weakened to unknown. */
  private static int weight(List<Step> core) {
    int weakened = 0;
    for (Step step : core) {
      if (!step.definite && step.op.outcome() == Op.Outcome.OK) {
        weakened++;
      }
    }
    return core.size() * 1000 + weakened;
  }

  /**
   * The steps between events {@code from} and {@code to}: ops invoked after {@code to} and ops
   * answered before {@code from} are left out; ops running at either edge become unknown.
   */
  static List<Step> window(List<Step> steps, long from, long to) {
    List<Step> result = new ArrayList<>();
    for (Step step : steps) {
      if (step.invokedAt > to || step.completedAt < from) {
        continue;
      }
      if (step.invokedAt < from || step.completedAt > to) {
        if (!step.isRead()) {
          result.add(step.definite ? step.weakened() : step);
        }
      } else {
        result.add(step);
      }
    }
    return simplify(result);
  }

  private static int indexOf(List<Step> steps, Op op) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).op == op) {
        return i;
      }
    }
    return -1;
  }

  private static boolean fails(List<Step> steps, @Nullable Object initial, long budget) {
    return run(steps, initial, budget).verdict() == Verdict.NOT_LINEARIZABLE;
  }

  private static long[] eventTimes(List<Step> steps) {
    TreeSet<Long> times = new TreeSet<>();
    for (Step step : steps) {
      times.add(step.invokedAt);
      if (step.completedAt != NEVER) {
        times.add(step.completedAt);
      }
    }
    return times.stream().mapToLong(Long::longValue).toArray();
  }

  /** The register's transition, or {@link #ILLEGAL}. */
  private static Object step(@Nullable Object state, Step step) {
    Op op = step.op;
    Object value = op.value() == Op.UNKNOWN ? ANY : op.value();
    return switch (op.type()) {
      case READ -> state == ANY || Objects.equals(state, value) ? value : ILLEGAL;
      case WRITE -> value;
      case DELETE -> null;
      case CAS -> {
        if (step.definite) {
          yield state == ANY || Objects.equals(state, op.expected()) ? value : ILLEGAL;
        }
        if (state == ANY) {
          yield ANY; // took effect or not: either way, any value
        }
        yield Objects.equals(state, op.expected()) ? value : state;
      }
    };
  }

  private static long time(List<Step> steps, long[] retireAt, int event) {
    Step step = steps.get(event / 3);
    return switch (event % 3) {
      case 0 -> step.invokedAt;
      case 1 -> step.completedAt;
      default -> retireAt[event / 3];
    };
  }

  /**
   * When each op of unknown outcome stops mattering: once every op that observed its value has
   * responded (and it was invoked), whether it took effect or not changes nothing later, since it
   * could always take effect last. Retiring it there keeps such ops from piling up in every
   * configuration. {@code NEVER} when an observer never responds, or its value is unobserved ({@link
   * Op#UNKNOWN}, which could match anything).
   */
  private static long[] retirements(List<Step> steps) {
    java.util.Map<Object, Long> lastObserved = new java.util.HashMap<>();
    for (Step step : steps) {
      Object observed = step.isRead() ? step.op.value()
          : step.op.type() == Op.Type.CAS ? step.op.expected() : Op.UNKNOWN;
      if (observed != Op.UNKNOWN) {
        lastObserved.merge(observed, step.completedAt, Math::max);
      }
    }
    long[] retireAt = new long[steps.size()];
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      retireAt[i] = NEVER;
      if (!step.definite && !step.isRead() && step.op.value() != Op.UNKNOWN) {
        long last = lastObserved.getOrDefault(step.op.value(), step.invokedAt);
        retireAt[i] = last == NEVER ? NEVER : Math.max(last, step.invokedAt);
      }
    }
    return retireAt;
  }

  /**
   * A configuration of the search: the register's state, and which running ops it has linearized
   * (sorted op indices; an op leaves the set when it responds).
   */
  private static final class Configuration {
    @Nullable final Object state;
    final int[] linearized;
    private final int hash;

    Configuration(@Nullable Object state, int[] linearized) {
      this.state = state;
      this.linearized = linearized;
      this.hash = Arrays.hashCode(linearized) * 31 + Objects.hashCode(state);
    }

    boolean contains(int op) {
      return Arrays.binarySearch(linearized, op) >= 0;
    }

    Configuration with(int op, @Nullable Object newState) {
      int[] grown = Arrays.copyOf(linearized, linearized.length + 1);
      grown[grown.length - 1] = op;
      Arrays.sort(grown);
      return new Configuration(newState, grown);
    }

    Configuration without(int op) {
      int[] shrunk = new int[linearized.length - 1];
      int j = 0;
      for (int i : linearized) {
        if (i != op) {
          shrunk[j++] = i;
        }
      }
      return new Configuration(state, shrunk);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Configuration that
          && that.hash == hash
          && Objects.equals(that.state, state)
          && Arrays.equals(that.linearized, linearized);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
