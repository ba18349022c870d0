package io.hybridstorage.vast;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.annotation.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The immutable settings of one {@link VastStore}: where the S3 endpoint is, which CAs to trust
 * for it, how to sign, the HTTP client's pool and timeouts, and how large objects are uploaded. Built with {@link
 * #builder()}; {@link Builder#build()} rejects impossible values with a message naming the field.
 *
 * <p>Heap used by one streaming upload is at most {@code partSize × uploadParallelism}, whatever
 * the object size; the largest object one upload can write is {@code partSize × 10,000} (S3's
 * part limit).
 */
public final class VastStoreConfig {

  /** S3's smallest part (all parts but the last). */
  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
  /** S3's largest part and largest single PUT / CopyObject. */
  public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
  /** S3's largest number of parts in one multipart upload. */
  public static final int MAX_PARTS = 10_000;

  /** How {@link VastStore} decides preconditions (see {@link VastStore}). */
  public enum ConditionalWrites {
    /**
     * At start, write, overwrite and delete a probe object in {@link #probeBucket()} with
     * If-None-Match / If-Match on PutObject, CopyObject and CompleteMultipartUpload; native if the
     * server honours every one of them, emulated otherwise. Without a probe bucket: emulated.
     */
    PROBE,
    /** Trust the server's conditional requests without probing. */
    NATIVE,
    /** Never send conditional headers; decide preconditions under a per-key lock in this process. */
    EMULATED
  }

  private final String site;
  private final URI endpoint;
  private final Region region;
  private final boolean pathStyle;
  private final AwsCredentialsProvider credentialsProvider;
  private final int maxConnections;
  private final Duration connectionTimeout;
  private final Duration socketTimeout;
  private final Duration connectionAcquisitionTimeout;
  @Nullable private final Duration apiCallAttemptTimeout;
  private final int maxAttempts;
  private final long multipartThreshold;
  private final long partSize;
  private final int uploadParallelism;
  private final ConditionalWrites conditionalWrites;
  @Nullable private final String probeBucket;
  @Nullable private final String tombstoneBucket;
  private final Duration tombstoneRetention;
  private final boolean recordMultipartChecksums;
  private final long singlePutLimit;
  @Nullable private final Path trustedCertificates;
  private final List<X509Certificate> trustedCertificateList;

  private VastStoreConfig(Builder b, List<X509Certificate> trustedCertificateList) {
    this.site = b.site;
    this.endpoint = b.endpoint;
    this.region = b.region;
    this.pathStyle = b.pathStyle;
    this.credentialsProvider = b.credentialsProvider;
    this.maxConnections = b.maxConnections;
    this.connectionTimeout = b.connectionTimeout;
    this.socketTimeout = b.socketTimeout;
    this.connectionAcquisitionTimeout = b.connectionAcquisitionTimeout;
    this.apiCallAttemptTimeout = b.apiCallAttemptTimeout;
    this.maxAttempts = b.maxAttempts;
    this.multipartThreshold = b.multipartThreshold;
    this.partSize = b.partSize;
    this.uploadParallelism = b.uploadParallelism;
    this.conditionalWrites = b.conditionalWrites;
    this.probeBucket = b.probeBucket;
    this.tombstoneBucket = b.tombstoneBucket;
    this.tombstoneRetention = b.tombstoneRetention;
    this.recordMultipartChecksums = b.recordMultipartChecksums;
    this.singlePutLimit = b.singlePutLimit;
    this.trustedCertificates = b.trustedCertificates;
    this.trustedCertificateList = trustedCertificateList;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The site name used in every error message, e.g. {@code dc1}. */
  public String site() {
    return site;
  }

  public URI endpoint() {
    return endpoint;
  }

  public Region region() {
    return region;
  }

  /** Path-style addressing ({@code http://host/bucket/key}); VAST and most on-prem S3 need it. */
  public boolean pathStyle() {
    return pathStyle;
  }

  public AwsCredentialsProvider credentialsProvider() {
    return credentialsProvider;
  }

  public int maxConnections() {
    return maxConnections;
  }

  public Duration connectionTimeout() {
    return connectionTimeout;
  }

  /** The longest wait for the next bytes on an open connection (a slow body fails after it). */
  public Duration socketTimeout() {
    return socketTimeout;
  }

  public Duration connectionAcquisitionTimeout() {
    return connectionAcquisitionTimeout;
  }

  /** The longest one HTTP attempt may take, or null for none (large bodies take long). */
  @Nullable
  public Duration apiCallAttemptTimeout() {
    return apiCallAttemptTimeout;
  }

  /** Attempts per S3 call, first included (the SDK's standard retry strategy). */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Writes of at most this many bytes are one PutObject; longer ones a multipart upload. */
  public long multipartThreshold() {
    return multipartThreshold;
  }

  public long partSize() {
    return partSize;
  }

  /** Parts of one upload in flight at once (each holds {@link #partSize()} bytes of heap). */
  public int uploadParallelism() {
    return uploadParallelism;
  }

  public ConditionalWrites conditionalWrites() {
    return conditionalWrites;
  }

  /** The bucket the {@link ConditionalWrites#PROBE} probe writes a temporary object into. */
  @Nullable
  public String probeBucket() {
    return probeBucket;
  }

  /**
   * The bucket holding the tombstones of deleted keys (one empty marker object per key deleted
   * within {@link #tombstoneRetention()}; see {@code Tombstones}), or null to keep them in this
   * process's memory only. Every process writing to the site must name the same bucket, and no
   * user data may live in it. It is created if absent. Give it an S3 lifecycle rule that expires
   * objects after the retention plus a day.
   */
  @Nullable
  public String tombstoneBucket() {
    return tombstoneBucket;
  }

  /**
   * How long a deleted key's tombstone is kept (default 7 days): within it, a write assigned a
   * generation at or below the deleted one is refused (412), and the store's own generations stay
   * above it. A replica must receive every delete and older write within this window — longer than
   * the longest outage the replication journal is meant to ride out.
   */
  public Duration tombstoneRetention() {
    return tombstoneRetention;
  }

  /**
   * Whether a streamed upload (multipart, or a {@link #singlePutLimit() single streamed PUT}) whose
   * CRC32C the caller did not give records the computed CRC32C and MD5 after it completes, by a server-side copy of the object onto itself (default true, so
   * every object we write has a CRC32C, as in GCS). The copy costs the server a rewrite of the
   * object (on S3Mock it halves upload throughput); false leaves such objects' checksums unknown.
   */
  public boolean recordMultipartChecksums() {
    return recordMultipartChecksums;
  }

  /**
   * Writes whose size the caller declares ({@link io.hybridstorage.api.WriteRequest#expectedSize()})
   * above {@link #multipartThreshold()} and up to this go up as one PutObject streamed while the
   * caller writes (heap: {@code partSize}): no multipart completion and, when the caller gives the
   * CRC32C, no copy to record it. Larger ones, and those of unknown size, are multipart uploads,
   * whose parts go up in parallel. One PUT is one connection: raise this where a single stream
   * fills the link, lower it where parallel parts are faster. 0 turns it off; at most 5 GiB. With
   * anonymous credentials the SDK reads a body twice (it hashes it first, over http and https
   * alike), so such a store never streams a PUT.
   */
  public long singlePutLimit() {
    return singlePutLimit;
  }

  /**
   * A PEM bundle of CA certificates trusted for the https endpoint <em>in addition to</em> the JVM's
   * default trust, or null for the JVM's default trust alone. It is read when the config is built,
   * so a later change of the file takes effect with the next config. An on-prem cluster whose
   * certificate comes from an internal CA needs it, unless that CA is trusted JVM-wide.
   */
  @Nullable
  public Path trustedCertificates() {
    return trustedCertificates;
  }

  /** The certificates read from {@link #trustedCertificates()} when this was built (empty without). */
  List<X509Certificate> trustedCertificateList() {
    return trustedCertificateList;
  }

  @Override
  public String toString() {
    return "VastStoreConfig{site=" + site + ", endpoint=" + endpoint + ", region=" + region
        + ", pathStyle=" + pathStyle + ", maxConnections=" + maxConnections
        + ", partSize=" + partSize + ", uploadParallelism=" + uploadParallelism
        + ", singlePutLimit=" + singlePutLimit
        + (trustedCertificates == null ? "" : ", trustedCertificates=" + trustedCertificates)
        + (tombstoneBucket == null ? "" : ", tombstoneBucket=" + tombstoneBucket)
        + ", tombstoneRetention=" + tombstoneRetention
        + ", conditionalWrites=" + conditionalWrites + "}";
  }

  /** Builds a {@link VastStoreConfig}; {@code site} and {@code endpoint} are required. */
  public static final class Builder {
    private String site;
    private URI endpoint;
    private Region region = Region.US_EAST_1;
    private boolean pathStyle = true;
    private AwsCredentialsProvider credentialsProvider;
    private int maxConnections = 64;
    private Duration connectionTimeout = Duration.ofSeconds(5);
    private Duration socketTimeout = Duration.ofSeconds(30);
    private Duration connectionAcquisitionTimeout = Duration.ofSeconds(10);
    @Nullable private Duration apiCallAttemptTimeout;
    private int maxAttempts = 3;
    private long multipartThreshold = 16L * 1024 * 1024;
    private long partSize = 16L * 1024 * 1024;
    private int uploadParallelism = 4;
    private ConditionalWrites conditionalWrites = ConditionalWrites.PROBE;
    @Nullable private String probeBucket;
    @Nullable private String tombstoneBucket;
    private Duration tombstoneRetention = Duration.ofDays(7);
    private boolean recordMultipartChecksums = true;
    private long singlePutLimit = 1024L * 1024 * 1024;
    @Nullable private Path trustedCertificates;

    private Builder() {}

    private Builder(VastStoreConfig c) {
      site = c.site;
      endpoint = c.endpoint;
      region = c.region;
      pathStyle = c.pathStyle;
      credentialsProvider = c.credentialsProvider;
      maxConnections = c.maxConnections;
      connectionTimeout = c.connectionTimeout;
      socketTimeout = c.socketTimeout;
      connectionAcquisitionTimeout = c.connectionAcquisitionTimeout;
      apiCallAttemptTimeout = c.apiCallAttemptTimeout;
      maxAttempts = c.maxAttempts;
      multipartThreshold = c.multipartThreshold;
      partSize = c.partSize;
      uploadParallelism = c.uploadParallelism;
      conditionalWrites = c.conditionalWrites;
      probeBucket = c.probeBucket;
      tombstoneBucket = c.tombstoneBucket;
      tombstoneRetention = c.tombstoneRetention;
      recordMultipartChecksums = c.recordMultipartChecksums;
      singlePutLimit = c.singlePutLimit;
      trustedCertificates = c.trustedCertificates;
    }

    public Builder site(String value) {
      site = value;
      return this;
    }

    public Builder endpoint(URI value) {
      endpoint = value;
      return this;
    }

    public Builder region(Region value) {
      region = value;
      return this;
    }

    public Builder pathStyle(boolean value) {
      pathStyle = value;
      return this;
    }

    /** Where credentials come from (default: the SDK's default chain). Never a secret in config. */
    public Builder credentialsProvider(AwsCredentialsProvider value) {
      credentialsProvider = value;
      return this;
    }

    public Builder maxConnections(int value) {
      maxConnections = value;
      return this;
    }

    public Builder connectionTimeout(Duration value) {
      connectionTimeout = value;
      return this;
    }

    public Builder socketTimeout(Duration value) {
      socketTimeout = value;
      return this;
    }

    public Builder connectionAcquisitionTimeout(Duration value) {
      connectionAcquisitionTimeout = value;
      return this;
    }

    public Builder apiCallAttemptTimeout(@Nullable Duration value) {
      apiCallAttemptTimeout = value;
      return this;
    }

    public Builder maxAttempts(int value) {
      maxAttempts = value;
      return this;
    }

    public Builder multipartThreshold(long value) {
      multipartThreshold = value;
      return this;
    }

    public Builder partSize(long value) {
      partSize = value;
      return this;
    }

    public Builder uploadParallelism(int value) {
      uploadParallelism = value;
      return this;
    }

    public Builder conditionalWrites(ConditionalWrites value) {
      conditionalWrites = value;
      return this;
    }

    public Builder probeBucket(@Nullable String value) {
      probeBucket = value;
      return this;
    }

    /** See {@link VastStoreConfig#tombstoneBucket()}. */
    public Builder tombstoneBucket(@Nullable String value) {
      tombstoneBucket = value;
      return this;
    }

    /** See {@link VastStoreConfig#tombstoneRetention()}. */
    public Builder tombstoneRetention(Duration value) {
      tombstoneRetention = value;
      return this;
    }

    public Builder recordMultipartChecksums(boolean value) {
      recordMultipartChecksums = value;
      return this;
    }

    public Builder singlePutLimit(long value) {
      singlePutLimit = value;
      return this;
    }

    /**
     * A PEM bundle of CA certificates to trust besides the JVM's default trust (null: the JVM's
     * default alone); only with an https endpoint. See {@link VastStoreConfig#trustedCertificates()}.
     */
    public Builder trustedCertificates(@Nullable Path pemFile) {
      trustedCertificates = pemFile;
      return this;
    }

    /** Validates and builds; an {@link IllegalArgumentException} names the field and what to change. */
    public VastStoreConfig build() {
      require(site != null && !site.isBlank(), "site must be set (e.g. \"dc1\")");
      require(endpoint != null, "endpoint must be set (e.g. http://vast.dc1:9090)");
      // the endpoint is logged (and in toString); the S3 client never signs with URI user info anyway
      require(endpoint.getRawUserInfo() == null,
          "endpoint must not carry user info (it is logged, and it does not authenticate): set credentialsProvider");
      require(endpoint.getScheme() != null
              && (endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https"))
              && endpoint.getHost() != null,
          "endpoint (" + endpoint + ") must be an absolute http or https URI with a host");
      requireNonNull(region, "region");
      if (credentialsProvider == null) {
        credentialsProvider = DefaultCredentialsProvider.builder().build();
      }
      require(maxConnections > 0, "maxConnections (" + maxConnections + ") must be positive");
      requirePositive("connectionTimeout", connectionTimeout);
      requirePositive("socketTimeout", socketTimeout);
      requirePositive("connectionAcquisitionTimeout", connectionAcquisitionTimeout);
      if (apiCallAttemptTimeout != null) {
        requirePositive("apiCallAttemptTimeout", apiCallAttemptTimeout);
      }
      require(maxAttempts >= 1, "maxAttempts (" + maxAttempts + ") must be at least 1");
      require(partSize >= MIN_PART_SIZE && partSize <= MAX_PART_SIZE,
          "partSize (" + partSize + ") must be between " + MIN_PART_SIZE + " (5 MiB) and " + MAX_PART_SIZE
              + " (5 GiB), S3's part limits");
      require(partSize <= Integer.MAX_VALUE - 8,
          "partSize (" + partSize + ") must fit one heap buffer (< 2 GiB)");
      require(multipartThreshold >= 0 && multipartThreshold <= partSize,
          "multipartThreshold (" + multipartThreshold + ") must be between 0 and partSize (" + partSize
              + "): the bytes below it are held as the first part");
      require(singlePutLimit >= 0 && singlePutLimit <= MAX_PART_SIZE,
          "singlePutLimit (" + singlePutLimit + ") must be between 0 (off) and " + MAX_PART_SIZE
              + " (5 GiB), S3's largest PutObject");
      require(uploadParallelism >= 1, "uploadParallelism (" + uploadParallelism + ") must be at least 1");
      requireNonNull(conditionalWrites, "conditionalWrites");
      requirePositive("tombstoneRetention", tombstoneRetention);
      if (tombstoneBucket != null) {
        require(!tombstoneBucket.isBlank() && !tombstoneBucket.contains("/"),
            "tombstoneBucket ('" + tombstoneBucket + "') must be a bucket name");
      }
      List<X509Certificate> trusted = List.of();
      if (trustedCertificates != null) {
        require(endpoint.getScheme().equals("https"), "trustedCertificates (" + trustedCertificates
            + ") is set but endpoint (" + endpoint + ") is not https: use https, or remove trustedCertificates");
        try {
          trusted = TrustedCertificates.read(trustedCertificates);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("VastStoreConfig: " + e.getMessage(), e.getCause());
        }
      }
      return new VastStoreConfig(this, trusted);
    }

    private static void requirePositive(String field, Duration value) {
      require(value != null && !value.isNegative() && !value.isZero(),
          field + " (" + value + ") must be a positive duration");
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException("VastStoreConfig: " + message);
      }
    }
  }
}
