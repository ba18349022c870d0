package io.hybridstorage.vast;

import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.testkit.tck.ObjectStoreTck;
import io.hybridstorage.testkit.tck.Suppress;

/**
 * The contract suite (TCK) against VastStore on Adobe S3Mock 4.11.0, a real and independent S3
 * server. Preconditions are emulated in this process: S3Mock's conditional requests are
 * incomplete (see {@link VastStoreS3MockTest}), and the native path is proven with WireMock
 * ({@link VastStoreFaultTest}). Tests needing {@code OBJECT_VERSIONING} are skipped: VastStore
 * does not list or address noncurrent versions (501).
 */
@Suppress(test = "updateBucketChangesVersioningAndLabelsAndBumpsMetageneration",
    reason = "VastStore does not support bucket labels (501) and reports bucket metageneration 1: they would "
        + "live in S3 bucket tagging, which S3Mock 4.11.0 does not implement (it routes PUT ?tagging to "
        + "CreateBucket), so there is nothing to test it against")
@Suppress(test = "listOrdersNamesByUtf8BytesNotJavaStringOrder",
    reason = "S3Mock 4.11.0 lists keys in Java (UTF-16) order, S3 and VAST in UTF-8 byte order; VastStore keeps "
        + "the server's order and merges keys with common prefixes in UTF-8 order, proven against a "
        + "UTF-8-ordered server in VastStoreFaultTest.listingKeepsUtf8ByteOrderAcrossKeysAndPrefixes")
@Suppress(test = "concurrentOverwritesGetDistinctIncreasingGenerationsAndReadersSeeWholeValues",
    reason = "S3Mock 4.11.0 reads an object's metadata and its file separately, without isolation from a "
        + "concurrent overwrite: one GET returned generation N's headers with another version's body (and "
        + "once a body shorter than its Content-Length, which then timed out). VastStore takes headers and "
        + "body from one GET; S3 and VAST serve one version per GET. The writers' half (distinct, increasing "
        + "generations under contention) passes in VastStoreS3MockTest.concurrentWritersGetDistinctGenerations")
@Suppress(test = "concurrentConditionalIncrementsLoseNoUpdate",
    reason = "the same S3Mock 4.11.0 isolation defect: a GET racing an overwrite of its key got a body shorter "
        + "than its Content-Length and timed out (our retryable 503). The conditional read-modify-write "
        + "half passes in VastStoreS3MockTest.concurrentConditionalUpdatesLoseNoIncrement")
class VastStoreS3MockTckTest implements ObjectStoreTck {

  private static final VastStore STORE = VastTestSupport.s3MockStore();

  @Override
  public ObjectStore store() {
    return STORE;
  }
}
