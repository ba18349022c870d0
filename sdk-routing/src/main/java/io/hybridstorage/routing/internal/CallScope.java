package io.hybridstorage.routing.internal;

import io.hybridstorage.api.Placement;
import io.hybridstorage.routing.RoutedCall;
import io.hybridstorage.routing.SiteCall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;

/**
 * One routed call while it runs: collects the {@link SiteCall}s made for it, on the caller's
 * thread and on the routing threads working for it, so that its {@link RoutedCall} event can say
 * which sites it touched and which acknowledged. The router opens one per call only while a
 * listener is registered.
 *
 * <p>The scope travels with the work: {@link #enter()} makes it the thread's current scope, and
 * {@link #propagating} wraps the executor the coordinators fan out on, so a task carries the scope
 * of the thread that submitted it. Only the coordinators' executor propagates; replay, watermark
 * and timer threads have none, so their site calls belong to no routed call. A site call is kept
 * only when it concerns the call's bucket (or a copy's source bucket) and arrives before the call
 * finished (a hedge's loser or a quorum's late replica answering afterwards is not counted).
 *
 * <p>A call made through the router from inside another routed call (a copy across placements
 * writes through the router) is nested: its site calls go to the outer scope and it raises no
 * event of its own.
 */
public final class CallScope {

  private static final ThreadLocal<CallScope> CURRENT = new ThreadLocal<>();

  private final String operation;
  @Nullable private final String bucket;
  @Nullable private final String object;
  @Nullable private final String sourceBucket;
  @Nullable private final CallScope outer;
  private final Instant startedAt = Instant.now();
  private final long startNanos = System.nanoTime();
  private final Queue<SiteCall> calls = new ConcurrentLinkedQueue<>();
  private volatile boolean finished;

  private CallScope(String operation, @Nullable String bucket, @Nullable String object, @Nullable String sourceBucket,
      @Nullable CallScope outer) {
    this.operation = operation;
    this.bucket = bucket;
    this.object = object;
    this.sourceBucket = sourceBucket;
    this.outer = outer;
  }

  /** A new scope for a call (nested in the thread's current one, if any); not yet entered. */
  public static CallScope open(String operation, @Nullable String bucket, @Nullable String object,
      @Nullable String sourceBucket) {
    CallScope current = CURRENT.get();
    return new CallScope(operation, bucket, object, sourceBucket, current != null && !current.finished ? current : null);
  }

  /** The scope of the routed call this thread works for, or null. */
  @Nullable
  public static CallScope current() {
    return CURRENT.get();
  }

  /** Records a site call made on this thread, if it works for a routed call. */
  public static void recordOnThisThread(SiteCall call) {
    CallScope scope = CURRENT.get();
    if (scope != null) {
      scope.record(call);
    }
  }

  /** A restorer of the thread's previous scope; {@link #close()} throws nothing. */
  public interface Entered extends AutoCloseable {
    @Override
    void close();
  }

  /** Makes this the thread's current scope until the returned handle is closed. */
  public Entered enter() {
    CallScope previous = CURRENT.get();
    CURRENT.set(this);
    return () -> {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    };
  }

  /** Whether this call runs inside another routed call (and raises no event of its own). */
  public boolean isNested() {
    return outer != null;
  }

  /** The operation this scope was opened for. */
  public String operation() {
    return operation;
  }

  void record(SiteCall call) {
    if (outer != null) {
      outer.record(call);
    } else if (!finished && (Objects.equals(call.bucket(), bucket)
        || (sourceBucket != null && sourceBucket.equals(call.bucket())))) {
      calls.add(call);
    }
  }

  /**
   * Ends the call: later site calls are no longer kept. Null for a nested scope; else the event.
   *
   * @param generation the generation produced or named, 0 when none
   */
  @Nullable
  public RoutedCall finish(long generation, @Nullable Placement placement, int code, @Nullable String reason) {
    finished = true;
    if (outer != null) {
      return null;
    }
    List<SiteCall> made = new ArrayList<>(calls);
    return new RoutedCall(operation, bucket, object, generation, placement, made, startedAt, startNanos,
        Duration.ofNanos(System.nanoTime() - startNanos), code, reason);
  }

  /** Whether {@link #finish} was called. */
  public boolean isFinished() {
    return finished;
  }

  /**
   * {@code pool} whose tasks run in the scope of the thread that submitted them (none when it had
   * none). Shutting it down shuts {@code pool} down.
   */
  public static ExecutorService propagating(ExecutorService pool) {
    return new Propagating(pool);
  }

  private static final class Propagating extends AbstractExecutorService {
    private final ExecutorService delegate;

    Propagating(ExecutorService delegate) {
      this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
      CallScope scope = CURRENT.get();
      if (scope == null) {
        delegate.execute(task);
      } else {
        delegate.execute(() -> {
          try (Entered ignored = scope.enter()) {
            task.run();
          }
        });
      }
    }

    @Override
    public void shutdown() {
      delegate.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
      return delegate.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
      return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return delegate.awaitTermination(timeout, unit);
    }

    @Override
    public String toString() {
      return "CallScope.propagating(" + delegate + ")";
    }
  }
}
