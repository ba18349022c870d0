package io.hybridstorage.testkit.fault;

import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.WriteRequest;
import java.io.InputStream;

/** Test support: forwards every method; extend it to plant a bug in one. */
public class FaithfulStore extends InheritsWrite {
  public FaithfulStore(ObjectStore delegate) {
    super(delegate);
  }

  @Override
  public ObjectInfo write(WriteRequest request, InputStream data) {
    return delegate.write(request, data);
  }
}
