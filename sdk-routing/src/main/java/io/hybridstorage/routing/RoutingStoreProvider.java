package io.hybridstorage.routing;

import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.spi.RouterProvider;
import java.util.Map;

/**
 * Registers {@link RoutingStore} as the {@link RouterProvider} (META-INF/services): the router of
 * {@code HybridStorageOptions.getService()}, tuned by the configuration's {@code routing:} section
 * ({@link RoutingSettings#withConfiguration}).
 */
public final class RoutingStoreProvider implements RouterProvider {

  /** Refuses an unknown routing key or a bad value, before any site is opened. */
  @Override
  public void check(HybridStorageOptions options) {
    RoutingSettings.defaults().withConfiguration(options.routing());
  }

  @Override
  public ObjectStore route(Map<String, ObjectStore> sites, HybridStorageOptions options) {
    return RoutingStore.create(sites, options);
  }
}
