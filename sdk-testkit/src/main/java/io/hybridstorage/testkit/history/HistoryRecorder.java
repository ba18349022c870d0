package io.hybridstorage.testkit.history;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Ticker;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;

/**
 * Records a {@link History} while a test runs, from many threads and sites at once: through
 * {@link #record(ObjectStore)} (a decorator that records every register operation passing through
 * it) or by hand ({@link #invokeWrite} ... {@link Invocation#ok()}).
 *
 * <pre>{@code
 * HistoryRecorder recorder = HistoryRecorder.create();
 * ObjectStore dc1 = recorder.record(dc1Store);           // every thread, every site: one history
 * ObjectStore dc2 = recorder.record(dc2Store);
 * ... run the workload ...
 * HistoryChecker.create().check(recorder.history()).assertValid();
 * }</pre>
 *
 * <p>Event order: each invocation and each response takes the next number of one atomic counter,
 * after the call returned and before it was made, so an op recorded as preceding another really
 * did. Times come from the {@link Ticker} (a {@code VirtualClock}'s in virtual-time tests).
 *
 * <p>Thread-safe.
 */
public final class HistoryRecorder {

  private final Ticker ticker;
  private final AtomicLong events = new AtomicLong();
  private final Map<String, Object> initialValues = new HashMap<>(); // guarded by this
  private final List<Entry> entries = new ArrayList<>(); // guarded by this

  private HistoryRecorder(Ticker ticker) {
    this.ticker = ticker;
  }

  /** A recorder on {@link Ticker#systemTicker()}. */
  public static HistoryRecorder create() {
    return create(Ticker.systemTicker());
  }

  /** A recorder taking times from {@code ticker}. */
  public static HistoryRecorder create(Ticker ticker) {
    return new HistoryRecorder(requireNonNull(ticker, "ticker"));
  }

  /** The key under which ops on {@code bucket/name} are recorded: {@code gs://bucket/name}. */
  public static String key(String bucket, String name) {
    return ObjectId.of(bucket, name).toString();
  }

  /**
   * A decorator of {@code store} that records into this history. What it records:
   *
   * <ul>
   *   <li>{@code read} and {@code head} of a live version without conditions: a READ whose value is
   *       the object's content (CRC32C and size from the {@code ObjectInfo}; {@link Op#UNKNOWN}
   *       for a ranged read or when the store reports no CRC32C), or absent on 404 / empty;
   *   <li>{@code write}, {@code openWrite}+{@code commit}, {@code copy}, {@code compose}: a WRITE of
   *       the content the caller sent (copy and compose: the content the store reports), or a CAS
   *       when the only condition is {@code ifGenerationMatch} (0: "absent"; otherwise the value
   *       some recorded op saw with that generation);
   *   <li>{@code delete} of the live version: a DELETE, or a CAS to absent under {@code
   *       ifGenerationMatch}.
   * </ul>
   *
   * Outcomes: a result is OK; 4xx other than 408 and 429 is FAIL (did not happen); anything else
   * (5xx, 408, 429, I/O errors, other exceptions) is UNKNOWN. A streamed write whose body was not
   * read to its end is FAIL: nothing could have committed. Other calls are forwarded unrecorded.
   * Results and exceptions pass through unchanged.
   */
  public ObjectStore record(ObjectStore store) {
    return new RecordingStore(requireNonNull(store, "store"), this);
  }

  /** Declares the value {@code key} held before recording began (default: absent). */
  public synchronized HistoryRecorder initialValue(String key, Object value) {
    initialValues.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
    return this;
  }

  /** The calling thread invokes a read of {@code key} on {@code site}. */
  public Invocation invokeRead(@Nullable String site, String key) {
    return new Invocation(invoke(site, Op.Type.READ, key, null, Op.UNKNOWN));
  }

  /** The calling thread invokes a write of {@code value}. */
  public Invocation invokeWrite(@Nullable String site, String key, Object value) {
    return new Invocation(invoke(site, Op.Type.WRITE, key, null, requireNonNull(value, "value")));
  }

  /** The calling thread invokes a compare-and-set from {@code expected} (null: absent) to {@code value}. */
  public Invocation invokeCas(@Nullable String site, String key, @Nullable Object expected, @Nullable Object value) {
    return new Invocation(invoke(site, Op.Type.CAS, key, expected, value));
  }

  /** The calling thread invokes a delete of {@code key}. */
  public Invocation invokeDelete(@Nullable String site, String key) {
    return new Invocation(invoke(site, Op.Type.DELETE, key, null, null));
  }

  /**
   * The history so far. Ops not completed yet are {@link Op.Outcome#UNKNOWN}. Conditional writes
   * recorded from a store get their expected value here, from the generation they named.
   */
  public History history() {
    List<Op> ops = new ArrayList<>();
    Map<String, Object> initial;
    synchronized (this) {
      entries.forEach(entry -> ops.add(entry.toOp()));
      initial = new HashMap<>(initialValues);
    }
    return new History(Resolution.resolve(ops), initial);
  }

  /** The number of ops invoked so far. */
  public synchronized int size() {
    return entries.size();
  }

  Entry invoke(@Nullable String site, Op.Type type, String key, @Nullable Object expected, @Nullable Object value) {
    requireNonNull(key, "key");
    String process = Thread.currentThread().getName();
    synchronized (this) {
      long at = events.getAndIncrement();
      Entry entry = new Entry(entries.size() + 1, process, site, type, key, expected, value, at, ticker.read());
      entries.add(entry);
      return entry;
    }
  }

  void complete(Entry entry, Op.Outcome outcome, @Nullable Long generation, @Nullable String info) {
    entry.complete(outcome, generation, info, events.getAndIncrement(), ticker.read());
  }

  /**
   * A pending op: complete it exactly once, with the method that fits its type. Thread-safe; it
   * may be completed from another thread than the one that invoked it.
   */
  public final class Invocation {
    private final Entry entry;

    Invocation(Entry entry) {
      this.entry = entry;
    }

    /**
     * The op's {@link Op#id()} in the {@link History} this recorder makes, so a caller can keep its
     * own notes on an op (which router, which client) and find the op again after the run.
     */
    public int id() {
      return entry.id;
    }

    /** The write, CAS or delete took effect. */
    public void ok() {
      requireMutation("ok()");
      complete(entry, Op.Outcome.OK, null, null);
    }

    /** The write or CAS took effect as {@code generation}. */
    public void okGeneration(long generation) {
      requireMutation("okGeneration");
      complete(entry, Op.Outcome.OK, generation, null);
    }

    /** The read returned {@code value} (null: absent). */
    public void ok(@Nullable Object value) {
      requireRead();
      entry.value(value);
      complete(entry, Op.Outcome.OK, null, null);
    }

    /** The read returned {@code value} at {@code generation}. */
    public void ok(@Nullable Object value, long generation) {
      requireRead();
      entry.value(value);
      complete(entry, Op.Outcome.OK, generation, null);
    }

    /** The op certainly did not take effect (for a CAS: its precondition failed). */
    public void fail(String info) {
      complete(entry, Op.Outcome.FAIL, null, info);
    }

    /** The op may or may not have taken effect (timeout, 503, crash). */
    public void unknown(String info) {
      complete(entry, Op.Outcome.UNKNOWN, null, info);
    }

    private void requireRead() {
      if (entry.type != Op.Type.READ) {
        throw new IllegalStateException("op #" + entry.id + " is a " + entry.type + ": use ok() or okGeneration");
      }
    }

    private void requireMutation(String method) {
      if (entry.type == Op.Type.READ) {
        throw new IllegalStateException("op #" + entry.id + " is a read: " + method
            + " cannot give its value; use ok(value)");
      }
    }

    @Override
    public String toString() {
      return entry.toOp().toString();
    }
  }

  /** Placeholder for "the value with this generation" in a CAS recorded from a store. */
  record GenerationRef(long generation) {
    @Override
    public String toString() {
      return "generation " + generation;
    }
  }

  /** Fills in CAS expectations named by generation, and the display form of content values. */
  static final class Resolution {
    private Resolution() {}

    static List<Op> resolve(List<Op> ops) {
      Map<String, Map<Long, Object>> byGeneration = new HashMap<>();
      Map<Content, Content> withPreview = new HashMap<>();
      for (Op op : ops) {
        if (op.value() instanceof Content content && content.preview() != null) {
          withPreview.putIfAbsent(content, content);
        }
        if (op.outcome() == Op.Outcome.OK && op.generation() != null && op.value() != Op.UNKNOWN
            && (op.type() == Op.Type.READ || op.type() == Op.Type.WRITE || op.type() == Op.Type.CAS)) {
          byGeneration.computeIfAbsent(op.key(), k -> new HashMap<>()).putIfAbsent(op.generation(), op.value());
        }
      }
      List<Op> resolved = new ArrayList<>(ops.size());
      for (Op op : ops) {
        Object value = display(op.value(), withPreview);
        Object expected = display(op.expected(), withPreview);
        Op.Type type = op.type();
        String info = op.info();
        if (expected instanceof GenerationRef ref) {
          Map<Long, Object> known = byGeneration.getOrDefault(op.key(), Map.of());
          if (ref.generation() == 0) {
            expected = null;
          } else if (known.containsKey(ref.generation())) {
            expected = display(known.get(ref.generation()), withPreview);
          } else {
            // Nobody recorded saw that generation: check the op as a plain write (weaker, sound).
            type = op.value() == null ? Op.Type.DELETE : Op.Type.WRITE;
            expected = null;
            info = (info == null ? "" : info + "; ") + "ifGenerationMatch=" + ref.generation()
                + " names a generation no recorded op saw: checked as an unconditional " + type;
          }
        }
        if (type == op.type() && value == op.value() && expected == op.expected() && Objects.equals(info, op.info())) {
          resolved.add(op);
        } else {
          resolved.add(new Op(op.id(), op.process(), op.site(), type, op.key(), expected, value, op.generation(),
              op.outcome(), info, op.invokedAt(), op.completedAt(), op.startNanos(), op.endNanos()));
        }
      }
      return resolved;
    }

    @Nullable
    private static Object display(@Nullable Object value, Map<Content, Content> withPreview) {
      if (value instanceof Content content && content.preview() == null) {
        return withPreview.getOrDefault(content, content);
      }
      return value;
    }
  }
}
