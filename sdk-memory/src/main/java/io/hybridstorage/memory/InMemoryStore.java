package io.hybridstorage.memory;

import static java.util.Objects.requireNonNull;

import io.hybridstorage.api.BucketInfo;
import io.hybridstorage.api.BucketListRequest;
import io.hybridstorage.api.BucketPatch;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.ByteRange;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.Listing;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.Names;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.Utf8Order;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;

/**
 * One site's buckets and objects in memory, with the semantics of the GCS JSON API: a fast,
 * thread-safe stand-in for GCS in unit tests and the reference implementation of the {@link
 * ObjectStore} contract (it passes the whole TCK, {@code io.hybridstorage.testkit.tck.ObjectStoreTck}).
 *
 * <ul>
 *   <li><b>Generations.</b> Every write, copy and compose creates a new version whose generation
 *       is unique within the store and larger than any before it: {@code max(last + 1, now in
 *       microseconds)}, as GCS's are. A caller-assigned generation ({@link
 *       WriteRequest#generation()} ≠ 0) is used as given and fails with 412 unless it is greater
 *       than every generation the name has held — live, noncurrent or deleted: a name whose
 *       versions are all gone keeps a tombstone with its highest generation for the life of the
 *       store (of its bucket: deleting the bucket forgets them); {@link #deleteUpTo} raises that
 *       tombstone even when the name is absent. An assigned generation {@code g}
 *       with {@code ifGenerationMatch = g} replaces the live version {@code g} (repair). Metadata
 *       updates bump the metageneration (an overwrite starts again at 1).
 *   <li><b>Versioning.</b> In a bucket with versioning on, an overwritten or deleted live version
 *       becomes noncurrent (with a delete time), stays readable by generation and is listed with
 *       {@code versions=true}; deleting by generation removes a version for good. With versioning
 *       off they disappear.
 *   <li><b>Preconditions</b> are checked with {@link Conditions#check} atomically with the change
 *       they guard (compare-and-set of the name's whole state; no lock on the data path).
 *   <li><b>Listing</b> follows {@link Listing}: UTF-8 byte order, prefix, delimiter, offsets,
 *       glob, versions, tokens that resume strictly after the last entry returned.
 *   <li><b>Integrity.</b> CRC32C and MD5 of every object; a write whose client checksum does not
 *       match is rejected with 400 and leaves nothing. Composites report no MD5, as in GCS.
 *   <li><b>Isolation.</b> A writer buffers privately until commit; published bytes are never
 *       modified; a read streams the version it opened even if it is overwritten meanwhile.
 *   <li><b>{@link Capability#IN_PROCESS}.</b> No call waits for anything: a router calls it on the
 *       caller's thread, without a time limit.
 * </ul>
 *
 * <p>Each instance is independent (no static state). {@link #close()} releases nothing (there is
 * nothing to release) and the store stays usable, so a test may share one store between
 * components that each close it. Signed URLs are not supported (501).
 */
public final class InMemoryStore implements ObjectStore {

  /** GCS's limit on the components of one composite object. */
  static final int MAX_COMPONENTS = 1024;

  private static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
      Capability.OBJECT_VERSIONING, Capability.ATOMIC_PRECONDITIONS, Capability.ASSIGNED_GENERATIONS,
      Capability.NATIVE_COMPOSE, Capability.NATIVE_COPY, Capability.DOT_SEGMENT_NAMES, Capability.IN_PROCESS));

  private final String site;
  private final Clock clock;
  private final AtomicLong lastGeneration = new AtomicLong();
  private final ConcurrentSkipListMap<String, MemoryBucket> buckets = new ConcurrentSkipListMap<>(Utf8Order.INSTANCE);

  /** An empty store for {@code site}, on the system clock. */
  public InMemoryStore(String site) {
    this(site, Clock.systemUTC());
  }

  /**
   * An empty store for {@code site} whose times (create/update/delete times, and the clock part of
   * generations) come from {@code clock}. Generations still increase when the clock stands still.
   */
  public InMemoryStore(String site, Clock clock) {
    this.site = requireNonNull(site, "site");
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public String site() {
    return site;
  }

  /**
   * Versioning, atomic preconditions, assigned generations, native compose and copy, dot-segment
   * names, and {@link Capability#IN_PROCESS} (no call waits); not signed URLs.
   */
  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  // ---------------------------------------------------------------- buckets

  @Override
  public BucketInfo createBucket(BucketSpec spec) {
    Names.checkBucket("createBucket", spec.name(), site);
    Instant now = clock.instant();
    BucketInfo info = new BucketInfo(spec.name(), spec.versioningEnabled(),
        spec.location() == null ? "US" : spec.location(),
        spec.storageClass() == null ? "STANDARD" : spec.storageClass(),
        spec.labels(), 1, now, now);
    MemoryBucket bucket = new MemoryBucket(info);
    while (true) {
      MemoryBucket existing = buckets.putIfAbsent(spec.name(), bucket);
      if (existing == null) {
        return info;
      }
      if (!existing.isDeleted()) {
        throw HybridStorageException.conflict("createBucket", spec.name(), null, site,
            "Your previous request to create the named bucket succeeded and you already own it.");
      }
      buckets.remove(spec.name(), existing); // a deletion still finishing
    }
  }

  @Override
  public Optional<BucketInfo> getBucket(String bucket) {
    MemoryBucket b = buckets.get(bucket);
    return b == null || b.isDeleted() ? Optional.empty() : Optional.of(b.info());
  }

  @Override
  public ListPage<BucketInfo> listBuckets(BucketListRequest request) {
    ListRequest asList = ListRequest.of("").withPrefix(request.prefix()).withPageSize(request.pageSize())
        .withPageToken(request.pageToken());
    return Listing.page(asList,
        from -> (from == null ? buckets : buckets.tailMap(from, true)).values().stream()
            .filter(b -> !b.isDeleted()).map(MemoryBucket::info).iterator(),
        BucketInfo::name, b -> 0, "listBuckets", site);
  }

  @Override
  public BucketInfo updateBucket(String bucket, BucketPatch patch) {
    return bucket("updateBucket", bucket).update(patch, clock.instant());
  }

  @Override
  public boolean deleteBucket(String bucket) {
    MemoryBucket b = buckets.get(bucket);
    if (b == null || b.isDeleted()) {
      return false;
    }
    b.delete(site);
    buckets.remove(bucket, b);
    return true;
  }

  // ---------------------------------------------------------------- objects

  @Override
  public Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
    ObjectState.Version version = lookup("head", id);
    if (version == null) {
      return Optional.empty();
    }
    conditions.checkRead(version.info(), "head", id.bucket(), id.name(), site);
    return Optional.of(version.info());
  }

  @Override
  public ObjectContent read(ReadRequest request) {
    ObjectId id = request.id();
    ObjectState.Version version = lookup("read", id);
    if (version == null) {
      throw HybridStorageException.objectNotFound("read", id.bucket(), id.name(), site);
    }
    request.conditions().checkRead(version.info(), "read", id.bucket(), id.name(), site);
    ByteRange range = request.range();
    long size = version.data().size();
    range.check(size, "read", id.bucket(), id.name(), site);
    return ObjectContent.of(version.info(), version.data().stream(range.start(size), range.count(size)));
  }

  @Override
  public ObjectWriter openWrite(WriteRequest request) {
    bucket("write", request.bucket());
    Names.checkObject("write", request.bucket(), request.name(), site);
    return new MemoryWriter(this, request);
  }

  /** Reads the stream straight into the object's chunks. */
  @Override
  public ObjectInfo write(WriteRequest request, InputStream data) {
    bucket("write", request.bucket());
    Names.checkObject("write", request.bucket(), request.name(), site);
    try (MemoryWriter writer = new MemoryWriter(this, request)) {
      writer.writeFrom(data);
      return writer.commit();
    } catch (IOException e) {
      throw HybridStorageException.io("write", request.bucket(), request.name(), site, e);
    }
  }

  @Override
  public boolean delete(ObjectId id, Conditions conditions) {
    MemoryBucket bucket = bucket("delete", id.bucket());
    Names.checkObject("delete", id.bucket(), id.name(), site);
    return bucket.mutate(id.name(), "delete", site, current -> {
      ObjectState.Version target = current == null ? null : current.find(id.generation());
      if (target == null) {
        return MemoryBucket.Outcome.unchanged(false);
      }
      conditions.check(target.info(), "delete", id.bucket(), id.name(), site);
      ObjectState next = id.generation() == 0
          ? current.deleteLive(bucket.versioning(), clock.instant())
          : current.remove(id.generation());
      return MemoryBucket.Outcome.to(next, true);
    });
  }

  /**
   * One atomic change of the name: removes the live version when its generation is {@code <=
   * generation} (noncurrent with versioning on) and raises the name's tombstone ({@link
   * ObjectState#maxGeneration()}) to {@code generation}, also when the name is absent.
   */
  @Override
  public boolean deleteUpTo(String bucketName, String name, long generation) {
    String op = "deleteUpTo";
    MemoryBucket bucket = bucket(op, bucketName);
    Names.checkObject(op, bucketName, name, site);
    if (generation <= 0) {
      throw HybridStorageException.invalid(op, bucketName, name, site,
          "the deleted generation must be positive, was " + generation);
    }
    return bucket.mutate(name, op, site, current -> {
      ObjectState.Version live = current == null ? null : current.live;
      boolean remove = live != null && live.generation() <= generation;
      if (!remove && current != null && current.maxGeneration() >= generation) {
        return MemoryBucket.Outcome.unchanged(false); // nothing to remove, the tombstone is high enough
      }
      ObjectState base = current == null ? ObjectState.tombstone(0) : current;
      ObjectState next = remove ? base.deleteLive(bucket.versioning(), clock.instant()) : base;
      return MemoryBucket.Outcome.to(next.withFloor(generation), remove);
    });
  }

  @Override
  public ListPage<ObjectInfo> list(ListRequest request) {
    MemoryBucket bucket = bucket("list", request.bucket());
    return Listing.page(request, from -> bucket.scan(from, request.versions()), ObjectInfo::name,
        ObjectInfo::generation, "list", site);
  }

  @Override
  public ObjectInfo copy(CopyRequest request) {
    ObjectId source = request.source();
    MemoryBucket sourceBucket = bucket("copy", source.bucket());
    bucket("copy", request.targetBucket());
    Names.checkObject("copy", source.bucket(), source.name(), site);
    Names.checkObject("copy", request.targetBucket(), request.targetName(), site);
    ObjectState.Version version = sourceBucket.find(source.name(), source.generation());
    if (version == null) {
      throw HybridStorageException.objectNotFound("copy", source.bucket(), source.name(), site);
    }
    ObjectInfo from = version.info();
    request.sourceConditions().check(from, "copy", source.bucket(), source.name(), site);
    ObjectMetadata metadata = request.metadata() == null ? from.metadata() : request.metadata();
    return publish("copy", request.targetBucket(), request.targetName(), request.targetConditions(),
        request.generation(), metadata,
        version.data(), from.crc32c(), from.md5(), from.componentCount());
  }

  @Override
  public ObjectInfo compose(ComposeRequest request) {
    request.validate(site);
    String bucketName = request.bucket();
    MemoryBucket bucket = bucket("compose", bucketName);
    Names.checkObject("compose", bucketName, request.targetName(), site);
    List<Bytes> parts = new ArrayList<>(request.sources().size());
    long size = 0;
    int components = 0;
    for (ComposeRequest.Source source : request.sources()) {
      Names.checkObject("compose", bucketName, source.name(), site);
      ObjectState.Version version = bucket.find(source.name(), source.generation());
      if (version == null) {
        throw HybridStorageException.objectNotFound("compose", bucketName, source.name(), site);
      }
      if (source.ifGenerationMatch() != null && source.ifGenerationMatch() != version.generation()) {
        throw HybridStorageException.preconditionFailed("compose", bucketName, source.name(), site,
            "source ifGenerationMatch=" + source.ifGenerationMatch() + " failed, current=" + version.generation());
      }
      parts.add(version.data());
      size += version.data().size();
      components += Math.max(1, version.info().componentCount());
    }
    if (components > MAX_COMPONENTS) {
      throw HybridStorageException.invalid("compose", bucketName, request.targetName(), site,
          "The composite object would have " + components + " components, more than the maximum ("
              + MAX_COMPONENTS + ")");
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw HybridStorageException.invalid("compose", bucketName, request.targetName(), site,
          "an InMemoryStore object holds at most " + (Integer.MAX_VALUE - 8) + " bytes, the composite has " + size);
    }
    Bytes data = Bytes.concat(parts);
    Checksums checksums = Checksums.withoutMd5(); // a composite has no MD5, as in GCS
    data.hash(checksums);
    return publish("compose", bucketName, request.targetName(), request.targetConditions(), request.generation(),
        request.metadata(), data, checksums.finish()[0], null, components);
  }

  @Override
  public ObjectInfo updateMetadata(ObjectId id, MetadataPatch patch, Conditions conditions) {
    MemoryBucket bucket = bucket("updateMetadata", id.bucket());
    Names.checkObject("updateMetadata", id.bucket(), id.name(), site);
    return bucket.mutate(id.name(), "updateMetadata", site, current -> {
      ObjectState.Version target = current == null ? null : current.find(id.generation());
      if (target == null) {
        throw HybridStorageException.objectNotFound("updateMetadata", id.bucket(), id.name(), site);
      }
      ObjectInfo old = target.info();
      conditions.check(old, "updateMetadata", id.bucket(), id.name(), site);
      long metageneration = old.metageneration() + 1;
      ObjectInfo updated = new ObjectInfo(old.bucket(), old.name(), old.generation(), metageneration, old.size(),
          old.crc32c(), old.md5(), etag(old.generation(), metageneration), old.metadata().apply(patch),
          old.createTime(), clock.instant(), old.deleteTime(), old.componentCount());
      return MemoryBucket.Outcome.to(current.replace(target, new ObjectState.Version(updated, target.data())),
          updated);
    });
  }

  /**
   * Fault injection: this site loses everything it held under {@code bucket/name} — every version
   * and the tombstone — as if it had never held the name (a lost disk, a restore from an old
   * backup). No {@link ObjectStore} call does this: a delete leaves a tombstone, so a test that
   * needs a copy to go missing or go back to an older generation uses this first. Returns whether
   * the site held anything of the name.
   */
  public boolean lose(String bucket, String name) {
    return bucket("lose", bucket).lose(name);
  }

  /**
   * 501: an in-memory store serves no HTTP endpoint, so there is nothing a signed URL could point
   * to (the embedded world and the testkit's sites have none). The message says where signed URLs
   * come from instead.
   */
  @Override
  public java.net.URL signUrl(io.hybridstorage.api.SignUrlRequest request) {
    throw new HybridStorageException(501, "notImplemented", "signUrl", request.bucket(), request.name(), site,
        "the in-memory backend (site kind memory) serves no HTTP endpoint, so there is no URL to sign; a signed"
            + " URL needs the bucket's authority to be a gcs site (a GCS V4 URL) or a vast site (a presigned S3"
            + " URL)", null);
  }

  /** Nothing to release; the store stays usable. Idempotent. */
  @Override
  public void close() {
    // intentionally empty: no threads, files or clients
  }

  @Override
  public String toString() {
    return "InMemoryStore(" + site + ")";
  }

  // ---------------------------------------------------------------- internals

  /**
   * Publishes a new live version of {@code bucket/name} atomically with {@code conditions}: the
   * one path by which write, copy and compose create objects.
   */
  ObjectInfo publish(String operation, String bucketName, String name, Conditions conditions, long assignedGeneration,
      ObjectMetadata metadata, Bytes data, @Nullable String crc32c, @Nullable String md5, int componentCount) {
    MemoryBucket bucket = bucket(operation, bucketName);
    ObjectInfo published = bucket.mutate(name, operation, site, current -> {
      ObjectState.Version live = current == null ? null : current.live;
      conditions.check(live == null ? null : live.info(), operation, bucketName, name, site);
      long generation;
      boolean repair = false;
      if (assignedGeneration != 0) {
        Long match = conditions.ifGenerationMatch();
        repair = live != null && match != null && match == assignedGeneration && live.generation() == match;
        long held = current == null ? 0 : current.maxGeneration();
        if (!repair && held >= assignedGeneration) {
          // live, noncurrent or deleted: the tombstone keeps the highest generation the name held
          throw HybridStorageException.generationNotNewer(operation, bucketName, name, site, assignedGeneration,
              held, live == null || live.generation() < held);
        }
        generation = assignedGeneration;
      } else {
        generation = nextGeneration(current == null ? 0 : current.maxGeneration());
      }
      Instant now = clock.instant();
      ObjectInfo info = new ObjectInfo(bucketName, name, generation, 1, data.size(), crc32c, md5,
          etag(generation, 1), metadata, now, now, null, componentCount);
      ObjectState.Version version = new ObjectState.Version(info, data);
      ObjectState next = repair
          ? current.replace(live, version) // the same generation, new bytes: nothing becomes noncurrent
          : ObjectState.withLive(current, version, bucket.versioning(), now);
      return MemoryBucket.Outcome.to(next, info);
    });
    if (assignedGeneration != 0) {
      lastGeneration.accumulateAndGet(assignedGeneration, Math::max);
    }
    return published;
  }

  /** A generation above every one this store issued and above {@code floor}: GCS's clock-based scheme. */
  private long nextGeneration(long floor) {
    Instant now = clock.instant();
    long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
    return lastGeneration.updateAndGet(last -> Math.max(Math.max(last, floor) + 1, micros));
  }

  private static String etag(long generation, long metageneration) {
    String raw = Long.toString(generation, 36) + "." + metageneration;
    return Base64.getEncoder().withoutPadding().encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /** The live bucket or 404 naming the operation. */
  private MemoryBucket bucket(String operation, String name) {
    MemoryBucket bucket = buckets.get(name);
    if (bucket == null || bucket.isDeleted()) {
      throw HybridStorageException.bucketNotFound(operation, name, site);
    }
    return bucket;
  }

  @Nullable
  private ObjectState.Version lookup(String operation, ObjectId id) {
    MemoryBucket bucket = bucket(operation, id.bucket());
    Names.checkObject(operation, id.bucket(), id.name(), site);
    return bucket.find(id.name(), id.generation());
  }
}
