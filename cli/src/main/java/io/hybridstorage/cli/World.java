package io.hybridstorage.cli;

import com.google.cloud.storage.Storage;
import io.hybridstorage.api.HybridStorage;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.routing.RoutedWorld;
import io.hybridstorage.routing.RoutingStore;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * The configured world one command runs against: the store {@link HybridStorage#openStore}
 * assembles (sites, router, decorators, the active profile's bound), the hybrid {@code Storage}
 * over it, and the router behind it for the operator's controls (journal, verify/repair, each
 * site's store). With a single site there is no router: {@link #router()} is empty.
 *
 * <p>The router is found by {@link RoutedWorld#open}. Closing the world closes the stores (the
 * router keeps a journal's pending entries in its directory for the next process).
 */
final class World implements AutoCloseable {

  private final HybridStorageOptions options;
  private final ObjectStore store;
  @Nullable private final RoutingStore router;
  private final Storage storage;
  private final boolean owned;

  private World(HybridStorageOptions options, ObjectStore store, @Nullable RoutingStore router, Storage storage,
      boolean owned) {
    this.options = options;
    this.store = store;
    this.router = router;
    this.storage = storage;
    this.owned = owned;
  }

  /** Opens the world {@code options} configure (new stores: for the memory kind, an empty world). */
  static World open(HybridStorageOptions options) {
    RoutedWorld opened = RoutedWorld.open(options);
    ObjectStore store = opened.store();
    return new World(options, store, opened.router().orElse(null), HybridStorage.over(store, options.projectId()),
        true);
  }

  /** This world seen by a command that must not close it (tests share one world across commands). */
  World borrowed() {
    return new World(options, store, router, storage, false);
  }

  HybridStorageOptions options() {
    return options;
  }

  /** The hybrid {@code Storage}: what a job would call. */
  Storage storage() {
    return storage;
  }

  ObjectStore store() {
    return store;
  }

  Optional<RoutingStore> router() {
    return Optional.ofNullable(router);
  }

  /** Each site's store: the router's (behind its breaker), or the only site's. */
  Map<String, ObjectStore> siteStores() {
    if (router != null) {
      return router.siteStores();
    }
    return Map.of(options.sites().keySet().iterator().next(), store);
  }

  /**
   * The router, or a usage error naming the command when the configuration has one site only
   * (journal, verify and repair exist only between sites).
   */
  RoutingStore requireRouter(String command) {
    if (router == null) {
      throw new UsageException(command + " needs a configuration of several sites (a router); this one has "
          + options.sites().keySet());
    }
    return router;
  }

  @Override
  public void close() throws Exception {
    if (owned) {
      storage.close(); // closes the store, the router and the sites
    }
  }
}
