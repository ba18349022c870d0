package io.hybridstorage.routing.history;

import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.routing.VerifyReport;
import io.hybridstorage.routing.history.Verdict.Invariant;
import io.hybridstorage.testkit.fault.Call;
import io.hybridstorage.testkit.fault.Fault;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.history.HistoryRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs one randomized history: clients on every router, the nemesis beside them; then every link
 * healed, every journal drained, the authority's state of each object read into the history, and
 * the {@link Invariants} checked.
 */
final class HistoryRun {

  /** How long the clients may take before the run is declared hung (a safety net, not a timing). */
  private static final long HUNG_AFTER_MINUTES = 10;
  /** How long each journal may take to drain once every link is healed. */
  private static final Duration DRAIN = Duration.ofSeconds(60);

  private HistoryRun() {}

  static Verdict run(RunConfig config) throws InterruptedException {
    Progress progress = new Progress();
    Timeline timeline = new Timeline(progress);
    OpLog log = new OpLog();
    Verdict verdict = new Verdict();
    String label = config.policy() + " seed " + config.seed();
    verdict.seeds.add(label);
    try (Cluster cluster = new Cluster(config, timeline)) {
      List<Thread> threads = new ArrayList<>();
      List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
      Phaser epochs = new Phaser(config.routers() * config.clients());
      for (Cluster.Router router : cluster.routers) {
        for (int c = 0; c < config.clients(); c++) {
          Client client = new Client(router, c, log, progress, config.derive(4, router.index, c),
              config.opsPerClient(), config.hotKeys(), config.keyLife(), epochs);
          Thread t = new Thread(client, client.name());
          t.setUncaughtExceptionHandler((thread, e) -> errors.add(e));
          threads.add(t);
        }
      }
      progress.started(threads.size());
      Nemesis nemesis = new Nemesis(cluster, progress);
      Thread adversary = new Thread(nemesis, "nemesis");
      adversary.setUncaughtExceptionHandler((thread, e) -> errors.add(e));
      long started = System.nanoTime();
      adversary.start();
      threads.forEach(Thread::start);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(HUNG_AFTER_MINUTES);
      for (Thread t : threads) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        if (t.isAlive()) {
          verdict.violation(Invariant.HARNESS, label + ": client " + t.getName() + " still running after "
              + HUNG_AFTER_MINUTES + " minutes (" + progress.done() + " ops done):\n    "
              + Arrays.stream(t.getStackTrace()).map(String::valueOf).collect(Collectors.joining("\n    ")));
          threads.forEach(Thread::interrupt);
          return verdict;
        }
      }
      adversary.join();
      nemesis.joinRepairs();
      errors.addAll(nemesis.repairErrors());
      for (Throwable e : errors) {
        verdict.violation(Invariant.HARNESS, label + ": " + e);
      }
      verdict.phases.put("workload ms", (System.nanoTime() - started) / 1_000_000);
      started = System.nanoTime();
      cluster.healAll();
      for (Cluster.Router router : cluster.routers) {
        // what keeps an entry in the journal: the last failure of each entry still failing
        Map<String, String> failing = new java.util.concurrent.ConcurrentHashMap<>();
        router.store().addListener(new io.hybridstorage.routing.RoutingListener() {
          @Override
          public void replayFailed(String site, String bucket, String name, long generation, int attempt,
              Throwable error) {
            failing.put(site + " gs://" + bucket + "/" + name + "#" + generation, "attempt " + attempt + ": " + error);
          }

          @Override
          public void replayed(String site, String bucket, String name, long generation, boolean skipped) {
            failing.remove(site + " gs://" + bucket + "/" + name + "#" + generation);
          }
        });
        if (!router.store().drain(DRAIN)) {
          verdict.violation(Invariant.UNDRAINED, label + ": " + router + " still has " + router.store().journalDepth()
              + " journal entries " + DRAIN.toSeconds() + " s after every link was healed; failing:\n    "
              + failing.entrySet().stream().limit(10).map(e -> e.getKey() + " — " + e.getValue())
                  .collect(Collectors.joining("\n    ")));
        }
      }
      timeline.note("harness", null, "journals drained");
      verdict.phases.put("drain ms", (System.nanoTime() - started) / 1_000_000);
      started = System.nanoTime();
      readFinalStates(cluster, log);
      Map<String, Map<String, ObjectInfo>> sites = new TreeMap<>();
      cluster.sites.forEach((name, store) -> sites.put(name, live(store)));
      verdict.verifyDifferences = cluster.verifyAll();
      verdict.ops = progress.done();
      verdict.historyOps = log.size();
      countFaults(cluster, nemesis, verdict);
      Map<Integer, List<Long>> restarts = new HashMap<>();
      cluster.routers.forEach(r -> restarts.put(r.index, r.restartedAt()));
      Invariants.check(new Invariants.Inputs(label, config.policy(), cluster.strong(), log.history(), log::meta,
          cluster.placement.authority(), cluster.placement.replicas(), sites, restarts, timeline), verdict);
      verdict.phases.put("check ms", (System.nanoTime() - started) / 1_000_000);
      if (!verdict.ok()) {
        verdict.reports.add(0, label + ": the run — " + describe(cluster) + "\n  fault schedule:\n    "
            + nemesis.schedule().stream().map(Nemesis.Step::describe).collect(Collectors.joining("\n    ")));
      }
    }
    return verdict;
  }

  private static String describe(Cluster cluster) {
    return cluster.routers.stream().map(Cluster.Router::toString).collect(Collectors.joining(", ")) + "; placement "
        + cluster.placement.writePolicy() + "/" + cluster.placement.readPolicy() + "/" + cluster.placement.consistency()
        + ", authority " + cluster.placement.authority();
  }

  /** One FINAL read per object, straight from the authority's store, after everything else. */
  private static void readFinalStates(Cluster cluster, OpLog log) throws InterruptedException {
    Set<String> names = new TreeSet<>();
    log.history().keys().forEach(k -> names.add(OpLog.name(k)));
    cluster.sites.values().forEach(s -> names.addAll(live(s).keySet()));
    readFinal(cluster.sites.get(cluster.placement.authority()), names, log);
  }

  /** Records, in a thread of its own (the history's process "final"), a read of each object at {@code authority}. */
  static void readFinal(ObjectStore authority, Set<String> names, OpLog log) throws InterruptedException {
    List<Throwable> failure = new ArrayList<>();
    Thread reader = new Thread(() -> {
      for (String name : names) {
        HistoryRecorder.Invocation op = log.invokeRead(-1, authority.site(), OpLog.Kind.FINAL, name, 0);
        try (ObjectContent content = authority.read(ReadRequest.of(ObjectId.of(Cluster.BUCKET, name)))) {
          op.ok(log.canonical(Val.of(content.stream().readAllBytes())), content.info().generation());
        } catch (HybridStorageException e) {
          if (e.code() != 404) {
            throw e;
          }
          op.ok(null);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }, "final");
    reader.setUncaughtExceptionHandler((t, e) -> failure.add(e));
    reader.start();
    reader.join();
    if (!failure.isEmpty()) {
      throw new IllegalStateException("the final reads at " + authority.site() + " failed", failure.get(0));
    }
  }

  /** A site's live objects by name. */
  static Map<String, ObjectInfo> live(ObjectStore store) {
    Map<String, ObjectInfo> result = new TreeMap<>();
    String token = null;
    do {
      ListPage<ObjectInfo> page = store.list(ListRequest.of(Cluster.BUCKET).withPageToken(token));
      page.items().forEach(i -> result.put(i.name(), i));
      token = page.nextPageToken();
    } while (token != null);
    return result;
  }

  /** The differences a verify of the whole bucket reports (a cross-check of the divergence count). */
  static long verify(RoutingStore router) {
    long differences = 0;
    String token = null;
    do {
      VerifyReport page = router.verify(Cluster.BUCKET, "", token, 0);
      differences += page.differences().size();
      token = page.nextPageToken();
    } while (token != null);
    return differences;
  }

  private static void countFaults(Cluster cluster, Nemesis nemesis, Verdict verdict) {
    for (Cluster.Router router : cluster.routers) {
      for (FaultInjectingStore link : router.links.values()) {
        for (Call call : link.calls()) {
          for (Fault fault : call.faults()) {
            verdict.fault(kind(fault), 1);
          }
        }
      }
    }
    nemesis.applied().forEach((kind, n) -> {
      switch (kind) {
        case RESTART -> verdict.fault("restart", n);
        case REPAIR -> verdict.fault("concurrent repair", n);
        case PARTITION, PARTITION_WRITES -> verdict.fault("partition (windows)", n);
        default -> { } // counted per call above
      }
    });
  }

  static String kind(Fault fault) {
    if (fault == Fault.unreachable()) {
      return "unreachable (partitioned call)";
    }
    if (fault instanceof Fault.FailBeforeCall) {
      return "503 before call";
    }
    if (fault instanceof Fault.FailAfterCommit) {
      return "503 after commit";
    }
    if (fault instanceof Fault.FailRequestBody) {
      return "body reset";
    }
    if (fault instanceof Fault.Delay) {
      return "delay";
    }
    return fault.getClass().getSimpleName();
  }
}
