package io.hybridstorage.memory;

import io.hybridstorage.api.ObjectInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Every version of one object name, immutable: the live version (if any) and the noncurrent ones
 * in ascending generation. A bucket maps a name to its current state and replaces the whole state
 * by compare-and-set, so each change (with its precondition check) is atomic per name. Identity
 * equality on purpose: the compare-and-set must compare instances, not contents.
 *
 * <p>A state with no versions left is a tombstone: it stays in the bucket's map and remembers the
 * highest generation its name ever held ({@link #maxGeneration()}). Without it, a write that drew
 * its generation while the name was absent could still publish after another write created the
 * name and a delete removed it again (compare-and-set sees "absent" both times: ABA), leaving a
 * live generation below one already acknowledged. A tombstone costs one small object per deleted
 * name for the life of the bucket, which an in-memory test store can afford.
 */
final class ObjectState {

  /** One version: its metadata and its bytes (never modified once published). */
  record Version(ObjectInfo info, Bytes data) {
    long generation() {
      return info.generation();
    }
  }

  @Nullable final Version live;
  /** Ascending generation; unmodifiable. */
  final List<Version> noncurrent;
  /** The highest generation this name ever held, including versions since removed. */
  private final long floor;

  private ObjectState(@Nullable Version live, List<Version> noncurrent, long floor) {
    this.live = live;
    this.noncurrent = noncurrent;
    long max = live == null ? floor : Math.max(floor, live.generation());
    this.floor = noncurrent.isEmpty() ? max : Math.max(max, noncurrent.get(noncurrent.size() - 1).generation());
  }

  static ObjectState of(Version live) {
    return new ObjectState(live, List.of(), 0);
  }

  boolean isEmpty() {
    return live == null && noncurrent.isEmpty();
  }

  /** The live version for {@code generation == 0}, else that generation; null when absent. */
  @Nullable
  Version find(long generation) {
    if (generation == 0 || (live != null && live.generation() == generation)) {
      return live;
    }
    for (Version v : noncurrent) {
      if (v.generation() == generation) {
        return v;
      }
    }
    return null;
  }

  /** The highest generation this name ever held, even when every version has been removed since. */
  long maxGeneration() {
    return floor;
  }

  /** A new live version; the old live one becomes noncurrent when {@code keepOld}, else is dropped. */
  static ObjectState withLive(@Nullable ObjectState current, Version version, boolean keepOld, Instant now) {
    if (current == null) {
      return of(version);
    }
    List<Version> kept = current.live != null && keepOld
        ? insert(current.noncurrent, retire(current.live, now))
        : current.noncurrent;
    return new ObjectState(version, kept, current.floor);
  }

  /** An empty state (a tombstone) remembering {@code floor} as the highest generation held. */
  static ObjectState tombstone(long floor) {
    return new ObjectState(null, List.of(), floor);
  }

  /**
   * The same versions remembering at least {@code floor} as the highest generation held: a
   * tombstone raised without deleting anything ({@code ObjectStore.deleteUpTo} of a name that is
   * absent, or live at a newer generation).
   */
  ObjectState withFloor(long floor) {
    return floor <= this.floor ? this : new ObjectState(live, noncurrent, floor);
  }

  /** Without a live version; the old one is kept as noncurrent when {@code keep}. */
  ObjectState deleteLive(boolean keep, Instant now) {
    if (live == null) {
      return this;
    }
    return new ObjectState(null, keep ? insert(noncurrent, retire(live, now)) : noncurrent, floor);
  }

  /** Without version {@code generation} (live or not), permanently. */
  ObjectState remove(long generation) {
    if (live != null && live.generation() == generation) {
      return new ObjectState(null, noncurrent, floor);
    }
    List<Version> rest = new ArrayList<>(noncurrent);
    rest.removeIf(v -> v.generation() == generation);
    return new ObjectState(live, List.copyOf(rest), floor);
  }

  /** With {@code old} (live or noncurrent) replaced by {@code updated} of the same generation. */
  ObjectState replace(Version old, Version updated) {
    if (old == live) {
      return new ObjectState(updated, noncurrent, floor);
    }
    List<Version> rest = new ArrayList<>(noncurrent);
    rest.replaceAll(v -> v == old ? updated : v);
    return new ObjectState(live, List.copyOf(rest), floor);
  }

  /** Every version in ascending generation, as a listing with {@code versions=true} shows them. */
  List<ObjectInfo> versions() {
    List<ObjectInfo> all = new ArrayList<>(noncurrent.size() + 1);
    noncurrent.forEach(v -> all.add(v.info()));
    if (live != null) {
      all.add(live.info());
      all.sort(Comparator.comparingLong(ObjectInfo::generation)); // an assigned generation may be lower
    }
    return all;
  }

  private static Version retire(Version version, Instant now) {
    return new Version(version.info().withDeleteTime(now), version.data());
  }

  private static List<Version> insert(List<Version> sorted, Version version) {
    List<Version> out = new ArrayList<>(sorted.size() + 1);
    out.addAll(sorted);
    int i = out.size();
    while (i > 0 && out.get(i - 1).generation() > version.generation()) {
      i--;
    }
    out.add(i, version);
    return List.copyOf(out);
  }
}
