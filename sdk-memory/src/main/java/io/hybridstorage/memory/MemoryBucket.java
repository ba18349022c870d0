package io.hybridstorage.memory;

import io.hybridstorage.api.BucketInfo;
import io.hybridstorage.api.BucketPatch;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.Utf8Order;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.annotation.Nullable;

/**
 * One bucket of an {@link InMemoryStore}: its metadata and a skip list from object name (in
 * {@link Utf8Order}) to the {@link ObjectState} of that name. Every change to a name is a
 * compare-and-set of its state ({@link #mutate}), so there is no lock on the data path and
 * changes to different names never contend.
 *
 * <p>Deleting a bucket must not race with a write that creates the bucket's first object. The
 * protocol: {@code deleteBucket} moves the phase LIVE → DELETING, checks emptiness, then moves to
 * DELETED (or back to LIVE and answers 409). A write that inserted a new name reads the phase
 * afterwards: LIVE keeps it (the deleter, if any, will see the name), DELETED undoes it (the
 * deleter saw the bucket empty first) and DELETING waits the microseconds until the deleter
 * decides.
 */
final class MemoryBucket {

  private static final int LIVE = 0;
  private static final int DELETING = 1;
  private static final int DELETED = 2;

  private final AtomicReference<BucketInfo> info;
  private final ConcurrentSkipListMap<String, ObjectState> objects = new ConcurrentSkipListMap<>(Utf8Order.INSTANCE);
  private final AtomicInteger phase = new AtomicInteger(LIVE);

  MemoryBucket(BucketInfo info) {
    this.info = new AtomicReference<>(info);
  }

  BucketInfo info() {
    return info.get();
  }

  String name() {
    return info.get().name();
  }

  boolean versioning() {
    return info.get().versioningEnabled();
  }

  boolean isDeleted() {
    return phase.get() == DELETED;
  }

  /** Applies a PATCH: versioning, labels (a null value removes the key); bumps metageneration. */
  BucketInfo update(BucketPatch patch, Instant now) {
    return info.updateAndGet(current -> patch.applyTo(current, now));
  }

  /** Marks the bucket deleted if it holds nothing (no live or noncurrent version); else 409. */
  synchronized void delete(String site) {
    if (!phase.compareAndSet(LIVE, DELETING)) {
      throw HybridStorageException.bucketNotFound("deleteBucket", name(), site);
    }
    if (!objects.values().stream().allMatch(ObjectState::isEmpty)) {
      phase.set(LIVE);
      throw HybridStorageException.conflict("deleteBucket", name(), null, site,
          "The bucket you tried to delete is not empty (it holds live or noncurrent object versions).");
    }
    phase.set(DELETED);
  }

  @Nullable
  ObjectState.Version find(String name, long generation) {
    ObjectState state = objects.get(name);
    return state == null ? null : state.find(generation);
  }

  /** Entries from {@code from} (inclusive) in listing order: live versions, or every version. */
  Iterator<ObjectInfo> scan(@Nullable String from, boolean versions) {
    ConcurrentNavigableMap<String, ObjectState> tail = from == null ? objects : objects.tailMap(from, true);
    Function<ObjectState, Stream<ObjectInfo>> expand = versions
        ? state -> state.versions().stream()
        : state -> state.live == null ? Stream.empty() : Stream.of(state.live.info());
    return tail.values().stream().flatMap(expand).iterator();
  }

  /** Forgets {@code name} entirely, tombstone included (see {@link InMemoryStore#lose}). */
  boolean lose(String name) {
    return objects.remove(name) != null;
  }

  /** The result of a change: the next state of the name and what the operation returns. */
  record Outcome<R>(boolean changed, @Nullable ObjectState next, R result) {
    static <R> Outcome<R> unchanged(R result) {
      return new Outcome<>(false, null, result);
    }

    /** {@code next} may be null or empty: the name then keeps only a tombstone (see ObjectState). */
    static <R> Outcome<R> to(@Nullable ObjectState next, R result) {
      return new Outcome<>(true, next, result);
    }
  }

  /**
   * Applies {@code change} to the current state of {@code name} atomically: the change (which
   * checks preconditions and may throw) sees the state it replaces; when another thread changed
   * the name in between, the change is computed again on the new state. {@code change} must
   * therefore be free of side effects other than drawing generations.
   */
  <R> R mutate(String name, String operation, String site, Function<ObjectState, Outcome<R>> change) {
    while (true) {
      ObjectState current = objects.get(name);
      Outcome<R> outcome = change.apply(current);
      if (!outcome.changed()) {
        return outcome.result();
      }
      if (current == null && (outcome.next() == null || (outcome.next().isEmpty()
          && outcome.next().maxGeneration() == 0))) {
        return outcome.result(); // nothing to remember (a tombstone raised on an absent name is kept)
      }
      // an emptied name stays as a tombstone (see ObjectState) so its generations never go back
      ObjectState next = outcome.next() != null ? outcome.next() : ObjectState.tombstone(current.maxGeneration());
      boolean inserts = (current == null || current.isEmpty()) && !next.isEmpty();
      boolean swapped = current == null ? objects.putIfAbsent(name, next) == null : objects.replace(name, current, next);
      if (swapped) {
        if (inserts && !confirmInsert()) {
          objects.remove(name, next);
          throw HybridStorageException.bucketNotFound(operation, name(), site);
        }
        return outcome.result();
      }
    }
  }

  /** After inserting a new name: whether the bucket still lives (see the class comment). */
  private boolean confirmInsert() {
    while (true) {
      int p = phase.get();
      if (p == LIVE) {
        return true;
      }
      if (p == DELETED) {
        return false;
      }
      Thread.onSpinWait();
    }
  }
}
