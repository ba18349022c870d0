/**
 * Internals of routing: the per-site resilience decorator ({@link
 * io.hybridstorage.routing.internal.ResilientStore}: Retry, CircuitBreaker, TimeLimiter,
 * Bulkhead), the generation clock, the replicator (the one place replica copies are made,
 * compare-and-skip) and the shared context. Not an API.
 */
@javax.annotation.ParametersAreNonnullByDefault
package io.hybridstorage.routing.internal;
