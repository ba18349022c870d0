package io.hybridstorage.testkit;

import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.testkit.tck.ObjectStoreTck;

/** The reference backend passes the whole TCK, with nothing skipped. */
class InMemoryStoreTckTest implements ObjectStoreTck {

  private final InMemoryStore store = new InMemoryStore("mem");

  @Override
  public ObjectStore store() {
    return store;
  }
}
