package io.hybridstorage.routing.tck;

import io.hybridstorage.api.WritePolicy;

/** The whole TCK through a RoutingStore whose placement writes with {@link WritePolicy#LOCAL_THEN_ASYNC}. */
class LocalThenAsyncTckTest extends RoutingTckBase {
  LocalThenAsyncTckTest() {
    super(WritePolicy.LOCAL_THEN_ASYNC);
  }
}
