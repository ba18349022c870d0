package io.hybridstorage.testkit.tck;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.ObjectStore;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The root of every TCK tester: the store under test and unique, self-cleaning buckets.
 *
 * <p>{@link #store()} must return the same store for the whole of one test (a field initialized
 * per test instance, or one shared store): tests call it many times. Tests create only buckets
 * from {@link #newBucket()} or {@link #uniqueBucketName()}, with random names, so many runs can
 * share one real server; after each test the TCK deletes those buckets and every version in them
 * (failures to clean up are logged, not fatal). Buckets stay small (at most a few dozen objects)
 * because S3-backed servers manage about 50 PUTs per second.
 */
@ExtendWith(TckExtension.class)
public interface StoreTester {

  /** The store under test; the same instance throughout one test. */
  ObjectStore store();

  /** Creates a bucket (versioning off) with a unique name; deleted after the test. */
  default String newBucket() {
    return newBucket(false);
  }

  /** Creates a bucket with a unique name and the given versioning; deleted after the test. */
  default String newBucket(boolean versioning) {
    String name = uniqueBucketName();
    store().createBucket(BucketSpec.of(name).withVersioning(versioning));
    return name;
  }

  /**
   * A unique valid bucket name ({@code tck-} and 12 random characters), not created, but deleted
   * after the test if the test created it.
   */
  default String uniqueBucketName() {
    String name = Tck.randomBucketName();
    TckExtension.track(this, name);
    return name;
  }
}
