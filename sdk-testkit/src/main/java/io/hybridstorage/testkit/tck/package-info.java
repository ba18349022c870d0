/**
 * The contract suite (TCK) of {@link io.hybridstorage.api.ObjectStore}, after guava-testlib's
 * testers: JUnit 5 interfaces of {@code @Test default} methods, one per operation area, combined
 * in {@link io.hybridstorage.testkit.tck.ObjectStoreTck}. A backend's test class implements it
 * and supplies {@code store()}. {@link io.hybridstorage.testkit.tck.Requires} gates tests on
 * {@link io.hybridstorage.api.Capability capabilities}; {@link
 * io.hybridstorage.testkit.tck.Suppress} suppresses a known deviation with a reason. See the
 * module's README.
 */
@javax.annotation.ParametersAreNonnullByDefault
package io.hybridstorage.testkit.tck;
