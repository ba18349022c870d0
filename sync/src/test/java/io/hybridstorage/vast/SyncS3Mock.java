package io.hybridstorage.vast;

import java.net.URI;
import software.amazon.awssdk.services.s3.S3Client;

/** The sync tests' door to the shared S3Mock process of vast-tests' test-jar (package-private there). */
public final class SyncS3Mock {

  private SyncS3Mock() {}

  /** A VAST site {@code site} on the shared S3Mock, with its own tombstone bucket. */
  public static VastStore store(String site) {
    return VastStore.create(VastTestSupport.config(S3MockServer.endpoint()).site(site)
        .socketTimeout(java.time.Duration.ofSeconds(10)).tombstoneBucket("hs-tombstones-" + site).build());
  }

  /** A plain AWS SDK client, as an NFS gateway or an S3 tool on VAST writes. */
  public static S3Client rawClient() {
    return VastTestSupport.rawClient(S3MockServer.endpoint());
  }

  public static URI endpoint() {
    return S3MockServer.endpoint();
  }

  /** A fresh bucket name (S3Mock slows as a bucket fills). */
  public static String bucketName(String hint) {
    return VastTestSupport.bucketName(hint);
  }
}
