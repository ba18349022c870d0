package io.hybridstorage.routing;

import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.WritePolicy;
import java.time.Clock;
import java.util.List;

/** Opens {@link World}s for tests in other packages. */
public final class TestWorlds {
  private TestWorlds() {}

  public static AutoCloseable create(WritePolicy policy) {
    return new World(policy);
  }

  /**
   * A world whose bucket placement ({@code *}: gcp, dc1, dc2, authority gcp, DUAL_WRITE_SYNC) has a
   * nested placement for the prefix {@code nestedPrefix} (dc1, dc2, authority dc1, DUAL_WRITE_SYNC):
   * names under it live on other sites, so listings merge two placements.
   */
  public static AutoCloseable createNested(String nestedPrefix) {
    Placement nested = Placement.builder(Placement.ANY_BUCKET).prefix(nestedPrefix).replicas(World.DC1, World.DC2)
        .authority(World.DC1).write(WritePolicy.DUAL_WRITE_SYNC).read(ReadPolicy.NEAREST_VERIFIED)
        .consistency(Consistency.STRONG).build();
    return new World(List.of(World.placement(WritePolicy.DUAL_WRITE_SYNC), nested), Clock.systemUTC(),
        World.testSettings());
  }

  public static ObjectStore router(AutoCloseable world) {
    return ((World) world).router;
  }
}
