package io.hybridstorage.routing;

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
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A minimal file-backed site for the kill -9 test: its objects outlive the JVM that wrote them.
 * One file per object holds a small header (generation, checksum) and the bytes; writes are
 * atomic renames, serialized per store. A delete leaves a tombstone file ({@code .tomb.<name>},
 * the deleted generation) before it removes the object, so an assigned generation at or below a
 * deleted one is refused (412) as {@link Capability#ASSIGNED_GENERATIONS} requires, also after
 * a restart. Only what the test needs; the rest answers 501.
 */
final class DirectoryStore implements ObjectStore {

  private final String site;
  private final Path root;

  DirectoryStore(String site, Path root) {
    this.site = site;
    this.root = root;
  }

  @Override
  public String site() {
    return site;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.ASSIGNED_GENERATIONS);
  }

  private Path bucketDir(String bucket) {
    return root.resolve(bucket);
  }

  private Path file(String bucket, String name) {
    return bucketDir(bucket).resolve(Base64.getUrlEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8)));
  }

  private Path tombstone(String bucket, String name) {
    return bucketDir(bucket).resolve(".tomb." + file(bucket, name).getFileName());
  }

  /** The highest generation deleted under {@code name}, or 0. */
  private long deletedGeneration(String bucket, String name) {
    try {
      Path t = tombstone(bucket, name);
      return Files.exists(t) ? Long.parseLong(Files.readString(t).trim()) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized BucketInfo createBucket(BucketSpec spec) {
    try {
      if (Files.exists(bucketDir(spec.name()))) {
        throw HybridStorageException.conflict("createBucket", spec.name(), null, site, "exists");
      }
      Files.createDirectories(bucketDir(spec.name()));
      return new BucketInfo(spec.name(), false, null, null, Map.of(), 1, null, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Optional<BucketInfo> getBucket(String bucket) {
    return Files.isDirectory(bucketDir(bucket))
        ? Optional.of(new BucketInfo(bucket, false, null, null, Map.of(), 1, null, null)) : Optional.empty();
  }

  private record Stored(ObjectInfo info, byte[] data) {}

  private Optional<Stored> load(String bucket, String name) {
    Path f = file(bucket, name);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      byte[] all = Files.readAllBytes(f);
      ByteBuffer buf = ByteBuffer.wrap(all);
      int headerLength = buf.getInt();
      Properties p = new Properties();
      p.load(new ByteArrayInputStream(all, 4, headerLength));
      byte[] data = new byte[all.length - 4 - headerLength];
      System.arraycopy(all, 4 + headerLength, data, 0, data.length);
      long g = Long.parseLong(p.getProperty("generation"));
      ObjectInfo info = new ObjectInfo(bucket, name, g, 1, data.length, p.getProperty("crc32c"), null, null,
          ObjectMetadata.empty(), null, null, null, 1);
      return Optional.of(new Stored(info, data));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void requireBucket(String op, String bucket) {
    if (!Files.isDirectory(bucketDir(bucket))) {
      throw HybridStorageException.bucketNotFound(op, bucket, site);
    }
  }

  @Override
  public synchronized Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
    requireBucket("head", id.bucket());
    Optional<ObjectInfo> info = load(id.bucket(), id.name()).map(Stored::info)
        .filter(i -> id.generation() == 0 || i.generation() == id.generation());
    info.ifPresent(i -> conditions.check(i, "head", id.bucket(), id.name(), site));
    return info;
  }

  @Override
  public synchronized ObjectContent read(ReadRequest request) {
    ObjectId id = request.id();
    requireBucket("read", id.bucket());
    Stored s = load(id.bucket(), id.name()).filter(x -> id.generation() == 0 || x.info().generation() == id.generation())
        .orElseThrow(() -> HybridStorageException.objectNotFound("read", id.bucket(), id.name(), site));
    request.conditions().check(s.info(), "read", id.bucket(), id.name(), site);
    return ObjectContent.of(s.info(), new ByteArrayInputStream(s.data()));
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
    ObjectInfo live = load(b, n).map(Stored::info).orElse(null);
    request.conditions().check(live, "write", b, n, site);
    long g = request.generation();
    long deleted = deletedGeneration(b, n);
    long held = Math.max(deleted, live == null ? 0 : live.generation());
    boolean repair = g != 0 && live != null && live.generation() == g
        && Long.valueOf(g).equals(request.conditions().ifGenerationMatch());
    if (g != 0 && !repair && held >= g) {
      throw HybridStorageException.generationNotNewer("write", b, n, site, g, held, deleted == held);
    }
    if (g == 0) {
      g = held + 1;
    }
    Checksums sums = new Checksums();
    sums.update(data, 0, data.length);
    String crc = sums.finish()[0];
    try {
      Properties p = new Properties();
      p.setProperty("generation", Long.toString(g));
      p.setProperty("crc32c", crc);
      ByteArrayOutputStream header = new ByteArrayOutputStream();
      p.store(header, null);
      Path tmp = Files.createTempFile(bucketDir(b), ".tmp", "");
      ByteBuffer out = ByteBuffer.allocate(4 + header.size() + data.length);
      out.putInt(header.size()).put(header.toByteArray()).put(data);
      Files.write(tmp, out.array());
      Files.move(tmp, file(b, n), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw HybridStorageException.io("write", b, n, site, e);
    }
    return load(b, n).orElseThrow().info();
  }

  @Override
  public synchronized boolean delete(ObjectId id, Conditions conditions) {
    requireBucket("delete", id.bucket());
    Optional<Stored> s = load(id.bucket(), id.name());
    if (s.isEmpty() || (id.generation() != 0 && s.get().info().generation() != id.generation())) {
      return false;
    }
    conditions.check(s.get().info(), "delete", id.bucket(), id.name(), site);
    try {
      raiseTombstone(id.bucket(), id.name(), s.get().info().generation());
      return Files.deleteIfExists(file(id.bucket(), id.name()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Raises the tombstone to {@code g} (never lowers it), then removes a live version {@code <= g}. */
  @Override
  public synchronized boolean deleteUpTo(String bucket, String name, long g) {
    requireBucket("deleteUpTo", bucket);
    if (g <= 0) {
      throw HybridStorageException.invalid("deleteUpTo", bucket, name, site, "generation must be positive: " + g);
    }
    Optional<Stored> s = load(bucket, name);
    try {
      raiseTombstone(bucket, name, g);
      return s.isPresent() && s.get().info().generation() <= g && Files.deleteIfExists(file(bucket, name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void raiseTombstone(String bucket, String name, long g) throws IOException {
    if (g > deletedGeneration(bucket, name)) {
      Path tmp = Files.createTempFile(bucketDir(bucket), ".tmp", "");
      Files.writeString(tmp, Long.toString(g));
      Files.move(tmp, tombstone(bucket, name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public synchronized ListPage<ObjectInfo> list(ListRequest request) {
    requireBucket("list", request.bucket());
    List<ObjectInfo> items = new ArrayList<>();
    try (Stream<Path> files = Files.list(bucketDir(request.bucket()))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String file = f.getFileName().toString();
        if (file.startsWith(".")) { // .tmp files being written, .tomb tombstones
          continue;
        }
        String name = new String(Base64.getUrlDecoder().decode(file), StandardCharsets.UTF_8);
        if (request.prefix() == null || name.startsWith(request.prefix())) {
          load(request.bucket(), name).ifPresent(s -> items.add(s.info()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    items.sort((x, y) -> Verifier.compareUtf8(x.name(), y.name()));
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
