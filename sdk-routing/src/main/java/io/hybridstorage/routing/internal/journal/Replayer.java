package io.hybridstorage.routing.internal.journal;

import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.routing.RoutingListener;
import io.hybridstorage.routing.internal.Replicator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the journal: each pass takes pending entries in sequence order, splits them into lanes
 * by {@link JournalEntry#objectKey()} (so one object's entries towards one site stay in order) and
 * applies each lane's entries one after another through the {@link Replicator}. An entry that
 * fails stays (its attempt counted) and blocks the later entries of its object for this pass; a
 * site that refuses calls (circuit open) is skipped for the rest of the pass. Removal happens
 * after success, so a crash replays an entry at most once more — harmless by compare-and-skip.
 * Each replayed entry is reported with its lag (append to replay, on {@code clock}: the options'
 * clock the journal stamps entries with).
 */
public final class Replayer {

  private static final Logger log = LoggerFactory.getLogger(Replayer.class);
  private static final int PASS_LIMIT = 50_000;

  private final ReplicationJournal journal;
  private final Replicator replicator;
  private final Predicate<String> siteUp;
  private final ExecutorService pool;
  private final int lanes;
  private final RoutingListener listener;
  private final Clock clock;
  private final Object passLock = new Object();
  private volatile boolean stopped;

  public Replayer(ReplicationJournal journal, Replicator replicator, Predicate<String> siteUp, ExecutorService pool,
      int lanes, RoutingListener listener, Clock clock) {
    this.journal = journal;
    this.replicator = replicator;
    this.siteUp = siteUp;
    this.pool = pool;
    this.lanes = lanes;
    this.listener = listener;
    this.clock = clock;
  }

  /** One pass over the pending entries; returns how many were applied or skipped (and removed). */
  public int replayOnce() {
    synchronized (passLock) {
      if (stopped) {
        return 0;
      }
      List<JournalEntry> pending = journal.pending(PASS_LIMIT);
      if (pending.isEmpty()) {
        return 0;
      }
      List<List<JournalEntry>> byLane = new ArrayList<>(lanes);
      for (int i = 0; i < lanes; i++) {
        byLane.add(new ArrayList<>());
      }
      for (JournalEntry e : pending) {
        if (siteUp.test(e.target())) {
          byLane.get(Math.floorMod(e.objectKey().hashCode(), lanes)).add(e);
        }
      }
      AtomicInteger done = new AtomicInteger();
      Set<String> downSites = java.util.concurrent.ConcurrentHashMap.newKeySet();
      List<CompletableFuture<Void>> running = new ArrayList<>();
      for (List<JournalEntry> lane : byLane) {
        if (!lane.isEmpty()) {
          running.add(CompletableFuture.runAsync(() -> replayLane(lane, done, downSites), pool));
        }
      }
      CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
      return done.get();
    }
  }

  /** Stops replaying: the running pass ends after its current entries; returns when it has. */
  public void stop() {
    stopped = true;
    synchronized (passLock) {
      // waits for a running pass
    }
  }

  private void replayLane(List<JournalEntry> lane, AtomicInteger done, Set<String> downSites) {
    Set<String> blocked = new HashSet<>();
    for (JournalEntry e : lane) {
      if (stopped) {
        return;
      }
      if (downSites.contains(e.target()) || blocked.contains(e.objectKey())) {
        continue;
      }
      if (journal.isHeld(e)) {
        blocked.add(e.objectKey()); // its write is still committing: keep it and what follows for later
        continue;
      }
      try {
        Replicator.Outcome outcome = replicator.apply(e);
        journal.remove(e);
        done.incrementAndGet();
        listener.replayed(e.target(), e.bucket(), e.name(), e.generation(), outcome == Replicator.Outcome.SKIPPED,
            Duration.ofMillis(Math.max(0, clock.millis() - e.enqueuedMillis())));
      } catch (RuntimeException failure) {
        blocked.add(e.objectKey());
        if (failure instanceof HybridStorageException h && "circuitOpen".equals(h.reason())) {
          downSites.add(e.target());
        }
        journal.recordAttempt(e);
        log.debug("replay of {} failed (attempt {})", e, e.attempt() + 1, failure);
        listener.replayFailed(e.target(), e.bucket(), e.name(), e.generation(), e.attempt() + 1, failure);
      }
    }
  }
}
