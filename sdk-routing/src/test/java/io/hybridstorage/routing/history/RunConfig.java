package io.hybridstorage.routing.history;

import io.hybridstorage.api.WritePolicy;
import java.util.Arrays;
import java.util.List;

/**
 * One run of the randomized history suite: a write policy, a seed and sizes. Everything random in
 * a run — the clock skews, the fault schedule, each client's operations, each link's fault draws —
 * derives from the seed, so a seed replays the same run up to thread interleaving.
 *
 * <p>System properties (read by {@link #fromSystemProperties}):
 *
 * <ul>
 *   <li>{@code history.seed}: the seed (default: a new one per run, printed);
 *   <li>{@code history.policy}: one write policy (default: all five);
 *   <li>{@code history.ops}: client operations per policy (default 5,000);
 *   <li>{@code history.roundOps}: operations per round: a policy's operations are split into
 *       rounds of fresh sites and routers of at most this many, each with its own seed (default
 *       10,000);
 *   <li>{@code history.kills}: SIGKILL restarts of a forked writer per policy (default 4).
 * </ul>
 *
 * @param routers routers (processes), each with its own journal, clock and links
 * @param clients client threads per router
 * @param hotKeys the objects the clients fight over at a time
 * @param keyLife a client moves on to the next set of hot objects after this many of its steps (a step
 *     is one op, or two or three for a copy or compose with their staging writes)
 * @param maxSkewMillis each router's clock is off the sites' by up to this much, either way
 */
record RunConfig(WritePolicy policy, long seed, int ops, int routers, int clients, int hotKeys, int keyLife,
    int maxSkewMillis) {

  static final String SEED = "history.seed";
  static final String POLICY = "history.policy";
  static final String OPS = "history.ops";
  static final String ROUND_OPS = "history.roundOps";
  static final String KILLS = "history.kills";

  static final int DEFAULT_OPS = 5_000;
  static final int DEFAULT_ROUND_OPS = 10_000;
  static final int DEFAULT_KILLS = 4;

  static RunConfig of(WritePolicy policy, long seed, int ops) {
    return new RunConfig(policy, seed, ops, 3, 2, 8, 60, 50);
  }

  /** The policies to run: {@code history.policy}, or all five. */
  static List<WritePolicy> policies() {
    String only = System.getProperty(POLICY);
    return only == null || only.isBlank() ? Arrays.asList(WritePolicy.values())
        : List.of(WritePolicy.valueOf(only.trim()));
  }

  /** The seed given with {@code history.seed}, or a new one. */
  static long seedProperty() {
    String given = System.getProperty(SEED);
    return given == null || given.isBlank() ? new java.security.SecureRandom().nextLong() : Long.parseLong(given.trim());
  }

  static int intProperty(String name, int defaultValue) {
    String value = System.getProperty(name);
    return value == null || value.isBlank() ? defaultValue : Integer.parseInt(value.trim());
  }

  /** The seed of round {@code round} of a run with {@code seed}: round 0 has the run's own seed. */
  static long roundSeed(long seed, int round) {
    return round == 0 ? seed : mix(seed + round * 0x9E3779B97F4A7C15L);
  }

  /** A seed for one part of the run (a router's clock, a client, a link), derived from the run's. */
  long derive(int... parts) {
    long z = seed;
    for (int p : parts) {
      z = mix(z + 0x9E3779B97F4A7C15L * (p + 1));
    }
    return z;
  }

  int opsPerClient() {
    return (ops + routers * clients - 1) / (routers * clients);
  }

  /** How to replay this run. */
  String replay() {
    return "mvn -B -pl sdk-routing -am test -Dtest=RandomizedHistoryTest -Dsurefire.failIfNoSpecifiedTests=false"
        + " -D" + SEED + "=" + seed + " -D" + POLICY + "=" + policy + " -D" + OPS + "=" + ops
        + " -D" + KILLS + "=0";
  }

  /** SplitMix64's finalizer. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
