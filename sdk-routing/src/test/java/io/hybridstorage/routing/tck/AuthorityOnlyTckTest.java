package io.hybridstorage.routing.tck;

import io.hybridstorage.api.WritePolicy;

/** The whole TCK through a RoutingStore whose placement writes with {@link WritePolicy#AUTHORITY_ONLY}. */
class AuthorityOnlyTckTest extends RoutingTckBase {
  AuthorityOnlyTckTest() {
    super(WritePolicy.AUTHORITY_ONLY);
  }
}
