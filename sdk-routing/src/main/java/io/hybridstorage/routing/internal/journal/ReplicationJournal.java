package io.hybridstorage.routing.internal.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replication journal: a durable, append-only local outbox of pending replica changes
 * (DESIGN.md, "The replication journal"), kept in an H2 MVStore file ({@code journal.mv.db} in the
 * journal directory) — an embedded, crash-safe copy-on-write store; see the benchmarks module for
 * the comparison with SQLite that chose it.
 *
 * <p>Durability: {@link #append} returns a future that completes only when the entries are
 * committed <em>and</em> fsynced. Appends from many threads are group-committed: one writer thread
 * drains the queue (up to {@code batchMax} entries), stores them, commits and syncs once, then
 * completes every future of the batch. A write acknowledged after its future completed survives a
 * {@code kill -9} of the JVM (and an OS crash). Removals of replayed entries are committed lazily:
 * losing one in a crash only replays an entry again, which is harmless (replay compares
 * generations and skips).
 *
 * <p>{@link #inMemory}: the same journal without a file, for a router no later process could
 * recover ({@code HybridStorageOptions.journalDirectory} unset: a temporary directory, deleted on
 * close). Its entries replay while the process runs and end with it; an append is stored on the
 * caller's thread and its future is complete when {@code append} returns — no committer hand-off,
 * no fsync, which would make nothing more durable there.
 *
 * <p>Order: sequences increase in append order; {@link #pending} iterates in sequence order.
 * Thread-safe.
 */
public final class ReplicationJournal implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ReplicationJournal.class);
  private static final String FILE = "journal.mv.db";

  private final MVStore store;
  private final MVMap<Long, byte[]> entries;
  private final Clock clock;
  private final int batchMax;
  private final AtomicLong nextSequence;
  private final BlockingQueue<Append> queue = new LinkedBlockingQueue<>();
  private final java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();
  /** Appended but not yet committed, per target site (so a site's depth counts them as {@link #depth()} does). */
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> queuedBySite = new ConcurrentHashMap<>();
  /** Null for a journal {@link #inMemory}, whose appends are stored on the caller's thread. */
  @Nullable private final Thread committer;
  /** Orders inline appends of a journal {@link #inMemory} (sequence order = storage order). */
  private final Object inlineAppends = new Object();
  private final Map<String, ConcurrentSkipListMap<Long, Long>> bySite = new ConcurrentHashMap<>();
  /** Sequences of the pending entries per {@link JournalEntry#objectKey()} (target, bucket, name). */
  private final Map<String, java.util.NavigableSet<Long>> byObject = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> byBucket = new ConcurrentHashMap<>();
  private final Map<String, Integer> held = new ConcurrentHashMap<>();
  private final List<AppendListener> appendListeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private record Append(List<JournalEntry> entries, CompletableFuture<List<JournalEntry>> done) {}

  /** Tells the committer to stop (after what was queued before it). */
  private static final Append STOP = new Append(List.of(), new CompletableFuture<>());

  private ReplicationJournal(@Nullable Path directory, Clock clock, int batchMax) {
    this.clock = clock;
    this.batchMax = batchMax;
    MVStore.Builder builder = new MVStore.Builder().autoCommitDisabled();
    if (directory != null) {
      try {
        Files.createDirectories(directory);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create journal directory " + directory, e);
      }
      builder.fileName(directory.resolve(FILE).toString());
    }
    this.store = builder.open();
    this.entries = store.openMap("pending");
    Long last = entries.lastKey();
    this.nextSequence = new AtomicLong(last == null ? 1 : last + 1);
    for (Map.Entry<Long, byte[]> e : entries.entrySet()) {
      index(JournalEntry.decode(e.getKey(), e.getValue()));
    }
    if (directory == null) {
      this.committer = null;
      log.debug("replication journal opened in memory");
    } else {
      this.committer = new Thread(this::commitLoop, "hs-journal-commit");
      this.committer.setDaemon(true);
      this.committer.start();
      log.info("replication journal {} opened with {} pending entries", directory, entries.size());
    }
  }

  /** Opens (or creates) the journal in {@code directory}; pending entries of an earlier run are kept. */
  public static ReplicationJournal open(Path directory, Clock clock, int batchMax) {
    return new ReplicationJournal(directory, clock, batchMax);
  }

  /** A journal in this process's memory only: see the class comment. */
  public static ReplicationJournal inMemory(Clock clock) {
    return new ReplicationJournal(null, clock, 1);
  }

  /** Whether appends are fsynced: false for a journal {@link #inMemory}. */
  public boolean isDurable() {
    return committer != null;
  }

  /** Told about each group commit, on the committer thread (on the appending thread {@link #inMemory}). */
  @FunctionalInterface
  public interface AppendListener {
    /** {@code entries} became durable in one commit; {@code depth} is {@link #depth()} after it. */
    void appended(int entries, int depth);
  }

  /** Calls {@code listener} after every group commit; one that throws is logged and ignored. */
  public void onAppended(AppendListener listener) {
    appendListeners.add(listener);
  }

  /**
   * Appends entries; the future completes once they are durable (fsynced) with the entries as
   * stored (their sequences assigned, so a caller can {@link #remove} them once they are settled),
   * or exceptionally if the journal failed or closed. Never blocks the caller.
   */
  public CompletableFuture<List<JournalEntry>> append(List<JournalEntry> batch) {
    CompletableFuture<List<JournalEntry>> done = new CompletableFuture<>();
    if (batch.isEmpty()) {
      done.complete(List.of());
      return done;
    }
    if (closed) {
      done.completeExceptionally(new IllegalStateException("replication journal is closed"));
      return done;
    }
    if (committer == null) {
      List<JournalEntry> stored = new ArrayList<>(batch.size());
      synchronized (inlineAppends) {
        for (JournalEntry e : batch) {
          JournalEntry s = e.withSequence(nextSequence.getAndIncrement());
          entries.put(s.sequence(), s.encode());
          index(s);
          stored.add(s);
        }
      }
      done.complete(List.copyOf(stored));
      notifyAppended(batch.size());
      return done;
    }
    queued.addAndGet(batch.size());
    batch.forEach(e -> queuedFor(e.target()).incrementAndGet());
    queue.add(new Append(List.copyOf(batch), done));
    return done;
  }

  private void commitLoop() {
    List<Append> batch = new ArrayList<>();
    while (true) {
      try {
        Append first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == STOP) {
          return;
        }
        if (first == null) {
          if (closed) {
            return;
          }
          if (store.hasUnsavedChanges()) {
            store.commit(); // lazily persist removals
          }
          continue;
        }
        batch.add(first);
        int count = first.entries().size();
        boolean stop = false;
        while (count < batchMax) {
          Append more = queue.poll();
          if (more == null) {
            break;
          }
          if (more == STOP) {
            stop = true;
            break;
          }
          batch.add(more);
          count += more.entries().size();
        }
        try {
          List<List<JournalEntry>> stored = new ArrayList<>(batch.size());
          for (Append a : batch) {
            List<JournalEntry> mine = new ArrayList<>(a.entries().size());
            for (JournalEntry e : a.entries()) {
              JournalEntry s = e.withSequence(nextSequence.getAndIncrement());
              entries.put(s.sequence(), s.encode());
              index(s);
              mine.add(s);
            }
            stored.add(mine);
          }
          store.commit();
          store.sync();
          for (int i = 0; i < batch.size(); i++) {
            Append a = batch.get(i);
            unqueue(a);
            a.done().complete(List.copyOf(stored.get(i)));
          }
          notifyAppended(count);
        } catch (RuntimeException e) {
          log.error("replication journal commit failed", e);
          for (Append a : batch) {
            unqueue(a);
            a.done().completeExceptionally(e);
          }
        }
        batch.clear();
        if (stop) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private java.util.concurrent.atomic.AtomicInteger queuedFor(String site) {
    return queuedBySite.computeIfAbsent(site, k -> new java.util.concurrent.atomic.AtomicInteger());
  }

  private void unqueue(Append a) {
    queued.addAndGet(-a.entries().size());
    a.entries().forEach(e -> queuedFor(e.target()).decrementAndGet());
  }

  /** Outside the commit's error handling: a listener's exception must not fail a batch already durable. */
  private void notifyAppended(int count) {
    int depth = depth();
    for (AppendListener l : appendListeners) {
      try {
        l.appended(count, depth);
      } catch (RuntimeException e) {
        log.warn("journal append listener {} failed (ignored)", l, e);
      }
    }
  }

  private void index(JournalEntry e) {
    bySite.computeIfAbsent(e.target(), k -> new ConcurrentSkipListMap<>()).put(e.sequence(), e.enqueuedMillis());
    byObject.compute(e.objectKey(), (k, set) -> {
      java.util.NavigableSet<Long> s = set == null ? new java.util.concurrent.ConcurrentSkipListSet<>() : set;
      s.add(e.sequence());
      return s;
    });
    byBucket.computeIfAbsent(e.bucket(), k -> new AtomicLong()).incrementAndGet();
  }

  private void unindex(JournalEntry e) {
    ConcurrentSkipListMap<Long, Long> site = bySite.get(e.target());
    if (site != null) {
      site.remove(e.sequence());
    }
    byObject.computeIfPresent(e.objectKey(), (k, set) -> {
      set.remove(e.sequence());
      return set.isEmpty() ? null : set;
    });
    byBucket.computeIfPresent(e.bucket(), (k, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  /** Whether any entry for an object of {@code bucket} is pending (committed ones only). */
  public boolean hasPending(String bucket) {
    return byBucket.containsKey(bucket);
  }

  /** Pending entries in sequence order, at most {@code limit}. A snapshot. */
  public List<JournalEntry> pending(int limit) {
    List<JournalEntry> result = new ArrayList<>(Math.min(limit, 1024));
    Iterator<Map.Entry<Long, byte[]>> it = entries.entrySet().iterator();
    while (it.hasNext() && result.size() < limit) {
      Map.Entry<Long, byte[]> e = it.next();
      result.add(JournalEntry.decode(e.getKey(), e.getValue()));
    }
    return result;
  }

  /** Removes a replayed entry (durable lazily: a lost removal only replays it again). */
  public void remove(JournalEntry entry) {
    if (entries.remove(entry.sequence()) != null) {
      unindex(entry);
    }
  }

  /** Records a failed attempt. */
  public void recordAttempt(JournalEntry entry) {
    JournalEntry next = entry.nextAttempt();
    entries.replace(entry.sequence(), next.encode());
  }

  /**
   * Holds back replay of {@code bucket/name#generation} while the change it describes is still in
   * flight in this process: the router journals a change's entries before the primary commits it
   * (write-ahead), and a replay that ran before that commit would find the generation missing at
   * the source (or, for a delete, still live) and drop the entry. Holds nest: each {@link #hold}
   * needs its {@link #release}, called once the change settled. Generation 0 holds the entries of
   * changes whose generation the source assigns.
   */
  public void hold(String bucket, String name, long generation) {
    held.merge(heldKey(bucket, name, generation), 1, Integer::sum);
  }

  public void release(String bucket, String name, long generation) {
    held.computeIfPresent(heldKey(bucket, name, generation), (k, n) -> n <= 1 ? null : n - 1);
  }

  /** Whether the entry's change is still in flight in this process (see {@link #hold}). */
  public boolean isHeld(JournalEntry e) {
    return !held.isEmpty() && held.containsKey(heldKey(e.bucket(), e.name(), e.generation()));
  }

  private static String heldKey(String bucket, String name, long generation) {
    return bucket + '\n' + name + '\n' + generation;
  }

  /** Entries appended but not yet durable, so not yet replayable ({@link #depth()} counts them). */
  public int inFlight() {
    return queued.get();
  }

  /** All pending entries, including those appended but not yet committed. */
  public int depth() {
    return entries.size() + queued.get();
  }

  /** Pending entries for one target site, including those appended but not yet committed. */
  public int depth(String site) {
    ConcurrentSkipListMap<Long, Long> m = bySite.get(site);
    java.util.concurrent.atomic.AtomicInteger q = queuedBySite.get(site);
    return (m == null ? 0 : m.size()) + (q == null ? 0 : q.get());
  }

  /** Age of the oldest pending entry, by the options' clock; zero when empty. */
  public Duration oldestAge() {
    Duration max = Duration.ZERO;
    for (String site : bySite.keySet()) {
      Duration d = oldestAge(site);
      if (d.compareTo(max) > 0) {
        max = d;
      }
    }
    return max;
  }

  /** Age of the oldest pending entry for {@code site}; zero when none. */
  public Duration oldestAge(String site) {
    ConcurrentSkipListMap<Long, Long> m = bySite.get(site);
    if (m == null) {
      return Duration.ZERO;
    }
    Map.Entry<Long, Long> first = m.firstEntry();
    return first == null ? Duration.ZERO : Duration.ofMillis(Math.max(0, clock.millis() - first.getValue()));
  }

  /** The pending entries for {@code bucket/name} towards {@code site}, in sequence order (committed ones). */
  public List<JournalEntry> pending(String site, String bucket, String name) {
    java.util.NavigableSet<Long> sequences = byObject.get(site + '\n' + bucket + '\n' + name);
    List<JournalEntry> result = new ArrayList<>();
    if (sequences != null) {
      for (Long sequence : sequences) {
        byte[] value = entries.get(sequence);
        if (value != null) {
          result.add(JournalEntry.decode(sequence, value));
        }
      }
    }
    return result;
  }

  /** Whether an entry for {@code bucket/name} towards {@code site} is pending. */
  public boolean hasPending(String site, String bucket, String name) {
    return byObject.containsKey(site + '\n' + bucket + '\n' + name);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (committer != null) {
      queue.add(STOP);
      try {
        committer.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Append a; (a = queue.poll()) != null; ) {
      a.done().completeExceptionally(new IllegalStateException("replication journal is closed"));
    }
    store.close();
  }
}
