package io.hybridstorage.routing.history;

import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.routing.history.OpLog.Kind;
import io.hybridstorage.testkit.history.HistoryRecorder.Invocation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Phaser;
import javax.annotation.Nullable;

/**
 * One client thread of one router: a job calling the router's {@code ObjectStore} on a small hot
 * key set (which moves on every few dozen ops, see {@link #hot()}) — create, overwrite, conditional write on a generation it saw, delete (plain and
 * conditional), copy and compose (from its own staging objects, so the content each copy writes
 * is known and unique), read, head and list — and recording each call in the {@link OpLog}. Its
 * choices come from its own seeded random; only what the sites answer differs between replays.
 *
 * <p>Outcomes: an answer is OK; a 4xx other than 408 and 429 is FAIL (the router says nothing
 * happened); anything else (5xx, time-outs, broken streams, a router closed under the call) is
 * UNKNOWN: it may have happened, now or later.
 */
final class Client implements Runnable {

  private static final String FILL = "................................";

  private final Cluster.Router router;
  private final OpLog log;
  private final Progress progress;
  private final SplittableRandom random;
  private final int ops;
  private final int hotKeys;
  private final int keyLife;
  private final Phaser epochs;
  private final String name;
  private final String stageA;
  private final String stageB;
  /** What this client last saw of each object: generation and value (null value: absent). */
  private final Map<String, Known> known = new HashMap<>();
  /** The highest generation this client has observed of each object (acknowledged, read, or named by a condition). */
  private final Map<String, Long> floors = new HashMap<>();
  private int issued;
  private int steps;
  private int counter;
  /** This step's padding lengths, drawn up front, one per write it may make. */
  private final int[] fills = new int[3];
  private int fill;

  record Known(long generation, @Nullable Val value) {}

  Client(Cluster.Router router, int index, OpLog log, Progress progress, long seed, int ops, int hotKeys,
      int keyLife, Phaser epochs) {
    this.router = router;
    this.log = log;
    this.progress = progress;
    this.random = new SplittableRandom(seed);
    this.ops = ops;
    this.hotKeys = hotKeys;
    this.keyLife = keyLife;
    this.epochs = epochs;
    this.name = router.name() + "c" + index;
    this.stageA = "stage/" + name + "a";
    this.stageB = "stage/" + name + "b";
  }

  String name() {
    return name;
  }

  @Override
  public void run() {
    try {
      while (issued < ops) {
        step();
        if (++steps % keyLife == 0 && issued < ops) {
          epochs.arriveAndAwaitAdvance(); // every client moves to the next objects together
        }
      }
    } finally {
      epochs.arriveAndDeregister();
      progress.clientFinished();
    }
  }

  /**
   * One step: one to three ops. Every step draws the same numbers from the client's random, whatever
   * the sites answered before, so a seed's choices stay the same in a replay even where answers
   * differ (a copy skipped because its staging write failed does not shift the draws after it).
   */
  private void step() {
    List<String> hot = hot();
    String key = hot.get(random.nextInt(hot.size()));
    int dice = random.nextInt(100);
    boolean conditional = random.nextInt(10) < 4;
    fills[0] = random.nextInt(12);
    fills[1] = random.nextInt(12);
    fills[2] = random.nextInt(12);
    fill = 0;
    if (dice < 22) {
      read(key);
    } else if (dice < 27) {
      head(key);
    } else if (dice < 32) {
      list(hot);
    } else if (dice < 52) {
      write(Kind.OVERWRITE, key, null);
    } else if (dice < 60) {
      write(Kind.CREATE, key, null);
    } else if (dice < 72) {
      Known base = known.get(key);
      if (base == null || base.value() == null) {
        write(Kind.CREATE, key, null);
      } else {
        write(Kind.CAS_WRITE, key, base);
      }
    } else if (dice < 79) {
      delete(key);
    } else if (dice < 84) {
      Known base = known.get(key);
      if (base == null || base.value() == null) {
        delete(key);
      } else {
        casDelete(key, base);
      }
    } else if (dice < 92) {
      copy(key, conditional);
    } else {
      compose(key, conditional);
    }
  }

  // ------------------------------------------------------------------ writes

  private String nextText(String object) {
    return object + "=" + name + "#" + (++counter) + FILL.substring(0, fills[fill++ % fills.length]);
  }

  /** A write of a new unique text; {@code base} given: conditional on its generation. Returns what was acked. */
  @Nullable
  private Known write(Kind kind, String object, @Nullable Known base) {
    String text = nextText(object);
    Val value = Val.of(text);
    Conditions conditions = switch (kind) {
      case CREATE -> Conditions.doesNotExist();
      case CAS_WRITE -> Conditions.generationMatch(base.generation());
      default -> Conditions.none();
    };
    Invocation op = switch (kind) {
      case CREATE -> log.invokeCas(router.index, router.local, kind, object, null, value, floor(object), "doesNotExist");
      case CAS_WRITE -> log.invokeCas(router.index, router.local, kind, object, base.value(), value, floor(object),
          "ifGenerationMatch=" + base.generation());
      default -> log.invokeWrite(router.index, router.local, kind, object, value, floor(object), "");
    };
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try {
      ObjectInfo info = store().write(WriteRequest.of(Cluster.BUCKET, object).withConditions(conditions),
          new ByteArrayInputStream(bytes));
      op.okGeneration(info.generation());
      return learn(object, info.generation(), value);
    } catch (RuntimeException e) {
      failed(op, e);
      return null;
    } finally {
      done();
    }
  }

  /** Writes one of this client's staging objects (nobody else writes them). */
  @Nullable
  private Known stage(String object) {
    return write(Kind.STAGE, object, null);
  }

  private void copy(String target, boolean conditional) {
    Known source = stage(stageA);
    if (source == null || issued >= ops) {
      return;
    }
    CopyRequest plain = new CopyRequest(ObjectId.of(Cluster.BUCKET, stageA, source.generation()), Conditions.none(),
        Cluster.BUCKET, target, null, Conditions.none());
    String from = "from " + stageA + "#" + source.generation();
    targetWrite(Kind.COPY, target, source.value(), from, conditional,
        conditions -> store().copy(new CopyRequest(plain.source(), plain.sourceConditions(), plain.targetBucket(),
            plain.targetName(), null, conditions)));
  }

  private void compose(String target, boolean conditional) {
    Known a = stage(stageA);
    if (a == null || issued >= ops) {
      return;
    }
    Known b = stage(stageB);
    if (b == null || issued >= ops) {
      return;
    }
    Val value = Val.of(a.value().text() + b.value().text());
    String from = "from " + stageA + "#" + a.generation() + " + " + stageB + "#" + b.generation();
    targetWrite(Kind.COMPOSE, target, value, from, conditional, conditions -> store().compose(new ComposeRequest(Cluster.BUCKET,
        List.of(new ComposeRequest.Source(stageA, a.generation(), null),
            new ComposeRequest.Source(stageB, b.generation(), null)),
        target, ObjectMetadata.empty(), conditions)));
  }

  /** A copy or compose into {@code target}: unconditional, or (40 %) conditional on what this client saw of it. */
  private void targetWrite(Kind kind, String target, Val value, String from, boolean conditional,
      java.util.function.Function<Conditions, ObjectInfo> call) {
    Known base = conditional ? known.get(target) : null;
    Conditions conditions;
    Invocation op;
    if (base == null) {
      conditions = Conditions.none();
      op = log.invokeWrite(router.index, router.local, kind, target, value, floor(target), from);
    } else if (base.value() == null) {
      conditions = Conditions.doesNotExist();
      op = log.invokeCas(router.index, router.local, kind, target, null, value, floor(target), from + ", doesNotExist");
    } else {
      conditions = Conditions.generationMatch(base.generation());
      op = log.invokeCas(router.index, router.local, kind, target, base.value(), value, floor(target),
          from + ", ifGenerationMatch=" + base.generation());
    }
    try {
      ObjectInfo info = call.apply(conditions);
      op.okGeneration(info.generation());
      learn(target, info.generation(), value);
    } catch (RuntimeException e) {
      failed(op, e);
    } finally {
      done();
    }
  }

  private void delete(String object) {
    Invocation op = log.invokeDelete(router.index, router.local, object, floor(object));
    try {
      store().delete(ObjectId.of(Cluster.BUCKET, object), Conditions.none());
      op.ok();
      known.put(object, new Known(0, null));
    } catch (RuntimeException e) {
      failed(op, e);
    } finally {
      done();
    }
  }

  /**
   * A delete conditional on the generation last seen. {@code false} ("not found") is recorded as
   * what it says: the CAS did nothing, and the object was absent at some point of the call.
   */
  private void casDelete(String object, Known base) {
    Invocation op = log.invokeCas(router.index, router.local, Kind.CAS_DELETE, object, base.value(), null, floor(object),
        "ifGenerationMatch=" + base.generation());
    Invocation absent = log.invokeRead(router.index, router.local, Kind.CAS_DELETE, object, floor(object));
    try {
      if (store().delete(ObjectId.of(Cluster.BUCKET, object), Conditions.generationMatch(base.generation()))) {
        op.ok();
        absent.unknown("the delete answered true: it observed nothing");
      } else {
        op.fail("answered false: not found");
        absent.ok(null);
      }
      known.put(object, new Known(0, null));
    } catch (RuntimeException e) {
      failed(op, e);
      absent.unknown("the delete failed");
    } finally {
      done();
    }
  }

  // ------------------------------------------------------------------ reads

  private void read(String object) {
    Invocation op = log.invokeRead(router.index, router.local, Kind.READ, object, floor(object));
    try (ObjectContent content = store().read(ReadRequest.of(ObjectId.of(Cluster.BUCKET, object)))) {
      Val value = log.canonical(Val.of(content.stream().readAllBytes()));
      long generation = content.info().generation();
      op.ok(value, generation);
      learn(object, generation, value);
    } catch (HybridStorageException e) {
      if (e.code() == 404) {
        op.ok(null);
        known.put(object, new Known(0, null));
      } else {
        failed(op, e);
      }
    } catch (IOException | RuntimeException e) {
      failed(op, e);
    } finally {
      done();
    }
  }

  private void head(String object) {
    Invocation op = log.invokeRead(router.index, router.local, Kind.HEAD, object, floor(object));
    try {
      ObjectInfo info = store().head(ObjectId.of(Cluster.BUCKET, object), Conditions.none()).orElse(null);
      if (info == null) {
        op.ok(null);
        known.put(object, new Known(0, null));
      } else if (info.crc32c() == null) {
        op.unknown("head reported no CRC32C");
      } else {
        Val value = log.canonical(Val.of(info));
        op.ok(value, info.generation());
        learn(object, info.generation(), value);
      }
    } catch (RuntimeException e) {
      failed(op, e);
    } finally {
      done();
    }
  }

  /**
   * The objects this client works on now: {@code hot/e<epoch>/0..n-1}, the epoch moving on every
   * {@code keyLife} steps of this client, when every client has finished the epoch (a phaser). Every
   * client works on the same few objects at a time, but each object's history stays short: ops of unknown outcome, which may take effect at any later
   * time, then never pile up on one object beyond what the linearizability search can explain.
   */
  private List<String> hot() {
    String prefix = prefix();
    List<String> names = new ArrayList<>(hotKeys);
    for (int i = 0; i < hotKeys; i++) {
      names.add(prefix + i);
    }
    return names;
  }

  private String prefix() {
    return "hot/e" + (steps / keyLife) + "/";
  }

  /** A listing of the hot keys: for each, a read between the list's call and its answer. */
  private void list(List<String> hot) {
    Map<String, Invocation> reads = new LinkedHashMap<>();
    for (String object : hot) {
      reads.put(object, log.invokeRead(router.index, router.local, Kind.LIST, object, floor(object)));
    }
    try {
      Map<String, ObjectInfo> listed = new HashMap<>();
      String prefix = hot.get(0).substring(0, hot.get(0).lastIndexOf('/') + 1);
      String token = null;
      do {
        ListPage<ObjectInfo> page = store().list(ListRequest.of(Cluster.BUCKET).withPrefix(prefix).withPageToken(token));
        page.items().forEach(i -> listed.put(i.name(), i));
        token = page.nextPageToken();
      } while (token != null);
      reads.forEach((object, op) -> {
        ObjectInfo info = listed.get(object);
        if (info == null) {
          op.ok(null);
        } else if (info.crc32c() == null) {
          op.unknown("listed without a CRC32C");
        } else {
          op.ok(log.canonical(Val.of(info)), info.generation());
          floors.merge(object, info.generation(), Math::max);
        }
      });
    } catch (RuntimeException e) {
      List<Invocation> all = new ArrayList<>(reads.values());
      all.forEach(op -> failed(op, e));
    } finally {
      done();
    }
  }

  // ------------------------------------------------------------------ bookkeeping

  private RoutingStore store() {
    return router.store();
  }

  private long floor(String object) {
    return floors.getOrDefault(object, 0L);
  }

  private Known learn(String object, long generation, Val value) {
    floors.merge(object, generation, Math::max);
    Known k = new Known(generation, value);
    known.put(object, k);
    return k;
  }

  private void done() {
    issued++;
    progress.completed();
  }

  /** 4xx but 408 and 429: the router says it did not happen. Anything else may have happened. */
  static void failed(Invocation op, Exception e) {
    String message = String.valueOf(e.getMessage());
    if (message.length() > 300) {
      message = message.substring(0, 300) + "…";
    }
    if (e instanceof HybridStorageException h) {
      message = h.code() + " " + h.reason() + ": " + message;
      if (h.code() >= 400 && h.code() < 500 && h.code() != 408 && h.code() != 429) {
        op.fail(message);
        return;
      }
    } else {
      message = e.getClass().getSimpleName() + ": " + message;
    }
    op.unknown(message);
  }
}
