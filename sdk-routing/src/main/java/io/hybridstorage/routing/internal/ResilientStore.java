package io.hybridstorage.routing.internal;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.hybridstorage.api.BucketInfo;
import io.hybridstorage.api.BucketListRequest;
import io.hybridstorage.api.BucketPatch;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.SignUrlRequest;
import io.hybridstorage.api.Sleeper;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.RoutingSettings;
import io.hybridstorage.routing.SiteCall;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-site resilience decorator. Every call to a site passes, outermost first:
 *
 * <pre>Retry( CircuitBreaker( TimeLimiter( Bulkhead( site store ) ) ) )</pre>
 *
 * <ul>
 *   <li>{@code Retry} only for idempotent calls, as the GCS client defines them: bucket and object
 *       reads, heads and lists always; deletes, metadata patches, copies and composes only when a
 *       generation (or metageneration) precondition makes a repeat harmless. Streamed writes are
 *       never retried here (the body is consumed); the journal retries replication instead. The
 *       {@link RoutingSettings#retryWait()} between attempts is waited through the injected {@link
 *       Sleeper} (Resilience4j's own wait sleeps in real time through a static, JVM-wide hook, so its
 *       interval is zero and the wait happens here, before each repeat).
 *   <li>{@code CircuitBreaker} counts only backend failures (retryable codes 408/429/5xx, time-outs
 *       and unexpected exceptions) — a 404 or 412 is an answer, not a failure, and a full bulkhead
 *       is load on this side, not a failing site (it is ignored). An open breaker answers 503
 *       ("circuitOpen") at once, and is not retried. Its open wait runs on the injected {@link
 *       Clock}: Resilience4j's automatic half-open would run on a real-time scheduler of its own, so
 *       it is off, and the breaker half-opens at the first call after {@link
 *       RoutingSettings#breakerOpenWait()} has passed on the clock ({@link #isOpen()} already says
 *       "not open" then, so callers that skip open sites try it).
 *   <li>{@code TimeLimiter} (Resilience4j's): the call runs on the routing pool and is abandoned after {@link
 *       RoutingSettings#callTimeout()} with 503 ("timeout"); skipped when the timeout is zero, and
 *       for a site whose calls never wait ({@link #isInProcess()}), which runs on the caller's thread. A
 *       time-out when the site has answered no call since this one began opens the breaker at
 *       once: the site is silent (black-holed), and waiting for {@code breakerMinimumCalls}
 *       time-outs would multiply the time to fail over. The
 *       wait for a bulkhead permit counts toward it. Both stay on real time: they bound how long a
 *       real thread waits for a real socket, and on virtual time a call held by a test would hang
 *       the test instead of failing it.
 *   <li>{@code Bulkhead}: at most {@link RoutingSettings#bulkheadMaxConcurrent()} calls in flight;
 *       a call finding none free waits up to {@link RoutingSettings#bulkheadMaxWait()}, then fails
 *       with 503 ("bulkheadFull", retryable). It sits inside the time limiter so that a call the
 *       limiter abandoned keeps its permit until the site really answers: a hung site holds at
 *       most that many routing threads.
 * </ul>
 *
 * Bodies are not time limited (their size is unbounded): streams returned by {@code read}, bytes
 * passed to {@code ObjectWriter.write}, and the whole of {@code write(request, stream)} (what
 * replay, repair and the buffered tee copy replicas with) — those are bounded by the backend's own
 * socket time-outs. Opening a read or a write and {@code commit} are limited.
 *
 * <p>Events: while the router has listeners, every call ends with {@link
 * io.hybridstorage.routing.RoutingListener#siteCallFinished} (its real-time duration, bytes,
 * outcome and attempts; also recorded in the thread's {@link CallScope}), and every repeat is
 * announced by {@link io.hybridstorage.routing.RoutingListener#retried} before its wait.
 */
public final class ResilientStore extends ForwardingObjectStore {

  private static final Logger log = LoggerFactory.getLogger(ResilientStore.class);

  private final CircuitBreaker breaker;
  private final Retry retry;
  private final Bulkhead bulkhead;
  private final Duration timeout;
  private final TimeLimiter limiter;
  private final ExecutorService pool;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration retryWait;
  private final Duration openWait;
  private final Listeners listeners;
  /** When a time-limited call last got an answer from the site ({@link System#nanoTime}). */
  private volatile long lastAnswer = System.nanoTime();
  /** When the breaker, open now, lets a trial call through (by {@link #clock}); null until it first opens. */
  @Nullable private volatile Instant openUntil;

  /**
   * @param pool runs time-limited calls
   * @param clock the breaker's time (its open wait); the options' clock
   * @param sleeper waits between retry attempts; the options' sleeper
   */
  public ResilientStore(ObjectStore delegate, RoutingSettings settings, ExecutorService pool, Clock clock,
      Sleeper sleeper) {
    this(delegate, settings, pool, clock, sleeper, new Listeners());
  }

  /**
   * As {@link #ResilientStore(ObjectStore, RoutingSettings, ExecutorService, Clock, Sleeper)},
   * reporting each call to {@code listeners} (nothing is measured while it is empty).
   */
  public ResilientStore(ObjectStore delegate, RoutingSettings settings, ExecutorService pool, Clock clock,
      Sleeper sleeper, Listeners listeners) {
    super(delegate);
    this.listeners = listeners;
    this.pool = pool;
    this.clock = clock;
    this.sleeper = sleeper;
    this.timeout = settings.callTimeout();
    this.limiter = TimeLimiter.of(delegate.site(), TimeLimiterConfig.custom()
        .timeoutDuration(timeout.isZero() ? Duration.ofDays(1) : timeout) // zero: not used (no limit)
        .cancelRunningFuture(true)
        .build());
    this.retryWait = settings.retryWait();
    this.openWait = settings.breakerOpenWait();
    Predicate<Throwable> failure = ResilientStore::isBackendFailure;
    this.breaker = CircuitBreaker.of(delegate.site(), CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(settings.breakerWindow())
        .minimumNumberOfCalls(settings.breakerMinimumCalls())
        .failureRateThreshold(settings.breakerFailureRate())
        .waitDurationInOpenState(openWait)
        .permittedNumberOfCallsInHalfOpenState(1)
        .automaticTransitionFromOpenToHalfOpenEnabled(false) // its timer is real time; see the class doc
        .clock(clock)
        .currentTimestampFunction(c -> ChronoUnit.MICROS.between(Instant.EPOCH, c.instant()), TimeUnit.MICROSECONDS)
        .recordException(failure)
        .ignoreExceptions(BulkheadFullException.class)
        .build());
    // set on every transition to OPEN and never cleared: events of transitions made by two threads
    // at once may arrive out of order, and clearing it on leaving OPEN could leave it null while
    // the breaker is OPEN again, which isOpen() would read as "open for ever" (replay skips open
    // sites, so nothing would ever try it again)
    breaker.getEventPublisher().onStateTransition(e -> {
      if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
        openUntil = clock.instant().plus(openWait);
      }
    });
    // the wait between attempts is the sleeper's (see retried); an interrupted caller is not retried
    this.retry = Retry.of(delegate.site(), RetryConfig.custom()
        .maxAttempts(settings.retryAttempts())
        .waitDuration(Duration.ZERO)
        .retryOnException(e -> !(e instanceof CallNotPermittedException) && failure.test(e)
            && !Thread.currentThread().isInterrupted())
        .build());
    this.bulkhead = Bulkhead.of(delegate.site(), BulkheadConfig.custom()
        .maxConcurrentCalls(settings.bulkheadMaxConcurrent())
        .maxWaitDuration(settings.bulkheadMaxWait())
        .build());
  }

  /** Whether {@code e} says the site is unwell (as opposed to an answer such as 404 or 412). */
  public static boolean isBackendFailure(Throwable e) {
    if (e instanceof HybridStorageException h) {
      return h.isRetryable();
    }
    return !(e instanceof IllegalArgumentException) && !(e instanceof UnsupportedOperationException);
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  /**
   * Whether calls are currently rejected without trying: the breaker is forced open, or open and
   * its open wait has not yet passed on the clock. Once it has, this says {@code false} while the
   * breaker still reads {@code OPEN}: the next call moves it to {@code HALF_OPEN} as a trial.
   */
  public boolean isOpen() {
    CircuitBreaker.State s = breaker.getState();
    if (s == CircuitBreaker.State.FORCED_OPEN) {
      return true;
    }
    if (s != CircuitBreaker.State.OPEN) {
      return false;
    }
    Instant until = openUntil; // null for an instant while the transition's event is on its way
    return until == null || !clock.instant().isAfter(until);
  }

  /**
   * Whether the site's calls complete on the caller's thread without waiting ({@link
   * Capability#IN_PROCESS}, asked at every call: a fault injector keeps it only while it has no
   * rule): such calls run directly, without the time limit and its hand-off to the pool.
   */
  public boolean isInProcess() {
    return delegate().capabilities().contains(Capability.IN_PROCESS);
  }

  @Override
  public ObjectStore delegate() {
    return super.delegate();
  }

  /** Calls in flight at the site now (holding a bulkhead permit). */
  public int callsInFlight() {
    return bulkhead.getBulkheadConfig().getMaxConcurrentCalls() - bulkhead.getMetrics().getAvailableConcurrentCalls();
  }

  private static final ToLongFunction<Object> NO_BYTES = r -> 0;

  private <T> T call(String op, @Nullable String bucket, @Nullable String object, boolean idempotent,
      Supplier<T> body) {
    return call(op, bucket, object, idempotent, true, body, NO_BYTES, NO_BYTES);
  }

  private <T> T call(String op, @Nullable String bucket, @Nullable String object, boolean idempotent,
      boolean timed, Supplier<T> body) {
    return call(op, bucket, object, idempotent, timed, body, NO_BYTES, NO_BYTES);
  }

  /**
   * {@code body} through the stack; reported to the listeners (if any) with the bytes {@code
   * bytesIn} and {@code bytesOut} read off its result.
   */
  private <T> T call(String op, @Nullable String bucket, @Nullable String object, boolean idempotent,
      boolean timed, Supplier<T> body, ToLongFunction<? super T> bytesIn, ToLongFunction<? super T> bytesOut) {
    if (listeners.isEmpty()) {
      return invoke(op, bucket, object, idempotent, timed, body, null);
    }
    long start = System.nanoTime();
    int[] attempts = {0};
    T result;
    try {
      result = invoke(op, bucket, object, idempotent, timed, body, attempts);
    } catch (RuntimeException e) {
      report(new SiteCall(site(), op, bucket, object, start, Duration.ofNanos(System.nanoTime() - start), 0, 0,
          codeOf(e), reasonOf(e), Math.max(1, attempts[0])));
      throw e;
    }
    long in = 0;
    long out = 0;
    try {
      in = bytesIn.applyAsLong(result);
      out = bytesOut.applyAsLong(result);
    } catch (RuntimeException e) {
      log.debug("could not size {} at {}", op, site(), e);
    }
    report(new SiteCall(site(), op, bucket, object, start, Duration.ofNanos(System.nanoTime() - start), in, out,
        SiteCall.OK, null, Math.max(1, attempts[0])));
    return result;
  }

  private void report(SiteCall call) {
    CallScope.recordOnThisThread(call);
    listeners.siteCallFinished(call);
  }

  /** An error's code for events: its own, or 500 for an exception that is not a {@link HybridStorageException}. */
  public static int codeOf(Throwable e) {
    return e instanceof HybridStorageException h ? h.code() : 500;
  }

  /** An error's reason for events: its own, or the exception's class name. */
  public static String reasonOf(Throwable e) {
    return e instanceof HybridStorageException h && h.reason() != null ? h.reason() : e.getClass().getSimpleName();
  }

  /** {@code attempts}, when not null, counts the attempts made. */
  private <T> T invoke(String op, @Nullable String bucket, @Nullable String object, boolean idempotent,
      boolean timed, Supplier<T> body, @Nullable int[] attempts) {
    Supplier<T> permitted = Bulkhead.decorateSupplier(bulkhead, body);
    Supplier<T> limited = timed && !isInProcess() ? timeLimited(op, bucket, object, permitted) : permitted;
    Supplier<T> breakered = CircuitBreaker.decorateSupplier(breaker, limited);
    Supplier<T> guarded = attempts == null ? breakered : () -> {
      attempts[0]++;
      return breakered.get();
    };
    Supplier<T> outer = idempotent ? retried(op, bucket, object, guarded) : guarded;
    try {
      return outer.get();
    } catch (CallNotPermittedException e) {
      throw new HybridStorageException(503, "circuitOpen", op, bucket, object, site(),
          "site " + site() + " is unavailable (circuit breaker open after repeated failures)", e);
    } catch (BulkheadFullException e) {
      throw new HybridStorageException(503, "bulkheadFull", op, bucket, object, site(),
          "site " + site() + " already has " + bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
              + " calls in flight, the most its bulkhead allows (waited "
              + bulkhead.getBulkheadConfig().getMaxWaitDuration() + " for one to finish;"
              + " RoutingSettings.withBulkhead)", e);
    }
  }

  /** {@code attempt} under the retry, the sleeper waiting {@link #retryWait} before each repeat. */
  private <T> Supplier<T> retried(String op, @Nullable String bucket, @Nullable String object, Supplier<T> attempt) {
    // one call's attempts run one after another on the caller's thread
    int[] made = {0};
    RuntimeException[] last = {null};
    return Retry.decorateSupplier(retry, () -> {
      if (made[0]++ > 0) {
        if (!listeners.isEmpty() && last[0] != null) {
          listeners.retried(site(), op, bucket, object, made[0], last[0]);
        }
        try {
          sleeper.sleep(retryWait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new HybridStorageException(503, "interrupted", op, bucket, object, site(),
              "interrupted while waiting " + retryWait + " to retry", e);
        }
      }
      try {
        return attempt.get();
      } catch (RuntimeException e) {
        last[0] = e;
        throw e;
      }
    });
  }

  private <T> Supplier<T> timeLimited(String op, @Nullable String bucket, @Nullable String object, Supplier<T> s) {
    if (timeout.isZero()) {
      return s;
    }
    return () -> {
      long started = System.nanoTime();
      AtomicReference<Future<T>> submitted = new AtomicReference<>();
      try {
        T answer = limiter.executeFutureSupplier(() -> {
          Future<T> future = pool.submit(s::get);
          submitted.set(future);
          return future;
        });
        lastAnswer = System.nanoTime();
        return answer;
      } catch (TimeoutException e) { // the limiter cancelled the call (cancelRunningFuture)
        if (lastAnswer - started < 0) {
          silent(op, bucket, object);
        }
        throw new HybridStorageException(503, "timeout", op, bucket, object, site(),
            "no answer from site " + site() + " within " + timeout, e);
      } catch (InterruptedException e) {
        Future<T> future = submitted.get();
        if (future != null) {
          future.cancel(true);
        }
        Thread.currentThread().interrupt();
        throw new HybridStorageException(503, "interrupted", op, bucket, object, site(), "interrupted", e);
      } catch (CancellationException e) {
        throw new HybridStorageException(503, "cancelled", op, bucket, object, site(), "cancelled", e);
      } catch (Exception e) { // the call's own failure, unwrapped by the limiter: the site answered
        if (!(e instanceof BulkheadFullException)) {
          lastAnswer = System.nanoTime();
        }
        throw rethrow(e);
      }
    };
  }

  /**
   * A call timed out and the site answered no call at all since it began: the site is silent
   * (black-holed: a link cut, a datacenter gone), not slow at one call. The breaker opens now
   * instead of after {@code breakerMinimumCalls} more time-outs — with few callers that would take
   * that many times {@code callTimeout} — so the time to fail over is one {@code callTimeout}.
   * One slow call among answered ones counts as one failure, as before.
   */
  private void silent(String op, @Nullable String bucket, @Nullable String object) {
    CircuitBreaker.State state = breaker.getState();
    if (state == CircuitBreaker.State.CLOSED || state == CircuitBreaker.State.HALF_OPEN) {
      log.warn("site {} answered nothing for {} ({} gs://{}/{} timed out): opening its circuit breaker", site(),
          timeout, op, bucket, object);
      breaker.transitionToOpenState();
    }
  }

  static RuntimeException rethrow(Throwable cause) {
    if (cause instanceof RuntimeException r) {
      throw r;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    throw new IllegalStateException(cause);
  }

  @Override
  public BucketInfo createBucket(BucketSpec spec) {
    return call("createBucket", spec.name(), null, false, () -> delegate().createBucket(spec));
  }

  @Override
  public Optional<BucketInfo> getBucket(String bucket) {
    return call("getBucket", bucket, null, true, () -> delegate().getBucket(bucket));
  }

  @Override
  public ListPage<BucketInfo> listBuckets(BucketListRequest request) {
    return call("listBuckets", null, null, true, () -> delegate().listBuckets(request));
  }

  @Override
  public BucketInfo updateBucket(String bucket, BucketPatch patch) {
    return call("updateBucket", bucket, null, false, () -> delegate().updateBucket(bucket, patch));
  }

  @Override
  public boolean deleteBucket(String bucket) {
    return call("deleteBucket", bucket, null, false, () -> delegate().deleteBucket(bucket));
  }

  @Override
  public Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
    return call("head", id.bucket(), id.name(), true, () -> delegate().head(id, conditions));
  }

  @Override
  public ObjectContent read(ReadRequest request) {
    ObjectId id = request.id();
    return call("read", id.bucket(), id.name(), true, true, () -> delegate().read(request), NO_BYTES,
        content -> request.range().count(content.info().size()));
  }

  @Override
  public ObjectWriter openWrite(WriteRequest request) {
    ObjectWriter writer = call("openWrite", request.bucket(), request.name(), false,
        () -> delegate().openWrite(request));
    return new CommitDecoratedWriter(writer, commit -> call("write", request.bucket(), request.name(), false, true,
        () -> {
          try {
            return commit.commit();
          } catch (IOException e) {
            throw HybridStorageException.io("write", request.bucket(), request.name(), site(), e);
          }
        }, ObjectInfo::size, NO_BYTES), e -> e);
  }

  /**
   * The whole stream in one call (the delegate may do it natively); never retried (the stream is
   * consumed) and not time limited when its size is unknown or large (a replica copy of a large
   * object takes as long as its bytes take). A body declared ({@code expectedSize}) at most {@value
   * #TIMED_BODY_BYTES} bytes is limited like a call: its bytes take no time worth the name, and a
   * silent site must not hold the caller (a watermark publication, the copy of a small object)
   * for as long as the backend's socket time-outs.
   */
  @Override
  public ObjectInfo write(WriteRequest request, InputStream data) {
    boolean small = request.expectedSize() != WriteRequest.UNKNOWN_SIZE && request.expectedSize() <= TIMED_BODY_BYTES;
    return call("write", request.bucket(), request.name(), false, small, () -> delegate().write(request, data),
        ObjectInfo::size, NO_BYTES);
  }

  /** The largest declared body of {@link #write(WriteRequest, InputStream)} that is time limited: 1 MiB. */
  public static final long TIMED_BODY_BYTES = 1 << 20;

  @Override
  public boolean delete(ObjectId id, Conditions conditions) {
    boolean idempotent = id.generation() != 0 || conditions.ifGenerationMatch() != null;
    return call("delete", id.bucket(), id.name(), idempotent, () -> delegate().delete(id, conditions));
  }

  /**
   * Retried like a delete with a generation: repeating it is harmless (the tombstone is only
   * raised, a version {@code <= generation} only removed), though a repeat after a lost
   * acknowledgement answers {@code false}.
   */
  @Override
  public boolean deleteUpTo(String bucket, String name, long generation) {
    return call("deleteUpTo", bucket, name, true, () -> delegate().deleteUpTo(bucket, name, generation));
  }

  /** {@link #copy} without the retry: see {@link #deleteOnce}. */
  public ObjectInfo copyOnce(CopyRequest request) {
    return call("copy", request.targetBucket(), request.targetName(), false, () -> delegate().copy(request));
  }

  /** {@link #compose} without the retry: see {@link #deleteOnce}. */
  public ObjectInfo composeOnce(ComposeRequest request) {
    return call("compose", request.bucket(), request.targetName(), false, () -> delegate().compose(request));
  }

  /**
   * {@link #delete} without the retry, so the caller learns whether its own first attempt's
   * outcome is unknown (a failure after which the delete may have happened) and can resolve it.
   */
  public boolean deleteOnce(ObjectId id, Conditions conditions) {
    return call("delete", id.bucket(), id.name(), false, () -> delegate().delete(id, conditions));
  }

  @Override
  public ListPage<ObjectInfo> list(ListRequest request) {
    return call("list", request.bucket(), null, true, () -> delegate().list(request));
  }

  @Override
  public ObjectInfo copy(CopyRequest request) {
    boolean idempotent = request.targetConditions().ifGenerationMatch() != null;
    return call("copy", request.targetBucket(), request.targetName(), idempotent, () -> delegate().copy(request));
  }

  @Override
  public ObjectInfo compose(ComposeRequest request) {
    boolean idempotent = request.targetConditions().ifGenerationMatch() != null;
    return call("compose", request.bucket(), request.targetName(), idempotent, () -> delegate().compose(request));
  }

  @Override
  public ObjectInfo updateMetadata(ObjectId id, MetadataPatch patch, Conditions conditions) {
    boolean idempotent = conditions.ifMetagenerationMatch() != null;
    return call("updateMetadata", id.bucket(), id.name(), idempotent,
        () -> delegate().updateMetadata(id, patch, conditions));
  }

  @Override
  public URL signUrl(SignUrlRequest request) {
    return call("signUrl", request.bucket(), request.name(), true, () -> delegate().signUrl(request));
  }

  @Override
  public String toString() {
    return "Resilient(" + delegate() + ", breaker=" + breaker.getState() + ")";
  }
}
