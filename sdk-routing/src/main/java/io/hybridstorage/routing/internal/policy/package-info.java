/**
 * Write and read policies: {@link io.hybridstorage.routing.internal.policy.Route} resolves a placement to
 * sites, {@link io.hybridstorage.routing.internal.policy.WriteCoordinator} carries out changes and applies
 * the acknowledgement rule (streamed writes through a parallel tee or primary first, deletes, and
 * metadata patches, copies and composes each in a package-private class of their own), {@link
 * io.hybridstorage.routing.internal.policy.ReadCoordinator} serves reads by read policy and consistency
 * level, {@link io.hybridstorage.routing.internal.policy.SessionTracker} remembers this router's own
 * changes for SESSION reads. Public only for the routing package; not an API.
 */
@javax.annotation.ParametersAreNonnullByDefault
package io.hybridstorage.routing.internal.policy;
