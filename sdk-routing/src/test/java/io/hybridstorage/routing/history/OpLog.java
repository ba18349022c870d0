package io.hybridstorage.routing.history;

import io.hybridstorage.testkit.history.History;
import io.hybridstorage.testkit.history.HistoryRecorder;
import io.hybridstorage.testkit.history.Op;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.annotation.Nullable;

/**
 * The history of one run: every client op recorded through the testkit's {@link HistoryRecorder}
 * (invocation, response, outcome, generation, in one event order), plus what the register model
 * of an {@link Op} does not hold — which router and client issued it, what kind of call it was,
 * and the highest generation that client had observed before it (for causality).
 *
 * <p>Thread-safe.
 */
final class OpLog {

  /** The call behind an op. */
  enum Kind {
    /** {@code write} with {@code doesNotExist}: a CAS from absent. */
    CREATE,
    /** An unconditional {@code write}. */
    OVERWRITE,
    /** {@code write} with {@code ifGenerationMatch} of a generation the client saw. */
    CAS_WRITE,
    /** An unconditional {@code write} of a client's own staging object (the source of copies and composes). */
    STAGE,
    DELETE,
    /** {@code delete} with {@code ifGenerationMatch}. */
    CAS_DELETE,
    COPY,
    COMPOSE,
    READ,
    HEAD,
    /** One key's part of a {@code list}: a read of that key between the list's call and answer. */
    LIST,
    /** The authority's state after heal and drain, read directly from the site. */
    FINAL
  }

  /**
   * Notes on one op.
   *
   * @param router the router's index, -1 for the final reads
   * @param floor the highest generation the client had observed (acknowledged to it, read, or
   *     named by a condition) before it invoked the op; 0 when none
   */
  record Meta(int id, int router, Kind kind, String name, long floor, String detail) {}

  private final HistoryRecorder recorder = HistoryRecorder.create();
  private final Map<Integer, Meta> meta = new ConcurrentHashMap<>();
  private final Map<Val, Val> texts = new ConcurrentHashMap<>();

  static String key(String name) {
    return HistoryRecorder.key(Cluster.BUCKET, name);
  }

  /** {@code gs://bkt/hot/3} → {@code hot/3}. */
  static String name(String key) {
    return key.substring(("gs://" + Cluster.BUCKET + "/").length());
  }

  /** The value as the history holds it: with its text when the suite wrote it. */
  @Nullable
  Val canonical(@Nullable Val value) {
    if (value == null) {
      return null;
    }
    if (value.text() != null) {
      return texts.computeIfAbsent(value, v -> value);
    }
    return texts.getOrDefault(value, value);
  }

  HistoryRecorder.Invocation invokeRead(int router, String site, Kind kind, String name, long floor) {
    return note(recorder.invokeRead(site, key(name)), router, kind, name, floor, "");
  }

  HistoryRecorder.Invocation invokeWrite(int router, String site, Kind kind, String name, Val value, long floor,
      String detail) {
    return note(recorder.invokeWrite(site, key(name), canonical(value)), router, kind, name, floor, detail);
  }

  /** A CAS from {@code expected} (null: absent) to {@code value} (null: a conditional delete). */
  HistoryRecorder.Invocation invokeCas(int router, String site, Kind kind, String name, @Nullable Val expected,
      @Nullable Val value, long floor, String detail) {
    return note(recorder.invokeCas(site, key(name), canonical(expected), canonical(value)), router, kind, name, floor,
        detail);
  }

  HistoryRecorder.Invocation invokeDelete(int router, String site, String name, long floor) {
    return note(recorder.invokeDelete(site, key(name)), router, Kind.DELETE, name, floor, "");
  }

  private HistoryRecorder.Invocation note(HistoryRecorder.Invocation invocation, int router, Kind kind, String name,
      long floor, String detail) {
    meta.put(invocation.id(), new Meta(invocation.id(), router, kind, name, floor, detail));
    return invocation;
  }

  Meta meta(Op op) {
    return meta.get(op.id());
  }

  History history() {
    return recorder.history();
  }

  /** Ops invoked so far (a list counts once per key). */
  int size() {
    return recorder.size();
  }
}
