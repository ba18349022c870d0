package io.hybridstorage.vast;

import io.hybridstorage.api.BucketSpec;
import java.net.URI;
import java.util.Locale;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Stores and raw clients against the shared S3Mock (or any endpoint, e.g. WireMock). */
final class VastTestSupport {

  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test-access-key", "test-secret-key"));

  private VastTestSupport() {}

  /** A config for {@code endpoint}: small parts (5 MiB) so multipart paths run on small data. */
  static VastStoreConfig.Builder config(URI endpoint) {
    return VastStoreConfig.builder()
        .site("dc1")
        .endpoint(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS)
        .partSize(VastStoreConfig.MIN_PART_SIZE)
        .multipartThreshold(1024 * 1024)
        .uploadParallelism(2)
        .conditionalWrites(VastStoreConfig.ConditionalWrites.EMULATED);
  }

  /** The tombstone bucket of {@link #s3MockStore()}. */
  static final String TOMBSTONES = "hs-tombstones";

  static VastStore s3MockStore() {
    // a GET racing an overwrite in S3Mock can stall (see VastStoreS3MockTckTest): fail it sooner
    return VastStore.create(config(S3MockServer.endpoint()).socketTimeout(java.time.Duration.ofSeconds(10))
        .tombstoneBucket(TOMBSTONES).build());
  }

  /** A plain SDK client against the shared S3Mock, to plant foreign objects and inspect state. */
  static S3Client rawClient(URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  /** A fresh bucket name (S3Mock slows as a bucket fills: one small bucket per test). */
  static String bucketName(String hint) {
    return (hint + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
  }

  static String newBucket(VastStore store, String hint) {
    String bucket = bucketName(hint);
    store.createBucket(BucketSpec.of(bucket));
    return bucket;
  }
}
