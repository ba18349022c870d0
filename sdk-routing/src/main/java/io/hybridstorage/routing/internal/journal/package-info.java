/**
 * The replication journal: a durable local outbox of pending replica changes in an H2 MVStore
 * file, group-committed (one fsync per batch) and replayed in order per object by the {@link
 * io.hybridstorage.routing.internal.journal.Replayer}. Chosen over SQLite by {@code
 * JournalStoreChoiceBenchmark} (benchmarks module) and proven by the kill -9 test. Public only for
 * the routing package and the benchmarks; not an API.
 */
@javax.annotation.ParametersAreNonnullByDefault
package io.hybridstorage.routing.internal.journal;
