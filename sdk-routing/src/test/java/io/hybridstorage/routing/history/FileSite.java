package io.hybridstorage.routing.history;

import io.hybridstorage.api.BucketInfo;
import io.hybridstorage.api.BucketListRequest;
import io.hybridstorage.api.BucketPatch;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.MetadataPatch;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import javax.annotation.Nullable;

/**
 * A site whose objects live in files, so they outlive the JVM that wrote them: the sites of the
 * SIGKILL runs. One file per object name holds its live version (generation, CRC32C, bytes) or its
 * tombstone, and the highest generation the name ever held; a write is an atomic rename. Assigned
 * generations follow the sites' rule (DESIGN.md decision 1): refused with 412 unless above every
 * generation the name ever held, live or deleted. Only what the routers of the kill runs call; the
 * rest answers 501. One process at a time; thread-safe within it.
 */
final class FileSite implements ObjectStore {

  private final String site;
  private final Path root;
  private final Clock clock = Clock.systemUTC();

  FileSite(String site, Path root) {
    this.site = site;
    this.root = root;
  }

  @Override
  public String site() {
    return site;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.ASSIGNED_GENERATIONS, Capability.ATOMIC_PRECONDITIONS);
  }

  private Path bucketDir(String bucket) {
    return root.resolve(bucket);
  }

  private Path file(String bucket, String name) {
    return bucketDir(bucket).resolve(Base64.getUrlEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public synchronized BucketInfo createBucket(BucketSpec spec) {
    if (Files.isDirectory(bucketDir(spec.name()))) {
      throw HybridStorageException.conflict("createBucket", spec.name(), null, site, "the bucket exists");
    }
    try {
      Files.createDirectories(bucketDir(spec.name()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bucket(spec.name());
  }

  private static BucketInfo bucket(String name) {
    return new BucketInfo(name, false, null, null, Map.of(), 1, null, null);
  }

  @Override
  public Optional<BucketInfo> getBucket(String bucket) {
    return Files.isDirectory(bucketDir(bucket)) ? Optional.of(bucket(bucket)) : Optional.empty();
  }

  /** A name's file: its live version (null when deleted or never written) and its highest generation. */
  private record State(@Nullable ObjectInfo live, byte[] data, long maxGeneration) {}

  private State load(String bucket, String name) {
    Path f = file(bucket, name);
    if (!Files.exists(f)) {
      return new State(null, new byte[0], 0);
    }
    try {
      byte[] all = Files.readAllBytes(f);
      int headerLength = ByteBuffer.wrap(all).getInt();
      Properties p = new Properties();
      p.load(new ByteArrayInputStream(all, 4, headerLength));
      byte[] data = new byte[all.length - 4 - headerLength];
      System.arraycopy(all, 4 + headerLength, data, 0, data.length);
      long max = Long.parseLong(p.getProperty("maxGeneration"));
      if (Boolean.parseBoolean(p.getProperty("deleted"))) {
        return new State(null, new byte[0], max);
      }
      long g = Long.parseLong(p.getProperty("generation"));
      Instant created = Instant.ofEpochMilli(Long.parseLong(p.getProperty("created")));
      ObjectInfo info = new ObjectInfo(bucket, name, g, 1, data.length, p.getProperty("crc32c"), null, null,
          ObjectMetadata.empty(), created, created, null, 1);
      return new State(info, data, max);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void store(String bucket, String name, @Nullable ObjectInfo live, byte[] data, long maxGeneration) {
    Properties p = new Properties();
    p.setProperty("maxGeneration", Long.toString(maxGeneration));
    p.setProperty("deleted", Boolean.toString(live == null));
    if (live != null) {
      p.setProperty("generation", Long.toString(live.generation()));
      p.setProperty("crc32c", live.crc32c());
      p.setProperty("created", Long.toString(live.createTime().toEpochMilli()));
    }
    try {
      ByteArrayOutputStream header = new ByteArrayOutputStream();
      p.store(header, null);
      ByteBuffer out = ByteBuffer.allocate(4 + header.size() + data.length);
      out.putInt(header.size()).put(header.toByteArray()).put(data);
      Path tmp = Files.createTempFile(bucketDir(bucket), ".tmp", "");
      Files.write(tmp, out.array());
      Files.move(tmp, file(bucket, name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw HybridStorageException.io("write", bucket, name, site, e);
    }
  }

  private void requireBucket(String op, String bucket) {
    if (!Files.isDirectory(bucketDir(bucket))) {
      throw HybridStorageException.bucketNotFound(op, bucket, site);
    }
  }

  @Nullable
  private ObjectInfo version(ObjectId id) {
    ObjectInfo live = load(id.bucket(), id.name()).live();
    return live != null && (id.generation() == 0 || live.generation() == id.generation()) ? live : null;
  }

  @Override
  public synchronized Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
    requireBucket("head", id.bucket());
    ObjectInfo info = version(id);
    if (info != null) {
      conditions.check(info, "head", id.bucket(), id.name(), site);
    }
    return Optional.ofNullable(info);
  }

  @Override
  public synchronized ObjectContent read(ReadRequest request) {
    ObjectId id = request.id();
    requireBucket("read", id.bucket());
    if (!request.range().isAll()) {
      throw HybridStorageException.unsupported("read (range)", id.bucket(), id.name(), site);
    }
    State s = load(id.bucket(), id.name());
    ObjectInfo info = version(id);
    if (info == null) {
      throw HybridStorageException.objectNotFound("read", id.bucket(), id.name(), site);
    }
    request.conditions().check(info, "read", id.bucket(), id.name(), site);
    return ObjectContent.of(info, new ByteArrayInputStream(s.data()));
  }

  @Override
  public ObjectWriter openWrite(WriteRequest request) {
    requireBucket("write", request.bucket());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    return new ObjectWriter() {
      boolean open = true;

      @Override
      public int write(ByteBuffer source) {
        int n = source.remaining();
        byte[] chunk = new byte[n];
        source.get(chunk);
        bytes.writeBytes(chunk);
        return n;
      }

      @Override
      public ObjectInfo commit() {
        open = false;
        return publish(request, bytes.toByteArray());
      }

      @Override
      public boolean isOpen() {
        return open;
      }

      @Override
      public void close() {
        open = false;
      }
    };
  }

  private synchronized ObjectInfo publish(WriteRequest request, byte[] data) {
    String b = request.bucket();
    String n = request.name();
    State s = load(b, n);
    request.conditions().check(s.live(), "write", b, n, site);
    long g = request.generation();
    if (g != 0) {
      boolean replacesItself = s.live() != null && s.live().generation() == g
          && Long.valueOf(g).equals(request.conditions().ifGenerationMatch());
      if (g <= s.maxGeneration() && !replacesItself) {
        throw HybridStorageException.preconditionFailed("write", b, n, site, "assigned generation " + g
            + " is not above the highest generation the name held, " + s.maxGeneration());
      }
    } else {
      Instant now = clock.instant();
      g = Math.max(s.maxGeneration() + 1, now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000);
    }
    String crc = Checksums.crc32c(data);
    if (request.crc32c() != null && !request.crc32c().equals(crc)) {
      throw HybridStorageException.invalid("write", b, n, site, "CRC32C mismatch: sent " + request.crc32c()
          + ", computed " + crc);
    }
    ObjectInfo info = new ObjectInfo(b, n, g, 1, data.length, crc, null, null, ObjectMetadata.empty(),
        clock.instant(), clock.instant(), null, 1);
    store(b, n, info, data, Math.max(g, s.maxGeneration()));
    return info;
  }

  @Override
  public synchronized boolean delete(ObjectId id, Conditions conditions) {
    requireBucket("delete", id.bucket());
    State s = load(id.bucket(), id.name());
    ObjectInfo info = version(id);
    if (info == null) {
      return false;
    }
    conditions.check(info, "delete", id.bucket(), id.name(), site);
    store(id.bucket(), id.name(), null, new byte[0], s.maxGeneration());
    return true;
  }

  /** Removes a live version {@code <= generation} and raises the name's highest generation to it. */
  @Override
  public synchronized boolean deleteUpTo(String bucket, String name, long generation) {
    requireBucket("deleteUpTo", bucket);
    State s = load(bucket, name);
    boolean remove = s.live() != null && s.live().generation() <= generation;
    if (!remove && s.maxGeneration() >= generation) {
      return false;
    }
    long max = Math.max(s.maxGeneration(), generation);
    store(bucket, name, remove ? null : s.live(), remove ? new byte[0] : s.data(), max);
    return remove;
  }

  @Override
  public synchronized ListPage<ObjectInfo> list(ListRequest request) {
    requireBucket("list", request.bucket());
    List<ObjectInfo> items = new ArrayList<>();
    try (Stream<Path> files = Files.list(bucketDir(request.bucket()))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String file = f.getFileName().toString();
        if (file.startsWith(".tmp")) {
          continue;
        }
        String name = new String(Base64.getUrlDecoder().decode(file), StandardCharsets.UTF_8);
        if ((request.prefix() == null || name.startsWith(request.prefix()))
            && (request.startOffset() == null || Utf8Order.INSTANCE.compare(name, request.startOffset()) >= 0)
            && (request.endOffset() == null || Utf8Order.INSTANCE.compare(name, request.endOffset()) < 0)) {
          ObjectInfo live = load(request.bucket(), name).live();
          if (live != null) {
            items.add(live);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    items.sort((x, y) -> Utf8Order.INSTANCE.compare(x.name(), y.name()));
    return ListPage.of(items, null);
  }

  @Override
  public ListPage<BucketInfo> listBuckets(BucketListRequest request) {
    throw HybridStorageException.unsupported("listBuckets", null, null, site);
  }

  @Override
  public BucketInfo updateBucket(String bucket, BucketPatch patch) {
    throw HybridStorageException.unsupported("updateBucket", bucket, null, site);
  }

  @Override
  public boolean deleteBucket(String bucket) {
    throw HybridStorageException.unsupported("deleteBucket", bucket, null, site);
  }

  @Override
  public ObjectInfo copy(CopyRequest request) {
    throw HybridStorageException.unsupported("copy", request.targetBucket(), request.targetName(), site);
  }

  @Override
  public ObjectInfo compose(ComposeRequest request) {
    throw HybridStorageException.unsupported("compose", request.bucket(), request.targetName(), site);
  }

  @Override
  public ObjectInfo updateMetadata(ObjectId id, MetadataPatch patch, Conditions conditions) {
    throw HybridStorageException.unsupported("updateMetadata", id.bucket(), id.name(), site);
  }

  @Override
  public void close() {}
}
