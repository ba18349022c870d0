package io.hybridstorage.routing.tck;

import io.hybridstorage.api.WritePolicy;

/** The whole TCK through a RoutingStore whose placement writes with {@link WritePolicy#QUORUM}. */
class QuorumTckTest extends RoutingTckBase {
  QuorumTckTest() {
    super(WritePolicy.QUORUM);
  }
}
