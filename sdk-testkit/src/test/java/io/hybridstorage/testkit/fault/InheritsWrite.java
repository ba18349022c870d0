package io.hybridstorage.testkit.fault;

import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SignUrlRequest;
import io.hybridstorage.testkit.ForwardingStore;
import java.net.URL;

/** Test support: forwards every method but inherits the default {@code write(request, stream)}. */
public class InheritsWrite extends ForwardingStore {

  public InheritsWrite(ObjectStore delegate) {
    super(delegate);
  }

  @Override
  public URL signUrl(SignUrlRequest request) {
    return delegate.signUrl(request);
  }
}
