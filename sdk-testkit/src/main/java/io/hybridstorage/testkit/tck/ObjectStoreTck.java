package io.hybridstorage.testkit.tck;

/**
 * The whole contract suite (TCK) of {@link io.hybridstorage.api.ObjectStore}: a backend works
 * when its test class passes it.
 *
 * <pre>{@code
 * class MyStoreTckTest implements ObjectStoreTck {
 *   final ObjectStore store = new MyStore(...);   // fresh per test, or a shared one
 *   @Override public ObjectStore store() { return store; }
 * }
 * }</pre>
 *
 * <p>One tester interface per operation area ({@link BucketTester}, {@link WriteReadTester},
 * {@link PreconditionTester}, {@link RangeReadTester}, {@link ChecksumTester}, {@link
 * DeclaredSizeTester}, {@link
 * ListingTester}, {@link PagingTester}, {@link VersioningTester}, {@link ComposeCopyTester},
 * {@link MetadataTester}, {@link NameTester}, {@link ConcurrencyTester}, {@link
 * CapabilityTester}, {@link TombstoneTester}); a backend may also implement only some of them. Tests needing an optional
 * {@link io.hybridstorage.api.Capability} carry {@link Requires} and are skipped, with the reason,
 * on stores without it; a known deviation is suppressed by name with {@link Suppress} and a
 * mandatory reason. See {@link StoreTester} for buckets and cleanup.
 */
public interface ObjectStoreTck extends BucketTester, NameTester, WriteReadTester, PreconditionTester,
    RangeReadTester, ChecksumTester, DeclaredSizeTester, ListingTester, PagingTester, VersioningTester, ComposeCopyTester,
    MetadataTester, ConcurrencyTester, CapabilityTester, TombstoneTester {
}
