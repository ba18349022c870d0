package io.hybridstorage.testkit.fault;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.hybridstorage.api.SignUrlRequest;
import io.hybridstorage.api.WriteRequest;
import java.io.InputStream;
import java.net.URL;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tester must pass a faithful decorator and catch each way of not forwarding. */
class ForwardingStoreTesterTest {

  @Test
  void passesAFaithfulDecorator() {
    assertThatCode(() -> ForwardingStoreTester.testForwarding(Faithful::new)).doesNotThrowAnyException();
  }

  @Test
  void catchesADecoratorThatInheritsADefaultMethodInsteadOfForwardingIt() {
    assertThatThrownBy(() -> ForwardingStoreTester.testForwarding(InheritsWrite::new))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("write(WriteRequest, InputStream) is not forwarded faithfully")
        .hasMessageContaining("openWrite");
  }

  @Test
  void catchesAChangedArgument() {
    assertThatThrownBy(() -> ForwardingStoreTester.testForwarding(store -> new Faithful(store) {
      @Override
      public Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
        return super.head(id, Conditions.none());
      }
    })).isInstanceOf(AssertionError.class).hasMessageContaining("head(ObjectId, Conditions)")
        .hasMessageContaining("argument 1");
  }

  @Test
  void catchesASwallowedException() {
    assertThatThrownBy(() -> ForwardingStoreTester.testForwarding(store -> new Faithful(store) {
      @Override
      public boolean delete(ObjectId id, Conditions conditions) {
        try {
          return super.delete(id, conditions);
        } catch (RuntimeException e) {
          return false;
        }
      }
    })).isInstanceOf(AssertionError.class).hasMessageContaining("delete(ObjectId, Conditions)")
        .hasMessageContaining("swallowed");
  }

  @Test
  void catchesAWrappedContentThatDropsClose() {
    assertThatThrownBy(() -> ForwardingStoreTester.testForwarding(store -> new Faithful(store) {
      @Override
      public ObjectContent read(ReadRequest request) {
        ObjectContent content = super.read(request);
        return ObjectContent.of(content.info(), content.stream()); // closes the stream, not the content
      }
    })).isInstanceOf(AssertionError.class).hasMessageContaining("content close() not forwarded");
  }

  @Test
  void catchesADoubleCall() {
    assertThatThrownBy(() -> ForwardingStoreTester.testForwarding(store -> new Faithful(store) {
      @Override
      public ListPage<ObjectInfo> list(ListRequest request) {
        super.list(request);
        return super.list(request);
      }
    })).isInstanceOf(AssertionError.class).hasMessageContaining("exactly one call");
  }

  /** Forwards every abstract method but inherits {@code write(request, stream)}. */
  static class InheritsWrite implements ObjectStore {
    final ObjectStore delegate;

    InheritsWrite(ObjectStore delegate) {
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
    public URL signUrl(SignUrlRequest request) {
      return delegate.signUrl(request);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** Forwards everything. */
  static class Faithful extends InheritsWrite {
    Faithful(ObjectStore delegate) {
      super(delegate);
    }

    @Override
    public ObjectInfo write(WriteRequest request, InputStream data) {
      return delegate.write(request, data);
    }
  }
}
