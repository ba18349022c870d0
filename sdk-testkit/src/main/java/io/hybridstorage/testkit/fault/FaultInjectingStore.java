package io.hybridstorage.testkit.fault;

import static java.util.Objects.requireNonNull;

import io.hybridstorage.api.BucketInfo;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.BucketListRequest;
import io.hybridstorage.api.BucketPatch;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
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
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.testkit.time.Sleeper;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link ObjectStore} decorator that injects faults into the calls it forwards: delays, error
 * codes, network partitions, broken or slow bodies, lost acknowledgements. Every random choice comes
 * from a seed, so a failing test replays exactly: the same seed and the same sequence of calls give
 * the same faults ({@link #calls()} shows them).
 *
 * <pre>{@code
 * FaultInjectingStore dc1 = FaultInjectingStore.builder(new InMemoryStore("dc1"))
 *     .seed(42)
 *     .sleeper(clock.advancingSleeper())              // delays take virtual time only
 *     .rule(FaultRule.on(Operation.Kind.WRITE).withProbability(0.05).inject(Fault.failBeforeCall(503)))
 *     .build();
 * dc1.partitionWrites();                              // while the test runs: writes fail, reads pass
 * dc1.heal();
 * Call first = dc1.takeCall();                        // what was called, in order
 * }</pre>
 *
 * <p><b>Where faults strike</b> ({@link Fault.Strike}): before the call (the delegate sees
 * nothing), in a write's or read's body (an {@link java.io.IOException} from the writer or stream),
 * or after the delegate committed (the caller gets an error for a change that happened). For a
 * write through {@link #openWrite}, "the call" is {@code commit()}.
 *
 * <p><b>Partitions</b> ({@link #partition()}, {@link #partitionWrites()}, {@link
 * #partitionReads()}, {@link #heal()}) take effect at once, from any thread: calls of a cut {@link
 * Operation.Kind} fail with 503 before reaching the delegate, and so do reads and writes of streams
 * already open when the partition began (with an {@code IOException}, as a dropped connection
 * does).
 *
 * <p><b>Forwarding.</b> With no rule and no partition, every call goes to the delegate unchanged
 * and its result or exception comes back unchanged; read streams and writers are wrapped (to let a
 * later partition cut them) but forward every byte ({@link ForwardingStoreTester} proves it).
 *
 * <p><b>Determinism.</b> Call {@code n} (its {@link Call#sequence()}) draws from a random derived
 * from the seed and {@code n} only. With one calling thread a run replays exactly; with several,
 * the sequence is the order in which calls enter this store, which the threads decide.
 *
 * <p>Thread-safe. The call log keeps every call until the store is discarded: keep stores
 * per-test.
 */
public final class FaultInjectingStore extends ForwardingObjectStore {

  private static final Logger logger = LoggerFactory.getLogger(FaultInjectingStore.class);

  private final long seed;
  private final Sleeper sleeper;
  private final List<ActiveRule> rules = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Call> untaken = new LinkedBlockingQueue<>();
  private volatile Set<Operation.Kind> partitioned = Set.of();

  // guarded by this
  private long sequence;
  private final List<Call> calls = new ArrayList<>();

  private FaultInjectingStore(Builder builder) {
    super(builder.delegate);
    this.sleeper = builder.sleeper;
    if (builder.seed != null) {
      this.seed = builder.seed;
    } else {
      this.seed = ThreadLocalRandom.current().nextLong();
      logger.info("Fault injection for site {} uses seed {}; FaultInjectingStore.builder(store).seed({}L)"
          + " replays this run", site(), seed, seed);
    }
    for (FaultRule rule : builder.rules) {
      rules.add(new ActiveRule(rule));
    }
  }

  /** A store that forwards every call until rules are added or a partition begins; random seed (logged). */
  public static FaultInjectingStore wrap(ObjectStore delegate) {
    return builder(delegate).build();
  }

  public static Builder builder(ObjectStore delegate) {
    return new Builder(delegate);
  }

  /** The store faults are injected in front of. */
  @Override
  public ObjectStore delegate() {
    return super.delegate();
  }

  /** The seed all random choices derive from; build with it to replay a run. */
  public long seed() {
    return seed;
  }

  /**
   * The delegate's, keeping {@link Capability#IN_PROCESS} only while no rule is installed: a rule
   * may delay a call, and a router must then put its time limit around calls here. A call that
   * read this before a rule was added may get that rule's delay without the router's time limit;
   * add delaying rules while the site is quiet.
   */
  @Override
  public Set<Capability> capabilities() {
    return rules.isEmpty() ? delegateCapabilities() : super.capabilities();
  }

  // ------------------------------------------------------------------ rules

  /** Adds a rule; it counts matching calls from now on. Returns this store. */
  public FaultInjectingStore addRule(FaultRule rule) {
    rules.add(new ActiveRule(requireNonNull(rule, "rule")));
    return this;
  }

  /** Removes a rule (by identity); {@code false} if it was not there. */
  public boolean removeRule(FaultRule rule) {
    return rules.removeIf(active -> active.rule == rule);
  }

  /** Removes every rule. Partitions stay as they are. */
  public void clearRules() {
    rules.clear();
  }

  /** The rules, in the order they were added. */
  public List<FaultRule> rules() {
    return rules.stream().map(active -> active.rule).toList();
  }

  // ------------------------------------------------------------------ partitions

  /** From now on the site is unreachable: every call fails with 503, open streams break. */
  public void partition() {
    setPartition(EnumSet.allOf(Operation.Kind.class));
  }

  /** From now on writes fail (503; open writers break) and reads pass: a one-way partition. */
  public void partitionWrites() {
    setPartition(EnumSet.of(Operation.Kind.WRITE));
  }

  /** From now on reads fail (503; open read streams break) and writes pass. */
  public void partitionReads() {
    setPartition(EnumSet.of(Operation.Kind.READ));
  }

  /** Ends any partition: calls from now on reach the delegate. */
  public void heal() {
    setPartition(EnumSet.noneOf(Operation.Kind.class));
  }

  /** Whether any kind of call is cut off now. */
  public boolean isPartitioned() {
    return !partitioned.isEmpty();
  }

  /** The kinds of call cut off now (empty when healed). */
  public Set<Operation.Kind> partitionedKinds() {
    return partitioned;
  }

  private void setPartition(Set<Operation.Kind> kinds) {
    partitioned = Set.copyOf(kinds);
    logger.info("Site {}: {}", site(), kinds.isEmpty() ? "partition healed" : "partitioned " + kinds);
  }

  boolean isCut(Operation.Kind kind) {
    return partitioned.contains(kind);
  }

  // ------------------------------------------------------------------ call log

  /** Every call so far, in the order received. */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The number of calls so far. */
  public synchronized int callCount() {
    return calls.size();
  }

  /** The oldest call not taken yet, waiting for one if needed (like {@code MockWebServer.takeRequest()}). */
  public Call takeCall() throws InterruptedException {
    return untaken.take();
  }

  /** {@link #takeCall()}, or {@code null} when no call arrives within {@code timeout}. */
  @Nullable
  public Call takeCall(Duration timeout) throws InterruptedException {
    return untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  // ------------------------------------------------------------------ ObjectStore

  @Override
  public BucketInfo createBucket(BucketSpec spec) {
    return unary(decide(Operation.CREATE_BUCKET, spec.name(), null, spec), () -> delegate().createBucket(spec));
  }

  @Override
  public Optional<BucketInfo> getBucket(String bucket) {
    return unary(decide(Operation.GET_BUCKET, bucket, null, bucket), () -> delegate().getBucket(bucket));
  }

  @Override
  public ListPage<BucketInfo> listBuckets(BucketListRequest request) {
    return unary(decide(Operation.LIST_BUCKETS, null, null, request), () -> delegate().listBuckets(request));
  }

  @Override
  public BucketInfo updateBucket(String bucket, BucketPatch patch) {
    return unary(decide(Operation.UPDATE_BUCKET, bucket, null, bucket, patch),
        () -> delegate().updateBucket(bucket, patch));
  }

  @Override
  public boolean deleteBucket(String bucket) {
    return unary(decide(Operation.DELETE_BUCKET, bucket, null, bucket), () -> delegate().deleteBucket(bucket));
  }

  @Override
  public Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
    return unary(decide(Operation.HEAD, id.bucket(), id.name(), id, conditions),
        () -> delegate().head(id, conditions));
  }

  @Override
  public ObjectContent read(ReadRequest request) {
    Plan plan = decide(Operation.READ, request.id().bucket(), request.id().name(), request);
    ObjectContent content = unary(plan, () -> delegate().read(request));
    return new FaultingContent(content, plan);
  }

  @Override
  public ObjectWriter openWrite(WriteRequest request) {
    Plan plan = decide(Operation.WRITE, request.bucket(), request.name(), request);
    plan.failIfUnreachable();
    return new FaultingWriter(delegate().openWrite(request), plan);
  }

  @Override
  public ObjectInfo write(WriteRequest request, InputStream data) {
    Plan plan = decide(Operation.WRITE, request.bucket(), request.name(), request);
    return unary(plan, () -> delegate().write(request, new FaultingStream(data, plan, Operation.Kind.WRITE)));
  }

  @Override
  public boolean delete(ObjectId id, Conditions conditions) {
    return unary(decide(Operation.DELETE, id.bucket(), id.name(), id, conditions),
        () -> delegate().delete(id, conditions));
  }

  /** Faulted as {@link Operation#DELETE}: a delete replicated to this site. */
  @Override
  public boolean deleteUpTo(String bucket, String name, long generation) {
    return unary(decide(Operation.DELETE, bucket, name, ObjectId.of(bucket, name, generation)),
        () -> delegate().deleteUpTo(bucket, name, generation));
  }

  @Override
  public ListPage<ObjectInfo> list(ListRequest request) {
    return unary(decide(Operation.LIST, request.bucket(), null, request), () -> delegate().list(request));
  }

  @Override
  public ObjectInfo copy(CopyRequest request) {
    return unary(decide(Operation.COPY, request.targetBucket(), request.targetName(), request),
        () -> delegate().copy(request));
  }

  @Override
  public ObjectInfo compose(ComposeRequest request) {
    return unary(decide(Operation.COMPOSE, request.bucket(), request.targetName(), request),
        () -> delegate().compose(request));
  }

  @Override
  public ObjectInfo updateMetadata(ObjectId id, MetadataPatch patch, Conditions conditions) {
    return unary(decide(Operation.UPDATE_METADATA, id.bucket(), id.name(), id, patch, conditions),
        () -> delegate().updateMetadata(id, patch, conditions));
  }

  @Override
  public URL signUrl(SignUrlRequest request) {
    return unary(decide(Operation.SIGN_URL, request.bucket(), request.name(), request),
        () -> delegate().signUrl(request));
  }

  @Override
  public String toString() {
    return "FaultInjectingStore[" + delegate() + ", seed=" + seed + "]";
  }

  // ------------------------------------------------------------------ internals

  private static <T> T unary(Plan plan, Supplier<T> action) {
    plan.beforeCall();
    T result = action.get();
    plan.afterCommit(result);
    return result;
  }

  /** Numbers the call, decides its faults and logs it, atomically, so numbering and rule counts agree. */
  private Plan decide(Operation operation, @Nullable String bucket, @Nullable String object, Object... args) {
    Call call;
    synchronized (this) {
      long n = ++sequence;
      SplittableRandom random = new SplittableRandom(mix64(seed + n * 0x9E3779B97F4A7C15L));
      Call probe = new Call(n, operation, bucket, object, List.of(args), Thread.currentThread().getName(),
          List.of());
      List<Fault> faults = new ArrayList<>();
      if (isCut(operation.kind())) {
        faults.add(Fault.unreachable());
      } else {
        for (ActiveRule active : rules) {
          active.fire(probe, random, faults);
        }
      }
      call = faults.isEmpty() ? probe
          : new Call(n, operation, bucket, object, probe.arguments(), probe.thread(), faults);
      calls.add(call);
      untaken.add(call);
    }
    if (call.faulted()) {
      logger.debug("Site {}: injecting into call {}", site(), call);
    }
    return new Plan(this, call);
  }

  Sleeper sleeper() {
    return sleeper;
  }

  long seedForMessages() {
    return seed;
  }

  /** SplitMix64's finalizer: neighbouring inputs give unrelated seeds. */
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A rule plus its counters in this store. */
  private static final class ActiveRule {
    final FaultRule rule;
    long matched; // guarded by the store
    long fired; // guarded by the store

    ActiveRule(FaultRule rule) {
      this.rule = rule;
    }

    void fire(Call call, SplittableRandom random, List<Fault> out) {
      if (!rule.matches(call)) {
        return;
      }
      matched++;
      if (!rule.fires(matched, fired, random)) {
        return;
      }
      fired++;
      for (Fault fault : rule.faults()) {
        if (fault.appliesTo(call.operation())) {
          out.add(fault instanceof Fault.Delay delay
              ? Fault.delay(delay.latency().sample(random))
              : fault);
        }
      }
    }
  }

  /** Builds a {@link FaultInjectingStore}. */
  public static final class Builder {
    private final ObjectStore delegate;
    @Nullable private Long seed;
    private Sleeper sleeper = Sleeper.system();
    private final List<FaultRule> rules = new ArrayList<>();

    private Builder(ObjectStore delegate) {
      this.delegate = requireNonNull(delegate, "delegate");
    }

    /** The seed of every random choice. Unset: a random seed, logged at INFO so a run can be replayed. */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** How delays and stalls wait; {@link Sleeper#system()} unless set (tests: a virtual clock's). */
    public Builder sleeper(Sleeper value) {
      this.sleeper = requireNonNull(value, "sleeper");
      return this;
    }

    /** A rule active from the first call. */
    public Builder rule(FaultRule rule) {
      rules.add(requireNonNull(rule, "rule"));
      return this;
    }

    public FaultInjectingStore build() {
      return new FaultInjectingStore(this);
    }
  }
}
