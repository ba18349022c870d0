package io.hybridstorage.api.spi;

import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SiteConfig;

/**
 * Wraps the stores that {@link io.hybridstorage.api.HybridStorageOptions#getService()} assembles,
 * at the two points where a wrapper must sit inside the stack rather than around the finished
 * {@code Storage}:
 *
 * <pre>
 * StorageFacade
 *   → ProfileGuardStore (only with an active BU profile)
 *     → service(the router, or the only site's store)        ← {@link #service}
 *       → site(site, the store its StoreProvider opened)     ← {@link #site}, once per site
 * </pre>
 *
 * <p>Used by the testkit (its JUnit extension puts a fault injector in front of every site and
 * keeps the router to drain its journal) and by instrumentation (metrics per site). It is code,
 * not configuration: set it with {@link io.hybridstorage.api.HybridStorageOptions.Builder#storeDecorator}; the
 * YAML configuration never sets one.
 *
 * <p>Contract: called on the thread calling {@code getService()}, once per site in configuration
 * order, then once for the service store, for every {@code getService()} call (each opens new
 * stores). A returned wrapper owns what it wraps: closing it must close the wrapped store, since
 * the router (or the facade) closes only what it was given. If a call throws, the stores opened so
 * far are closed and {@code getService()} rethrows.
 */
public interface StoreDecorator {

  /** Wraps one site's store before the router sees it; the default returns it unchanged. */
  default ObjectStore site(SiteConfig site, ObjectStore store) {
    return store;
  }

  /**
   * Wraps the store the facade will serve: the router's store with several sites, the only site's
   * (already {@link #site}-wrapped) store with one. The default returns it unchanged.
   */
  default ObjectStore service(ObjectStore store) {
    return store;
  }
}
