package io.hybridstorage.vfs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorage;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.routing.RoutingStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;
import org.apache.commons.vfs2.FileSystemOptions;
import org.apache.commons.vfs2.FileType;
import org.apache.commons.vfs2.RandomAccessContent;
import org.apache.commons.vfs2.impl.DefaultFileSystemManager;
import org.apache.commons.vfs2.impl.StandardFileSystemManager;
import org.apache.commons.vfs2.util.RandomAccessMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Round trips through {@code hybrid://} (write, read, list, rename, delete, folders, attributes),
 * each checked through the SDK below the router: which of the three in-memory sites hold the
 * object, and with which generation. Plus the {@code META-INF/vfs-providers.xml} registration and
 * the errors.
 */
class HybridFileProviderTest {

  static final String BUCKET = "vfs-bkt";

  private RoutingStore router;
  private Storage storage;
  private DefaultFileSystemManager vfs;

  @BeforeEach
  void open() throws Exception {
    ObjectStore store = HybridStorage.openStore(HybridStorageOptions.inMemoryThreeSites().build());
    router = (RoutingStore) store;
    storage = HybridStorage.over(store);
    storage.create(BucketInfo.of(BUCKET));
    vfs = new DefaultFileSystemManager();
    vfs.addProvider("hybrid", new HybridFileProvider(storage));
    vfs.init();
  }

  @AfterEach
  void close() throws Exception {
    vfs.close();
    storage.close();
  }

  /** Each site's live generation of {@code name} (absent: not there), read below the router. */
  private Map<String, Optional<Long>> sites(String name) {
    Map<String, Optional<Long>> result = new LinkedHashMap<>();
    router.siteStores().forEach((site, s) -> result.put(site,
        s.head(ObjectId.of(BUCKET, name), Conditions.none()).map(ObjectInfo::generation)));
    return result;
  }

  private void assertOnAllSites(String name, long generation) {
    assertThat(sites(name)).as(name).containsOnlyKeys("gcp", "dc1", "dc2")
        .allSatisfy((site, g) -> assertThat(g).as(name + " on " + site).contains(generation));
  }

  private void assertOnNoSite(String name) {
    assertThat(sites(name)).as(name).allSatisfy((site, g) -> assertThat(g).as(name + " on " + site).isEmpty());
  }

  private static void write(FileObject file, byte[] data) throws Exception {
    try (OutputStream out = file.getContent().getOutputStream()) {
      out.write(data);
    }
  }

  private static byte[] read(FileObject file) throws Exception {
    try (InputStream in = file.getContent().getInputStream()) {
      return in.readAllBytes();
    }
  }

  @Test
  void aStreamedWriteIsOneObjectOnEverySiteOnceTheStreamCloses() throws Exception {
    FileObject file = vfs.resolveFile("hybrid://" + BUCKET + "/reports/2026/q4.csv");
    assertThat(file.exists()).isFalse();
    byte[] chunk = "order,amount\n".repeat(1000).getBytes(UTF_8);
    try (OutputStream out = file.getContent().getOutputStream()) {
      for (int i = 0; i < 300; i++) { // ~3.9 MB in chunks
        out.write(chunk);
      }
      assertThat(storage.get(BUCKET, "reports/2026/q4.csv")).as("visible before the stream closed").isNull();
    }
    Blob blob = storage.get(BUCKET, "reports/2026/q4.csv");
    assertThat(blob.getSize()).isEqualTo(300L * chunk.length);
    assertOnAllSites("reports/2026/q4.csv", blob.getGeneration());

    assertThat(file.getType()).isEqualTo(FileType.FILE);
    assertThat(file.getContent().getSize()).isEqualTo(blob.getSize());
    byte[] back = read(file);
    assertThat(back.length).isEqualTo(300 * chunk.length);
    assertThat(Arrays.copyOfRange(back, 0, chunk.length)).isEqualTo(chunk);
  }

  @Test
  void listingShowsFoldersFromTheDelimiterAndFiles() throws Exception {
    write(vfs.resolveFile("hybrid://" + BUCKET + "/sales/dt=1/a.csv"), "a".getBytes(UTF_8));
    write(vfs.resolveFile("hybrid://" + BUCKET + "/sales/dt=1/b.csv"), "b".getBytes(UTF_8));
    write(vfs.resolveFile("hybrid://" + BUCKET + "/sales/dt=2/c.csv"), "c".getBytes(UTF_8));
    write(vfs.resolveFile("hybrid://" + BUCKET + "/sales/README"), "r".getBytes(UTF_8));

    FileObject sales = vfs.resolveFile("hybrid://" + BUCKET + "/sales");
    assertThat(sales.getType()).isEqualTo(FileType.FOLDER);
    Map<String, FileType> children = new LinkedHashMap<>();
    for (FileObject child : sales.getChildren()) {
      children.put(child.getName().getBaseName(), child.getType());
    }
    assertThat(children).containsOnly(Map.entry("dt=1", FileType.FOLDER), Map.entry("dt=2", FileType.FOLDER),
        Map.entry("README", FileType.FILE));
    assertThat(Arrays.stream(vfs.resolveFile("hybrid://" + BUCKET + "/sales/dt=1").getChildren())
        .map(f -> f.getName().getBaseName())).containsExactlyInAnyOrder("a.csv", "b.csv");
    assertThat(Arrays.stream(vfs.resolveFile("hybrid://" + BUCKET + "/").getChildren())
        .map(f -> f.getName().getBaseName())).containsExactly("sales");
  }

  @Test
  void anEmptyFolderIsAnEmptySlashObjectOnEverySite() throws Exception {
    FileObject folder = vfs.resolveFile("hybrid://" + BUCKET + "/landing/empty");
    folder.createFolder();
    assertThat(folder.getType()).isEqualTo(FileType.FOLDER);
    assertThat(folder.getChildren()).isEmpty();
    Blob marker = storage.get(BUCKET, "landing/empty/");
    assertThat(marker.getSize()).isZero();
    assertThat(marker.getContentType()).isEqualTo(HybridFileObject.FOLDER_CONTENT_TYPE);
    assertOnAllSites("landing/empty/", marker.getGeneration());
    assertThat(Arrays.stream(vfs.resolveFile("hybrid://" + BUCKET + "/landing").getChildren())
        .map(f -> f.getName().getBaseName())).containsExactly("empty");

    folder.delete();
    assertOnNoSite("landing/empty/");
    folder.refresh();
    assertThat(folder.exists()).isFalse();
  }

  @Test
  void renameIsACopyThenADeleteOnEverySite() throws Exception {
    FileObject source = vfs.resolveFile("hybrid://" + BUCKET + "/in/part-0.csv");
    write(source, "id,amount\n1,10\n".getBytes(UTF_8));
    long before = storage.get(BUCKET, "in/part-0.csv").getGeneration();
    FileObject target = vfs.resolveFile("hybrid://" + BUCKET + "/done/part-0.csv");

    source.moveTo(target);

    assertOnNoSite("in/part-0.csv");
    Blob moved = storage.get(BUCKET, "done/part-0.csv");
    assertThat(moved.getGeneration()).isNotEqualTo(before); // a new object, as a copy is
    assertOnAllSites("done/part-0.csv", moved.getGeneration());
    assertThat(new String(read(vfs.resolveFile("hybrid://" + BUCKET + "/done/part-0.csv")), UTF_8))
        .isEqualTo("id,amount\n1,10\n");
  }

  @Test
  void renamingAFolderMovesEveryObjectUnderIt() throws Exception {
    write(vfs.resolveFile("hybrid://" + BUCKET + "/stage/a/1.txt"), "1".getBytes(UTF_8));
    write(vfs.resolveFile("hybrid://" + BUCKET + "/stage/a/deep/2.txt"), "2".getBytes(UTF_8));

    vfs.resolveFile("hybrid://" + BUCKET + "/stage/a").moveTo(vfs.resolveFile("hybrid://" + BUCKET + "/stage/b"));

    assertOnNoSite("stage/a/1.txt");
    assertOnNoSite("stage/a/deep/2.txt");
    assertOnAllSites("stage/b/1.txt", storage.get(BUCKET, "stage/b/1.txt").getGeneration());
    assertOnAllSites("stage/b/deep/2.txt", storage.get(BUCKET, "stage/b/deep/2.txt").getGeneration());
  }

  @Test
  void deleteRemovesTheObjectFromEverySite() throws Exception {
    FileObject file = vfs.resolveFile("hybrid://" + BUCKET + "/tmp/x.bin");
    write(file, new byte[] {1, 2, 3});
    assertOnAllSites("tmp/x.bin", storage.get(BUCKET, "tmp/x.bin").getGeneration());
    assertThat(file.delete()).isTrue();
    assertOnNoSite("tmp/x.bin");
    assertThat(file.exists()).isFalse();
  }

  @Test
  void attributesAreTheObjectsMetadata() throws Exception {
    FileObject file = vfs.resolveFile("hybrid://" + BUCKET + "/attrs/data.csv");
    write(file, "a,b\n1,2\n".getBytes(UTF_8));
    Blob blob = storage.get(BUCKET, "attrs/data.csv");

    Map<String, Object> attributes = file.getContent().getAttributes();
    assertThat(attributes).containsEntry("size", 8L).containsEntry("generation", blob.getGeneration())
        .containsEntry("metageneration", blob.getMetageneration()).containsEntry("crc32c", blob.getCrc32c())
        .containsEntry("md5", blob.getMd5()).containsEntry("contentType", "text/csv")
        .containsEntry("lastModified", blob.getUpdateTime());
    assertThat(blob.getCrc32c()).isNotBlank();
    assertThat(file.getContent().getLastModifiedTime()).isEqualTo(blob.getUpdateTime()).isPositive();
    assertThat(file.getContent().getContentInfo().getContentType()).isEqualTo("text/csv");
  }

  @Test
  void randomAccessReadsFromAnyPosition() throws Exception {
    FileObject file = vfs.resolveFile("hybrid://" + BUCKET + "/ra.txt");
    write(file, "0123456789".getBytes(UTF_8));
    try (RandomAccessContent ra = file.getContent().getRandomAccessContent(RandomAccessMode.READ)) {
      ra.seek(7);
      assertThat((char) ra.readByte()).isEqualTo('7');
      ra.seek(2);
      assertThat((char) ra.readByte()).isEqualTo('2');
      assertThat(ra.getFilePointer()).isEqualTo(3);
      assertThat(ra.length()).isEqualTo(10);
    }
  }

  @Test
  void aReadReturnsTheGenerationTheFileWasAttachedWithOrFails() throws Exception {
    storage.create(BucketInfo.newBuilder("vfs-versioned").setVersioningEnabled(true).build());
    for (String bucket : new String[] {BUCKET, "vfs-versioned"}) {
      FileObject file = vfs.resolveFile("hybrid://" + bucket + "/pinned.txt");
      write(file, "one".getBytes(UTF_8));
      assertThat(file.getContent().getSize()).isEqualTo(3);
      storage.create(BlobInfo.newBuilder(bucket, "pinned.txt").build(), "three".getBytes(UTF_8));
      // the size VFS reported and the bytes it reads belong to one version: never "thr"
      if (bucket.equals(BUCKET)) { // not versioned: the version is gone (404), as on GCS
        assertThatThrownBy(() -> read(file)).hasStackTraceContaining("pinned.txt")
            .hasStackTraceContaining("No such object");
      } else { // versioned: the noncurrent version is still there
        assertThat(new String(read(file), UTF_8)).isEqualTo("one");
      }
      file.refresh();
      assertThat(new String(read(file), UTF_8)).isEqualTo("three");
    }
  }

  @Test
  void errorsNameTheObjectAndTheCode() throws Exception {
    FileObject missingBucket = vfs.resolveFile("hybrid://no-such-bkt/a/b.txt");
    assertThatThrownBy(() -> write(missingBucket, "x".getBytes(UTF_8)))
        .hasStackTraceContaining("gs://no-such-bkt/a/b.txt").hasStackTraceContaining("404");

    FileObject file = vfs.resolveFile("hybrid://" + BUCKET + "/append.txt");
    write(file, "x".getBytes(UTF_8));
    assertThatThrownBy(() -> file.getContent().getOutputStream(true)).isInstanceOf(FileSystemException.class);
    assertThatThrownBy(() -> vfs.resolveFile("hybrid://" + BUCKET + "/nothing-here").getContent().getInputStream())
        .isInstanceOf(FileSystemException.class);
  }

  @Test
  void aFileSystemOptionPicksTheStorage() throws Exception {
    try (Storage other = HybridStorageOptions.inMemoryThreeSites().build().getService()) {
      other.create(BucketInfo.of(BUCKET));
      FileSystemOptions options = new FileSystemOptions();
      HybridFileSystemConfigBuilder.getInstance().setStorage(options, other);
      write(vfs.resolveFile("hybrid://" + BUCKET + "/where.txt", options), "other".getBytes(UTF_8));
      assertThat(other.get(BlobId.of(BUCKET, "where.txt"))).isNotNull();
      assertThat(storage.get(BlobId.of(BUCKET, "where.txt"))).isNull();
    }
  }

  @Test
  void vfsProvidersXmlRegistersTheSchemeWithTheStandardManager() throws Exception {
    StandardFileSystemManager standard = new StandardFileSystemManager();
    standard.init(); // reads META-INF/vfs-providers.xml from the class path
    try {
      assertThat(standard.hasProvider("hybrid")).isTrue();
      FileObject file = standard.resolveFile("hybrid://sales-bkt/x.txt");
      // no configuration in the environment: the embedded in-memory world, opened by the provider
      Storage embedded = ((HybridFileSystem) file.getFileSystem()).storage();
      embedded.create(BucketInfo.of("sales-bkt"));
      write(file, "via the standard manager".getBytes(UTF_8));
      assertThat(embedded.readAllBytes("sales-bkt", "x.txt")).isEqualTo("via the standard manager".getBytes(UTF_8));
      assertThat(new String(read(standard.resolveFile("hybrid://sales-bkt/x.txt")), UTF_8))
          .isEqualTo("via the standard manager");
    } finally {
      standard.close();
    }
  }
}
