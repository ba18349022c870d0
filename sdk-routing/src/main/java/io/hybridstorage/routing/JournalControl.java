package io.hybridstorage.routing;

import io.hybridstorage.api.Sleeper;
import io.hybridstorage.routing.internal.RoutingContext;
import io.hybridstorage.routing.internal.Watermarks;
import io.hybridstorage.routing.internal.journal.Replayer;
import io.hybridstorage.routing.internal.journal.ReplicationJournal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the replication journal replayed: a replay pass on demand ({@link #replayPass}) and every
 * {@link RoutingSettings#replayInterval()}, the replication watermark every {@link
 * RoutingSettings#watermarkInterval()}, {@link #drain} (passes until the journal is empty or time
 * is up), and the waits for the journal's group commits that drain and a bucket's deletion need.
 *
 * <p>Two kinds of wait, kept apart: intervals, poll pauses and the drain deadline run on the
 * options' clock and sleeper ({@link RoutingContext#clock()}, {@link RoutingContext#sleeper()}),
 * so on virtual time they wait until the test advances it; a wait for the journal's committer
 * thread to make appends durable waits for that thread, so it is real and bounded ({@link
 * #DRAIN_POLL_MILLIS} ms per wait, {@link #APPEND_WAIT} in all).
 *
 * <p>The periodic tasks run on two daemon threads of their own until {@link #close}. Thread-safe.
 */
final class JournalControl {

  private static final Logger log = LoggerFactory.getLogger(JournalControl.class);

  static final long DRAIN_POLL_MILLIS = 10;
  private static final Duration DRAIN_POLL = Duration.ofMillis(DRAIN_POLL_MILLIS);
  private static final Duration APPEND_WAIT = Duration.ofSeconds(10);

  private final RoutingContext ctx;
  private final ReplicationJournal journal;
  private final Replayer replayer;
  private final Watermarks watermarks;
  /** Runs the periodic tasks (replay, watermarks): one thread each, waiting its interval on the sleeper. */
  private final ExecutorService timers = Executors.newFixedThreadPool(2, RoutingStore.daemon("hs-routing-timer"));
  /** Signalled at each group commit of the journal: {@link #drain} waits on it for appends in flight. */
  private final Object commitSignal = new Object();
  /** Group commits of the journal so far; guarded by {@link #commitSignal}. */
  private long journalCommits;
  private volatile boolean closed;

  /** Counts the journal's group commits from now on; nothing runs before {@link #start}. */
  JournalControl(RoutingContext ctx, Replayer replayer) {
    this.ctx = ctx;
    this.journal = ctx.journal();
    this.replayer = replayer;
    this.watermarks = ctx.watermarks();
    journal.onAppended((entries, depth) -> {
      synchronized (commitSignal) {
        journalCommits++;
        commitSignal.notifyAll();
      }
    });
  }

  /** Starts the periodic replay and watermark publishing, and announces what an earlier process left pending. */
  void start() {
    every(ctx.settings().replayInterval(), this::replayQuietly);
    every(ctx.settings().watermarkInterval(), watermarks::publishQuietly);
    watermarks.appended(); // entries an earlier process left pending: announce them soon
  }

  /** One replay pass, then the replication watermark if the pass changed what it must say. */
  int replayPass() {
    int replayed = replayer.replayOnce();
    watermarks.publishQuietly();
    return replayed;
  }

  /**
   * {@link #replayPass()} asked for explicitly: the watermark is published after the pass even
   * when another thread is publishing meanwhile (it waits for that one), so that it says what the
   * pass left when this returns.
   */
  int replayNow() {
    int replayed = replayer.replayOnce();
    watermarks.publishAfterOthersQuietly();
    return replayed;
  }

  /** As {@link RoutingStore#drain}, which documents it. */
  boolean drain(Duration timeout) {
    Clock clock = ctx.clock();
    Sleeper sleeper = ctx.sleeper();
    Instant deadline = plusSaturated(clock.instant(), timeout);
    try {
      while (journal.depth() > 0) {
        long commits = journalCommits();
        int replayed = replayPass();
        if (journal.depth() == 0) {
          break;
        }
        boolean inFlight = replayed == 0 && appendsInFlight();
        if (inFlight) {
          // appends not yet durable are not replayable yet: a wait for the committer thread (real
          // time, bounded), before the deadline is judged — the deadline is on the options' clock,
          // which on virtual time does not move while the committer works
          awaitJournalCommitAfter(commits);
        }
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
          return false;
        }
        if (replayed == 0 && !inFlight) {
          sleeper.sleep(left.compareTo(DRAIN_POLL) < 0 ? left : DRAIN_POLL);
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether the journal holds appends not yet durable (not yet replayable): its depth counts them. */
  private boolean appendsInFlight() {
    return journal.inFlight() > 0;
  }

  /**
   * Waits until the journal commits a group after the {@code seen}-th: a wait for the committer
   * thread, not for time, so it is real; bounded by {@link #DRAIN_POLL} in case a commit fails.
   */
  private void awaitJournalCommitAfter(long seen) throws InterruptedException {
    synchronized (commitSignal) {
      if (journalCommits == seen) {
        commitSignal.wait(DRAIN_POLL_MILLIS);
      }
    }
  }

  /**
   * Waits (real time: for the journal's committer thread) until this router's appends are
   * durable and so replayable, at most {@link #APPEND_WAIT}; then the caller goes on regardless.
   */
  void awaitAppendsDurable() {
    long deadline = System.nanoTime() + APPEND_WAIT.toNanos();
    try {
      while (appendsInFlight() && System.nanoTime() - deadline < 0) {
        awaitJournalCommitAfter(journalCommits());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long journalCommits() {
    synchronized (commitSignal) {
      return journalCommits;
    }
  }

  private static Instant plusSaturated(Instant start, Duration amount) {
    try {
      return start.plus(amount);
    } catch (DateTimeException | ArithmeticException e) {
      return amount.isNegative() ? Instant.MIN : Instant.MAX;
    }
  }

  /** Runs {@code task} on a timer thread every {@code interval}, waited on the sleeper, until closed. */
  private void every(Duration interval, Runnable task) {
    timers.execute(() -> {
      while (!closed) {
        try {
          ctx.sleeper().sleep(interval);
        } catch (InterruptedException e) {
          return; // closed
        }
        if (!closed) {
          task.run();
        }
      }
    });
  }

  private void replayQuietly() {
    if (closed) {
      return;
    }
    try {
      replayPass();
    } catch (RuntimeException e) {
      log.warn("journal replay pass failed", e);
    }
  }

  /**
   * Stops the periodic tasks and replay, and writes a last watermark (deleted when nothing is
   * pending, else marked closed). The journal itself stays open: its owner closes it.
   */
  void close() {
    closed = true;
    timers.shutdownNow(); // interrupts their waits
    replayer.stop();
    watermarks.close(); // a last watermark: deleted when nothing is pending, else marked closed
  }
}
