package io.hybridstorage.routing.history;

import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.routing.VerifyReport;
import io.hybridstorage.testkit.fault.Fault;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.fault.FaultRule;
import io.hybridstorage.testkit.fault.Latency;
import io.hybridstorage.testkit.fault.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.annotation.Nullable;

/**
 * The adversary of a run. Its schedule — which fault, on which router's link to which site, from
 * which op count to which — is a function of the seed alone ({@link #schedule}); the nemesis thread
 * waits for the clients' op count to reach each step ({@link Progress}), so a replay of a seed
 * injects the same faults at the same points of the workload.
 *
 * <p>Faults: a link partitioned (all calls, or writes only) and healed later; 503 before the call;
 * 503 after the site committed (a lost acknowledgement); the request body reset mid-stream; a slow
 * link (delays); a router restarted (closed under its clients, reopened on its journal); and a
 * {@code repair} of the bucket run by one router concurrently with the clients.
 */
final class Nemesis implements Runnable {

  /** The kinds of fault, as the figures count them. */
  enum Kind {
    PARTITION,
    PARTITION_WRITES,
    FAIL_BEFORE_CALL,
    LOST_ACK,
    RESET_BODY,
    SLOW,
    RESTART,
    REPAIR
  }

  /**
   * One scheduled fault: from op count {@code at} to {@code until} (restarts and repairs are
   * instants; a repair runs as long as it takes).
   */
  record Step(long at, long until, Kind kind, int router, @Nullable String site, double probability, long bytes,
      int maxDelayMillis) {
    String describe() {
      String link = "r" + router + (site == null ? "" : "→" + site);
      String what = switch (kind) {
        case PARTITION -> "partition";
        case PARTITION_WRITES -> "partition writes";
        case FAIL_BEFORE_CALL -> "503 before the call, p=" + probability;
        case LOST_ACK -> "503 after the commit (lost ack) on writes/deletes/copies/composes, p=" + probability;
        case RESET_BODY -> "request body reset after " + bytes + " bytes, p=" + probability;
        case SLOW -> "delays up to " + maxDelayMillis + " ms";
        case RESTART -> "restart";
        case REPAIR -> "repair of gs://" + Cluster.BUCKET + " (concurrent)";
      };
      return link + " " + what + (kind == Kind.RESTART || kind == Kind.REPAIR ? "" : ", ops " + at + ".." + until);
    }
  }

  private final Cluster cluster;
  private final Progress progress;
  private final List<Step> schedule;
  private final Map<Kind, Integer> applied = new EnumMap<>(Kind.class);
  private final List<Thread> repairs = new ArrayList<>();
  private final List<Throwable> repairErrors = new ArrayList<>();

  Nemesis(Cluster cluster, Progress progress) {
    this.cluster = cluster;
    this.progress = progress;
    this.schedule = schedule(cluster.config);
  }

  List<Step> schedule() {
    return schedule;
  }

  /**
   * The schedule of a run: about one fault every 30 ops, each on a random link (the authority's
   * links a little more often: it decides every change), lasting 20 to 200 ops.
   */
  static List<Step> schedule(RunConfig config) {
    SplittableRandom random = new SplittableRandom(config.derive(3));
    List<Step> steps = new ArrayList<>();
    long total = (long) config.opsPerClient() * config.routers() * config.clients();
    int spacing = 30;
    for (long at = 10 + random.nextInt(spacing); at < total - 20; at += 1 + random.nextInt(2 * spacing)) {
      int router = random.nextInt(config.routers());
      int siteDice = random.nextInt(10);
      String site = siteDice < 4 ? Cluster.GCP : siteDice < 7 ? Cluster.DC1 : Cluster.DC2;
      long until = Math.min(total, at + 20 + random.nextInt(180));
      int dice = random.nextInt(100);
      Kind kind = dice < 16 ? Kind.PARTITION : dice < 24 ? Kind.PARTITION_WRITES : dice < 40 ? Kind.FAIL_BEFORE_CALL
          : dice < 60 ? Kind.LOST_ACK : dice < 72 ? Kind.RESET_BODY : dice < 84 ? Kind.SLOW
          : dice < 92 ? Kind.RESTART : Kind.REPAIR;
      double p = new double[] {0.05, 0.15, 0.3}[random.nextInt(3)];
      long bytes = random.nextInt(12);
      int delay = 5 + random.nextInt(30);
      boolean instant = kind == Kind.RESTART || kind == Kind.REPAIR;
      steps.add(new Step(at, instant ? at : until, kind, router, instant ? null : site, p, bytes, delay));
    }
    return steps;
  }

  Map<Kind, Integer> applied() {
    return applied;
  }

  List<Throwable> repairErrors() {
    synchronized (repairErrors) {
      return List.copyOf(repairErrors);
    }
  }

  @Override
  public void run() {
    // events: each step's start, and its end for windows; ordered by op count
    record Event(long at, boolean start, Step step) {}
    List<Event> events = new ArrayList<>();
    for (Step s : schedule) {
      events.add(new Event(s.at(), true, s));
      if (s.until() > s.at()) {
        events.add(new Event(s.until(), false, s));
      }
    }
    events.sort(Comparator.comparingLong(Event::at).thenComparing(e -> e.start()));
    Map<Step, FaultRule> rules = new HashMap<>();
    Map<FaultInjectingStore, Step> partitions = new HashMap<>();
    try {
      for (Event e : events) {
        if (!progress.awaitOps(e.at())) {
          break; // the clients are done: heal() ends every fault
        }
        Step s = e.step();
        Cluster.Router router = cluster.routers.get(s.router());
        if (!e.start()) {
          FaultInjectingStore link = router.links.get(s.site());
          FaultRule rule = rules.remove(s);
          if (rule != null) {
            link.removeRule(rule);
          } else if (partitions.get(link) == s) {
            partitions.remove(link);
            link.heal();
          }
          cluster.timeline.note("nemesis", null, "end: " + s.describe());
          continue;
        }
        applied.merge(s.kind(), 1, Integer::sum);
        cluster.timeline.note("nemesis", null, "begin: " + s.describe());
        switch (s.kind()) {
          case PARTITION, PARTITION_WRITES -> {
            FaultInjectingStore link = router.links.get(s.site());
            partitions.put(link, s);
            if (s.kind() == Kind.PARTITION) {
              link.partition();
            } else {
              link.partitionWrites();
            }
          }
          case RESTART -> router.restart();
          case REPAIR -> repair(router);
          default -> {
            FaultRule rule = rule(s);
            rules.put(s, rule);
            router.links.get(s.site()).addRule(rule);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static FaultRule rule(Step s) {
    return switch (s.kind()) {
      case FAIL_BEFORE_CALL -> FaultRule.onAny().withProbability(s.probability()).inject(Fault.failBeforeCall(503));
      case LOST_ACK -> FaultRule.on(Operation.WRITE, Operation.DELETE, Operation.COPY, Operation.COMPOSE)
          .withProbability(s.probability()).inject(Fault.failAfterCommit(503));
      case RESET_BODY -> FaultRule.on(Operation.WRITE).withProbability(s.probability())
          .inject(Fault.failRequestBody(s.bytes()));
      case SLOW -> FaultRule.onAny().inject(Fault.delay(Latency.uniform(Duration.ofMillis(1),
          Duration.ofMillis(s.maxDelayMillis()))));
      default -> throw new IllegalArgumentException(s.kind() + " is not a rule");
    };
  }

  /** A repair of the whole bucket from {@code router}, in its own thread, concurrent with the clients. */
  private void repair(Cluster.Router router) {
    Thread t = new Thread(() -> {
      int differences = 0;
      int repaired = 0;
      try {
        RoutingStore store = router.store();
        String token = null;
        do {
          VerifyReport page = store.repair(Cluster.BUCKET, "", token, 0);
          differences += page.differences().size();
          repaired += (int) page.differences().stream().filter(d -> d.repaired()).count();
          page.differences().forEach(d -> cluster.timeline.note(router.name() + " repair", d.name(), d.toString()));
          token = page.nextPageToken();
        } while (token != null);
        cluster.timeline.note(router.name() + " repair", null, "done: " + differences + " differences, " + repaired
            + " repaired");
      } catch (RuntimeException e) {
        cluster.timeline.note(router.name() + " repair", null, "failed: " + e);
      } catch (Throwable e) {
        synchronized (repairErrors) {
          repairErrors.add(e);
        }
      }
    }, router.name() + "-repair");
    repairs.add(t);
    t.start();
  }

  /** Waits for the repairs still running. */
  void joinRepairs() throws InterruptedException {
    for (Thread t : repairs) {
      t.join();
    }
  }
}
