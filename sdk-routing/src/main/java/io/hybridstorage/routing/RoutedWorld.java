package io.hybridstorage.routing;

import static java.util.Objects.requireNonNull;

import io.hybridstorage.api.HybridStorage;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.spi.StoreDecorator;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * The world a configuration opens, as {@link HybridStorage#openStore} assembles it (sites, router,
 * decorators, the active profile's bound), with the router behind it in hand: for processes that
 * serve the world and also steer it — the operator's CLI, the sync process. With a single site
 * there is no router ({@link #router()} is empty).
 *
 * <p>The router is found by a {@link StoreDecorator} wrapped around the configured one, which records
 * the store it is given for the service and otherwise changes nothing. Closing the world closes
 * the store, the router and the sites.
 */
public final class RoutedWorld implements AutoCloseable {

  private final ObjectStore store;
  @Nullable private final RoutingStore router;

  private RoutedWorld(ObjectStore store, @Nullable RoutingStore router) {
    this.store = store;
    this.router = router;
  }

  /** Opens the world {@code options} configure (new stores: for the memory kind, an empty world). */
  public static RoutedWorld open(HybridStorageOptions options) {
    Capture capture = new Capture(options.storeDecorator());
    ObjectStore store = HybridStorage.openStore(options.toBuilder().storeDecorator(capture).build());
    return new RoutedWorld(store, capture.service instanceof RoutingStore r ? r : null);
  }

  /** The world's store, as a job's {@code Storage} would call it. */
  public ObjectStore store() {
    return store;
  }

  /** The router behind {@link #store()}; empty with one site. */
  public Optional<RoutingStore> router() {
    return Optional.ofNullable(router);
  }

  @Override
  public void close() {
    store.close();
  }

  /** Records the service store (the router) and otherwise leaves the configured decorator in charge. */
  private static final class Capture implements StoreDecorator {
    private final StoreDecorator inner;
    @Nullable private ObjectStore service;

    Capture(StoreDecorator inner) {
      this.inner = requireNonNull(inner, "inner");
    }

    @Override
    public ObjectStore site(SiteConfig site, ObjectStore store) {
      return inner.site(site, store);
    }

    @Override
    public ObjectStore service(ObjectStore store) {
      service = store;
      return inner.service(store);
    }

    @Override
    public String toString() {
      return inner.toString();
    }
  }
}
