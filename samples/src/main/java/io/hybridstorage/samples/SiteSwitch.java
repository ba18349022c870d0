package io.hybridstorage.samples;

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
import io.hybridstorage.api.WriteRequest;
import java.io.InputStream;
import java.net.URL;
import java.util.Optional;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * A site's store with an off switch, for the first run's outage demonstration: while {@link
 * #down()} is set every call fails at once with 503 {@code siteDown} naming the operation, bucket,
 * object and site, as an unreachable site would (after its time-outs). Nothing waits, so the
 * store keeps the delegate's {@link Capability#IN_PROCESS}.
 */
final class SiteSwitch extends ForwardingObjectStore {

  private volatile boolean down;

  SiteSwitch(ObjectStore delegate) {
    super(delegate);
  }

  /** The site's own store, behind the switch (tests change a site directly through it). */
  ObjectStore store() {
    return delegate();
  }

  /** Whether calls fail now. */
  boolean isDown() {
    return down;
  }

  /** Every call fails from now on. */
  void down() {
    down = true;
  }

  /** Calls reach the site again. */
  void up() {
    down = false;
  }

  private void check(String op, @Nullable String bucket, @Nullable String object) {
    if (down) {
      throw new HybridStorageException(503, "siteDown", op, bucket, object, site(),
          "site is down (taken down by the sample's outage demonstration)", null);
    }
  }

  @Override
  public Set<Capability> capabilities() {
    return delegateCapabilities(); // the switch adds no waiting
  }

  @Override
  public BucketInfo createBucket(BucketSpec spec) {
    check("createBucket", spec.name(), null);
    return super.createBucket(spec);
  }

  @Override
  public Optional<BucketInfo> getBucket(String bucket) {
    check("getBucket", bucket, null);
    return super.getBucket(bucket);
  }

  @Override
  public ListPage<BucketInfo> listBuckets(BucketListRequest request) {
    check("listBuckets", null, null);
    return super.listBuckets(request);
  }

  @Override
  public BucketInfo updateBucket(String bucket, BucketPatch patch) {
    check("updateBucket", bucket, null);
    return super.updateBucket(bucket, patch);
  }

  @Override
  public boolean deleteBucket(String bucket) {
    check("deleteBucket", bucket, null);
    return super.deleteBucket(bucket);
  }

  @Override
  public Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
    check("head", id.bucket(), id.name());
    return super.head(id, conditions);
  }

  @Override
  public ObjectContent read(ReadRequest request) {
    check("read", request.id().bucket(), request.id().name());
    return super.read(request);
  }

  @Override
  public ObjectWriter openWrite(WriteRequest request) {
    check("write", request.bucket(), request.name());
    return super.openWrite(request);
  }

  @Override
  public ObjectInfo write(WriteRequest request, InputStream data) {
    check("write", request.bucket(), request.name());
    return super.write(request, data);
  }

  @Override
  public boolean delete(ObjectId id, Conditions conditions) {
    check("delete", id.bucket(), id.name());
    return super.delete(id, conditions);
  }

  @Override
  public boolean deleteUpTo(String bucket, String name, long generation) {
    check("delete", bucket, name);
    return super.deleteUpTo(bucket, name, generation);
  }

  @Override
  public ListPage<ObjectInfo> list(ListRequest request) {
    check("list", request.bucket(), null);
    return super.list(request);
  }

  @Override
  public ObjectInfo copy(CopyRequest request) {
    check("copy", request.targetBucket(), request.targetName());
    return super.copy(request);
  }

  @Override
  public ObjectInfo compose(ComposeRequest request) {
    check("compose", request.bucket(), request.targetName());
    return super.compose(request);
  }

  @Override
  public ObjectInfo updateMetadata(ObjectId id, MetadataPatch patch, Conditions conditions) {
    check("updateMetadata", id.bucket(), id.name());
    return super.updateMetadata(id, patch, conditions);
  }

  @Override
  public URL signUrl(SignUrlRequest request) {
    check("signUrl", request.bucket(), request.name());
    return super.signUrl(request);
  }
}
