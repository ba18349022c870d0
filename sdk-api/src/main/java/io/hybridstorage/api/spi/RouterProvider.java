package io.hybridstorage.api.spi;

import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import java.util.Map;

/**
 * Builds the routing {@link ObjectStore} that spans several sites by the options' placements.
 * sdk-routing registers one through {@code META-INF/services}; {@link
 * HybridStorageOptions#getService()} uses it whenever more than one site is configured.
 */
public interface RouterProvider {

  /**
   * A store routing over {@code sites} (site name → that site's store, opened by {@link
   * StoreProvider}s) according to {@code options.placements()}. The router owns the site stores
   * and closes them when it is closed.
   */
  ObjectStore route(Map<String, ObjectStore> sites, HybridStorageOptions options);
}
