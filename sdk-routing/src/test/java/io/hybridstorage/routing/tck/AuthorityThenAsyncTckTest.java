package io.hybridstorage.routing.tck;

import io.hybridstorage.api.WritePolicy;

/** The whole TCK through a RoutingStore whose placement writes with {@link WritePolicy#AUTHORITY_THEN_ASYNC}. */
class AuthorityThenAsyncTckTest extends RoutingTckBase {
  AuthorityThenAsyncTckTest() {
    super(WritePolicy.AUTHORITY_THEN_ASYNC);
  }
}
