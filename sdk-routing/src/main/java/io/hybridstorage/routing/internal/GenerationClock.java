package io.hybridstorage.routing.internal;

import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.Sleeper;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issues the logical generations the router assigns when a site cannot (DESIGN.md, "One
 * generation across sites"): a hybrid logical clock, per object name.
 *
 * <ul>
 *   <li><b>Units.</b> A generation is the injected clock in microseconds — the unit of GCS's own
 *       generations, so the two orders agree — with its low {@value #ID_BITS} bits replaced by this
 *       router's node id.
 *   <li><b>Monotonic per name.</b> For each {@code bucket/name} the clock remembers the last
 *       generation it issued or {@link #observe observed} (a bounded LRU of {@code capacity}
 *       names); {@link #next} returns a generation above it and above the clock. Names do not
 *       push each other: writes of different names at one instant all get that instant. A name
 *       forgotten by the LRU is still safe: the highest generation forgotten is a floor for every
 *       name the clock does not remember.
 *   <li><b>Bounded lead.</b> A name written faster than one generation per {@value #STEP} µs would
 *       run ahead of real time. A generation this clock issues is never more than {@code maxLead}
 *       above {@code max(clock, the highest generation observed from elsewhere for the name)}; a
 *       thread that would exceed it waits (through the injected {@link Sleeper}, so tests run on
 *       virtual time) until the clock catches up. Observed generations (another router's clock
 *       ahead of ours, a condition naming a generation) are followed at once: the lead they imply
 *       is the other clock's skew, not ours.
 *   <li><b>Node ids and collisions.</b> {@link #nodeId()} keeps two routers with different ids from
 *       ever issuing the same generation. Ids come from a random base per JVM plus a counter (so
 *       the routers of one JVM never share one); two processes share an id with probability
 *       1/1024, and even then only a write of the same name in the same 1,024 µs collides. Such
 *       a collision is detected, not assumed away: the primary refuses the second writer's
 *       generation (it is not newer than the one it holds — live or deleted — so the writer
 *       re-issues), and a replica that already holds {@code g} with other bytes than the
 *       authority's {@code g} is told apart by its size and CRC32C and repaired from the authority
 *       ({@link Replicator#holdsOtherBytes}, {@link Replicator#copy}). A writer id recorded with
 *       each copy would detect the same thing but shows in the user's metadata; leasing ids at the
 *       authority needs the authority reachable at start, which LOCAL_THEN_ASYNC must not.
 *   <li><b>Across restarts.</b> A client that saw generation {@code G} through this router (it
 *       issued or observed {@code G}) must get a newer one from the router's next incarnation, or
 *       its later write loses to {@code G} at convergence — the restarted process has forgotten
 *       every name, and its wall clock may be behind {@code G} (another router's clock ahead, a
 *       run of writes to one name). So the clock keeps a durable <em>ceiling</em> ({@link
 *       Ceiling}, a file beside the journal): before it issues or observes a generation above
 *       the stored ceiling, it stores a new one {@value #CEILING_WINDOW_MICROS} µs above it (one
 *       small fsync per window at most, in the background while the generations are still in the
 *       lower half of the window, so a steady stream of writes does not wait for it), and a new incarnation starts with the stored ceiling as a
 *       floor for every name, as if observed from elsewhere (no wait: its first generations lead
 *       the clock by at most the window plus the old clock's lead). Waiting out a maximum clock
 *       offset at start (CockroachDB's way) would cover a router without a durable directory too,
 *       but costs every process start that wait.
 * </ul>
 *
 * <p>Thread-safe. The waiting thread holds no lock.
 */
public final class GenerationClock {

  /** Low bits of a generation that carry the node id. */
  public static final int ID_BITS = 10;
  /** Microseconds between two generations of one name from one router. */
  public static final long STEP = 1L << ID_BITS;
  /** How far ahead of the clock a router's own generations may run: 4 ms (about 4 steps). */
  public static final Duration DEFAULT_MAX_LEAD = Duration.ofMillis(4);
  /** How far above the generations issued or observed the stored {@link Ceiling} is kept: 100 ms. */
  public static final long CEILING_WINDOW_MICROS = 100_000;
  /** Names remembered by default. */
  public static final int DEFAULT_CAPACITY = 100_000;

  private static final int JVM_BASE = new SecureRandom().nextInt(1 << ID_BITS);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  /** The (invalid) bucket name under which the deprecated name-less calls keep their state. */
  private static final String GLOBAL = "";


  /**
   * Where a clock keeps, durably, a generation above every one it issued or observed, so the
   * router's next incarnation starts above them (see the class comment).
   */
  public interface Ceiling {
    /** The stored ceiling; 0 when none was stored. */
    long load();

    /** Stores {@code ceiling} durably (it is on disk when this returns). */
    void store(long ceiling);

    /** No ceiling: a restarted router may issue generations below the ones its clients saw. */
    Ceiling NONE = new Ceiling() {
      @Override
      public long load() {
        return 0;
      }

      @Override
      public void store(long ceiling) {}
    };
  }

  private final Clock clock;
  private final int nodeId;
  private final long maxLeadMicros;
  private final Sleeper waiter;
  private final Map<String, Entry> names;
  private final Ceiling ceiling;
  /** The highest generation of a name the LRU forgot: a floor for every name not remembered. */
  private long forgotten;
  /** The ceiling an earlier incarnation stored: a floor for every name, followed as observed. */
  private final long inherited;
  /** The ceiling stored: every generation issued or observed so far is below it. */
  private long stored;
  /** Whether a background raise of the ceiling is under way. */
  private boolean raising;
  /** Closed: no more background raises. */
  private boolean closed;

  /** Raises ceilings in the background: one daemon thread for every clock of the JVM (a rare, small fsync). */
  private static final java.util.concurrent.Executor RAISER = java.util.concurrent.Executors.newSingleThreadExecutor(
      r -> {
        Thread t = new Thread(r, "hs-generation-ceiling");
        t.setDaemon(true);
        return t;
      });
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GenerationClock.class);

  private static final class Entry {
    /** The last generation issued or observed for the name. */
    long last;
    /** The highest generation observed from elsewhere that was newer than {@code last} then. */
    long observed;
  }

  /** A clock with a fresh node id ({@link #newNodeId()}), the default lead and capacity, on real time. */
  public GenerationClock(Clock clock) {
    this(clock, newNodeId(), DEFAULT_MAX_LEAD, DEFAULT_CAPACITY, Sleeper.system());
  }

  /**
   * @param nodeId in {@code [0, 1024)}; routers with different ids never issue equal generations
   * @param maxLead at least one {@link #STEP} (1,024 µs)
   * @param capacity names remembered (at least 1)
   * @param waiter how a thread waits when a name would run more than {@code maxLead} ahead
   */
  public GenerationClock(Clock clock, int nodeId, Duration maxLead, int capacity, Sleeper waiter) {
    this(clock, nodeId, maxLead, capacity, waiter, Ceiling.NONE);
  }

  /**
   * As {@link #GenerationClock(Clock, int, Duration, int, Sleeper)}, starting above the generations
   * an earlier incarnation issued or observed, and keeping {@code ceiling} above its own.
   */
  public GenerationClock(Clock clock, int nodeId, Duration maxLead, int capacity, Sleeper waiter, Ceiling ceiling) {
    if (nodeId < 0 || nodeId >= STEP) {
      throw new IllegalArgumentException("nodeId (" + nodeId + ") must be in [0, " + STEP + ")");
    }
    long lead = maxLead.toNanos() / 1_000;
    if (lead < STEP) {
      throw new IllegalArgumentException("maxLead (" + maxLead + ") must be at least " + STEP + " µs");
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity (" + capacity + ") must be at least 1");
    }
    this.clock = clock;
    this.nodeId = nodeId;
    this.maxLeadMicros = lead;
    this.waiter = waiter;
    this.ceiling = ceiling;
    this.inherited = Math.max(0, ceiling.load());
    this.stored = ceiling == Ceiling.NONE ? Long.MAX_VALUE : inherited; // no ceiling: nothing to keep above
    this.forgotten = inherited;
    this.names = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        if (size() > capacity) {
          forgotten = Math.max(forgotten, eldest.getValue().last);
          return true;
        }
        return false;
      }
    };
  }

  /** A node id distinct from every other one drawn in this JVM (up to 1,024), random across JVMs. */
  public static int newNodeId() {
    return Math.floorMod(JVM_BASE + INSTANCES.getAndIncrement(), (int) STEP);
  }

  public int nodeId() {
    return nodeId;
  }

  /** The node id of a generation (its low bits). */
  public static int nodeIdOf(long generation) {
    return (int) (generation & (STEP - 1));
  }

  /**
   * A new generation for {@code bucket/name}: above every generation issued or observed for it
   * and at or above the clock (to the step), at most {@code maxLead} above {@code max(clock,
   * observed)}; may wait for the clock (see the class comment).
   *
   * @throws HybridStorageException 503 when the thread is interrupted while it waits
   */
  public long next(String bucket, String name) {
    return next(bucket, name, 0);
  }

  /**
   * As {@link #next(String, String)}, and above {@code floor} — e.g. the generation a write's
   * {@code ifGenerationMatch} names, which the primary holds: a generation not above it would be
   * refused although the condition holds.
   */
  public long next(String bucket, String name, long floor) {
    String key = key(bucket, name);
    while (true) {
      long wait;
      synchronized (this) {
        Entry e = entry(key);
        if (floor > e.last) {
          observeLocked(e, floor);
        }
        long now = micros();
        long candidate = Math.max(slot(now), slot(e.last) + STEP) | nodeId;
        wait = candidate - maxLeadMicros - Math.max(now, e.observed);
        if (wait <= 0) {
          keepBelowCeiling(candidate, now);
          e.last = candidate;
          return candidate;
        }
      }
      try {
        waiter.sleep(Duration.ofNanos(wait * 1_000));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new HybridStorageException(503, "interrupted", "write", bucket, name, null,
            "interrupted while waiting for the clock to catch up with the generations of this object", ie);
      }
    }
  }

  /**
   * The newest generation of {@code bucket/name} this clock issued or observed (for a name it does
   * not remember: a floor above every one it forgot, and above an earlier incarnation's); 0 when
   * none.
   */
  public synchronized long seen(String bucket, String name) {
    Entry e = names.get(key(bucket, name));
    return e != null ? e.last : forgotten;
  }

  /** Moves {@code bucket/name} past {@code generation} (seen at a site): the next write of it wins over it. */
  public void observe(String bucket, String name, long generation) {
    if (generation <= 0) {
      return;
    }
    synchronized (this) {
      Entry e = entry(key(bucket, name));
      if (generation > e.last) {
        keepBelowCeiling(generation, micros());
        observeLocked(e, generation);
      }
    }
  }

  /**
   * Keeps the stored ceiling above {@code generation} (holding the lock): a generation in the
   * upper half of the window raises it in the background, so a steady stream of writes never
   * waits for the fsync; one that would reach it stores a new one before it is issued.
   */
  private void keepBelowCeiling(long generation, long now) {
    if (generation < stored - CEILING_WINDOW_MICROS / 2) {
      return;
    }
    long next = Math.max(generation, now) + CEILING_WINDOW_MICROS;
    if (generation < stored) {
      if (!raising && !closed) {
        raising = true;
        RAISER.execute(() -> raise(next));
      }
      return;
    }
    if (closed) {
      throw new HybridStorageException(503, "closed", "write", null, null, null,
          "the router is closed: no generation above its stored ceiling can be issued", null);
    }
    ceiling.store(next);
    stored = next;
  }

  private void raise(long next) {
    try {
      ceiling.store(next);
      synchronized (this) {
        stored = Math.max(stored, next);
      }
    } catch (RuntimeException e) {
      log.warn("raising the generation ceiling failed; the next generation above it stores it", e);
    } finally {
      synchronized (this) {
        raising = false;
        notifyAll();
      }
    }
  }

  /**
   * Waits for a background raise of the ceiling under way (the router is closing: nothing may
   * write beside its journal afterwards); later generations store their ceiling themselves.
   */
  public synchronized void close() {
    closed = true;
    boolean interrupted = false;
    while (raising) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A generation above every one issued or observed through the name-less calls.
   *
   * @deprecated one counter for all names: a busy router runs ahead of the clock. Use {@link
   *     #next(String, String)}.
   */
  @Deprecated
  public long next() {
    synchronized (this) {
      Entry e = entry(key(GLOBAL, GLOBAL));
      long now = micros();
      long candidate = Math.max(slot(now), slot(e.last) + STEP) | nodeId;
      keepBelowCeiling(candidate, now);
      e.last = candidate;
      return candidate;
    }
  }

  /**
   * Moves the name-less counter of {@link #next()} past {@code generation}.
   *
   * @deprecated use {@link #observe(String, String, long)}.
   */
  @Deprecated
  public void observe(long generation) {
    observe(GLOBAL, GLOBAL, generation);
  }

  /** The lead of {@code generation} over the clock now, in microseconds (negative: behind). */
  public long leadOf(long generation) {
    return generation - micros();
  }

  private static void observeLocked(Entry e, long generation) {
    e.last = generation;
    e.observed = Math.max(e.observed, generation);
  }

  private Entry entry(String key) {
    Entry e = names.get(key);
    if (e == null) {
      e = new Entry();
      e.last = forgotten;
      e.observed = inherited; // the earlier incarnation's generations: followed at once, no wait
      names.put(key, e);
    }
    return e;
  }

  private static String key(String bucket, String name) {
    return bucket + '/' + name;
  }

  private static long slot(long micros) {
    return micros & ~(STEP - 1);
  }

  private long micros() {
    Instant now = clock.instant();
    return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
  }
}
