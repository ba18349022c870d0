/**
 * Fault injection for any {@link io.hybridstorage.api.ObjectStore}: {@link
 * io.hybridstorage.testkit.fault.FaultInjectingStore} decorates a store with seeded, replayable
 * {@link io.hybridstorage.testkit.fault.Fault}s chosen by {@link
 * io.hybridstorage.testkit.fault.FaultRule}s, live partitions, and a call log; {@link
 * io.hybridstorage.testkit.fault.ForwardingStoreTester} proves a decorator forwards faithfully.
 *
 * <p>Faults are named by where they strike ({@link io.hybridstorage.testkit.fault.Fault.Strike}):
 * before the call, in the request or response body, or after the store committed but before the
 * caller heard so.
 */
@javax.annotation.ParametersAreNonnullByDefault
package io.hybridstorage.testkit.fault;
