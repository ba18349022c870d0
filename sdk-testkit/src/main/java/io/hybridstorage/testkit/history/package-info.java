/**
 * Histories of operations on objects, and checks of what they must satisfy.
 *
 * <p>{@link io.hybridstorage.testkit.history.HistoryRecorder} records every operation's invocation
 * and response, across threads and sites, through a recording {@link
 * io.hybridstorage.api.ObjectStore} decorator or by hand; {@link
 * io.hybridstorage.testkit.history.History#builder()} writes histories by hand, event by event, as
 * Jepsen and Knossos do. {@link io.hybridstorage.testkit.history.HistoryChecker} checks that no
 * acknowledged write was lost, that generations increase, and that each object's history is
 * linearizable (read / write / compare-and-set / delete registers, with ops of unknown outcome),
 * and reports a violation as the few ops that show it.
 */
@javax.annotation.ParametersAreNonnullByDefault
package io.hybridstorage.testkit.history;
