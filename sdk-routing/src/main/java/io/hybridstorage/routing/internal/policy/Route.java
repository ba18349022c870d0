package io.hybridstorage.routing.internal.policy;

import io.hybridstorage.api.Placement;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.routing.internal.RoutingContext;
import io.hybridstorage.routing.internal.SiteHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * A placement resolved to sites: which site decides (the primary), which are written before the
 * acknowledgement, which are journaled, and how many acknowledgements a write needs.
 *
 * <table>
 *   <caption>Per write policy</caption>
 *   <tr><th>policy</th><th>primary</th><th>synchronous</th><th>journaled</th><th>acks</th><th>journal fsync before ack</th></tr>
 *   <tr><td>AUTHORITY_ONLY</td><td>authority</td><td>-</td><td>others</td><td>1</td><td>no (best effort)</td></tr>
 *   <tr><td>DUAL_WRITE_SYNC</td><td>authority</td><td>others</td><td>failed ones</td><td>all (or the healthy ones)</td><td>yes</td></tr>
 *   <tr><td>QUORUM</td><td>authority</td><td>others</td><td>failed and slower ones</td><td>W</td><td>yes</td></tr>
 *   <tr><td>AUTHORITY_THEN_ASYNC</td><td>authority</td><td>-</td><td>others</td><td>1</td><td>yes</td></tr>
 *   <tr><td>LOCAL_THEN_ASYNC</td><td>local site</td><td>-</td><td>others (with the authority)</td><td>1</td><td>yes</td></tr>
 * </table>
 */
public record Route(
    Placement placement,
    SiteHandle primary,
    SiteHandle authority,
    List<SiteHandle> synchronous,
    List<SiteHandle> journaled,
    int requiredAcks,
    boolean waitForAll,
    boolean durableJournal) {

  /** Resolves {@code p} in {@code context}. */
  public static Route of(Placement p, RoutingContext context) {
    SiteHandle authority = context.authority(p);
    SiteHandle primary = p.writePolicy() == WritePolicy.LOCAL_THEN_ASYNC
        ? context.site(context.options().localSite().orElseThrow())
        : authority;
    List<SiteHandle> others = new ArrayList<>();
    for (String name : p.replicas()) {
      if (!name.equals(primary.name())) {
        others.add(context.site(name));
      }
    }
    int n = p.replicas().size();
    return switch (p.writePolicy()) {
      case AUTHORITY_ONLY -> new Route(p, primary, authority, List.of(), others, 1, false, false);
      case AUTHORITY_THEN_ASYNC, LOCAL_THEN_ASYNC -> new Route(p, primary, authority, List.of(), others, 1, false,
          true);
      case DUAL_WRITE_SYNC -> new Route(p, primary, authority, others, List.of(),
          p.failWritesWhenReplicaDown() ? n : 1, true, true);
      case QUORUM -> new Route(p, primary, authority, others, List.of(), p.writeQuorum(), false, true);
    };
  }

  /**
   * The route of a change with preconditions: under LOCAL_THEN_ASYNC every datacenter decides its
   * own unconditional writes, but a precondition must be decided in one place for all of them
   * (two conditional writes on one generation through two datacenters must not both succeed), so
   * it goes to the authority; the local site follows synchronously (so this router reads its own
   * change there, when it answers) and the other replicas are journaled. Other policies decide at
   * the authority already: this route.
   */
  public Route forConditions(boolean conditional) {
    if (!conditional || primary.name().equals(authority.name())) {
      return this;
    }
    List<SiteHandle> others = new ArrayList<>();
    for (SiteHandle s : journaled) {
      if (!s.name().equals(authority.name())) {
        others.add(s);
      }
    }
    return new Route(placement, authority, authority, List.of(primary), List.copyOf(others), 1, true, true);
  }

  /** Whether the caller's write fails when a synchronous replica is down (instead of degrading). */
  public boolean failsWhenReplicaDown() {
    return requiredAcks > 1 && waitForAll;
  }
}
