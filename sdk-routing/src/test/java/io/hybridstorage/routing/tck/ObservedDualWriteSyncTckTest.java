package io.hybridstorage.routing.tck;

import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.routing.RoutedCall;
import io.hybridstorage.routing.RoutingListener;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.routing.SiteCall;
import io.hybridstorage.routing.TestWorlds;

/**
 * The whole TCK through a DUAL_WRITE_SYNC router that has a listener: every call then runs in a
 * call scope and every streamed write through the observing writer, which must change nothing
 * the contract says.
 */
class ObservedDualWriteSyncTckTest extends RoutingTckBase {

  ObservedDualWriteSyncTckTest() {
    super(observed(TestWorlds.create(WritePolicy.DUAL_WRITE_SYNC)));
  }

  private static AutoCloseable observed(AutoCloseable world) {
    ((RoutingStore) TestWorlds.router(world)).addListener(new RoutingListener() {
      @Override
      public void siteCallFinished(SiteCall call) {
        call.mutating();
      }

      @Override
      public void routedCallFinished(RoutedCall call) {
        call.sitesTouched();
        call.sitesAcknowledged();
        call.policy();
      }
    });
    return world;
  }
}
