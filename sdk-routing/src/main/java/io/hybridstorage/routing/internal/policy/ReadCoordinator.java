package io.hybridstorage.routing.internal.policy;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.routing.internal.RoutingContext;
import io.hybridstorage.routing.internal.SiteHandle;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code head} and {@code read} by a placement's read policy and consistency level.
 *
 * <p>Candidates: the placement's replicas ordered by {@link io.hybridstorage.api.SiteConfig#latency()}
 * (ties broken by the options' seed), without sites whose circuit breaker is open, and — for
 * EVENTUAL — without sites that may lag more than the staleness bound: by the age of the oldest
 * entry pending for them in this router's journal or in any router's, as published in the
 * replication watermarks at the authority ({@link io.hybridstorage.routing.internal.Watermarks});
 * the primary (the authority, which holds every acknowledged write) is never dropped and answers
 * when none qualifies. Under LOCAL_THEN_ASYNC every site is checked, this router's own included (it
 * lacks what other routers wrote through theirs), and the least lagging answers when none
 * qualifies. Then:
 *
 * <ul>
 *   <li>AUTHORITY reads the authority only;
 *   <li>NEAREST tries the candidates in order, falling back on a miss or a failure;
 *   <li>NEAREST_VERIFIED asks the authority for the live generation, then reads exactly that
 *       generation from the nearest candidate holding it;
 *   <li>HEDGED asks the nearest candidate and, if it has not answered within the hedge delay, the
 *       second; the first answer wins and the other is closed;
 *   <li>READ_THROUGH reads the local site and, on a miss, the primary — then fills the local site
 *       in the background.
 * </ul>
 *
 * SESSION: an answer older than what this router itself wrote (or that still shows what it
 * deleted) is discarded and the primary is read instead. A read naming a generation is served by
 * any site holding that generation (versions are immutable).
 */
public final class ReadCoordinator {

  private static final Logger log = LoggerFactory.getLogger(ReadCoordinator.class);

  private final RoutingContext ctx;
  private final SessionTracker session;
  private final Random random;

  public ReadCoordinator(RoutingContext ctx, SessionTracker session) {
    this.ctx = ctx;
    this.session = session;
    this.random = new Random(ctx.options().seed());
  }

  /** Replicas in read order: nearest first, healthy first; EVENTUAL drops sites lagging too much. */
  List<SiteHandle> candidates(Placement p) {
    List<SiteHandle> sites = new ArrayList<>();
    for (String name : p.replicas()) {
      sites.add(ctx.site(name));
    }
    int salt;
    synchronized (random) {
      salt = random.nextInt();
    }
    int s = salt;
    sites.sort(Comparator.comparing(SiteHandle::latency)
        .thenComparingInt(h -> Integer.rotateLeft(h.name().hashCode() ^ s, 7)));
    List<SiteHandle> healthy = new ArrayList<>();
    SiteHandle leastLagging = null;
    Duration leastLag = null;
    for (SiteHandle h : sites) {
      if (h.isOpen()) {
        continue;
      }
      // the authority holds every acknowledged write; under LOCAL_THEN_ASYNC this router's own
      // site (its primary) lacks what other routers wrote through theirs, so it is checked too
      boolean authoritative = isPrimary(p, h) && p.writePolicy() != WritePolicy.LOCAL_THEN_ASYNC;
      if (p.consistency() == Consistency.EVENTUAL && !authoritative) {
        Duration lag = lag(p, h);
        if (lag.compareTo(p.stalenessBound()) > 0) {
          if (leastLag == null || lag.compareTo(leastLag) < 0) {
            leastLag = lag;
            leastLagging = h;
          }
          continue;
        }
      }
      healthy.add(h);
    }
    if (healthy.isEmpty()) {
      // all look down or lag: the primary answers (or fails) for itself; under LOCAL_THEN_ASYNC no
      // site is sure to be fresh, and the least lagging one comes closest
      healthy.add(leastLagging != null && p.writePolicy() == WritePolicy.LOCAL_THEN_ASYNC ? leastLagging
          : primary(p));
    }
    return healthy;
  }

  /**
   * How far {@code h} may lag: the age of the oldest entry pending for it in this router's own
   * journal or, by the replication watermarks every router publishes at the authority, in any
   * router's ({@link io.hybridstorage.routing.internal.Watermarks#UNKNOWN} when they cannot be read).
   */
  private Duration lag(Placement p, SiteHandle h) {
    Duration own = ctx.journal().oldestAge(h.name());
    if (own.compareTo(p.stalenessBound()) > 0) {
      return own;
    }
    Duration others = ctx.watermarks().lag(ctx.authority(p), h.name(), p.stalenessBound());
    return others.compareTo(own) > 0 ? others : own;
  }

  private SiteHandle primary(Placement p) {
    return p.writePolicy() == WritePolicy.LOCAL_THEN_ASYNC
        ? ctx.site(ctx.options().localSite().orElseThrow())
        : ctx.authority(p);
  }

  private boolean isPrimary(Placement p, SiteHandle h) {
    return h.name().equals(primary(p).name());
  }

  /** Whether a copy held by {@code site} may be served (STRONG and SESSION freshness rules). */
  private boolean fresh(Placement p, SiteHandle site, String bucket, String name, long generation) {
    if (p.consistency() == Consistency.SESSION) {
      // the primary too: a conditional change of a LOCAL_THEN_ASYNC placement is decided at the
      // authority, so the local primary may not hold it yet
      return session.acceptable(bucket, name, generation);
    }
    return true;
  }

  /**
   * Where a named version may be read: any candidate (versions are immutable) — except that under
   * SESSION, once this router changed the object at or after that generation, only the primary
   * knows whether the version still exists (a lagging replica may hold it after it was replaced).
   */
  private List<SiteHandle> versionReaders(Placement p, ObjectId id) {
    SessionTracker.Mark mark = p.consistency() == Consistency.SESSION ? session.mark(id.bucket(), id.name()) : null;
    return mark != null && mark.generation() >= id.generation() ? List.of(primary(p)) : candidates(p);
  }

  // ------------------------------------------------------------------------------------ head

  public Optional<ObjectInfo> head(Placement p, ObjectId id, Conditions conditions) {
    if (id.generation() != 0) {
      // STRONG: whether that version still exists is the authority's answer (a lagging replica may
      // still hold a version the authority has replaced or deleted)
      return firstFound(p.readPolicy() == ReadPolicy.AUTHORITY || p.consistency() == Consistency.STRONG
          ? List.of(ctx.authority(p)) : versionReaders(p, id), s -> s.store().head(id, conditions));
    }
    return switch (p.readPolicy()) {
      case AUTHORITY, NEAREST_VERIFIED -> ctx.authority(p).store().head(id, conditions);
      case NEAREST, READ_THROUGH -> nearestHead(p, id, conditions, candidates(p));
      case HEDGED -> needsPrimary(p, id, conditions)
          ? primary(p).store().head(id, conditions)
          : hedged(p, candidates(p),
              s -> s.store().head(id, conditions).filter(i -> fresh(p, s, id.bucket(), id.name(), i.generation())),
              Optional::isPresent, r -> {})
              .or(() -> nearestHead(p, id, conditions, candidates(p)));
    };
  }

  private Optional<ObjectInfo> nearestHead(Placement p, ObjectId id, Conditions conditions,
      List<SiteHandle> order) {
    if (needsPrimary(p, id, conditions)) {
      return primary(p).store().head(id, conditions);
    }
    RuntimeException lastFailure = null;
    for (SiteHandle s : order) {
      try {
        Optional<ObjectInfo> info = s.store().head(id, conditions);
        if (info.isPresent() && fresh(p, s, id.bucket(), id.name(), info.get().generation())) {
          return info;
        }
        if (info.isEmpty() && isPrimary(p, s)
            && (p.consistency() != Consistency.SESSION || session.acceptable(id.bucket(), id.name(), -1))) {
          return info;
        }
      } catch (HybridStorageException e) {
        if (isVerdict(e) && isPrimary(p, s)) {
          throw e;
        }
        lastFailure = e;
      }
    }
    try {
      return primary(p).store().head(id, conditions);
    } catch (RuntimeException e) {
      if (lastFailure != null) {
        e.addSuppressed(lastFailure);
      }
      throw e;
    }
  }

  /**
   * A failed precondition of a read: 412 (a match condition) or 304 (a not-match one, as GCS
   * answers reads). The site that found the version has decided; another site's copy must not
   * answer instead.
   */
  private static boolean isVerdict(HybridStorageException e) {
    return e.code() == 412 || e.code() == 304;
  }

  /** SESSION with preconditions on an object this router changed: only the primary decides. */
  private boolean needsPrimary(Placement p, ObjectId id, Conditions conditions) {
    return p.consistency() == Consistency.SESSION && !conditions.isEmpty()
        && session.mark(id.bucket(), id.name()) != null;
  }

  private Optional<ObjectInfo> firstFound(List<SiteHandle> order, Function<SiteHandle, Optional<ObjectInfo>> call) {
    RuntimeException failure = null;
    for (SiteHandle s : order) {
      try {
        Optional<ObjectInfo> info = call.apply(s);
        if (info.isPresent()) {
          return info;
        }
      } catch (HybridStorageException e) {
        if (isVerdict(e)) {
          throw e;
        }
        failure = e;
      }
    }
    if (failure != null && !(failure instanceof HybridStorageException h && h.code() == 404)) {
      throw failure;
    }
    return Optional.empty();
  }

  // ------------------------------------------------------------------------------------ read

  public ObjectContent read(Placement p, ReadRequest request) {
    ObjectId id = request.id();
    if (id.generation() != 0) {
      List<SiteHandle> order = p.readPolicy() == ReadPolicy.AUTHORITY ? List.of(ctx.authority(p))
          : versionReaders(p, id);
      if (p.consistency() == Consistency.STRONG && p.readPolicy() != ReadPolicy.AUTHORITY) {
        // the version must still exist at the authority; its bytes (immutable) may come from the nearest
        SiteHandle authority = ctx.authority(p);
        if (authority.store().head(id, request.conditions()).isEmpty()) {
          throw HybridStorageException.objectNotFound("read", id.bucket(), id.name(), authority.name());
        }
        List<SiteHandle> withAuthority = new ArrayList<>(order);
        withAuthority.removeIf(s -> s.name().equals(authority.name()));
        withAuthority.add(authority);
        order = withAuthority;
      }
      return firstReadable(order, request, (s, c) -> true);
    }
    return switch (p.readPolicy()) {
      case AUTHORITY -> ctx.authority(p).store().read(request);
      case NEAREST_VERIFIED -> verified(p, request);
      case NEAREST -> nearest(p, request, candidates(p));
      case READ_THROUGH -> readThrough(p, request);
      case HEDGED -> hedgedRead(p, request);
    };
  }

  private ObjectContent verified(Placement p, ReadRequest request) {
    ObjectId id = request.id();
    SiteHandle authority = ctx.authority(p);
    for (int attempt = 0; ; attempt++) {
      if (attempt == 2) {
        return authority.store().read(request); // hot object: its generations outrun head-then-read
      }
      Optional<ObjectInfo> live = authority.store().head(id, request.conditions());
      if (live.isEmpty()) {
        throw HybridStorageException.objectNotFound("read", id.bucket(), id.name(), authority.name());
      }
      long g = live.get().generation();
      ReadRequest exact = new ReadRequest(ObjectId.of(id.bucket(), id.name(), g), request.range(), Conditions.none());
      List<SiteHandle> order = new ArrayList<>(candidates(p));
      order.removeIf(s -> s.name().equals(authority.name()));
      order.add(authority);
      ObjectContent content;
      String crc32c = live.get().crc32c();
      try {
        // the same generation with other bytes (a collision, or a copy repaired at the authority
        // and not yet on the replica) is not the authority's version: read on
        content = firstReadable(order, exact,
            (s, c) -> crc32c == null || c.crc32c() == null || crc32c.equals(c.crc32c()));
      } catch (HybridStorageException e) {
        if (e.code() != 404) {
          throw e;
        }
        continue; // generation g was replaced everywhere between the head and the read: ask again
      }
      // the metadata is the authority's (a replica's copy has its own metageneration and update
      // time, and a caller's ifMetagenerationMatch is decided at the authority); the bytes of g are
      // the same everywhere (their CRC32C was compared)
      return ObjectContent.of(live.get(), content.stream());
    }
  }

  private ObjectContent nearest(Placement p, ReadRequest request, List<SiteHandle> order) {
    if (needsPrimary(p, request.id(), request.conditions())) {
      return primary(p).store().read(request);
    }
    List<SiteHandle> withPrimary = new ArrayList<>(order);
    if (withPrimary.stream().noneMatch(s -> isPrimary(p, s))) {
      withPrimary.add(primary(p));
    }
    return firstReadable(withPrimary, request, (s, c) -> fresh(p, s, c.bucket(), c.name(), c.generation()),
        primary(p));
  }

  private interface Freshness {
    boolean test(SiteHandle site, ObjectInfo info);
  }

  /** The first site answering with an acceptable copy; a miss or failure moves on. */
  private ObjectContent firstReadable(List<SiteHandle> order, ReadRequest request, Freshness fresh) {
    return firstReadable(order, request, fresh, null);
  }

  /**
   * As above; when a copy was found but none was fresh enough (another thread of this session may
   * have changed the object since the read began), {@code lastResort}'s current answer is served.
   */
  private ObjectContent firstReadable(List<SiteHandle> order, ReadRequest request, Freshness fresh,
      @Nullable SiteHandle lastResort) {
    RuntimeException first = null;
    boolean stale = false;
    for (SiteHandle s : order) {
      try {
        ObjectContent content = s.store().read(request);
        if (fresh.test(s, content.info())) {
          return content;
        }
        stale = true;
        closeQuietly(content);
      } catch (HybridStorageException e) {
        if (isVerdict(e) || e.code() == 416 || e.code() == 400) {
          throw e; // an answer about the request, not about this site
        }
        if (first == null || e.code() != 404 || (first instanceof HybridStorageException h && h.code() == 404)) {
          first = e; // the last answer wins (the primary or authority comes last), a failure over a miss
        }
      }
    }
    if (stale && lastResort != null) {
      return lastResort.store().read(request);
    }
    if (first != null) {
      throw first;
    }
    ObjectId id = request.id();
    throw HybridStorageException.objectNotFound("read", id.bucket(), id.name(), null);
  }

  private ObjectContent readThrough(Placement p, ReadRequest request) {
    ObjectId id = request.id();
    SiteHandle local = ctx.site(ctx.options().localSite().orElseThrow());
    if (!local.isOpen() && !needsPrimary(p, id, request.conditions())) {
      try {
        ObjectContent content = local.store().read(request);
        if (fresh(p, local, id.bucket(), id.name(), content.info().generation())) {
          return content;
        }
        closeQuietly(content);
      } catch (HybridStorageException e) {
        if (e.code() != 404 && !e.isRetryable()) {
          throw e;
        }
      }
    }
    SiteHandle source = primary(p);
    ObjectContent content = source.store().read(request);
    long g = content.info().generation();
    if (!local.name().equals(source.name()) && !local.isOpen()) {
      CompletableFuture.runAsync(() -> ctx.replicator().copy(id.bucket(), id.name(), g, source, local, true),
          ctx.pool()).exceptionally(t -> {
            log.debug("read-through fill of gs://{}/{}#{} into {} failed", id.bucket(), id.name(), g, local, t);
            return null;
          });
    }
    return content;
  }

  private ObjectContent hedgedRead(Placement p, ReadRequest request) {
    List<SiteHandle> order = candidates(p);
    if (needsPrimary(p, request.id(), request.conditions())) {
      return primary(p).store().read(request);
    }
    ObjectId id = request.id();
    Optional<ObjectContent> won = hedged(p, order, s -> {
      ObjectContent c = s.store().read(request);
      if (!fresh(p, s, id.bucket(), id.name(), c.info().generation())) {
        closeQuietly(c);
        throw HybridStorageException.objectNotFound("read", id.bucket(), id.name(), s.name());
      }
      return Optional.of(c);
    }, Optional::isPresent, r -> r.ifPresent(ReadCoordinator::closeQuietly));
    return won.orElseGet(() -> nearest(p, request, order));
  }

  /**
   * Runs {@code call} on the first candidate and, if no acceptable answer arrived within the
   * placement's hedge delay, on the second too. Returns the first acceptable answer (a losing
   * answer is handed to {@code discard}), or empty when neither gave one.
   *
   * <p>The hedge delay is waited through the options' sleeper (virtual time in tests) on a pool
   * thread, which is interrupted as soon as this returns. The overall wait for an answer, twice
   * the call timeout, stays real time, like the call timeout itself.
   */
  private <T> Optional<T> hedged(Placement p, List<SiteHandle> order, Function<SiteHandle, Optional<T>> call,
      java.util.function.Predicate<Optional<T>> acceptable, java.util.function.Consumer<Optional<T>> discard) {
    CompletableFuture<Optional<T>> winner = new CompletableFuture<>();
    List<CompletableFuture<Optional<T>>> attempts = new ArrayList<>();
    Future<?> hedgeTimer = null;
    int tries = Math.min(2, order.size());
    for (int i = 0; i < tries; i++) {
      SiteHandle s = order.get(i);
      CompletableFuture<Optional<T>> attempt = new CompletableFuture<>();
      attempts.add(attempt);
      Runnable run = () -> {
        if (winner.isDone()) {
          attempt.complete(Optional.empty());
          return;
        }
        try {
          Optional<T> r = call.apply(s);
          // the winner first: completing the attempt may start the hedge, which must see it
          if (!acceptable.test(r) || !winner.complete(r)) {
            discard.accept(r);
          }
          attempt.complete(r);
        } catch (RuntimeException e) {
          attempt.completeExceptionally(e);
        }
      };
      if (i == 0) {
        CompletableFuture.runAsync(run, ctx.pool());
      } else {
        Duration delay = p.hedgeDelay();
        // the hedge starts early when the first attempt already failed or missed
        CompletableFuture<Void> timer = new CompletableFuture<>();
        hedgeTimer = ctx.pool().submit(() -> {
          try {
            ctx.sleeper().sleep(delay);
            timer.complete(null);
          } catch (InterruptedException e) {
            // an answer came first: no hedge needed
          }
        });
        CompletableFuture.anyOf(timer, attempts.get(0).handle((v, t) -> null))
            .thenRunAsync(run, ctx.pool());
      }
    }
    CompletableFuture<Object> allDone = CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new))
        .handle((v, t) -> null);
    try {
      CompletableFuture.anyOf(winner, allDone).get(ctx.settings().callTimeout().isZero()
          ? Long.MAX_VALUE : ctx.settings().callTimeout().toNanos() * 2, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | CompletionException e) {
      // fall through: no winner
    } finally {
      if (hedgeTimer != null) {
        hedgeTimer.cancel(true);
      }
    }
    return winner.isDone() ? winner.getNow(Optional.empty()) : Optional.empty();
  }

  static void closeQuietly(@Nullable ObjectContent content) {
    if (content == null) {
      return;
    }
    try {
      content.close();
    } catch (IOException e) {
      log.debug("closing a discarded read failed", e);
    }
  }
}
