package io.hybridstorage.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap during one transfer of {@link GatewayBenchmark}: a daemon thread samples the used heap
 * ({@link MemoryMXBean}) every millisecond, and a listener takes the heap left after every GC.
 * {@link #begin()} marks the start of a transfer, {@link #end()} gives, for it:
 * <ul>
 *   <li>{@code peakGrowth}: the highest used heap sampled during the transfer minus the used heap at
 *       its start: what the transfer allocated and held until the next GC, an upper bound on what
 *       it kept (garbage included, so it depends on when GC runs);
 *   <li>{@code liveGrowth}: the highest heap left after a GC during the transfer minus the live
 *       heap measured after a full GC before it ({@link #baseline()}): what the transfer really
 *       held; 0 when no GC ran (then {@code peakGrowth} bounds it);
 *   <li>{@code gcs}: collections during the transfer.
 * </ul>
 * In the benchmark's JVM the client allocates nothing per call and the store keeps no bytes, so
 * these are the server's.
 */
final class HeapWatch implements AutoCloseable {

  /** What one transfer did to the heap, in bytes. */
  record Growth(long peakGrowth, long liveGrowth, long gcs) {}

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
  private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::afterGc;
  private final AtomicLong peak = new AtomicLong();
  private final AtomicLong peakAfterGc = new AtomicLong();
  private final Thread sampler;
  private volatile boolean running = true;
  private volatile long liveBase;
  private final java.lang.management.RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
  private long start;
  private long gcsAtStart;
  /** JVM uptime (ms) at {@link #begin()}: a GC that started before it is not the transfer's. */
  private volatile long beganAt = Long.MAX_VALUE;

  HeapWatch() {
    for (GarbageCollectorMXBean gc : collectors) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
    sampler = new Thread(this::sample, "heap-watch");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** A full GC, then the live heap every {@code liveGrowth} is counted from. */
  void baseline() {
    System.gc();
    liveBase = used();
  }

  /** The start of a transfer. */
  void begin() {
    beganAt = runtime.getUptime();
    start = used();
    peak.set(start);
    peakAfterGc.set(0);
    gcsAtStart = gcCount();
  }

  /** The end of the transfer {@link #begin()} started. */
  Growth end() {
    peak.accumulateAndGet(used(), Math::max);
    long afterGc = peakAfterGc.get();
    return new Growth(Math.max(0, peak.get() - start), afterGc == 0 ? 0 : Math.max(0, afterGc - liveBase),
        gcCount() - gcsAtStart);
  }

  @Override
  public void close() {
    running = false;
    LockSupport.unpark(sampler);
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (javax.management.ListenerNotFoundException ignored) {
        // already gone
      }
    }
  }

  private long used() {
    return memory.getHeapMemoryUsage().getUsed();
  }

  private long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : collectors) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  private void sample() {
    while (running) {
      peak.accumulateAndGet(used(), Math::max);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  private void afterGc(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    if (info.getGcInfo().getStartTime() < beganAt) {
      return; // the baseline's full GC, delivered late
    }
    long before = 0;
    long after = 0;
    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        after += e.getValue().getUsed();
      }
    }
    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        before += e.getValue().getUsed();
      }
    }
    // the used heap just before a GC is a peak the 1 ms sampler may have missed
    peak.accumulateAndGet(before, Math::max);
    peakAfterGc.accumulateAndGet(after, Math::max);
  }
}
