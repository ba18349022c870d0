package io.hybridstorage.sync.internal;

import io.hybridstorage.sync.Change;
import io.hybridstorage.sync.ChangeQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The sync's durable queue: one {@link Pending} entry per object with changes not yet applied, and
 * the scans' cursors, in an H2 MVStore file ({@code sync.mv.db} in the state directory; in memory
 * without one). {@link #put} returns once the changes are committed and fsynced, so a feed may then
 * acknowledge them: a {@code kill -9} after that loses nothing, and the next process applies what
 * is left. Removals after an apply are committed lazily: a crash may apply an entry twice, which
 * changes nothing (applies are idempotent).
 *
 * <p>Each object is handed to one worker at a time ({@link #take}); a change that arrives while it
 * is being applied bumps its version, so {@link #complete} keeps it and hands it out again.
 * Thread-safe.
 */
public final class SyncQueue implements ChangeQueue, AutoCloseable {

  static final String FILE = "sync.mv.db";

  private final MVStore store;
  private final boolean durable;
  private final MVMap<String, byte[]> pending;
  private final MVMap<String, String> cursors;
  /** Keys ready to be applied (each at most once: {@link #queued}). */
  private final BlockingQueue<String> ready = new LinkedBlockingQueue<>();
  /** Keys in {@link #ready}, being applied, or waiting for a retry. */
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  /** Keys a worker holds now. */
  private final Set<String> active = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private long nextVersion;
  private int uncommittedRemovals;

  private SyncQueue(@Nullable Path directory) {
    MVStore.Builder builder = new MVStore.Builder().autoCommitDisabled();
    if (directory != null) {
      try {
        Files.createDirectories(directory);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the sync state directory " + directory, e);
      }
      builder.fileName(directory.resolve(FILE).toString());
    }
    this.durable = directory != null;
    this.store = builder.open();
    this.pending = store.openMap("pending");
    this.cursors = store.openMap("cursors");
    long max = 0;
    for (Map.Entry<String, byte[]> e : pending.entrySet()) {
      Pending p = Pending.decode(e.getValue());
      max = Math.max(max, p.version());
      if (queued.add(e.getKey())) {
        ready.add(e.getKey());
      }
    }
    this.nextVersion = max + 1;
  }

  /** Opens (or creates) the queue in {@code directory}; null: in memory. Entries left by an earlier process are ready. */
  public static SyncQueue open(@Nullable Path directory) {
    return new SyncQueue(directory);
  }

  @Override
  public void put(List<Change> changes) {
    if (changes.isEmpty()) {
      return;
    }
    String[] keys = new String[changes.size()];
    synchronized (lock) {
      for (int i = 0; i < changes.size(); i++) {
        Change c = changes.get(i);
        String key = Pending.key(c.bucket(), c.name());
        byte[] old = pending.get(key);
        Pending next = old == null ? Pending.of(c, nextVersion++) : Pending.decode(old).merge(c, nextVersion++);
        pending.put(key, next.encode());
        keys[i] = key;
      }
      commit(true);
    }
    for (String key : keys) {
      if (queued.add(key)) {
        ready.add(key);
      }
    }
  }

  private void commit(boolean sync) {
    store.commit();
    if (sync && durable) {
      store.sync();
    }
    uncommittedRemovals = 0;
  }

  /**
   * The next object to apply, waiting up to {@code wait}; empty when none came. The caller owns it
   * until {@link #complete} or {@link #retryLater}.
   */
  public Optional<Pending> take(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String key = ready.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (key == null) {
        return Optional.empty();
      }
      byte[] data = pending.get(key);
      if (data == null) {
        queued.remove(key);
        continue;
      }
      active.add(key);
      return Optional.of(Pending.decode(data));
    }
  }

  /**
   * {@code applied} is done: removed, unless a change came meanwhile (then it is ready again).
   * Returns whether it was removed.
   */
  public boolean complete(Pending applied) {
    String key = applied.key();
    boolean removed;
    synchronized (lock) {
      byte[] now = pending.get(key);
      removed = now == null || Pending.decode(now).version() == applied.version();
      if (removed && now != null) {
        pending.remove(key);
        if (++uncommittedRemovals >= 1024) {
          commit(false);
        }
      }
      active.remove(key);
      if (removed) {
        queued.remove(key);
      }
    }
    if (!removed) {
      ready.add(key);
    }
    return removed;
  }

  /** {@code failed} could not be applied now: it stays, and is ready again after {@code delay}. */
  public void retryLater(Pending failed, Duration delay, java.util.concurrent.ScheduledExecutorService timer) {
    active.remove(failed.key());
    timer.schedule(() -> ready.add(failed.key()), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Objects with changes not yet applied. */
  public int depth() {
    return pending.size();
  }

  /** Whether nothing is pending and no worker holds an object. */
  public boolean isIdle() {
    return pending.isEmpty() && active.isEmpty();
  }

  /** The earliest event time among pending changes (a scan of the queue: for reports, not hot paths). */
  public Optional<Instant> oldestEvent() {
    Instant oldest = null;
    for (byte[] v : pending.values()) {
      Instant t = Pending.decode(v).eventTime();
      if (oldest == null || t.isBefore(oldest)) {
        oldest = t;
      }
    }
    return Optional.ofNullable(oldest);
  }

  /** A scan's cursor (the last name it finished), or null. */
  @Nullable
  public String cursor(String key) {
    return cursors.get(key);
  }

  /** Records (durably) or clears a scan's cursor. */
  public void cursor(String key, @Nullable String value) {
    synchronized (lock) {
      if (value == null) {
        cursors.remove(key);
      } else {
        cursors.put(key, value);
      }
      commit(true);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (!store.isClosed()) {
        commit(true);
        store.close();
      }
    }
  }
}
