/**
 * Test support for the Hybrid Storage SDK, published as {@code hybrid-storage-testkit}.
 *
 * <p>{@link io.hybridstorage.testkit.InMemoryStore} is one site with GCS semantics in memory: the
 * reference {@link io.hybridstorage.api.ObjectStore} and the building block of in-memory
 * multi-site worlds. Internally a store holds {@code MemoryBucket}s, each a skip list (in {@link
 * io.hybridstorage.api.Utf8Order}) from object name to an immutable {@code ObjectState} (live and
 * noncurrent versions) replaced by compare-and-set, so every change with its preconditions is
 * atomic per name without locks; {@code MemoryWriter} buffers a write privately until commit.
 *
 * <p>The contract suite lives in {@link io.hybridstorage.testkit.tck}.
 */
@javax.annotation.ParametersAreNonnullByDefault
package io.hybridstorage.testkit;
