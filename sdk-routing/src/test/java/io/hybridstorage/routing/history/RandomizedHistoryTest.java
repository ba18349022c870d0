package io.hybridstorage.routing.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.WritePolicy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The randomized history suite of issue 11: does any write policy lose an acknowledged write when
 * two or three routers — processes with their own journals, clocks and links — race on a few hot
 * objects while the links fail as real networks do, a router restarts, and a repair runs?
 *
 * <p>For each write policy: {@code history.ops} client operations (default 5,000) with faults,
 * checked by {@link Invariants} (no acknowledged write lost, no phantom, no replica diverged after
 * heal and drain, generations in order, linearizable on STRONG placements; conflicts counted under
 * LOCAL_THEN_ASYNC); then {@code history.kills} SIGKILLs of a forked writer (default 4), restarted
 * on its journal each time. The figures are printed per policy and as a table at the end.
 *
 * <p>A failing run prints its seed, a command that replays it, its fault schedule, and for each
 * violation the ops, site states and injected faults that show it. Replay: {@code
 * -Dhistory.seed=S -Dhistory.policy=P -Dhistory.ops=N} (the fault schedule and every client's
 * choices are the same; thread interleavings are not). The long run is the Maven profile {@code
 * history-long} (100,000 operations and 50 SIGKILLs per policy).
 */
class RandomizedHistoryTest {

  /** Reports printed per policy; the rest are counted. */
  private static final int PRINTED_REPORTS = 40;

  private static final Map<WritePolicy, Verdict> RUNS = new EnumMap<>(WritePolicy.class);
  private static final Map<WritePolicy, Verdict> KILLS = new EnumMap<>(WritePolicy.class);

  static Stream<WritePolicy> policies() {
    return RunConfig.policies().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void noAcknowledgedWriteIsLostUnderFaults(WritePolicy policy) throws Exception {
    long seed = RunConfig.seedProperty();
    int ops = RunConfig.intProperty(RunConfig.OPS, RunConfig.DEFAULT_OPS);
    int roundOps = Math.max(100, RunConfig.intProperty(RunConfig.ROUND_OPS, RunConfig.DEFAULT_ROUND_OPS));
    Verdict total = new Verdict();
    List<String> replays = new ArrayList<>();
    for (int round = 0, done = 0; done < ops; round++) {
      int n = Math.min(roundOps, ops - done);
      done += n;
      RunConfig config = RunConfig.of(policy, RunConfig.roundSeed(seed, round), n);
      System.out.println("[history] " + policy + " round " + round + ": seed " + config.seed() + ", " + n
          + " ops, replay: " + config.replay());
      long started = System.nanoTime();
      Verdict verdict = HistoryRun.run(config);
      System.out.printf("[history] %s seed %d (%.1f s %s): %s%n  refused/unknown changes by answer: %s%n",
          policy, config.seed(), (System.nanoTime() - started) / 1e9, verdict.phases, verdict.figures(),
          verdict.outcomes);
      if (!verdict.ok()) {
        replays.add(config.replay());
      }
      total.add(verdict);
    }
    RUNS.put(policy, total);
    printReports(policy, total);
    assertThat(total.ok())
        .as("%s: invariants violated (%s); replay with:%n  %s%n%s", policy, total.violations,
            String.join("\n  ", replays), firstReport(total))
        .isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void noAcknowledgedWriteIsLostAcrossSigkills(WritePolicy policy) throws Exception {
    int kills = RunConfig.intProperty(RunConfig.KILLS, RunConfig.DEFAULT_KILLS);
    if (kills == 0) {
      return; // a replay of the in-process run only
    }
    long seed = RunConfig.seedProperty();
    System.out.println("[history] " + policy + " SIGKILL: seed " + seed + ", " + kills + " kills, replay: -D"
        + RunConfig.SEED + "=" + seed + " -D" + RunConfig.POLICY + "=" + policy + " -D" + RunConfig.KILLS + "=" + kills
        + " -D" + RunConfig.OPS + "=0");
    long started = System.nanoTime();
    Verdict verdict = SigkillRun.run(policy, seed, kills);
    System.out.printf("[history] %s SIGKILL seed %d (%.1f s): %s%n", policy, seed, (System.nanoTime() - started) / 1e9,
        verdict.figures());
    KILLS.put(policy, verdict);
    printReports(policy, verdict);
    assertThat(verdict.ok())
        .as("%s across %d SIGKILLs: invariants violated (%s); replay with -D%s=%d -D%s=%s -D%s=%d%n%s", policy,
            kills, verdict.violations, RunConfig.SEED, seed, RunConfig.POLICY, policy, RunConfig.KILLS, kills,
            firstReport(verdict))
        .isTrue();
  }

  private static void printReports(WritePolicy policy, Verdict verdict) {
    if (verdict.reports.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    sb.append("[history] ").append(policy).append(": ").append(verdict.reports.size()).append(" reports");
    int shown = Math.min(PRINTED_REPORTS, verdict.reports.size());
    for (String report : verdict.reports.subList(0, shown)) {
      sb.append("\n\n").append(report);
    }
    if (shown < verdict.reports.size()) {
      sb.append("\n\n… ").append(verdict.reports.size() - shown).append(" more reports (counted above)");
    }
    System.out.println(sb.append('\n'));
  }

  private static String firstReport(Verdict verdict) {
    // the run description, then the first violation
    return String.join("\n\n", verdict.reports.subList(0, Math.min(2, verdict.reports.size())));
  }

  @AfterAll
  static void printFigures() {
    StringBuilder sb = new StringBuilder("\n[history] figures (seeds: ");
    List<String> seeds = new ArrayList<>();
    RUNS.values().forEach(v -> seeds.addAll(v.seeds));
    KILLS.values().forEach(v -> seeds.addAll(v.seeds));
    sb.append(String.join(", ", seeds)).append(")\n");
    sb.append(String.format("| %-20s | %8s | %7s | %4s | %4s | %8s | %9s | %4s | %9s | %7s | %s |%n", "policy", "ops",
        "faults", "lost", "phantom", "diverged", "gen order", "lin.", "conflicts", "undrained",
        "staleness p50/p99/max ms"));
    for (Map.Entry<WritePolicy, Verdict> e : RUNS.entrySet()) {
      sb.append(row(e.getKey().name(), e.getValue()));
    }
    for (Map.Entry<WritePolicy, Verdict> e : KILLS.entrySet()) {
      sb.append(row(e.getKey().name() + " (SIGKILL)", e.getValue()));
    }
    RUNS.forEach((p, v) -> sb.append("  ").append(p).append(" faults: ").append(v.faults).append('\n'));
    System.out.println(sb);
  }

  private static String row(String name, Verdict v) {
    return String.format("| %-20s | %8d | %7d | %4d | %7d | %8d | %9d | %4d | %9s | %9d | %.1f / %.1f / %.1f |%n",
        name, v.ops, v.totalFaults(), v.count(Verdict.Invariant.LOST), v.count(Verdict.Invariant.PHANTOM),
        v.count(Verdict.Invariant.DIVERGED), v.count(Verdict.Invariant.GENERATION_ORDER),
        v.count(Verdict.Invariant.LINEARIZABILITY), v.conflicts + " (" + v.conflictLosses + ")",
        v.count(Verdict.Invariant.UNDRAINED), v.stalenessMillis(50), v.stalenessMillis(99), v.stalenessMillis(100));
  }
}
