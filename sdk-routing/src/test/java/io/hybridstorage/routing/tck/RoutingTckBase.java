package io.hybridstorage.routing.tck;

import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.routing.TestWorlds;
import io.hybridstorage.testkit.tck.ObjectStoreTck;
import org.junit.jupiter.api.AfterAll;

/**
 * The TCK over a {@code RoutingStore} on a three-site in-memory world (gcp authority, dc1 local,
 * dc2), one subclass per write policy. A fresh world per test.
 */
abstract class RoutingTckBase implements ObjectStoreTck {

  private final ObjectStore store;

  RoutingTckBase(WritePolicy policy) {
    this(TestWorlds.create(policy));
  }

  RoutingTckBase(AutoCloseable w) {
    this(TestWorlds.router(w), w);
  }

  /** A router that is its own world: closed when the next test opens its own. */
  RoutingTckBase(ObjectStore router) {
    this(router, router);
  }

  /** {@code store}, closed with {@code w} when the next test opens its own. */
  private RoutingTckBase(ObjectStore store, AutoCloseable w) {
    this.store = store;
    try {
      closePrevious(w);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public ObjectStore store() {
    return store;
  }

  /**
   * The TCK's own clean-up runs after {@code @AfterEach} methods and still needs the router, so a
   * world is closed when the next test opens one (and the last one after the class).
   */
  private static final java.util.concurrent.atomic.AtomicReference<AutoCloseable> previous =
      new java.util.concurrent.atomic.AtomicReference<>();

  private static void closePrevious(AutoCloseable next) throws Exception {
    AutoCloseable old = previous.getAndSet(next);
    if (old != null) {
      old.close();
    }
  }

  @AfterAll
  static void closeLastWorld() throws Exception {
    closePrevious(null);
  }
}
