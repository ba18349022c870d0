package io.hybridstorage.routing.tck;

import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.routing.RoutingStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole TCK through the embedded default world a business unit gets with no configuration
 * ({@link HybridStorageOptions#inMemoryThreeSites()}): DUAL_WRITE_SYNC over three in-process sites,
 * no journal directory, so the journal lives in memory and every site call runs on the caller's
 * thread (issue 13). The other routing TCK classes journal to a directory through fault injectors.
 */
class EmbeddedDefaultTckTest extends RoutingTckBase {

  EmbeddedDefaultTckTest() {
    super(open());
  }

  private static RoutingStore open() {
    Map<String, ObjectStore> sites = new LinkedHashMap<>();
    for (String site : new String[] {HybridStorageOptions.GCP, HybridStorageOptions.DC1, HybridStorageOptions.DC2}) {
      sites.put(site, new InMemoryStore(site));
    }
    return RoutingStore.create(sites, HybridStorageOptions.inMemoryThreeSites().build());
  }
}
