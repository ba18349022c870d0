/**
 * Test support for the Hybrid Storage SDK, published as {@code hybrid-storage-testkit}.
 *
 * <p>{@link io.hybridstorage.memory.InMemoryStore} (in {@code hybrid-storage-memory}, a runtime
 * artifact without test libraries, which this one builds on) is one site with GCS semantics in
 * memory: the reference {@link io.hybridstorage.api.ObjectStore} and the building block of
 * in-memory multi-site worlds. Internally a store holds {@code MemoryBucket}s, each a skip list (in {@link
 * io.hybridstorage.api.Utf8Order}) from object name to an immutable {@code ObjectState} (live and
 * noncurrent versions) replaced by compare-and-set, so every change with its preconditions is
 * atomic per name without locks; {@code MemoryWriter} buffers a write privately until commit.
 *
 * <p>{@link io.hybridstorage.testkit.HybridWorld} is a whole hybrid world for one test: the
 * {@code Storage} of {@code HybridStorageOptions.getService()} with a fault injector in front of
 * every site and the sites' own stores to assert on; {@link
 * io.hybridstorage.testkit.HybridStorageExtension} (and {@link
 * io.hybridstorage.testkit.HybridStorageTest}) is its thin JUnit 5 glue.
 *
 * <p>The contract suite lives in {@link io.hybridstorage.testkit.tck}, fault injection in {@link
 * io.hybridstorage.testkit.fault}, virtual time in {@link io.hybridstorage.testkit.time}.
 */
@javax.annotation.ParametersAreNonnullByDefault
package io.hybridstorage.testkit;
