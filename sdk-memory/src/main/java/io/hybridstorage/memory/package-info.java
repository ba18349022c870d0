/**
 * In-memory sites: {@link io.hybridstorage.memory.InMemoryStore}, an {@code ObjectStore} with GCS
 * semantics held in memory, and the {@code memory} site kind ({@link
 * io.hybridstorage.memory.MemoryStoreProvider}) that the embedded default world is made of. A
 * runtime artifact with no test libraries; the testkit builds on it.
 */
package io.hybridstorage.memory;
