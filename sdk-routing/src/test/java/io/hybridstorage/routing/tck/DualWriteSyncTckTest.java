package io.hybridstorage.routing.tck;

import io.hybridstorage.api.WritePolicy;

/** The whole TCK through a RoutingStore whose placement writes with {@link WritePolicy#DUAL_WRITE_SYNC}. */
class DualWriteSyncTckTest extends RoutingTckBase {
  DualWriteSyncTckTest() {
    super(WritePolicy.DUAL_WRITE_SYNC);
  }
}
