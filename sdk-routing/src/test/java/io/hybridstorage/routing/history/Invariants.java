package io.hybridstorage.routing.history;

import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.routing.history.OpLog.Kind;
import io.hybridstorage.routing.history.OpLog.Meta;
import io.hybridstorage.routing.history.Verdict.Invariant;
import io.hybridstorage.testkit.history.CheckResult;
import io.hybridstorage.testkit.history.History;
import io.hybridstorage.testkit.history.HistoryChecker;
import io.hybridstorage.testkit.history.Op;
import io.hybridstorage.testkit.history.Violation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import javax.annotation.Nullable;

/**
 * The checks of a run, after every link was healed and every journal drained, and the authority's
 * state of every object was read into the history (one {@link Kind#FINAL} read per object):
 *
 * <ol>
 *   <li><b>No acknowledged write lost.</b> The authority's final value of each object must come
 *       from a change that no acknowledged change followed: for the value's every possible source
 *       (each write of that value not refused, or the initial absence), no acknowledged write,
 *       copy, compose or delete of the object began after the source was acknowledged. A change
 *       of unknown outcome may take effect at any time, so a value it wrote is never lost. Under
 *       LOCAL_THEN_ASYNC "followed" is causal: the later change came through the same router, or
 *       its client had seen the source's generation; a change that only came later in real time,
 *       through another datacenter, may lose — a conflict, counted.
 *   <li><b>No phantom.</b> No read and no final state holds a value that only refused changes
 *       (4xx) wrote, or nobody, or whose writer had not begun yet.
 *   <li><b>No divergence.</b> Every replica of the placement holds the authority's live generation
 *       with the same CRC32C, or nothing where the authority holds nothing.
 *   <li><b>Generation order.</b> An acknowledged write's generation is above every generation its
 *       client had seen of the object (session and causal order), above every generation
 *       acknowledged through the same router before it began, and — but across routers under
 *       LOCAL_THEN_ASYNC, where such an inversion is a conflict — above every generation
 *       acknowledged anywhere before it began; and no two writes of an object share one.
 *   <li><b>Linearizability</b> of STRONG placements: the testkit's {@link HistoryChecker} (no read
 *       of an overwritten value, generations in real-time order, a linearization of every
 *       object's reads, writes, CASes and deletes, final reads included).
 * </ol>
 *
 * Each violation is reported with the seed and the ops and events needed to read it.
 */
final class Invariants {

  /** Reports show at most this many ops or events per list. */
  private static final int SHOWN = 30;

  /**
   * What the checks look at.
   *
   * @param label how reports name the run (policy, seed)
   * @param strong whether to run the testkit's linearizability checker (STRONG placements)
   * @param sites each site's live objects after drain, by name
   * @param restarts per router, when it was restarted or killed (nanos): under AUTHORITY_ONLY,
   *     whose journal is best effort, a replica may miss a change whose router restarted after
   *     making it (counted as excused divergence)
   */
  record Inputs(String label, WritePolicy policy, boolean strong, History history, Function<Op, Meta> meta,
      String authority, List<String> replicas, Map<String, Map<String, ObjectInfo>> sites,
      Map<Integer, List<Long>> restarts, @Nullable Timeline timeline) {}

  private final Inputs in;
  private final Verdict verdict;
  private final long origin;

  private Invariants(Inputs in, Verdict verdict) {
    this.in = in;
    this.verdict = verdict;
    this.origin = in.timeline() == null ? in.history().ops().stream().mapToLong(Op::startNanos).min().orElse(0)
        : in.timeline().origin();
  }

  static void check(Inputs in, Verdict verdict) {
    new Invariants(in, verdict).run();
  }

  private Meta meta(Op op) {
    return in.meta().apply(op);
  }

  private boolean local() {
    return in.policy() == WritePolicy.LOCAL_THEN_ASYNC;
  }

  private void run() {
    Map<String, List<Op>> byKey = new TreeMap<>();
    for (Op op : in.history().ops()) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
      if (meta(op).kind() != Kind.FINAL && op.isMutation()) {
        if (op.outcome() == Op.Outcome.FAIL) {
          verdict.failedOps++;
        } else if (op.outcome() == Op.Outcome.UNKNOWN) {
          verdict.unknownOps++;
        }
        if (op.outcome() != Op.Outcome.OK) {
          String info = String.valueOf(op.info());
          String[] words = info.split("[ :]+", 3);
          verdict.outcomes.merge(words.length >= 2 && words[0].matches("\\d+") ? words[0] + " " + words[1] : words[0],
              1L, Long::sum);
        }
      }
    }
    for (Map.Entry<String, List<Op>> e : byKey.entrySet()) {
      List<Op> ops = e.getValue();
      Op last = ops.stream().filter(op -> meta(op).kind() == Kind.FINAL).findFirst().orElse(null);
      List<Op> work = ops.stream().filter(op -> meta(op).kind() != Kind.FINAL).toList();
      if (last != null) {
        finalState(e.getKey(), work, last);
      }
      phantomReads(e.getKey(), work);
      generations(e.getKey(), work);
      staleness(work);
    }
    divergence(byKey);
    if (in.strong()) {
      long started = System.nanoTime();
      CheckResult result = HistoryChecker.create().check(in.history());
      verdict.phases.merge("linearizability ms", (System.nanoTime() - started) / 1_000_000, Long::sum);
      for (Violation v : result.violations()) {
        List<Op> shown = new ArrayList<>(v.ops());
        long from = v.ops().stream().mapToLong(Op::invokedAt).min().orElse(0);
        long to = v.ops().stream().mapToLong(Op::completedAt).max().orElse(Long.MAX_VALUE);
        for (Op op : v.ops()) { // the writers of what the reads saw, to read the violation by
          if (op.type() == Op.Type.READ) {
            byKey.get(v.key()).stream().filter(w -> w.isMutation() && Objects.equals(w.value(), op.value())
                && (op.value() != null || w.completedAt() >= from && w.invokedAt() <= to) // deletes: those around
                && !shown.contains(w)).forEach(shown::add);
          }
        }
        shown.sort(Comparator.comparingInt(Op::id));
        verdict.violation(Invariant.LINEARIZABILITY, in.label() + ": " + v.kind() + " " + v.key() + ": "
            + v.explanation() + "\n  the ops with their calls, and the writers of the values read (of absence: the deletes around,"
            + " refused ones included):" + lines(shown)
            + sites(OpLog.name(v.key())) + window(OpLog.name(v.key()), shown));
      }
    }
  }

  // ------------------------------------------------------------------ 1. lost, phantom final state

  /** Every op that may have produced {@code value}: not refused, and wrote it (deletes write absence). */
  private static List<Op> sources(List<Op> work, @Nullable Object value) {
    return work.stream().filter(op -> op.isMutation() && op.outcome() != Op.Outcome.FAIL
        && Objects.equals(op.value(), value)).toList();
  }

  /** Whether {@code later} certainly came after {@code source} took effect: real time, and causally under LOCAL_THEN_ASYNC. */
  private boolean follows(Op source, Op later, boolean causally) {
    if (source.outcome() != Op.Outcome.OK || source.completedAt() >= later.invokedAt()) {
      return false;
    }
    if (!causally) {
      return true;
    }
    return meta(source).router() == meta(later).router()
        || source.generation() != null && meta(later).floor() >= source.generation();
  }

  private void finalState(String key, List<Op> work, Op last) {
    Object value = last.value();
    List<Op> sources = sources(work, value);
    if (value != null && sources.isEmpty()) {
      List<Op> refused = work.stream().filter(op -> op.isMutation() && Objects.equals(op.value(), value)).toList();
      verdict.violation(Invariant.PHANTOM, in.label() + ": " + key + " ends on the authority as " + show(value)
          + " (generation " + last.generation() + "), which "
          + (refused.isEmpty() ? "no op wrote" : "only ops the router refused wrote: the refusal was wrong")
          + lines(refused) + sites(OpLog.name(key)) + window(OpLog.name(key), refused));
      return;
    }
    List<Op> acked = work.stream().filter(op -> op.isMutation() && op.outcome() == Op.Outcome.OK)
        .sorted(Comparator.comparingLong(Op::invokedAt).reversed()).toList();
    Op lost = null;
    boolean conflictLoss = false;
    for (Op w : acked) {
      if (sources.stream().allMatch(s -> follows(s, w, false))) {
        if (!local() || sources.stream().allMatch(s -> follows(s, w, true))) {
          lost = w;
          break;
        }
        conflictLoss = true;
      }
    }
    if (conflictLoss && lost == null) {
      verdict.conflictLosses++;
    }
    if (lost == null) {
      return;
    }
    Op witness = lost;
    long sourcesDone = sources.stream().mapToLong(Op::completedAt).max().orElse(-1);
    List<Op> shown = new ArrayList<>(sources);
    acked.stream().filter(op -> op.invokedAt() > sourcesDone).sorted(Comparator.comparingInt(Op::id))
        .forEach(shown::add);
    shown.add(last);
    shown.sort(Comparator.comparingInt(Op::id));
    verdict.violation(Invariant.LOST, in.label() + ": " + key + " ends on the authority as " + show(value)
        + (value == null ? "" : " (generation " + last.generation() + ")") + ", although "
        + describe(witness) + " was acknowledged after "
        + (sources.isEmpty() ? "the object's initial absence" : "every op that could have written that had been")
        + (local() ? " and is causally after them (same router, or its client had seen their generation)" : "")
        + ": it was lost. The value's possible sources, the acknowledged changes begun after them, and the final read:"
        + lines(shown) + sites(OpLog.name(key)) + window(OpLog.name(key), shown));
  }

  // ------------------------------------------------------------------ 2. phantom reads

  private static final Set<Kind> READS = EnumSet.of(Kind.READ, Kind.HEAD, Kind.LIST, Kind.CAS_DELETE);

  private void phantomReads(String key, List<Op> work) {
    Map<Object, Long> firstInvoked = new HashMap<>();
    for (Op op : work) {
      if (op.isMutation() && op.outcome() != Op.Outcome.FAIL && op.value() != null) {
        firstInvoked.merge(op.value(), op.invokedAt(), Math::min);
      }
    }
    List<Op> phantoms = new ArrayList<>();
    for (Op op : work) {
      if (op.type() == Op.Type.READ && op.outcome() == Op.Outcome.OK && op.value() instanceof Val v
          && firstInvoked.getOrDefault(v, Long.MAX_VALUE) > op.completedAt()) {
        phantoms.add(op);
      }
    }
    if (phantoms.isEmpty()) {
      return;
    }
    Op first = phantoms.get(0);
    List<Op> shown = new ArrayList<>(List.of(first));
    work.stream().filter(op -> op.isMutation() && Objects.equals(op.value(), first.value())).forEach(shown::add);
    shown.sort(Comparator.comparingInt(Op::id));
    for (int i = 0; i < phantoms.size(); i++) {
      verdict.violation(Invariant.PHANTOM, i > 0 ? in.label() + ": " + key + ": " + describe(phantoms.get(i))
          + " (as above)" : in.label() + ": " + key + ": " + describe(first) + " returned " + show(first.value())
          + ", which no op that the router did not refuse had begun to write before the read answered ("
          + phantoms.size() + " such reads):" + lines(shown) + window(OpLog.name(key), shown));
    }
  }

  // ------------------------------------------------------------------ 4. generation order

  private void generations(String key, List<Op> work) {
    List<Op> acked = work.stream().filter(op -> op.isMutation() && op.outcome() == Op.Outcome.OK
        && op.generation() != null).toList();
    Map<Long, Op> byGeneration = new HashMap<>();
    for (Op op : acked) {
      Op other = byGeneration.putIfAbsent(op.generation(), op);
      if (other != null) {
        verdict.violation(Invariant.GENERATION_ORDER, in.label() + ": " + key + ": " + describe(other) + " and "
            + describe(op) + " were both acknowledged as generation " + op.generation()
            + lines(List.of(other, op)) + window(OpLog.name(key), List.of(other, op)));
      }
    }
    List<Op> byEnd = new ArrayList<>(acked);
    byEnd.sort(Comparator.comparingLong(Op::completedAt));
    Map<Integer, Op> highestByRouter = new HashMap<>();
    int j = 0;
    for (Op op : acked) { // invocation order
      while (j < byEnd.size() && byEnd.get(j).completedAt() < op.invokedAt()) {
        Op done = byEnd.get(j++);
        highestByRouter.merge(meta(done).router(), done, (a, b) -> b.generation() > a.generation() ? b : a);
      }
      long g = op.generation();
      Meta m = meta(op);
      Op same = highestByRouter.get(m.router());
      Op other = highestByRouter.entrySet().stream().filter(e -> e.getKey() != m.router()).map(Map.Entry::getValue)
          .max(Comparator.comparingLong(Op::generation)).orElse(null);
      String why = null;
      Op before = null;
      if (g <= m.floor()) {
        why = " its client had already seen generation " + m.floor() + " of the object (session/causal order)";
        before = work.stream().filter(o -> o.process().equals(op.process()) && o.completedAt() < op.invokedAt()
            && Objects.equals(o.generation(), m.floor())).reduce((a, b) -> b).orElse(null); // where it saw it
      } else if (same != null && g <= same.generation()) {
        before = same;
        why = " " + describe(same) + " through the same router had been acknowledged as generation "
            + same.generation() + " before it began";
      } else if (other != null && g <= other.generation()) {
        if (local()) {
          verdict.conflicts++;
        } else {
          before = other;
          why = " " + describe(other) + " had been acknowledged as generation " + other.generation()
              + " before it began";
        }
      }
      if (why != null) {
        Op first = before;
        long from = before == null ? op.invokedAt() : before.invokedAt();
        List<Op> shown = work.stream().filter(o -> o == op || o == first || o.isMutation() && o.completedAt() >= from
            && o.invokedAt() <= op.completedAt()).toList(); // and the changes running meanwhile
        verdict.violation(Invariant.GENERATION_ORDER, in.label() + ": " + key + ": " + describe(op)
            + " was acknowledged as generation " + g + " although" + why + "; the changes of the object running meanwhile:"
            + lines(shown) + window(OpLog.name(key), shown));
      }
    }
  }

  // ------------------------------------------------------------------ staleness

  /**
   * For each read that returned a value: how long before it began a newer generation had been
   * acknowledged (0 when none had). Reads of absence are not measured.
   */
  private void staleness(List<Op> work) {
    List<Op> acked = work.stream().filter(op -> op.isMutation() && op.outcome() == Op.Outcome.OK
        && op.generation() != null).toList();
    for (Op read : work) {
      Kind kind = meta(read).kind();
      if (read.type() != Op.Type.READ || read.outcome() != Op.Outcome.OK || read.generation() == null
          || read.value() == null || kind == Kind.CAS_DELETE) {
        continue;
      }
      long newerSince = Long.MAX_VALUE;
      for (Op w : acked) {
        if (w.generation() > read.generation() && w.completedAt() < read.invokedAt()) {
          newerSince = Math.min(newerSince, w.endNanos());
        }
      }
      verdict.staleness.add(newerSince == Long.MAX_VALUE ? 0 : Math.max(0, read.startNanos() - newerSince));
    }
  }

  // ------------------------------------------------------------------ 3. divergence

  private void divergence(Map<String, List<Op>> byKey) {
    Set<String> names = new TreeSet<>();
    in.sites().values().forEach(m -> names.addAll(m.keySet()));
    byKey.keySet().forEach(k -> names.add(OpLog.name(k)));
    Map<String, ObjectInfo> authority = in.sites().get(in.authority());
    for (String name : names) {
      ObjectInfo truth = authority.get(name);
      for (String site : in.replicas()) {
        if (site.equals(in.authority())) {
          continue;
        }
        ObjectInfo copy = in.sites().get(site).get(name);
        boolean same = truth == null ? copy == null
            : copy != null && copy.generation() == truth.generation() && Objects.equals(copy.crc32c(), truth.crc32c());
        if (same) {
          continue;
        }
        List<Op> ops = byKey.getOrDefault(OpLog.key(name), List.of());
        if (excused(ops, truth)) {
          verdict.excusedDivergence++;
          continue;
        }
        List<Op> recent = ops.stream().filter(op -> op.isMutation() || meta(op).kind() == Kind.FINAL).toList();
        recent = recent.subList(Math.max(0, recent.size() - 15), recent.size());
        verdict.violation(Invariant.DIVERGED, in.label() + ": " + OpLog.key(name) + " on " + site + ": "
            + state(copy) + ", the authority (" + in.authority() + ") " + state(truth)
            + ". The object's last changes:" + lines(recent) + sites(name) + window(name, recent));
      }
    }
  }

  /**
   * AUTHORITY_ONLY journals best effort: a replica may miss a change whose router restarted (or
   * was killed) after making it. Excused when every possible source of the authority's value was
   * made by a router restarted after its invocation.
   */
  private boolean excused(List<Op> ops, @Nullable ObjectInfo truth) {
    if (in.policy() != WritePolicy.AUTHORITY_ONLY) {
      return false;
    }
    Object value = truth == null ? null : Val.of(truth);
    List<Op> sources = sources(ops, value);
    return !sources.isEmpty() && sources.stream().allMatch(s -> in.restarts().getOrDefault(meta(s).router(), List.of())
        .stream().anyMatch(at -> at >= s.startNanos()));
  }

  private static String state(@Nullable ObjectInfo info) {
    return info == null ? "absent" : "generation " + info.generation() + " crc32c " + info.crc32c();
  }

  // ------------------------------------------------------------------ text

  private String describe(Op op) {
    return op.type().name().toLowerCase(java.util.Locale.ROOT) + " #" + op.id() + " (" + meta(op).kind() + " via "
        + (meta(op).router() < 0 ? "the authority" : "r" + meta(op).router()) + ")";
  }

  private static String show(@Nullable Object value) {
    return value == null ? "absent" : String.valueOf(value);
  }

  String line(Op op) {
    Meta m = meta(op);
    StringBuilder sb = new StringBuilder(String.format("%9.3f ms  ", (op.startNanos() - origin) / 1e6));
    sb.append(op).append("  {").append(m.kind());
    if (!m.detail().isEmpty()) {
      sb.append(' ').append(m.detail());
    }
    if (m.floor() > 0) {
      sb.append(", client had seen gen ").append(m.floor());
    }
    return sb.append('}').toString();
  }

  private String lines(List<Op> ops) {
    StringBuilder sb = new StringBuilder();
    int skip = Math.max(0, ops.size() - SHOWN);
    if (skip > 0) {
      sb.append("\n    … ").append(skip).append(" earlier ops");
    }
    for (Op op : ops.subList(skip, ops.size())) {
      sb.append("\n    ").append(line(op));
    }
    return sb.toString();
  }

  private String sites(String name) {
    StringBuilder sb = new StringBuilder("\n  sites after drain:");
    for (Map.Entry<String, Map<String, ObjectInfo>> e : in.sites().entrySet()) {
      ObjectInfo info = e.getValue().get(name);
      sb.append(' ').append(e.getKey()).append('=').append(info == null ? "absent"
          : info.generation() + "/" + info.crc32c());
    }
    return sb.toString();
  }

  /** The timeline events of the object (and of whole links) from the first shown op to the end of the run. */
  private String window(String name, List<Op> ops) {
    if (in.timeline() == null || ops.isEmpty()) {
      return "";
    }
    long from = ops.stream().mapToLong(Op::startNanos).min().orElse(origin);
    List<Timeline.Event> events = in.timeline().around(name, from, Long.MAX_VALUE);
    StringBuilder sb = new StringBuilder("\n  faults and nemesis actions from then on (ms since start, op count):");
    int skip = Math.max(0, events.size() - 2 * SHOWN);
    List<Timeline.Event> shown = events.subList(0, events.size() - skip);
    for (Timeline.Event e : shown) {
      sb.append("\n    ").append(e.show(origin));
    }
    if (skip > 0) {
      sb.append("\n    … ").append(skip).append(" later events");
    }
    return sb.toString();
  }
}
