package io.hybridstorage.routing;

import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.WritePolicy;

/** Opens {@link World}s for tests in other packages. */
public final class TestWorlds {
  private TestWorlds() {}

  public static AutoCloseable create(WritePolicy policy) {
    return new World(policy);
  }

  public static ObjectStore router(AutoCloseable world) {
    return ((World) world).router;
  }
}
