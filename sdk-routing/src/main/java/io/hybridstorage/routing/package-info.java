/**
 * Routing across sites: {@link io.hybridstorage.routing.RoutingStore} places, writes, replicates
 * and reads each object by the placement covering it (write policy, read policy, consistency),
 * keeps one generation per object version across sites, journals replica changes durably and
 * replays them, and verifies/repairs a bucket or prefix across sites.
 *
 * <p>Layout: this package holds what users need (the store; its settings, set in code or by the
 * configuration file's {@code routing:} section; listener and verify reports) and, package-private,
 * the parts the store hands its calls to (object routing, bucket fan-out, journal replay and drain,
 * verify/repair; see {@link io.hybridstorage.routing.RoutingStore}); {@code
 * routing.internal.policy} the write and read coordinators; {@code routing.internal.journal} the replication journal
 * and its replay; {@code routing.internal} the per-site resilience decorator, generation clock and
 * replicator.
 */
@javax.annotation.ParametersAreNonnullByDefault
package io.hybridstorage.routing;
