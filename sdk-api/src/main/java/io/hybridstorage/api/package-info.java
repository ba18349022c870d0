/**
 * The Hybrid Storage SDK's public surface.
 *
 * <p>Users meet {@code com.google.cloud.storage.Storage}: {@link
 * io.hybridstorage.api.HybridStorageOptions} hands one out. Backends implement the small {@link
 * io.hybridstorage.api.ObjectStore} SPI with the value types of this package and prove it by
 * passing the contract suite in {@code sdk-testkit}.
 *
 * <p>Layers (DESIGN.md): {@code Storage} facade → {@code ObjectStore} decorators (routing,
 * resilience, faults, metrics) → one {@code ObjectStore} per site (GCS, VAST, in memory).
 * Dependencies point down only; this module knows no backend.
 */
@javax.annotation.ParametersAreNonnullByDefault
package io.hybridstorage.api;
