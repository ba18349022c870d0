package io.hybridstorage.testkit.fault;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import javax.annotation.Nullable;

/**
 * Which calls get which {@link Fault}s: an immutable rule, added to a {@link FaultInjectingStore}
 * at build time or while a test runs.
 *
 * <pre>{@code
 * FaultRule.on(Operation.WRITE).withProbability(0.1).inject(Fault.failBeforeCall(503));
 * FaultRule.on(Operation.Kind.READ).inject(Fault.delay(Latency.uniform(ofMillis(5), ofMillis(50))));
 * FaultRule.onAny().onCall(3).inject(Fault.failBeforeCall(500));          // the 3rd call fails
 * FaultRule.on(Operation.READ).forObject("b", "big").inject(Fault.truncateResponseBody(1024));
 * }</pre>
 *
 * <p>A rule counts the calls it <em>matches</em> (operation, bucket/object filter, predicate), from
 * 1, starting when it is added to a store; {@link Builder#onCall}, {@link Builder#afterCalls} and
 * {@link Builder#times} refer to that count. Every matching rule fires independently; the faults
 * of all rules that fire are combined (delays add up, the first error at each {@link
 * Fault.Strike} wins). Rules are not consulted for a call that a partition fails.
 */
public final class FaultRule {

  private final Set<Operation> operations;
  @Nullable private final String bucket;
  @Nullable private final String object;
  @Nullable private final String prefix;
  @Nullable private final Predicate<Call> predicate;
  private final double probability;
  private final Set<Long> onCalls;
  private final long afterCalls;
  private final long times;
  private final List<Fault> faults;

  private FaultRule(Builder b, List<Fault> faults) {
    this.operations = Collections.unmodifiableSet(EnumSet.copyOf(b.operations));
    this.bucket = b.bucket;
    this.object = b.object;
    this.prefix = b.prefix;
    this.predicate = b.predicate;
    this.probability = b.probability;
    this.onCalls = Collections.unmodifiableSet(new TreeSet<>(b.onCalls));
    this.afterCalls = b.afterCalls;
    this.times = b.times;
    this.faults = List.copyOf(faults);
  }

  /** A rule for these operations. */
  public static Builder on(Operation first, Operation... rest) {
    return new Builder(EnumSet.of(first, rest));
  }

  /** A rule for every read, or every write ({@link Operation#ofKind}). */
  public static Builder on(Operation.Kind kind) {
    return new Builder(EnumSet.copyOf(Operation.ofKind(kind)));
  }

  /** A rule for every operation. */
  public static Builder onAny() {
    return new Builder(EnumSet.allOf(Operation.class));
  }

  public Set<Operation> operations() {
    return operations;
  }

  public List<Fault> faults() {
    return faults;
  }

  /** Whether {@code call} (faults not yet decided) is one this rule counts. */
  boolean matches(Call call) {
    if (!operations.contains(call.operation())) {
      return false;
    }
    if (bucket != null && !bucket.equals(call.bucket())) {
      return false;
    }
    if (object != null && !object.equals(call.object())) {
      return false;
    }
    if (prefix != null && (call.object() == null || !call.object().startsWith(prefix))) {
      return false;
    }
    return predicate == null || predicate.test(call);
  }

  /**
   * Whether the {@code count}-th matching call gets the faults, given {@code fired} earlier
   * firings. Draws from {@code random} only when a probability is set, so adding a rule without
   * one changes no other rule's draws.
   */
  boolean fires(long count, long fired, RandomGenerator random) {
    if (fired >= times || count <= afterCalls) {
      return false;
    }
    if (!onCalls.isEmpty() && !onCalls.contains(count)) {
      return false;
    }
    return probability >= 1.0 || random.nextDouble() < probability;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("FaultRule[");
    sb.append(operations.size() == Operation.values().length ? "any" : operations.toString());
    if (bucket != null) {
      sb.append(" bucket=").append(bucket);
    }
    if (object != null) {
      sb.append(" object=").append(object);
    }
    if (prefix != null) {
      sb.append(" prefix=").append(prefix);
    }
    if (predicate != null) {
      sb.append(" when=").append(predicate);
    }
    if (probability < 1.0) {
      sb.append(" p=").append(probability);
    }
    if (!onCalls.isEmpty()) {
      sb.append(" onCalls=").append(onCalls);
    }
    if (afterCalls > 0) {
      sb.append(" after=").append(afterCalls);
    }
    if (times != Long.MAX_VALUE) {
      sb.append(" times=").append(times);
    }
    return sb.append(" -> ").append(faults).append(']').toString();
  }

  /** Collects a rule's filter and trigger; {@link #inject} makes the rule. Not thread-safe. */
  public static final class Builder {
    private final Set<Operation> operations;
    @Nullable private String bucket;
    @Nullable private String object;
    @Nullable private String prefix;
    @Nullable private Predicate<Call> predicate;
    /** The address filter already set ({@code forObject(b, o)} …), so a second one is refused. */
    @Nullable private String address;
    private double probability = 1.0;
    private final Set<Long> onCalls = new TreeSet<>();
    private long afterCalls;
    private long times = Long.MAX_VALUE;

    private Builder(Set<Operation> operations) {
      this.operations = operations;
    }

    /**
     * Only calls addressing {@code bucketName}: its bucket calls ({@code createBucket}, {@code
     * getBucket}, {@code updateBucket}, {@code deleteBucket}) and the object calls and listings in
     * it (for copy and compose: the target bucket). {@code listBuckets} addresses no bucket.
     *
     * @throws IllegalStateException when the rule already has an address ({@link #forObject},
     *     {@link #forPrefix}): a rule addresses one bucket, object or prefix
     */
    public Builder forBucket(String bucketName) {
      requireNonNull(bucketName, "bucket");
      address("forBucket(" + bucketName + ")");
      this.bucket = bucketName;
      return this;
    }

    /**
     * Only calls addressing {@code bucketName/objectName} (for copy and compose: the target).
     *
     * @throws IllegalStateException when the rule already has an address
     */
    public Builder forObject(String bucketName, String objectName) {
      requireNonNull(bucketName, "bucket");
      requireNonNull(objectName, "object");
      address("forObject(" + bucketName + ", " + objectName + ")");
      this.bucket = bucketName;
      this.object = objectName;
      return this;
    }

    /**
     * Only calls addressing an object of {@code bucketName} whose name starts with {@code
     * namePrefix} (for copy and compose: the target), as a bucket/prefix placement covers them.
     * Listings and bucket calls address no object and never match, whatever prefix they list.
     *
     * @throws IllegalStateException when the rule already has an address
     */
    public Builder forPrefix(String bucketName, String namePrefix) {
      requireNonNull(bucketName, "bucket");
      requireNonNull(namePrefix, "prefix");
      address("forPrefix(" + bucketName + ", " + namePrefix + ")");
      this.bucket = bucketName;
      this.prefix = namePrefix;
      return this;
    }

    private void address(String filter) {
      if (address != null) {
        throw new IllegalStateException(filter + " cannot be combined with " + address
            + ": a rule addresses one bucket, object or prefix (use two rules, or when(...))");
      }
      address = filter;
    }

    /**
     * Only calls passing {@code condition}, e.g. conditional writes. It sees the {@link Call} with
     * empty {@link Call#faults()} (they are not decided yet) and must be fast and thread-safe.
     */
    public Builder when(Predicate<Call> condition) {
      this.predicate = requireNonNull(condition, "condition");
      return this;
    }

    /** Fires for each matching call with probability {@code p}, drawn from the seeded random. */
    public Builder withProbability(double p) {
      if (!(p >= 0.0 && p <= 1.0)) {
        throw new IllegalArgumentException("probability (" + p + ") must be in [0, 1]");
      }
      this.probability = p;
      return this;
    }

    /** Fires only for the {@code n}-th matching call (1-based). */
    public Builder onCall(long n) {
      return onCalls(n);
    }

    /** Fires only for these matching calls (1-based). */
    public Builder onCalls(long... ns) {
      if (ns.length == 0) {
        throw new IllegalArgumentException("onCalls needs at least one call number");
      }
      for (long n : ns) {
        if (n < 1) {
          throw new IllegalArgumentException("call number (" + n + ") must be >= 1 (the first call is 1)");
        }
        onCalls.add(n);
      }
      return this;
    }

    /** Lets the first {@code n} matching calls through untouched. */
    public Builder afterCalls(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("afterCalls (" + n + ") must be >= 0");
      }
      this.afterCalls = n;
      return this;
    }

    /** Fires at most {@code n} times. */
    public Builder times(long n) {
      if (n < 1) {
        throw new IllegalArgumentException("times (" + n + ") must be >= 1");
      }
      this.times = n;
      return this;
    }

    /**
     * The rule, injecting {@code first} and {@code more} into each call it fires for. Each fault
     * strikes only the operations it applies to (body faults need a body).
     *
     * @throws IllegalArgumentException when a fault can strike none of the rule's operations
     */
    public FaultRule inject(Fault first, Fault... more) {
      List<Fault> faults = new ArrayList<>(1 + more.length);
      faults.add(requireNonNull(first, "fault"));
      faults.addAll(Arrays.asList(more));
      for (Fault fault : faults) {
        requireNonNull(fault, "fault");
        if (operations.stream().noneMatch(fault::appliesTo)) {
          throw new IllegalArgumentException(fault + " strikes " + fault.strike()
              + ", which none of the rule's operations " + operations + " has (request bodies: WRITE;"
              + " response bodies: READ)");
        }
      }
      return new FaultRule(this, faults);
    }
  }
}
