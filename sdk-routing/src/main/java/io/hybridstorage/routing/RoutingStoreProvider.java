package io.hybridstorage.routing;

import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.spi.RouterProvider;
import java.util.Map;

/** Registers {@link RoutingStore} as the {@link RouterProvider} (META-INF/services). */
public final class RoutingStoreProvider implements RouterProvider {

  @Override
  public ObjectStore route(Map<String, ObjectStore> sites, HybridStorageOptions options) {
    return RoutingStore.create(sites, options);
  }
}
