package io.hybridstorage.testkit;

import io.hybridstorage.api.BucketInfo;
import io.hybridstorage.api.BucketListRequest;
import io.hybridstorage.api.BucketPatch;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.ComposeRequest;
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
import io.hybridstorage.api.WriteRequest;
import java.util.Optional;
import java.util.Set;

/** Forwards every call; tests override one method to make a store that lacks or breaks something. */
class ForwardingStore implements ObjectStore {

  final ObjectStore delegate;

  ForwardingStore(ObjectStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public String site() {
    return delegate.site();
  }

  @Override
  public Set<Capability> capabilities() {
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
  public boolean delete(ObjectId id, Conditions conditions) {
    return delegate.delete(id, conditions);
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
  public void close() {
    delegate.close();
  }
}
