package io.hybridstorage.routing.internal.policy;

import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.routing.internal.RoutingContext;
import io.hybridstorage.routing.internal.SiteHandle;
import io.hybridstorage.routing.internal.journal.JournalEntry;
import io.hybridstorage.routing.internal.journal.JournalEntry.Op;
import io.hybridstorage.routing.internal.journal.ReplicationJournal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead journal entries of one change (DESIGN.md, "The replication journal"): one per
 * site the change must reach besides its primary, appended <em>before</em> the primary commits, so
 * that a crash, a lost acknowledgement or a failed replica never leaves a change that no journal
 * knows. The change holds them back from replay while it is in flight ({@link #close}); each site
 * that confirms the change drops its entry ({@link #confirm}); a change that the primary refused
 * (so that no site holds it) drops them all ({@link #cancel}). What is left is replayed, and
 * replay resolves an unknown outcome by reading the source ({@code Replicator}): it rolls forward.
 *
 * <p>Not thread-safe in its hold; {@link #confirm} may be called from any thread.
 */
final class Intent implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Intent.class);

  private final ReplicationJournal journal;
  private final String bucket;
  private final String name;
  private final long generation;
  private final CompletableFuture<List<JournalEntry>> stored;
  private boolean held;

  private Intent(ReplicationJournal journal, String bucket, String name, long generation,
      CompletableFuture<List<JournalEntry>> stored, boolean held) {
    this.journal = journal;
    this.bucket = bucket;
    this.name = name;
    this.generation = generation;
    this.stored = stored;
    this.held = held;
  }

  /**
   * Appends (and holds) entries "{@code op} {@code bucket/name#generation}, from the route's
   * primary" for {@code targets}; generation 0 stands for "whatever the primary holds live once
   * the change is done" (the primary assigns it).
   */
  static Intent append(RoutingContext ctx, Route route, Op op, String bucket, String name, long generation,
      List<SiteHandle> targets) {
    ReplicationJournal journal = ctx.journal();
    if (targets.isEmpty()) {
      return new Intent(journal, bucket, name, generation, CompletableFuture.completedFuture(List.of()), false);
    }
    long now = ctx.clock().millis();
    List<JournalEntry> entries = new ArrayList<>(targets.size());
    for (SiteHandle t : targets) {
      entries.add(JournalEntry.of(op, bucket, name, generation, route.primary().name(), t.name(), now));
    }
    journal.hold(bucket, name, generation);
    return new Intent(journal, bucket, name, generation, journal.append(entries), true);
  }

  /** Every site a change on {@code route} must reach besides the primary: synchronous, then journaled. */
  static List<SiteHandle> targets(Route route) {
    List<SiteHandle> all = new ArrayList<>(route.synchronous());
    all.addAll(route.journaled());
    return all;
  }

  /**
   * Waits until the entries are durable (fsynced). 503 {@code journalUnavailable} when the
   * journal could not persist them: then the change must not be committed anywhere.
   */
  void awaitDurable(String what) {
    try {
      stored.join();
    } catch (CompletionException e) {
      throw new HybridStorageException(503, "journalUnavailable", what, bucket, name, null,
          "the replication journal could not persist the intent of this change, so it was not made: "
              + e.getCause(), e.getCause());
    }
  }

  /** {@code site} holds the change (or something newer): its entry is no longer needed. */
  void confirm(SiteHandle site) {
    stored.thenAccept(entries -> {
      for (JournalEntry e : entries) {
        if (e.target().equals(site.name())) {
          journal.remove(e);
        }
      }
    });
  }

  /** The primary refused the change, so no site holds it: every entry goes. */
  void cancel() {
    stored.thenAccept(entries -> entries.forEach(journal::remove));
  }

  /** Lets replay take the remaining entries (the change has settled). Idempotent. */
  @Override
  public void close() {
    if (held) {
      held = false;
      journal.release(bucket, name, generation);
    }
    stored.exceptionally(t -> {
      log.debug("journal intent for gs://{}/{}#{} failed", bucket, name, generation, t);
      return null;
    });
  }
}
