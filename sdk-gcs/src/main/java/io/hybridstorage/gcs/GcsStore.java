package io.hybridstorage.gcs;

import static io.hybridstorage.gcs.GcsConversions.blobId;
import static io.hybridstorage.gcs.GcsConversions.objectInfo;

import com.google.api.gax.paging.Page;
import com.google.auth.ServiceAccountSigner;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BucketGetOption;
import com.google.cloud.storage.Storage.BucketListOption;
import com.google.cloud.storage.Storage.SignUrlOption;
import com.google.cloud.storage.StorageClass;
import io.hybridstorage.api.BucketInfo;
import io.hybridstorage.api.BucketListRequest;
import io.hybridstorage.api.BucketPatch;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.ByteRange;
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
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.SignUrlRequest;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.api.spi.NativeStorageAware;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URL;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GCS site of the hybrid world: the {@link ObjectStore} SPI over a real {@link Storage}
 * (google-cloud-storage), one call of the client per SPI call wherever GCS has one.
 *
 * <p>GCS is the authority here: it assigns generations and decides preconditions atomically, so
 * this store reports {@link Capability#OBJECT_VERSIONING}, {@link
 * Capability#ATOMIC_PRECONDITIONS}, {@link Capability#NATIVE_COMPOSE}, {@link
 * Capability#NATIVE_COPY} and, when the client's credentials can sign, {@link
 * Capability#SIGNED_URLS}. It never reports {@link Capability#ASSIGNED_GENERATIONS}: a write,
 * copy or compose carrying a caller-assigned generation fails with 501, since GCS cannot take a generation from
 * a client — placements that include GCS must make it the authority.
 *
 * <p>Reads cost two calls: the metadata (which decides the preconditions and the range's 416),
 * then a download pinned to the generation found, started at once (its first 64 KiB are read in
 * {@code read()}). So the bytes of one {@link ObjectContent} always belong to {@link
 * ObjectContent#info()}, and GCS keeps serving a download it has begun even when the object is
 * overwritten meanwhile. When the live version found is replaced between the two calls, a read of
 * "the live version" starts again (up to 16 times, with a short back-off), as one GET would have
 * read the newer version; a read of an explicit generation fails with 404.
 *
 * <p>Writes: see {@link GcsObjectWriter} (small objects in one request, larger ones through a
 * resumable {@code BlobWriteSession} finalized only by {@code commit()}).
 *
 * <p>Control-plane calls the SPI does not carry (IAM, ACLs, HMAC keys, notifications) go to
 * {@link #nativeStorage()} ({@link NativeStorageAware}).
 *
 * <p>Every failure of the client is translated in one place ({@code GcsErrors}) into a {@link
 * HybridStorageException} with GCS's code and reason and this store's operation, bucket, object
 * and site. Thread-safe, as the GCS client is.
 */
public final class GcsStore implements ObjectStore, NativeStorageAware {

  private static final Logger log = LoggerFactory.getLogger(GcsStore.class);

  /** Bytes read when a read is opened, so that GCS starts serving the pinned generation then. */
  static final int READ_AHEAD_BYTES = 64 * 1024;

  /** How often a read of the live version retries when that version is replaced under it. */
  private static final int LIVE_READ_ATTEMPTS = 16;

  /** Objects up to this many bytes are sent in one request at commit. */
  public static final int DEFAULT_SINGLE_REQUEST_LIMIT = 1 << 20;

  private final String site;
  private final Storage storage;
  private final boolean ownsStorage;
  private final int singleRequestLimit;
  private final Set<Capability> capabilities;
  private final AtomicBoolean closed = new AtomicBoolean();

  private GcsStore(Builder b) {
    this.site = b.site;
    this.storage = b.storage;
    this.ownsStorage = b.ownsStorage;
    this.singleRequestLimit = b.singleRequestLimit;
    // the JSON API carries object names %2F-encoded in one path segment: dot segments stay literal
    EnumSet<Capability> caps = EnumSet.of(Capability.OBJECT_VERSIONING, Capability.ATOMIC_PRECONDITIONS,
        Capability.NATIVE_COMPOSE, Capability.NATIVE_COPY, Capability.DOT_SEGMENT_NAMES);
    if (canSign(storage)) {
      caps.add(Capability.SIGNED_URLS);
    }
    this.capabilities = java.util.Collections.unmodifiableSet(caps);
  }

  /** A store named {@code site} over {@code storage}; the caller keeps ownership of the client. */
  public static GcsStore of(String site, Storage storage) {
    return builder(storage).site(site).build();
  }

  public static Builder builder(Storage storage) {
    return new Builder(storage);
  }

  /** Builds a {@link GcsStore}. */
  public static final class Builder {
    private final Storage storage;
    private String site = "gcp";
    private boolean ownsStorage;
    private int singleRequestLimit = DEFAULT_SINGLE_REQUEST_LIMIT;

    private Builder(Storage storage) {
      this.storage = Objects.requireNonNull(storage, "storage");
    }

    /** The site name used in errors and metrics; default {@code gcp}. */
    public Builder site(String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("site must not be blank");
      }
      this.site = value;
      return this;
    }

    /** Whether {@link GcsStore#close()} closes the client too; default false. */
    public Builder ownsStorage(boolean value) {
      this.ownsStorage = value;
      return this;
    }

    /**
     * Objects of at most this many bytes are buffered and sent in one request at commit (one
     * round trip); larger ones stream through a resumable upload. {@code 0}: always resumable.
     */
    public Builder singleRequestLimit(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("singleRequestLimit (" + bytes + ") must be >= 0");
      }
      this.singleRequestLimit = bytes;
      return this;
    }

    public GcsStore build() {
      return new GcsStore(this);
    }
  }

  private static boolean canSign(Storage storage) {
    try {
      return storage.getOptions() != null && storage.getOptions().getCredentials() instanceof ServiceAccountSigner;
    } catch (RuntimeException e) {
      // A Storage that is not the GCS client (e.g. a facade) may not expose options.
      return false;
    }
  }

  /**
   * The GCS client, for control-plane calls (IAM, ACLs, HMAC keys, notifications): the facade
   * forwards them here when this site is a bucket's authority. Closing this store closes it only
   * when the store owns it.
   */
  @Override
  public Storage nativeStorage() {
    return storage;
  }

  @Override
  public String site() {
    return site;
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  // ---------------------------------------------------------------- buckets

  @Override
  public BucketInfo createBucket(BucketSpec spec) {
    Names.checkBucket("createBucket", spec.name(), site);
    com.google.cloud.storage.BucketInfo.Builder b = com.google.cloud.storage.BucketInfo.newBuilder(spec.name())
        .setVersioningEnabled(spec.versioningEnabled());
    if (spec.location() != null) {
      b.setLocation(spec.location());
    }
    if (spec.storageClass() != null) {
      b.setStorageClass(StorageClass.valueOf(spec.storageClass()));
    }
    if (!spec.labels().isEmpty()) {
      b.setLabels(spec.labels());
    }
    com.google.cloud.storage.BucketInfo info = b.build();
    Bucket created = GcsErrors.call("createBucket", spec.name(), null, site, () -> storage.create(info));
    return GcsConversions.bucketInfo(created);
  }

  @Override
  public Optional<BucketInfo> getBucket(String bucket) {
    Bucket b = GcsErrors.call("getBucket", bucket, null, site, () -> storage.get(bucket));
    return Optional.ofNullable(b).map(GcsConversions::bucketInfo);
  }

  @Override
  public ListPage<BucketInfo> listBuckets(BucketListRequest request) {
    List<BucketListOption> options = new ArrayList<>(3);
    if (request.prefix() != null) {
      options.add(BucketListOption.prefix(request.prefix()));
    }
    if (request.pageSize() > 0) {
      options.add(BucketListOption.pageSize(request.pageSize()));
    }
    if (request.pageToken() != null) {
      options.add(BucketListOption.pageToken(request.pageToken()));
    }
    Page<Bucket> page = GcsErrors.call("listBuckets", null, null, site,
        () -> storage.list(options.toArray(BucketListOption[]::new)));
    List<BucketInfo> items = new ArrayList<>();
    for (Bucket b : page.getValues()) {
      items.add(GcsConversions.bucketInfo(b));
    }
    return ListPage.of(items, token(page.getNextPageToken()));
  }

  @Override
  public BucketInfo updateBucket(String bucket, BucketPatch patch) {
    com.google.cloud.storage.BucketInfo.Builder b = com.google.cloud.storage.BucketInfo.newBuilder(bucket);
    if (patch.versioningEnabled() != null) {
      b.setVersioningEnabled(patch.versioningEnabled());
    }
    if (patch.labels() != null) {
      b.setLabels(new HashMap<>(patch.labels())); // a null value removes the label
    }
    com.google.cloud.storage.BucketInfo info = b.build();
    Bucket updated = GcsErrors.call("updateBucket", bucket, null, site, () -> storage.update(info));
    return GcsConversions.bucketInfo(updated);
  }

  @Override
  public boolean deleteBucket(String bucket) {
    return GcsErrors.call("deleteBucket", bucket, null, site, () -> storage.delete(bucket));
  }

  /**
   * 404 unless {@code bucket} exists. GCS answers a missing object and a missing bucket alike for
   * object calls (the client returns null/false), so a miss costs this extra call to tell them
   * apart. A 403 on the bucket (the caller may read objects but not the bucket) counts as
   * "exists".
   */
  private void requireBucket(String op, String bucket) {
    Bucket b;
    try {
      b = storage.get(bucket, BucketGetOption.fields(Storage.BucketField.NAME));
    } catch (com.google.cloud.storage.StorageException e) {
      if (e.getCode() == 403) {
        return;
      }
      throw GcsErrors.translate(e, op, bucket, null, site);
    } catch (RuntimeException e) {
      throw GcsErrors.translate(e, op, bucket, null, site);
    }
    if (b == null) {
      throw HybridStorageException.bucketNotFound(op, bucket, site);
    }
  }

  // ---------------------------------------------------------------- objects

  @Override
  public Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
    return fetch("head", id, conditions);
  }

  private Optional<ObjectInfo> fetch(String op, ObjectId id, Conditions conditions) {
    Blob blob = GcsErrors.call(op, id.bucket(), id.name(), site,
        () -> storage.get(blobId(id), GcsConversions.getOptions(conditions)));
    if (blob == null) {
      requireBucket(op, id.bucket());
      return Optional.empty();
    }
    return Optional.of(objectInfo(blob));
  }

  @Override
  public ObjectContent read(ReadRequest request) {
    ObjectId id = request.id();
    for (int attempt = 1; ; attempt++) {
      ObjectInfo info = fetch("read", id, request.conditions())
          .orElseThrow(() -> HybridStorageException.objectNotFound("read", id.bucket(), id.name(), site));
      try {
        return open(request, info);
      } catch (HybridStorageException e) {
        // The live version found was replaced (and not kept) before its bytes were requested: a
        // read of "the live version" then reads the new live version, as one GET of GCS would.
        if (e.code() != 404 || id.generation() != 0 || attempt >= LIVE_READ_ATTEMPTS) {
          throw e;
        }
        log.debug("read {} on {}: generation {} replaced before its download started, retrying",
            id, site, info.generation());
        if (attempt > 2) {
          pause(Math.min(50, 1L << (attempt - 2)));
        }
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Opens the bytes of exactly {@code info}'s generation. */
  private ObjectContent open(ReadRequest request, ObjectInfo info) {
    ObjectId id = request.id();
    long size = info.size();
    ByteRange range = request.range();
    range.check(size, "read", id.bucket(), id.name(), site);
    long start = range.start(size);
    long count = range.count(size);
    if (count == 0) {
      return ObjectContent.of(info, InputStream.nullInputStream());
    }
    // Pin the generation just found: a concurrent overwrite can then fail this open (404) but
    // never mix the bytes of two versions.
    BlobId pinned = BlobId.of(id.bucket(), id.name(), info.generation());
    ReadChannel channel = GcsErrors.call("read", id.bucket(), id.name(), site, () -> {
      ReadChannel ch = storage.reader(pinned, BlobSourceOption.shouldReturnRawInputStream(true));
      if (count < SMALL_READ_BYTES) {
        // the channel's buffer is its chunk size, 2 MiB by default: a 1 KiB read allocated it all
        ch.setChunkSize((int) Math.max(MIN_READ_CHUNK, count));
      }
      if (start > 0) {
        ch.seek(start);
      }
      if (start + count < size) {
        ch.limit(start + count);
      }
      return ch;
    });
    InputStream in = Channels.newInputStream(channel);
    // Start the download now, not at the caller's first read: GCS keeps serving a download it has
    // begun even when the generation is replaced meanwhile (the client streams one ranged GET),
    // and failures of the open (404, 412) surface here, from read(), as they should.
    byte[] first;
    try {
      first = GcsErrors.call("read", id.bucket(), id.name(), site,
          () -> in.readNBytes((int) Math.min(count, READ_AHEAD_BYTES)));
    } catch (HybridStorageException e) {
      closeQuietly(channel);
      throw e;
    }
    InputStream rest = first.length < count ? in : InputStream.nullInputStream();
    if (first.length == count) {
      closeQuietly(channel);
    }
    InputStream stream = new SequenceInputStream(new ByteArrayInputStream(first), rest) {
      @Override
      public void close() throws IOException {
        super.close();
        channel.close();
      }
    };
    return ObjectContent.of(info, new TranslatingInputStream(stream, id));
  }

  /** Below this many bytes a read sizes the channel's buffer to what it reads. */
  private static final long SMALL_READ_BYTES = 2 * 1024 * 1024;

  /** The smallest buffer a small read gets. */
  private static final int MIN_READ_CHUNK = 16 * 1024;

  private static void closeQuietly(ReadChannel channel) {
    try {
      channel.close();
    } catch (RuntimeException e) {
      log.debug("closing a finished read channel failed: {}", e.toString());
    }
  }

  /** Rethrows stream failures as IOExceptions whose cause names the operation, object and site. */
  private final class TranslatingInputStream extends FilterInputStream {
    private final ObjectId id;

    TranslatingInputStream(InputStream in, ObjectId id) {
      super(in);
      this.id = id;
    }

    private IOException translated(IOException e) {
      HybridStorageException t = GcsErrors.translate(e, "read", id.bucket(), id.name(), site);
      return new IOException(t.getMessage(), t);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw translated(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw translated(e);
      }
    }
  }

  @Override
  public ObjectWriter openWrite(WriteRequest request) {
    refuseAssignedGeneration("write", request.bucket(), request.name(), request.generation());
    Names.checkObject("write", request.bucket(), request.name(), site);
    return new GcsObjectWriter(this, storage, request, singleRequestLimit);
  }

  @Override
  public boolean delete(ObjectId id, Conditions conditions) {
    boolean deleted = GcsErrors.call("delete", id.bucket(), id.name(), site,
        () -> storage.delete(blobId(id), GcsConversions.sourceOptions(conditions)));
    if (!deleted) {
      requireBucket("delete", id.bucket());
    }
    return deleted;
  }

  @Override
  public ListPage<ObjectInfo> list(ListRequest request) {
    List<BlobListOption> options = new ArrayList<>(8);
    if (request.prefix() != null && !request.prefix().isEmpty()) {
      options.add(BlobListOption.prefix(request.prefix()));
    }
    if (request.delimiter() != null && !request.delimiter().isEmpty()) {
      options.add(BlobListOption.delimiter(request.delimiter()));
    }
    if (request.startOffset() != null && !request.startOffset().isEmpty()) {
      options.add(BlobListOption.startOffset(request.startOffset()));
    }
    if (request.endOffset() != null && !request.endOffset().isEmpty()) {
      options.add(BlobListOption.endOffset(request.endOffset()));
    }
    if (request.matchGlob() != null) {
      options.add(BlobListOption.matchGlob(request.matchGlob()));
    }
    if (request.versions()) {
      options.add(BlobListOption.versions(true));
    }
    options.add(BlobListOption.pageSize(request.effectivePageSize()));
    if (request.pageToken() != null) {
      options.add(BlobListOption.pageToken(request.pageToken()));
    }
    Page<Blob> page = GcsErrors.call("list", request.bucket(), null, site,
        () -> storage.list(request.bucket(), options.toArray(BlobListOption[]::new)));
    List<ObjectInfo> items = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    for (Blob blob : page.getValues()) {
      // The client turns each of GCS's "prefixes" into a Blob that isDirectory().
      if (blob.isDirectory()) {
        prefixes.add(blob.getName());
      } else {
        items.add(objectInfo(blob));
      }
    }
    return new ListPage<>(items, prefixes, token(page.getNextPageToken()));
  }

  @Nullable
  private static String token(@Nullable String token) {
    return token == null || token.isEmpty() ? null : token;
  }

  /**
   * 501 for a caller-assigned generation (a write, copy or compose): GCS assigns its own, so this
   * store has no {@link Capability#ASSIGNED_GENERATIONS}.
   */
  private void refuseAssignedGeneration(String op, String bucket, String name, long generation) {
    if (generation != 0) {
      throw new HybridStorageException(501, "notImplemented", op, bucket, name, site,
          "a caller-assigned generation (" + generation + ") cannot be given to a " + op + " on GCS site " + site
              + ": GCS assigns its own generations, so it must be the authority of every placement that"
              + " includes it (no ASSIGNED_GENERATIONS capability)",
          null);
    }
  }

  @Override
  public ObjectInfo copy(CopyRequest request) {
    refuseAssignedGeneration("copy", request.targetBucket(), request.targetName(), request.generation());
    ObjectId source = request.source();
    Names.checkObject("copy", request.targetBucket(), request.targetName(), site);
    Storage.CopyRequest.Builder b = Storage.CopyRequest.newBuilder()
        .setSource(blobId(source))
        .setSourceOptions(GcsConversions.sourceOptions(request.sourceConditions()));
    BlobId target = BlobId.of(request.targetBucket(), request.targetName());
    if (request.metadata() == null) {
      // No destination resource: GCS copies the source's metadata.
      b.setTarget(target, GcsConversions.targetOptions(request.targetConditions()));
    } else {
      b.setTarget(GcsConversions.blobInfo(target, request.metadata()).build(),
          GcsConversions.targetOptions(request.targetConditions()));
    }
    Storage.CopyRequest copy = b.build();
    // CopyWriter.getResult() drives the rewrite to completion (one call per rewrite chunk).
    try {
      Blob result = GcsErrors.call("copy", request.targetBucket(), request.targetName(), site,
          () -> storage.copy(copy).getResult());
      return objectInfo(result);
    } catch (HybridStorageException e) {
      if (e.code() == 404) {
        // GCS's 404 does not say which side is missing: find out, to name it.
        if (fetch("copy", source, Conditions.none()).isEmpty()) {
          throw HybridStorageException.objectNotFound("copy", source.bucket(), source.name(), site);
        }
        requireBucket("copy", request.targetBucket());
      }
      throw e;
    }
  }

  /**
   * Server-side compose. GCS's client pins each source with an explicit generation sends it as
   * that source's {@code ifGenerationMatch} too; a source whose {@code ifGenerationMatch} is set
   * without a generation is checked against the live version first (412 when it is not that
   * generation) and then pinned to it, so the bytes composed are the ones the condition named.
   */
  @Override
  public ObjectInfo compose(ComposeRequest request) {
    refuseAssignedGeneration("compose", request.bucket(), request.targetName(), request.generation());
    request.validate(site);
    Names.checkObject("compose", request.bucket(), request.targetName(), site);
    Storage.ComposeRequest.Builder b = Storage.ComposeRequest.newBuilder();
    for (ComposeRequest.Source source : request.sources()) {
      Long match = source.ifGenerationMatch();
      if (match != null && source.generation() != 0 && match != source.generation()) {
        throw HybridStorageException.preconditionFailed("compose", request.bucket(), source.name(), site,
            "source ifGenerationMatch=" + match + " failed, generation used=" + source.generation());
      }
      if (match != null && source.generation() == 0) {
        fetch("compose", ObjectId.of(request.bucket(), source.name()), Conditions.generationMatch(match))
            .orElseThrow(() -> HybridStorageException.objectNotFound("compose", request.bucket(), source.name(), site));
        b.addSource(source.name(), match);
      } else if (source.generation() != 0) {
        b.addSource(source.name(), source.generation());
      } else {
        b.addSource(source.name());
      }
    }
    b.setTarget(GcsConversions.blobInfo(BlobId.of(request.bucket(), request.targetName()), request.metadata()).build());
    b.setTargetOptions(GcsConversions.targetOptions(request.targetConditions()));
    Storage.ComposeRequest compose = b.build();
    try {
      Blob result = GcsErrors.call("compose", request.bucket(), request.targetName(), site,
          () -> storage.compose(compose));
      return objectInfo(answered(result, "compose", request.bucket(), request.targetName()));
    } catch (HybridStorageException e) {
      if (e.code() == 404) {
        // GCS's 404 does not say which source is missing: find out, to name it.
        for (ComposeRequest.Source source : request.sources()) {
          ObjectId id = new ObjectId(request.bucket(), source.name(), source.generation());
          if (fetch("compose", id, Conditions.none()).isEmpty()) {
            throw HybridStorageException.objectNotFound("compose", request.bucket(), source.name(), site);
          }
        }
      }
      throw e;
    }
  }

  /**
   * A GCS PATCH. A custom key mapped to null is removed. {@code clearCustom} needs the current
   * keys (GCS removes keys one by one), so it reads the object first and patches with {@code
   * ifMetagenerationMatch} of what it read (retried a few times when another writer raced it,
   * unless the caller gave its own metageneration condition).
   */
  @Override
  public ObjectInfo updateMetadata(ObjectId id, MetadataPatch patch, Conditions conditions) {
    if (!patch.clearCustom()) {
      return patch(id, patch, null, conditions);
    }
    int attempts = conditions.ifMetagenerationMatch() == null ? 3 : 1;
    for (int attempt = 1; ; attempt++) {
      ObjectInfo current = fetch("updateMetadata", id, conditions)
          .orElseThrow(() -> HybridStorageException.objectNotFound("updateMetadata", id.bucket(), id.name(), site));
      Conditions pinned = conditions.ifMetagenerationMatch() == null
          ? conditions.withMetagenerationMatch(current.metageneration())
          : conditions;
      try {
        return patch(id, patch, current.metadata().custom(), pinned);
      } catch (HybridStorageException e) {
        if (e.code() != 412 || attempt >= attempts) {
          throw e;
        }
        log.debug("updateMetadata {} on {}: raced by another update, retrying", id, site);
      }
    }
  }

  private ObjectInfo patch(ObjectId id, MetadataPatch patch, @Nullable Map<String, String> clearKeys,
      Conditions conditions) {
    BlobInfo.Builder b = BlobInfo.newBuilder(blobId(id));
    // An empty string clears a header: the client sends a JSON null for a header set to null.
    if (patch.contentType() != null) {
      b.setContentType(emptyToNull(patch.contentType()));
    }
    if (patch.contentEncoding() != null) {
      b.setContentEncoding(emptyToNull(patch.contentEncoding()));
    }
    if (patch.contentDisposition() != null) {
      b.setContentDisposition(emptyToNull(patch.contentDisposition()));
    }
    if (patch.contentLanguage() != null) {
      b.setContentLanguage(emptyToNull(patch.contentLanguage()));
    }
    if (patch.cacheControl() != null) {
      b.setCacheControl(emptyToNull(patch.cacheControl()));
    }
    Map<String, String> custom = new HashMap<>();
    if (clearKeys != null) {
      clearKeys.keySet().forEach(k -> custom.put(k, null));
    }
    if (patch.custom() != null) {
      custom.putAll(patch.custom()); // null values stay: they remove the key
    }
    if (!custom.isEmpty()) {
      b.setMetadata(custom);
    }
    BlobInfo info = b.build();
    Blob updated = GcsErrors.call("updateMetadata", id.bucket(), id.name(), site,
        () -> storage.update(info, GcsConversions.targetOptions(conditions)));
    return objectInfo(answered(updated, "updateMetadata", id.bucket(), id.name()));
  }

  /**
   * GCS answers compose and patch with the object or an error, never with nothing: a {@code
   * Storage} that returns null did not do the call (501), whatever it meant.
   */
  private <T> T answered(@Nullable T result, String op, String bucket, String object) {
    if (result == null) {
      throw new HybridStorageException(501, "notImplemented", op, bucket, object, site,
          "the Storage behind site " + site + " answered " + op + " with nothing", null);
    }
    return result;
  }

  @Nullable
  private static String emptyToNull(String value) {
    return value.isEmpty() ? null : value;
  }

  @Override
  public URL signUrl(SignUrlRequest request) {
    if (!capabilities.contains(Capability.SIGNED_URLS)) {
      throw new HybridStorageException(501, "notImplemented", "signUrl", request.bucket(), request.name(), site,
          "signUrl needs credentials that can sign (a service account key); the client of site " + site
              + " has none",
          null);
    }
    if (Names.hasDotSegment(request.name())) {
      // the client puts the name in the URL's path as it is (/b/bu-sales/../../finance/x), and
      // whoever follows the URL resolves it (RFC 3986 §5.2.4) into another path
      throw HybridStorageException.invalid("signUrl", request.bucket(), request.name(), site,
          "Invalid object name for a signed URL: it has a '.' or '..' segment, which HTTP clients and URL parsers "
              + "resolve, so the URL would address another object (or bucket); the object itself is fine, only no "
              + "URL is signed for it");
    }
    request.checkHeaders(site); // no x-goog-copy-source, ACLs or hs-* metadata in a URL
    BlobInfo info = BlobInfo.newBuilder(request.bucket(), request.name()).build();
    List<SignUrlOption> options = new ArrayList<>(3);
    options.add(SignUrlOption.withV4Signature());
    options.add(SignUrlOption.httpMethod(HttpMethod.valueOf(request.method())));
    if (!request.headers().isEmpty()) {
      options.add(SignUrlOption.withExtHeaders(request.headers()));
    }
    return GcsErrors.call("signUrl", request.bucket(), request.name(), site,
        () -> storage.signUrl(info, request.ttl().toMillis(), TimeUnit.MILLISECONDS,
            options.toArray(SignUrlOption[]::new)));
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsStorage) {
      try {
        storage.close();
      } catch (Exception e) {
        log.warn("closing the GCS client of site {} failed: {}", site, e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return "GcsStore[" + site + "]";
  }
}
