package io.hybridstorage.routing.tck;

import io.hybridstorage.routing.TestWorlds;

/**
 * The whole TCK through a RoutingStore whose bucket placement has a nested placement for {@code a/}
 * on other sites: every listing with names inside and outside {@code a/} (prefixes, delimiters,
 * offsets, globs, versions, paging) is a merge of two placements' primaries and must read as one
 * store's.
 */
class NestedPlacementTckTest extends RoutingTckBase {
  NestedPlacementTckTest() {
    super(TestWorlds.createNested("a/"));
  }
}
