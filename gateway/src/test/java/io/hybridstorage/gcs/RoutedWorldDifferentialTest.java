package io.hybridstorage.gcs;

import com.google.cloud.storage.Storage;
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.HybridStorage;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.WritePolicy;

/**
 * {@link FacadeDifferentialTest}'s scenarios with the gateway serving a routed three-site world
 * (gcp, dc1, dc2; every write to all three, strong reads): the real client over HTTP must see
 * what an in-process {@code Storage} over the same kind of world sees. The gateway serves
 * whatever the router does.
 */
class RoutedWorldDifferentialTest extends FacadeDifferentialTest {

  private static HybridStorageOptions world() {
    return HybridStorageOptions.newBuilder()
        .site(SiteConfig.memory("gcp", java.time.Duration.ZERO))
        .site(SiteConfig.memory("dc1", java.time.Duration.ZERO))
        .site(SiteConfig.memory("dc2", java.time.Duration.ZERO))
        .localSite("dc1")
        .placement(Placement.builder(Placement.ANY_BUCKET)
            .replicas("gcp", "dc1", "dc2")
            .authority("gcp")
            .write(WritePolicy.DUAL_WRITE_SYNC)
            .read(ReadPolicy.NEAREST_VERIFIED)
            .consistency(Consistency.STRONG)
            .build())
        .build();
  }

  @Override
  ObjectStore gatewayStore() {
    return HybridStorage.openStore(world());
  }

  @Override
  Storage facade() {
    return world().getService();
  }
}
