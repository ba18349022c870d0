package io.hybridstorage.routing.history;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.routing.history.Verdict.Invariant;
import io.hybridstorage.testkit.history.HistoryRecorder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * SIGKILL restarts: a {@link KillWriter} process writes through a router over file-backed sites,
 * is killed with SIGKILL after a number of acknowledgements drawn from the seed, and is started
 * again on the same journal, {@code kills} times; then a router opened on that journal with every
 * link healthy drains it, and the {@link Invariants} are checked over the history the writers
 * printed (an op whose outcome the writer never printed is of unknown outcome).
 */
final class SigkillRun {

  private static final int OBJECTS = 20;
  private static final int THREADS = 3;
  private static final Duration DRAIN = Duration.ofSeconds(60);

  private SigkillRun() {}

  static Verdict run(WritePolicy policy, long seed, int kills) throws IOException, InterruptedException {
    String label = policy + " SIGKILL seed " + seed;
    Verdict verdict = new Verdict();
    verdict.seeds.add(label);
    Path root = Files.createTempDirectory("history-kill-" + policy + "-");
    try {
      KillWriter.sites(root).values().forEach(s -> s.createBucket(BucketSpec.of(Cluster.BUCKET)));
      Progress progress = new Progress();
      Timeline timeline = new Timeline(progress);
      OpLog log = new OpLog();
      List<Long> killedAt = new ArrayList<>();
      SplittableRandom random = new SplittableRandom(RunConfig.mix(seed));
      for (int k = 0; k < kills; k++) {
        int acks = 20 + random.nextInt(300);
        long childSeed = random.nextLong();
        String problem = incarnation(root, policy, childSeed, k, acks, log, timeline);
        killedAt.add(System.nanoTime());
        if (problem != null) {
          verdict.violation(Invariant.HARNESS, label + ": writer " + k + " (seed " + childSeed + "): " + problem);
          return verdict;
        }
        verdict.fault("SIGKILL", 1);
      }
      Map<String, FileSite> sites = KillWriter.sites(root);
      try (RoutingStore recovery = RoutingStore.create(new LinkedHashMap<>(sites),
          KillWriter.options(policy, root.resolve("journal"), seed), Cluster.settings())) {
        if (!recovery.drain(DRAIN)) {
          verdict.violation(Invariant.UNDRAINED, label + ": the recovery router still has " + recovery.journalDepth()
              + " journal entries after " + DRAIN.toSeconds() + " s with every site healthy");
        }
        TreeSet<String> names = new TreeSet<>();
        log.history().keys().forEach(key -> names.add(OpLog.name(key)));
        HistoryRun.readFinal(sites.get(Cluster.GCP), names, log);
        Map<String, Map<String, ObjectInfo>> state = new TreeMap<>();
        sites.forEach((name, store) -> state.put(name, HistoryRun.live(store)));
        verdict.verifyDifferences = HistoryRun.verify(recovery);
        verdict.ops = log.history().ops().stream().filter(op -> log.meta(op).kind() != OpLog.Kind.FINAL).count();
        verdict.historyOps = log.size();
        // no reads but the final ones: the final state and generation checks say all there is to say (and
        // the linearizability search would only drown in the writes each kill left of unknown outcome)
        Invariants.check(new Invariants.Inputs(label, policy, false, log.history(), log::meta, Cluster.GCP,
            Cluster.SITES, state, Map.of(0, killedAt), timeline), verdict);
      }
      return verdict;
    } finally {
      com.google.common.io.MoreFiles.deleteRecursively(root);
    }
  }

  /**
   * SIGKILL through the process handle ({@code Process.destroyForcibly} would also close our end of
   * the pipe): no shutdown hook, no close; the lines the writer printed before dying are still read.
   */
  private static void kill(Process child, int k, Timeline timeline, String what) {
    child.toHandle().destroyForcibly();
    timeline.note("writer " + k, null, what);
  }

  /** One writer process, killed after {@code acks} acknowledgements; null, or what went wrong. */
  private static String incarnation(Path root, WritePolicy policy, long seed, int k, int acks, OpLog log,
      Timeline timeline) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path err = root.resolve("writer-" + k + ".err");
    Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
        KillWriter.class.getName(), root.toString(), policy.name(), Long.toString(seed), Integer.toString(k),
        Integer.toString(OBJECTS), Integer.toString(THREADS))
        .redirectError(err.toFile())
        .start();
    Map<Long, HistoryRecorder.Invocation> pending = new HashMap<>();
    int acked = 0;
    int invoked = 0;
    boolean killed = false;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = line.split(" ", 6);
        switch (f[0]) {
          case "READY" -> timeline.note("writer " + k, null, "started, " + line);
          case "I" -> {
            long id = Long.parseLong(f[1]);
            String kind = f[2];
            String name = f[3];
            String site = "k" + k;
            if (++invoked == 4 * acks && !killed) { // a writer whose writes keep failing is killed all the same
              kill(child, k, timeline, "SIGKILL after " + invoked + " calls (" + acked + " acknowledged)");
              killed = true;
            }
            pending.put(id, switch (kind) {
              case "DELETE" -> log.invokeDelete(0, site, name, 0);
              case "CREATE" -> log.invokeCas(0, site, OpLog.Kind.CREATE, name, null, Val.of(f[4]), 0, "doesNotExist");
              default -> log.invokeWrite(0, site, OpLog.Kind.OVERWRITE, name, Val.of(f[4]), 0, "");
            });
          }
          case "O" -> {
            HistoryRecorder.Invocation op = pending.remove(Long.parseLong(f[1]));
            if (f[2].equals("-")) {
              op.ok();
            } else {
              op.okGeneration(Long.parseLong(f[2]));
            }
            if (++acked == acks && !killed) {
              kill(child, k, timeline, "SIGKILL after " + acks + " acknowledgements");
              killed = true;
            }
          }
          case "F" -> pending.remove(Long.parseLong(f[1])).fail(line.substring(line.indexOf(' ', 2) + 1));
          case "U" -> pending.remove(Long.parseLong(f[1])).unknown(line.substring(line.indexOf(' ', 2) + 1));
          default -> { }
        }
      }
    } finally {
      child.destroyForcibly();
    }
    if (!child.waitFor(60, TimeUnit.SECONDS)) {
      return "did not die after SIGKILL";
    }
    if (!killed) {
      return "exited by itself (code " + child.exitValue() + ") after " + acked + " acknowledgements; stderr: "
          + Files.readString(err);
    }
    return child.exitValue() == 137 ? null : "exit code " + child.exitValue() + " instead of 137 (SIGKILL)";
  }
}
