package io.hybridstorage.vast;

import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.hybridstorage.api.BucketInfo;
import io.hybridstorage.api.BucketListRequest;
import io.hybridstorage.api.BucketPatch;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.Names;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.SignUrlRequest;
import io.hybridstorage.api.Utf8Order;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import javax.annotation.Nullable;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * An {@link ObjectStore} over an S3-protocol endpoint (a VAST Data cluster, or any S3), with GCS
 * semantics, built on the AWS SDK v2 {@link S3Client}.
 *
 * <h2>Generations</h2>
 * S3 has no generations, so each version we write carries its logical generation and
 * metageneration in user metadata ({@code x-amz-meta-hs-generation}, {@code hs-metageneration};
 * see {@link HsMetadata} for every key). A write, copy or compose gets the caller's generation
 * ({@link WriteRequest#generation()}, {@code CopyRequest}/{@code ComposeRequest.generation()})
 * when the caller (the router) assigns one, else {@code max(live generation + 1, now in
 * microseconds)}, so generations grow per object. A metadata update keeps the generation and
 * bumps the metageneration (an S3 copy of the object onto itself with new metadata).
 *
 * <p><b>Tombstones.</b> S3 forgets a deleted key; GCS semantics across sites need it remembered:
 * a delete first records the deleted generation in a tombstone ({@link
 * VastStoreConfig#tombstoneBucket()}: a marker object per key in a separate bucket, so listings of
 * the user's bucket over S3 or NFS never show it; see {@code Tombstones}), kept for {@link
 * VastStoreConfig#tombstoneRetention()}. Within it, an assigned generation at or below the deleted
 * one is refused (412) and the store's own generations stay above it. {@link #deleteUpTo} (a
 * delete replicated to this site) raises the tombstone even when the key is absent here. An
 * assigned generation {@code g} with {@code ifGenerationMatch = g} replaces the live version {@code g} (repair).
 *
 * <p><b>Foreign objects</b> — written over NFS, by plain S3 tools or a sync engine, so without
 * {@code hs-generation} — are listed and read like any other, with generation 0 (never a guessed
 * generation that could win over a real one), metageneration 1, unknown CRC32C and MD5 (an S3
 * ETag is never an MD5: VAST multipart and NFS-written objects have other ETags), and their raw
 * {@code x-amz-meta-*} as custom metadata. {@code ifGenerationMatch=0} treats them as existing.
 *
 * <h2>Preconditions</h2>
 * Every change (write, copy, compose, metadata update, delete) is decided by {@link
 * Conditions#check} against a HEAD of the live version, then published, under a per-key lock of
 * this process. When the server honours S3 conditional requests ({@link
 * VastStoreConfig.ConditionalWrites}: probed at start, or configured), the publish also carries
 * If-Match with the ETag the HEAD saw (If-None-Match: * when the key was absent), so a change by
 * any other client in between makes the server refuse it; the store then decides again (a few
 * times). {@link #capabilities()} then includes {@link Capability#ATOMIC_PRECONDITIONS}.
 * Without it the decision is atomic only among the callers of this process: <b>another process
 * writing the same key between our HEAD and our PUT (a window of one round trip) can be
 * overwritten although a precondition no longer holds</b>, and two such writers may both pass
 * {@code doesNotExist}. Even natively, S3 ETags of single-part objects are content hashes: a
 * concurrent rewrite of the same key with byte-identical content is not detected.
 *
 * <h2>Checksums</h2>
 * CRC32C and MD5 are computed while the bytes stream in and compared with the caller's
 * ({@link WriteRequest#crc32c()}, {@link WriteRequest#md5()}) before anything is published: a
 * mismatch is 400 and leaves nothing (a multipart upload is aborted). They are stored in
 * metadata. A multipart upload fixes its metadata when it starts, so unless the caller gave the
 * CRC32C up front, the computed CRC32C and MD5 are added after completion by a server-side copy
 * of the object onto itself (a reader in between sees the checksums as unknown); {@link
 * VastStoreConfig#recordMultipartChecksums()} turns that copy off. When the caller gives the
 * CRC32C of such an upload, its MD5 is not recorded (GCS reports none for composite objects
 * either).
 *
 * <h2>Uploads</h2>
 * Up to {@link VastStoreConfig#multipartThreshold()} bytes are buffered and sent as one
 * PutObject; beyond, a multipart upload with parts of {@link VastStoreConfig#partSize()}, up to
 * {@link VastStoreConfig#uploadParallelism()} of them in flight, so heap per upload stays at most
 * {@code partSize × uploadParallelism}. On any failure (and when a writer is closed without
 * commit) the multipart upload is aborted: no orphaned parts, nothing visible. A write whose size
 * the caller declares ({@link WriteRequest#expectedSize()}, as the facade's {@code create(BlobInfo,
 * byte[])} and replication do) above the threshold and up to {@link
 * VastStoreConfig#singlePutLimit()} is instead one PutObject streamed while the caller writes (see
 * {@code StreamedPutWriter}): no completion step, and no copy when the CRC32C is given.
 *
 * <h2>Other operations</h2>
 * Reads are streamed ranged GETs. Listing uses ListObjectsV2 (prefix, delimiter, start-after and
 * continuation token, wrapped in our opaque page token) plus one HEAD per listed object (S3 lists
 * carry no user metadata, hence no generation); {@code endOffset} and {@code matchGlob} are
 * filtered here. Listing noncurrent versions is not supported (501): this store has no {@link
 * Capability#OBJECT_VERSIONING}, although a bucket's S3 versioning flag can be set. Copy is
 * CopyObject (UploadPartCopy beyond 5 GiB); compose is a multipart UploadPartCopy when every
 * source but the last has at least 5 MiB, otherwise a streamed download and upload. Signed URLs
 * are S3 presigned URLs (SigV4). Bucket labels are not supported (501); a bucket's
 * metageneration is always 1.
 *
 * <p>Reading a whole object checks its bytes against the recorded CRC32C at the end of the stream;
 * a mismatch (a torn or corrupted body) surfaces as a retryable 503 rather than wrong data.
 *
 * <p>An https endpoint's certificate is checked against the JVM's default trust plus {@link
 * VastStoreConfig#trustedCertificates()} (an internal CA), and its host name verified; a failed
 * handshake is a retryable 503 naming the site and endpoint, and how to trust an internal CA.
 *
 * <p>Errors carry GCS codes (see {@link S3Errors}); SlowDown, 5xx and I/O failures are retried
 * by the SDK ({@link VastStoreConfig#maxAttempts()}) and then reported as a retryable 503. An I/O
 * failure while a caller reads an {@link ObjectContent} stream surfaces from {@code read} as an
 * unchecked {@link HybridStorageException} 503.
 */
public final class VastStore implements ObjectStore {

  private static final Logger LOG = LoggerFactory.getLogger(VastStore.class);
  /** How often a publish decides again after the server refused its conditional request. */
  static final int PUBLISH_ATTEMPTS = 5;
  /** Parts of a server-side multipart copy. */
  static final long COPY_PART_SIZE = 1024L * 1024 * 1024;
  private static final Duration MAX_SIGNED_URL_TTL = Duration.ofDays(7);

  final VastStoreConfig config;
  final S3Client s3;
  final S3Errors errors;
  final Clock clock;
  final ExecutorService uploadExecutor;
  private final S3Presigner presigner;
  private final ExecutorService headExecutor;
  /**
   * One lock per key, dropped when unused: not striped, because a streamed PUT holds its key's lock
   * while its caller writes, and a stripe shared with another key would hold that key's writers up
   * for as long (and deadlock a thread that writes both).
   */
  private final LoadingCache<String, Lock> keyLocks = CacheBuilder.newBuilder().weakValues()
      .build(CacheLoader.from(key -> new ReentrantLock()));
  private final S3Listing listing;
  private final boolean nativeConditions;
  /**
   * Whether the SDK reads a PutObject body once, as it streams: signed requests over http are
   * signed chunk by chunk (aws-chunked, {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}), over https the
   * payload is not signed ({@code x-amz-content-sha256: UNSIGNED-PAYLOAD}, a plain Content-Length;
   * both pinned by WireMock tests, as of SDK 2.40). An anonymous request, over http and https
   * alike, hashes the whole body before sending it (a second read), which a streamed body cannot
   * give.
   */
  private final boolean streamedPuts;
  private final Set<Capability> capabilities;
  /** The highest generation deleted per key (see {@link Tombstones}). */
  final Tombstones tombstones;
  private final AtomicBoolean closed = new AtomicBoolean();

  private VastStore(VastStoreConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.errors = new S3Errors(config.site(), config.endpoint());
    ApacheHttpClient.Builder http = ApacheHttpClient.builder()
        .maxConnections(config.maxConnections())
        .connectionTimeout(config.connectionTimeout())
        .socketTimeout(config.socketTimeout())
        .connectionAcquisitionTimeout(config.connectionAcquisitionTimeout())
        .tcpKeepAlive(true);
    if (config.trustedCertificates() != null) {
      TrustManager[] trust = TrustedCertificates.trustManagers(config.trustedCertificateList());
      http.tlsTrustManagersProvider(() -> trust);
      LOG.info("VAST store {}: trusting, besides the JVM's default CAs, {} certificate(s) from {}: {}",
          config.site(), config.trustedCertificateList().size(), config.trustedCertificates(),
          TrustedCertificates.subjects(config.trustedCertificateList()));
    }
    this.s3 = S3Client.builder()
        .endpointOverride(config.endpoint())
        .region(config.region())
        .forcePathStyle(config.pathStyle())
        .credentialsProvider(config.credentialsProvider())
        .httpClientBuilder(http)
        // VAST and other on-prem S3 servers may not know the flexible (trailer) checksums;
        // integrity is ours: CRC32C/MD5 computed here, Content-MD5 on single PUTs.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> {
          o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
              .maxAttempts(config.maxAttempts()).build());
          if (config.apiCallAttemptTimeout() != null) {
            o.apiCallAttemptTimeout(config.apiCallAttemptTimeout());
          }
          o.addExecutionInterceptor(new DotSegmentGuard(config.site()));
        })
        .build();
    // presigning only computes a signature, offline: no connection, so no trust to configure
    this.presigner = S3Presigner.builder()
        .endpointOverride(config.endpoint())
        .region(config.region())
        .credentialsProvider(config.credentialsProvider())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build())
        .build();
    this.uploadExecutor = Executors.newCachedThreadPool(new ThreadFactoryBuilder()
        .setNameFormat("vast-" + config.site() + "-upload-%d").setDaemon(true).build());
    this.headExecutor = Executors.newFixedThreadPool(Math.min(16, config.maxConnections()),
        new ThreadFactoryBuilder().setNameFormat("vast-" + config.site() + "-head-%d").setDaemon(true).build());
    this.listing = new S3Listing(this, headExecutor);
    this.streamedPuts = !(config.credentialsProvider() instanceof AnonymousCredentialsProvider);
    this.nativeConditions = switch (config.conditionalWrites()) {
      case NATIVE -> true;
      case EMULATED -> false;
      case PROBE -> probe();
    };
    if (config.tombstoneBucket() != null) {
      ensureBucket(config.tombstoneBucket());
    } else {
      LOG.warn("VAST store {}: no tombstoneBucket configured, so the tombstones of deleted keys live in this "
          + "process only (lost on restart, unseen by other processes); configure one for replication", config.site());
    }
    this.tombstones = Tombstones.create(this);
    // no DOT_SEGMENT_NAMES: keys travel as URL paths, where '.' and '..' segments get resolved
    EnumSet<Capability> caps = EnumSet.of(Capability.ASSIGNED_GENERATIONS, Capability.NATIVE_COPY,
        Capability.SIGNED_URLS);
    if (nativeConditions) {
      caps.add(Capability.ATOMIC_PRECONDITIONS);
    }
    this.capabilities = Set.copyOf(caps);
    LOG.info("VAST store {} at {}: preconditions {}", config.site(), config.endpoint(),
        nativeConditions ? "native (S3 conditional requests)" : "emulated in this process");
  }

  /** A store for {@code config}; with {@link VastStoreConfig.ConditionalWrites#PROBE} this probes the server. */
  public static VastStore create(VastStoreConfig config) {
    return new VastStore(config, Clock.systemUTC());
  }

  static VastStore create(VastStoreConfig config, Clock clock) {
    return new VastStore(config, clock);
  }

  /** Creates {@code bucket} unless it exists (the tombstone bucket). */
  private void ensureBucket(String bucket) {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (SdkException e) {
      if (!S3Errors.isNotFound(e)) {
        throw errors.map(e, "createBucket", bucket, null);
      }
      try {
        s3.createBucket(b -> b.bucket(bucket));
        LOG.info("VAST store {}: created the tombstone bucket {}", config.site(), bucket);
      } catch (SdkException c) {
        throw errors.map(c, "createBucket", bucket, null);
      }
    }
  }

  private boolean probe() {
    if (config.probeBucket() == null) {
      LOG.info("VAST store {}: no probeBucket configured, so preconditions are emulated in this process",
          config.site());
      return false;
    }
    return new ConditionalWriteProbe(this, config.probeBucket()).run();
  }

  @Override
  public String site() {
    return config.site();
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  /** Whether preconditions are decided by the server (S3 conditional requests). */
  boolean nativeConditions() {
    return nativeConditions;
  }

  // ---------------------------------------------------------------- buckets

  @Override
  public BucketInfo createBucket(BucketSpec spec) {
    String op = "createBucket";
    Names.checkBucket(op, spec.name(), site());
    if (!spec.labels().isEmpty()) {
      throw HybridStorageException.unsupported("bucket labels", spec.name(), null, site());
    }
    try {
      s3.createBucket(b -> b.bucket(spec.name()));
      if (spec.versioningEnabled()) {
        putVersioning(spec.name(), true);
      }
    } catch (SdkException e) {
      throw errors.map(e, op, spec.name(), null);
    }
    return new BucketInfo(spec.name(), spec.versioningEnabled(), config.region().id(), spec.storageClass(),
        Map.of(), 1, clock.instant(), null);
  }

  private void putVersioning(String bucket, boolean enabled) {
    s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(
        enabled ? BucketVersioningStatus.ENABLED : BucketVersioningStatus.SUSPENDED)));
  }

  @Override
  public Optional<BucketInfo> getBucket(String bucket) {
    try {
      s3.headBucket(b -> b.bucket(bucket));
      return Optional.of(bucketInfo(bucket, null));
    } catch (SdkException e) {
      if (S3Errors.isNotFound(e)) {
        return Optional.empty();
      }
      throw errors.map(e, "getBucket", bucket, null);
    }
  }

  private BucketInfo bucketInfo(String bucket, @Nullable Instant created) {
    boolean versioning;
    try {
      GetBucketVersioningResponse v = s3.getBucketVersioning(b -> b.bucket(bucket));
      versioning = v.status() == BucketVersioningStatus.ENABLED;
    } catch (S3Exception e) {
      if (e.statusCode() != 501 && e.statusCode() != 405) {
        throw e;
      }
      versioning = false; // a server without bucket versioning
    }
    return new BucketInfo(bucket, versioning, config.region().id(), null, Map.of(), 1, created, null);
  }

  @Override
  public ListPage<BucketInfo> listBuckets(BucketListRequest request) {
    try {
      ListBucketsResponse all = s3.listBuckets();
      List<software.amazon.awssdk.services.s3.model.Bucket> matching = new ArrayList<>();
      for (var b : all.buckets()) {
        if ((request.prefix() == null || b.name().startsWith(request.prefix()))
            && (request.pageToken() == null || Utf8Order.INSTANCE.compare(b.name(), request.pageToken()) > 0)) {
          matching.add(b);
        }
      }
      matching.sort((a, b) -> Utf8Order.INSTANCE.compare(a.name(), b.name()));
      int size = request.pageSize() == 0 ? ListRequest.DEFAULT_PAGE_SIZE : request.pageSize();
      List<BucketInfo> items = new ArrayList<>();
      for (int i = 0; i < Math.min(size, matching.size()); i++) {
        items.add(bucketInfo(matching.get(i).name(), matching.get(i).creationDate()));
      }
      String next = matching.size() > size ? items.get(items.size() - 1).name() : null;
      return ListPage.of(items, next);
    } catch (SdkException e) {
      throw errors.map(e, "listBuckets", null, null);
    }
  }

  @Override
  public BucketInfo updateBucket(String bucket, BucketPatch patch) {
    String op = "updateBucket";
    if (patch.labels() != null && !patch.labels().isEmpty()) {
      throw HybridStorageException.unsupported("bucket labels", bucket, null, site());
    }
    try {
      s3.headBucket(b -> b.bucket(bucket));
      if (patch.versioningEnabled() != null) {
        putVersioning(bucket, patch.versioningEnabled());
      }
      return bucketInfo(bucket, null);
    } catch (SdkException e) {
      if (S3Errors.isNotFound(e)) {
        throw HybridStorageException.bucketNotFound(op, bucket, site());
      }
      throw errors.map(e, op, bucket, null);
    }
  }

  @Override
  public boolean deleteBucket(String bucket) {
    try {
      s3.deleteBucket(b -> b.bucket(bucket));
      return true;
    } catch (SdkException e) {
      if (S3Errors.isNotFound(e)) {
        return false;
      }
      throw errors.map(e, "deleteBucket", bucket, null);
    }
  }

  // ---------------------------------------------------------------- reading

  @Override
  public Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
    String op = "head";
    checkKey(op, id.bucket(), id.name());
    Optional<Current> current = headCurrent(op, id.bucket(), id.name(), true);
    if (current.isEmpty() || (id.generation() != 0 && id.generation() != current.get().info().generation())) {
      return Optional.empty();
    }
    conditions.checkRead(current.get().info(), op, id.bucket(), id.name(), site());
    return Optional.of(current.get().info());
  }

  /**
   * The live version of a key, or empty. A HEAD's 404 cannot tell a missing key from a missing
   * bucket; with {@code checkBucket} a second HEAD (of the bucket) tells, and a missing bucket
   * is 404.
   */
  Optional<Current> headCurrent(String op, String bucket, String name, boolean checkBucket) {
    checkKey(op, bucket, name);
    try {
      HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(name));
      return Optional.of(new Current(HsMetadata.decode(bucket, name, headers(r)), r.eTag()));
    } catch (SdkException e) {
      if (S3Errors.isNotFound(e)) {
        if (checkBucket) {
          requireBucket(op, bucket);
        }
        return Optional.empty();
      }
      throw errors.map(e, op, bucket, name);
    }
  }

  private void requireBucket(String op, String bucket) {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (SdkException e) {
      if (S3Errors.isNotFound(e)) {
        throw HybridStorageException.bucketNotFound(op, bucket, site());
      }
      throw errors.map(e, op, bucket, null);
    }
  }

  static HsMetadata.S3Headers headers(HeadObjectResponse r) {
    return new HsMetadata.S3Headers(r.metadata(), r.contentType(), r.contentEncoding(), r.contentDisposition(),
        r.contentLanguage(), r.cacheControl(), r.contentLength() == null ? 0 : r.contentLength(), r.eTag(),
        r.lastModified());
  }

  static HsMetadata.S3Headers headers(GetObjectResponse r, long size) {
    return new HsMetadata.S3Headers(r.metadata(), r.contentType(), r.contentEncoding(), r.contentDisposition(),
        r.contentLanguage(), r.cacheControl(), size, r.eTag(), r.lastModified());
  }

  @Override
  public ObjectContent read(ReadRequest request) {
    String op = "read";
    ObjectId id = request.id();
    checkKey(op, id.bucket(), id.name());
    var range = request.range();
    if (range.length() == 0) {
      // "bytes=5-4" is no HTTP range: answer from a HEAD
      return emptyRead(op, request);
    }
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = s3.getObject(b -> {
        b.bucket(id.bucket()).key(id.name());
        if (!range.isAll()) {
          b.range(range.toString());
        }
      });
    } catch (SdkException e) {
      if (e instanceof S3Exception s3e && s3e.statusCode() == 416) {
        // S3 refuses any range of an empty object; GCS reads nothing from offset 0 (ByteRange.check)
        return emptyRead(op, request);
      }
      throw errors.map(e, op, id.bucket(), id.name());
    }
    GetObjectResponse r = in.response();
    long size = totalSize(r);
    ObjectInfo info = HsMetadata.decode(id.bucket(), id.name(), headers(r, size));
    try {
      if (id.generation() != 0 && id.generation() != info.generation()) {
        throw noSuchGeneration(op, id);
      }
      request.conditions().checkRead(info, op, id.bucket(), id.name(), site());
      range.check(size, op, id.bucket(), id.name(), site());
    } catch (HybridStorageException e) {
      in.abort();
      closeQuietly(in);
      throw e;
    }
    String check = range.start(size) == 0 && range.count(size) == size ? info.crc32c() : null;
    return ObjectContent.of(info, new S3BodyStream(in, errors, op, id.bucket(), id.name(), check));
  }

  private ObjectContent emptyRead(String op, ReadRequest request) {
    ObjectId id = request.id();
    Current current = headCurrent(op, id.bucket(), id.name(), true)
        .orElseThrow(() -> HybridStorageException.objectNotFound(op, id.bucket(), id.name(), site()));
    ObjectInfo info = current.info();
    if (id.generation() != 0 && id.generation() != info.generation()) {
      throw noSuchGeneration(op, id);
    }
    request.conditions().checkRead(info, op, id.bucket(), id.name(), site());
    request.range().check(info.size(), op, id.bucket(), id.name(), site());
    if (request.range().count(info.size()) != 0) {
      throw HybridStorageException.rangeNotSatisfiable(op, id.bucket(), id.name(), site(),
          "the server refused range " + request.range() + " of " + info.size() + " bytes");
    }
    return ObjectContent.of(info, InputStream.nullInputStream());
  }

  private HybridStorageException noSuchGeneration(String op, ObjectId id) {
    return new HybridStorageException(404, "notFound", op, id.bucket(), id.name(), site(),
        "No such object: " + id.bucket() + "/" + id.name() + "#" + id.generation()
            + " (this store keeps only the live generation)", null);
  }

  /** The object's size: the total of a Content-Range ("bytes 0-9/42"), else the length. */
  private static long totalSize(GetObjectResponse r) {
    String contentRange = r.contentRange();
    if (contentRange != null) {
      int slash = contentRange.lastIndexOf('/');
      if (slash >= 0 && !contentRange.endsWith("*")) {
        return Long.parseLong(contentRange.substring(slash + 1).trim());
      }
    }
    return r.contentLength() == null ? 0 : r.contentLength();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // already failing
    }
  }

  // ---------------------------------------------------------------- writing

  @Override
  public ObjectWriter openWrite(WriteRequest request) {
    Names.checkObject("write", request.bucket(), request.name(), site());
    checkKey("write", request.bucket(), request.name());
    ensureOpen("write", request.bucket(), request.name());
    long size = request.expectedSize();
    if (streamedPuts && size > config.multipartThreshold() && size <= config.singlePutLimit()) {
      return new StreamedPutWriter(this, request);
    }
    return new VastObjectWriter(this, request, 0);
  }

  /**
   * The generation of a new version: the assigned one, else {@code max(held + 1, now in µs)}, where
   * {@code held} is the highest generation the key holds or held ({@link #held}).
   */
  long nextGeneration(String op, String bucket, String name, @Nullable Current current, long assigned) {
    if (assigned != 0) {
      return assigned;
    }
    long previous = held(op, bucket, name, current);
    Instant now = clock.instant();
    long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
    return Math.max(previous + 1, micros);
  }

  /**
   * The highest generation {@code bucket/name} holds or held: the live version's, or — when there
   * is none, or a foreign one (generation 0) — the deleted one its tombstone remembers. A live
   * version of ours was written after the last delete, so it is above the tombstone (a tombstone
   * is only read when it can matter: one HEAD of the tombstone bucket per write of an absent key).
   */
  long held(String op, String bucket, String name, @Nullable Current current) {
    long live = current == null ? 0 : current.info().generation();
    return live != 0 ? live : tombstones.deleted(op, bucket, name);
  }

  /** What a publish does once the preconditions held: the S3 call(s) that make the change. */
  @FunctionalInterface
  interface Publish<T> {
    /**
     * @param current the live version the decision was made on, or null
     * @param guard the conditional headers to send, or null when preconditions are emulated
     */
    T run(@Nullable Current current, @Nullable Current.Guard guard);
  }

  /**
   * Makes one change of {@code bucket/name}: under the key's lock, HEADs the live version, checks
   * {@code conditions} (and that an assigned generation is newer than every one the key held, its
   * tombstone included, unless it replaces the live version of that generation: {@code
   * ifGenerationMatch} = the assigned generation), then runs
   * {@code action}, which sends {@code guard}. When the server refuses the guard (the key changed
   * since the HEAD, by another client), decides again, up to {@value #PUBLISH_ATTEMPTS} times; a
   * 412 that cannot come from a guard (emulated preconditions) is final.
   */
  <T> T publish(String op, String bucket, String name, Conditions conditions, long assignedGeneration,
      boolean mustExist, Publish<T> action) {
    ensureOpen(op, bucket, name);
    Lock lock = keyLocks.getUnchecked(bucket + "/" + name);
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        Current current = headCurrent(op, bucket, name, mustExist).orElse(null);
        if (mustExist && current == null) {
          throw HybridStorageException.objectNotFound(op, bucket, name, site());
        }
        conditions.check(current == null ? null : current.info(), op, bucket, name, site());
        if (assignedGeneration != 0) {
          Long match = conditions.ifGenerationMatch();
          boolean repair = match != null && match == assignedGeneration && current != null
              && current.info().generation() == assignedGeneration;
          long held = repair ? 0 : held(op, bucket, name, current);
          if (held >= assignedGeneration) {
            throw HybridStorageException.generationNotNewer(op, bucket, name, site(), assignedGeneration, held,
                current == null || current.info().generation() != held);
          }
        }
        Current.Guard guard = nativeConditions ? Current.Guard.of(current) : null;
        try {
          return action.run(current, guard);
        } catch (SdkException e) {
          if (guard != null && S3Errors.isPreconditionFailed(e) && attempt < PUBLISH_ATTEMPTS) {
            LOG.debug("{} gs://{}/{} on {}: changed concurrently (attempt {}), deciding again", op, bucket, name,
                site(), attempt);
            continue;
          }
          throw errors.map(e, op, bucket, name);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Copies {@code size} bytes of {@code source} (at ETag {@code sourceEtag}) to {@code bucket/name}
   * server-side with new metadata: CopyObject up to 5 GiB, UploadPartCopy beyond. Returns the
   * new ETag. SdkExceptions propagate (publish maps them).
   */
  String serverCopy(String sourceBucket, String sourceName, String sourceEtag, long size, String bucket,
      String name, Map<String, String> user, ObjectMetadata metadata, @Nullable Current.Guard guard) {
    if (size <= VastStoreConfig.MAX_PART_SIZE) {
      CopyObjectResponse r = s3.copyObject(b -> {
        b.sourceBucket(sourceBucket).sourceKey(sourceName).copySourceIfMatch(sourceEtag)
            .destinationBucket(bucket).destinationKey(name)
            .metadataDirective(MetadataDirective.REPLACE).metadata(user)
            .contentType(contentTypeOrDefault(metadata)).contentEncoding(metadata.contentEncoding())
            .contentDisposition(metadata.contentDisposition()).contentLanguage(metadata.contentLanguage())
            .cacheControl(metadata.cacheControl());
        if (guard != null) {
          b.ifMatch(guard.ifMatch()).ifNoneMatch(guard.ifNoneMatch());
        }
      });
      return r.copyObjectResult().eTag();
    }
    List<MultipartCopy.Slice> slices = new ArrayList<>();
    for (long start = 0; start < size; start += COPY_PART_SIZE) {
      slices.add(new MultipartCopy.Slice(sourceBucket, sourceName, sourceEtag, start,
          Math.min(size, start + COPY_PART_SIZE) - 1));
    }
    return new MultipartCopy(this, bucket, name).run(slices, user, metadata, guard);
  }

  static String contentTypeOrDefault(ObjectMetadata metadata) {
    return metadata.contentType() == null ? "application/octet-stream" : metadata.contentType();
  }

  @Override
  public boolean delete(ObjectId id, Conditions conditions) {
    String op = "delete";
    checkKey(op, id.bucket(), id.name());
    ensureOpen(op, id.bucket(), id.name());
    Lock lock = keyLocks.getUnchecked(id.bucket() + "/" + id.name());
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        Optional<Current> found = headCurrent(op, id.bucket(), id.name(), true);
        if (found.isEmpty() || (id.generation() != 0 && id.generation() != found.get().info().generation())) {
          return false;
        }
        Current current = found.get();
        conditions.check(current.info(), op, id.bucket(), id.name(), site());
        if (current.info().generation() != 0) {
          // before the object goes: a later write must not take this generation or an older one
          tombstones.record(op, id.bucket(), id.name(), current.info().generation());
        }
        Boolean deleted = deleteCurrent(op, id.bucket(), id.name(), current, attempt);
        if (deleted == null) {
          continue;
        }
        return deleted;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Under the key's lock: HEADs the live version (404 when the bucket is missing), raises the
   * key's tombstone to {@code generation} — first, as {@link #delete} records it before the
   * object goes, and also when nothing is live, which is the point — then removes the live
   * version when its generation is {@code <= generation} (a foreign one, generation 0, included),
   * with If-Match on its ETag when the server honours conditional requests (a change in between:
   * decide again).
   */
  @Override
  public boolean deleteUpTo(String bucket, String name, long generation) {
    String op = "deleteUpTo";
    Names.checkObject(op, bucket, name, site());
    checkKey(op, bucket, name);
    ensureOpen(op, bucket, name);
    if (generation <= 0) {
      throw HybridStorageException.invalid(op, bucket, name, site(),
          "the deleted generation must be positive, was " + generation);
    }
    Lock lock = keyLocks.getUnchecked(bucket + "/" + name);
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        Optional<Current> found = headCurrent(op, bucket, name, true);
        if (attempt == 1) {
          // the bucket exists: from now on a write of this generation or an older one is refused
          tombstones.record(op, bucket, name, generation);
        }
        if (found.isEmpty() || found.get().info().generation() > generation) {
          return false;
        }
        Current current = found.get();
        Boolean deleted = deleteCurrent(op, bucket, name, current, attempt);
        if (deleted == null) {
          continue;
        }
        return deleted;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public ObjectInfo updateMetadata(ObjectId id, MetadataPatch patch, Conditions conditions) {
    String op = "updateMetadata";
    checkKey(op, id.bucket(), id.name());
    return publish(op, id.bucket(), id.name(), conditions, 0, true, (current, guard) -> {
      ObjectInfo live = current.info();
      if (id.generation() != 0 && id.generation() != live.generation()) {
        throw noSuchGeneration(op, id);
      }
      ObjectMetadata metadata = live.metadata().apply(patch);
      long metageneration = live.metageneration() + 1;
      Instant now = clock.instant();
      Map<String, String> user = live.generation() == 0
          ? HsMetadata.encodeForeign(metageneration, metadata)
          : HsMetadata.encode(live.generation(), metageneration, live.crc32c(), live.md5(), live.createTime(), now,
              live.componentCount(), metadata);
      String etag = serverCopy(id.bucket(), id.name(), current.etag(), live.size(), id.bucket(), id.name(), user,
          metadata, guard);
      return new ObjectInfo(id.bucket(), id.name(), live.generation(), metageneration, live.size(), live.crc32c(),
          live.md5(), etag, metadata, live.createTime(), now, null,
          live.componentCount());
    });
  }

  @Override
  public ObjectInfo copy(CopyRequest request) {
    String op = "copy";
    ObjectId source = request.source();
    checkKey(op, source.bucket(), source.name());
    Names.checkObject(op, request.targetBucket(), request.targetName(), site());
    checkKey(op, request.targetBucket(), request.targetName());
    return publish(op, request.targetBucket(), request.targetName(), request.targetConditions(),
        request.generation(), false, (current, guard) -> {
          Current src = headCurrent(op, source.bucket(), source.name(), true)
              .filter(c -> source.generation() == 0 || source.generation() == c.info().generation())
              .orElseThrow(() -> HybridStorageException.objectNotFound(op, source.bucket(), source.name(), site()));
          request.sourceConditions().check(src.info(), op, source.bucket(), source.name(), site());
          ObjectInfo s = src.info();
          ObjectMetadata metadata = request.metadata() == null ? s.metadata() : request.metadata();
          long generation = nextGeneration(op, request.targetBucket(), request.targetName(), current,
              request.generation());
          Instant now = clock.instant();
          Map<String, String> user = HsMetadata.encode(generation, 1, s.crc32c(), s.md5(), now, now,
              s.componentCount(), metadata);
          String etag = serverCopy(source.bucket(), source.name(), src.etag(), s.size(), request.targetBucket(),
              request.targetName(), user, metadata, guard);
          return new ObjectInfo(request.targetBucket(), request.targetName(), generation, 1, s.size(), s.crc32c(),
              s.md5(), etag, metadata, now, now, null, s.componentCount());
        });
  }

  @Override
  public ObjectInfo compose(ComposeRequest request) {
    request.validate(site());
    for (ComposeRequest.Source source : request.sources()) {
      checkKey("compose", request.bucket(), source.name());
    }
    Names.checkObject("compose", request.bucket(), request.targetName(), site());
    checkKey("compose", request.bucket(), request.targetName());
    return new Composer(this, request).run();
  }

  // ---------------------------------------------------------------- listing

  @Override
  public ListPage<ObjectInfo> list(ListRequest request) {
    ensureOpen("list", request.bucket(), null);
    return listing.page(request);
  }

  // ---------------------------------------------------------------- signed URLs

  @Override
  public URL signUrl(SignUrlRequest request) {
    String op = "signUrl";
    checkKey(op, request.bucket(), request.name());
    if (request.ttl().isNegative() || request.ttl().isZero() || request.ttl().compareTo(MAX_SIGNED_URL_TTL) > 0) {
      throw HybridStorageException.invalid(op, request.bucket(), request.name(), site(),
          "a signed URL's lifetime (" + request.ttl() + ") must be positive and at most 7 days (SigV4's limit)");
    }
    request.checkHeaders(site()); // no x-amz-copy-source, ACLs or hs-* metadata in a URL
    Map<String, String> headers = new HashMap<>(request.headers());
    String contentType = removeIgnoreCase(headers, "Content-Type");
    var override = software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration.builder();
    headers.forEach(override::putHeader);
    var o = override.build();
    try {
      return switch (request.method().toUpperCase(java.util.Locale.ROOT)) {
        case "GET" -> presigner.presignGetObject(p -> p.signatureDuration(request.ttl())
            .getObjectRequest(g -> g.bucket(request.bucket()).key(request.name()).overrideConfiguration(o)
                .responseContentType(null))).url();
        case "PUT" -> presigner.presignPutObject(p -> p.signatureDuration(request.ttl())
            .putObjectRequest(g -> g.bucket(request.bucket()).key(request.name()).contentType(contentType)
                .overrideConfiguration(o))).url();
        case "HEAD" -> presigner.presignHeadObject(p -> p.signatureDuration(request.ttl())
            .headObjectRequest(g -> g.bucket(request.bucket()).key(request.name()).overrideConfiguration(o))).url();
        case "DELETE" -> presigner.presignDeleteObject(p -> p.signatureDuration(request.ttl())
            .deleteObjectRequest(g -> g.bucket(request.bucket()).key(request.name()).overrideConfiguration(o))).url();
        default -> throw HybridStorageException.invalid(op, request.bucket(), request.name(), site(),
            "cannot sign method " + request.method() + " (GET, PUT, HEAD or DELETE)");
      };
    } catch (SdkException e) {
      throw errors.map(e, op, request.bucket(), request.name());
    }
  }

  @Nullable
  private static String removeIgnoreCase(Map<String, String> headers, String name) {
    for (String key : List.copyOf(headers.keySet())) {
      if (key.equalsIgnoreCase(name)) {
        return headers.remove(key);
      }
    }
    return null;
  }

  /**
   * 400 when {@code name} has a {@code .} or {@code ..} segment: the SDK puts the key into the
   * request path as it is, and a server, proxy or URL parser that resolves it would address another
   * key or bucket ({@link Names#checkNoDotSegments}). {@link DotSegmentGuard} refuses any request
   * that slips past this.
   */
  void checkKey(String op, String bucket, String name) {
    Names.checkNoDotSegments(op, bucket, name, site());
  }

  // ---------------------------------------------------------------- lifecycle

  void ensureOpen(String op, @Nullable String bucket, @Nullable String name) {
    if (closed.get()) {
      throw errors.unavailable(op, bucket, name, "the store is closed", null);
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    uploadExecutor.shutdown();
    headExecutor.shutdown();
    try {
      uploadExecutor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    presigner.close();
    s3.close();
  }

  /** A request body over {@code length} bytes of {@code bytes}, without copying them (retries re-read). */
  static RequestBody body(byte[] bytes, int length) {
    return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
        "application/octet-stream");
  }

  /**
   * PutObject of a new version of {@code request}'s object: its metadata headers, {@code user}
   * metadata, Content-MD5 when {@code md5} is known (the server verifies it), and {@code guard}.
   * SdkExceptions propagate (publish maps them).
   */
  PutObjectResponse putObject(WriteRequest request, Map<String, String> user, @Nullable String md5, long size,
      @Nullable Current.Guard guard, RequestBody body) {
    ObjectMetadata metadata = request.metadata();
    return s3.putObject(b -> {
      b.bucket(request.bucket()).key(request.name()).metadata(user).contentMD5(md5).contentLength(size)
          .contentType(contentTypeOrDefault(metadata)).contentEncoding(metadata.contentEncoding())
          .contentDisposition(metadata.contentDisposition()).contentLanguage(metadata.contentLanguage())
          .cacheControl(metadata.cacheControl());
      if (guard != null) {
        b.ifMatch(guard.ifMatch()).ifNoneMatch(guard.ifNoneMatch());
      }
    }, body);
  }

  /**
   * Adds the computed CRC32C and MD5 to an object written without them in its metadata (a
   * streamed upload fixes its headers before the bytes pass) by copying it onto itself, pinned to
   * the ETag written. If the key changed meanwhile, the newer version stays and ours (already
   * replaced) is reported as written.
   */
  ObjectInfo recordChecksums(ObjectInfo info, String crc32c, @Nullable String md5) {
    Map<String, String> user = HsMetadata.encode(info.generation(), 1, crc32c, md5, info.createTime(),
        info.updateTime(), info.componentCount(), info.metadata());
    try {
      String etag = serverCopy(info.bucket(), info.name(), info.etag(), info.size(), info.bucket(), info.name(), user,
          info.metadata(), null);
      return new ObjectInfo(info.bucket(), info.name(), info.generation(), 1, info.size(), crc32c, md5, etag,
          info.metadata(), info.createTime(), info.updateTime(), null, info.componentCount());
    } catch (SdkException e) {
      if (S3Errors.isPreconditionFailed(e)) {
        LOG.debug("gs://{}/{} on {}: replaced before its checksums were recorded", info.bucket(), info.name(), site());
      } else {
        LOG.warn("gs://{}/{} on {}: written, but recording its CRC32C failed; it reads as unknown: {}",
            info.bucket(), info.name(), site(), e.toString());
      }
      return info;
    }
  }

  static List<CompletedPart> sorted(Map<Integer, CompletedPart> parts) {
    List<CompletedPart> list = new ArrayList<>(parts.values());
    list.sort((a, b) -> Integer.compare(a.partNumber(), b.partNumber()));
    return list;
  }

  /**
   * Deletes {@code current} (If-Match its ETag when the server honours conditions): true when
   * deleted, false when it was gone already, null when it changed meanwhile and {@code attempt}
   * may be retried (the caller looks again).
   */
  @Nullable
  private Boolean deleteCurrent(String op, String bucket, String name, Current current, int attempt) {
    try {
      s3.deleteObject(b -> {
        b.bucket(bucket).key(name);
        if (nativeConditions) {
          b.ifMatch(current.etag());
        }
      });
      return true;
    } catch (SdkException e) {
      if (nativeConditions && S3Errors.isPreconditionFailed(e) && attempt < PUBLISH_ATTEMPTS) {
        return null;
      }
      if (S3Errors.isNotFound(e) && !S3Errors.isNoSuchBucket(e)) {
        return false;
      }
      throw errors.map(e, op, bucket, name);
    }
  }
}
