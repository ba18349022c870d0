package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.net.URL;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link ObjectStore} that forwards every call, default methods included, to a delegate: the
 * base of a decorator (faults, recording, metrics, guards), which overrides only what it changes.
 * Like Guava's {@code ForwardingObject}. Forwarding the default methods matters: a decorator that
 * inherited {@link ObjectStore#write(WriteRequest, InputStream)} would turn the delegate's own
 * (maybe single-request) write into {@code openWrite} calls, and one that inherited {@link
 * ObjectStore#signUrl} would answer 501 for a delegate that can sign.
 *
 * <p>{@code io.hybridstorage.testkit.fault.ForwardingStoreTester} proves that a subclass forwards
 * faithfully.
 */
public abstract class ForwardingObjectStore implements ObjectStore {

  private final ObjectStore delegate;

  protected ForwardingObjectStore(ObjectStore delegate) {
    this.delegate = requireNonNull(delegate, "delegate");
  }

  /** The store calls go to. */
  protected ObjectStore delegate() {
    return delegate;
  }

  @Override
  public String site() {
    return delegate.site();
  }

  /**
   * The delegate's capabilities except {@link Capability#IN_PROCESS}: a decorator may wait
   * (delays, locks, I/O), so one that does not keeps it by overriding this with {@link
   * #delegateCapabilities()}.
   */
  @Override
  public Set<Capability> capabilities() {
    Set<Capability> all = delegate.capabilities();
    if (!all.contains(Capability.IN_PROCESS)) {
      return all;
    }
    java.util.EnumSet<Capability> forwarded = java.util.EnumSet.copyOf(all);
    forwarded.remove(Capability.IN_PROCESS);
    return java.util.Collections.unmodifiableSet(forwarded);
  }

  /**
   * {@code store} if it is a {@code type}, else the first store below it, through the delegates of
   * {@code ForwardingObjectStore}s, that is one; empty when none is. How code holding a decorated
   * store finds an optional mixin ({@link io.hybridstorage.api.spi.Notifications}) without knowing
   * the decorators in between. A BU profile's guard ({@link HybridStorage#bounded}) ends the search:
   * a mixin below it would act around the bound.
   */
  public static <T> Optional<T> unwrap(ObjectStore store, Class<T> type) {
    requireNonNull(type, "type");
    for (ObjectStore s = requireNonNull(store, "store"); s != null; ) {
      if (type.isInstance(s)) {
        return Optional.of(type.cast(s));
      }
      if (s instanceof ProfileGuardStore || !(s instanceof ForwardingObjectStore forwarding)) {
        return Optional.empty();
      }
      s = forwarding.delegate;
    }
    return Optional.empty();
  }

  /** The delegate's capabilities, all of them: for a decorator that adds no waiting. */
  protected final Set<Capability> delegateCapabilities() {
    return delegate.capabilities();
  }

  @Override
  public BucketInfo createBucket(BucketSpec spec) {
    return delegate.createBucket(spec);
  }

  @Override
  public Optional<BucketInfo> getBucket(String bucket) {
    return delegate.getBucket(bucket);
  }

  @Override
  public ListPage<BucketInfo> listBuckets(BucketListRequest request) {
    return delegate.listBuckets(request);
  }

  @Override
  public BucketInfo updateBucket(String bucket, BucketPatch patch) {
    return delegate.updateBucket(bucket, patch);
  }

  @Override
  public boolean deleteBucket(String bucket) {
    return delegate.deleteBucket(bucket);
  }

  @Override
  public Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
    return delegate.head(id, conditions);
  }

  @Override
  public ObjectContent read(ReadRequest request) {
    return delegate.read(request);
  }

  @Override
  public ObjectWriter openWrite(WriteRequest request) {
    return delegate.openWrite(request);
  }

  @Override
  public ObjectInfo write(WriteRequest request, InputStream data) {
    return delegate.write(request, data);
  }

  @Override
  public boolean delete(ObjectId id, Conditions conditions) {
    return delegate.delete(id, conditions);
  }

  @Override
  public boolean deleteUpTo(String bucket, String name, long generation) {
    return delegate.deleteUpTo(bucket, name, generation);
  }

  @Override
  public ListPage<ObjectInfo> list(ListRequest request) {
    return delegate.list(request);
  }

  @Override
  public ObjectInfo copy(CopyRequest request) {
    return delegate.copy(request);
  }

  @Override
  public ObjectInfo compose(ComposeRequest request) {
    return delegate.compose(request);
  }

  @Override
  public ObjectInfo updateMetadata(ObjectId id, MetadataPatch patch, Conditions conditions) {
    return delegate.updateMetadata(id, patch, conditions);
  }

  @Override
  public URL signUrl(SignUrlRequest request) {
    return delegate.signUrl(request);
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** {@code SimpleClassName[delegate]}. */
  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + delegate + "]";
  }
}
