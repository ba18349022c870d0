package io.hybridstorage.routing.tck;

import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.routing.TestWorlds;
import io.hybridstorage.testkit.tck.ObjectStoreTck;
import org.junit.jupiter.api.AfterEach;

/**
 * The TCK over a {@code RoutingStore} on a three-site in-memory world (gcp authority, dc1 local,
 * dc2), one subclass per write policy. A fresh world per test.
 */
abstract class RoutingTckBase implements ObjectStoreTck {

  private final AutoCloseable world;
  private final ObjectStore store;

  RoutingTckBase(WritePolicy policy) {
    var w = TestWorlds.create(policy);
    this.world = w;
    this.store = TestWorlds.router(w);
  }

  @Override
  public ObjectStore store() {
    return store;
  }

  @AfterEach
  void closeWorld() throws Exception {
    world.close();
  }
}
