package io.hybridstorage.testkit.history;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * What happened: every {@link Op}, with its invocation and response in one event order, across
 * threads and sites. Immutable. Made by a {@link HistoryRecorder} while a test runs, or by hand
 * with {@link #builder()}:
 *
 * <pre>{@code
 * History h = History.builder()
 *     .write("p1", "x", "a")       // p1 invokes write(x, a)
 *     .read("p2", "x")             // p2 invokes read(x), concurrent with the write
 *     .ok("p1")                    // the write is acknowledged
 *     .ok("p2", "a")               // the read returns a
 *     .build();
 * }</pre>
 *
 * <p>Each event (an invocation or a response) takes the next position in the order; an op whose
 * response comes before another's invocation precedes it in real time. {@link HistoryChecker}
 * checks histories.
 */
public final class History {

  private final List<Op> ops;
  private final Map<String, Object> initialValues;

  History(List<Op> ops, Map<String, Object> initialValues) {
    List<Op> sorted = new ArrayList<>(ops);
    sorted.sort((a, b) -> Integer.compare(a.id(), b.id()));
    this.ops = List.copyOf(sorted);
    this.initialValues = Collections.unmodifiableMap(new HashMap<>(initialValues));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every op, in invocation order. */
  public List<Op> ops() {
    return ops;
  }

  /** The ops on {@code key}, in invocation order. */
  public List<Op> ops(String key) {
    return ops.stream().filter(op -> op.key().equals(key)).toList();
  }

  /** The keys, sorted. */
  public Set<String> keys() {
    Map<String, Boolean> keys = new TreeMap<>();
    ops.forEach(op -> keys.put(op.key(), true));
    return Collections.unmodifiableSet(keys.keySet());
  }

  /** The ops grouped by key, keys sorted. */
  Map<String, List<Op>> byKey() {
    Map<String, List<Op>> result = new TreeMap<>();
    for (Op op : ops) {
      result.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    return result;
  }

  /** The value {@code key} held before the history began; null (absent) unless declared. */
  @Nullable
  public Object initialValue(String key) {
    return initialValues.get(key);
  }

  public int size() {
    return ops.size();
  }

  /** One line per op. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("History of ").append(ops.size()).append(" ops");
    if (!initialValues.isEmpty()) {
      sb.append(", initially ").append(initialValues);
    }
    for (Op op : ops) {
      sb.append("\n  ").append(op);
    }
    return sb.toString();
  }

  /**
   * Builds a history event by event, as Jepsen and Knossos write them: {@code write("p1", ...)}
   * invokes an op for process {@code p1}, {@code ok("p1")} completes it. A process has at most one
   * op pending. Ops still pending at {@link #build()} never completed ({@link Op.Outcome#UNKNOWN}).
   * Not thread-safe.
   */
  public static final class Builder {
    private long events;
    private int ids;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Entry> pending = new LinkedHashMap<>();
    private final Map<String, String> sites = new HashMap<>();
    private final Map<String, Object> initialValues = new HashMap<>();

    private Builder() {}

    /** The value of {@code key} before the history (default: absent). */
    public Builder initialValue(String key, Object value) {
      initialValues.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    /** The ops {@code process} invokes from now on go to {@code site}. */
    public Builder onSite(String process, String site) {
      sites.put(requireNonNull(process, "process"), requireNonNull(site, "site"));
      return this;
    }

    /** {@code process} invokes a read of {@code key}. */
    public Builder read(String process, String key) {
      return invoke(process, Op.Type.READ, key, null, Op.UNKNOWN);
    }

    /** {@code process} invokes a write of {@code value} to {@code key}. */
    public Builder write(String process, String key, Object value) {
      return invoke(process, Op.Type.WRITE, key, null, requireNonNull(value, "value"));
    }

    /** {@code process} invokes a compare-and-set of {@code key} from {@code expected} to {@code value}. */
    public Builder cas(String process, String key, @Nullable Object expected, @Nullable Object value) {
      return invoke(process, Op.Type.CAS, key, expected, value);
    }

    /** {@code process} invokes a delete of {@code key}. */
    public Builder delete(String process, String key) {
      return invoke(process, Op.Type.DELETE, key, null, null);
    }

    /** {@code process}'s write, CAS or delete took effect. */
    public Builder ok(String process) {
      Entry entry = pendingMutation(process, "ok");
      return complete(process, entry, Op.Outcome.OK, null);
    }

    /** {@code process}'s write, CAS or delete took effect as {@code generation}. */
    public Builder okGeneration(String process, long generation) {
      Entry entry = pendingMutation(process, "okGeneration");
      return complete(process, entry, Op.Outcome.OK, generation);
    }

    /** {@code process}'s read returned {@code value} (null: absent). */
    public Builder ok(String process, @Nullable Object value) {
      Entry entry = pendingRead(process);
      entry.value(value);
      return complete(process, entry, Op.Outcome.OK, null);
    }

    /** {@code process}'s read returned {@code value} at {@code generation}. */
    public Builder ok(String process, @Nullable Object value, long generation) {
      Entry entry = pendingRead(process);
      entry.value(value);
      return complete(process, entry, Op.Outcome.OK, generation);
    }

    /** {@code process}'s op certainly did not take effect. */
    public Builder fail(String process) {
      return complete(process, pending(process), Op.Outcome.FAIL, null);
    }

    /** {@code process}'s op may or may not have taken effect (e.g. it timed out). */
    public Builder unknown(String process) {
      return complete(process, pending(process), Op.Outcome.UNKNOWN, null);
    }

    public History build() {
      List<Op> ops = new ArrayList<>(entries.size());
      entries.forEach(entry -> ops.add(entry.toOp()));
      return new History(ops, initialValues);
    }

    private Builder invoke(String process, Op.Type type, String key, @Nullable Object expected,
        @Nullable Object value) {
      requireNonNull(process, "process");
      requireNonNull(key, "key");
      Entry busy = pending.get(process);
      if (busy != null) {
        throw new IllegalStateException("process " + process + " already has op #" + busy.id
            + " pending: complete it first (one op per process at a time)");
      }
      Entry entry = new Entry(++ids, process, sites.get(process), type, key, expected, value, events, events);
      events++;
      entries.add(entry);
      pending.put(process, entry);
      return this;
    }

    private Builder complete(String process, Entry entry, Op.Outcome outcome, @Nullable Long generation) {
      entry.complete(outcome, generation, null, events, events);
      events++;
      pending.remove(process);
      return this;
    }

    private Entry pending(String process) {
      Entry entry = pending.get(process);
      if (entry == null) {
        throw new IllegalStateException("process " + process + " has no pending op");
      }
      return entry;
    }

    private Entry pendingRead(String process) {
      Entry entry = pending(process);
      if (entry.type != Op.Type.READ) {
        throw new IllegalStateException("op #" + entry.id + " of " + process + " is a " + entry.type
            + ", not a read: complete it with ok(process) or okGeneration(process, generation)");
      }
      return entry;
    }

    private Entry pendingMutation(String process, String method) {
      Entry entry = pending(process);
      if (entry.type == Op.Type.READ) {
        throw new IllegalStateException("op #" + entry.id + " of " + process + " is a read: "
            + method + " cannot give its value; use ok(process, value)");
      }
      return entry;
    }
  }
}
