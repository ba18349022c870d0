package io.hybridstorage.facade;

import static io.hybridstorage.facade.World.BUCKET;
import static io.hybridstorage.facade.World.bytes;
import static io.hybridstorage.facade.World.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.CopyWriter;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blobs and buckets the facade returns are bound to it: calls made through them route back. */
class BoundObjectsTest {

  private final World world = new World();
  private final Storage storage = world.storage;

  @Test
  void optionsServeTheFacade() {
    assertThat(storage.getOptions().getService()).isSameAs(storage);
    assertThat(storage.getOptions().getProjectId()).isEqualTo("proj");
    Blob blob = storage.get(BUCKET, "obj");
    assertThat(blob.getStorage()).isSameAs(storage);
    assertThat(storage.get(BUCKET).getStorage()).isSameAs(storage);
  }

  @Test
  void blobReadsDeletesAndReloadsThroughTheFacade() throws Exception {
    Blob blob = storage.get(BUCKET, "obj");
    assertThat(text(blob.getContent())).isEqualTo("hello");
    assertThat(blob.getContentType()).isEqualTo("text/plain");
    assertThat(blob.getSize()).isEqualTo(5L);
    assertThat(blob.getCrc32c()).as("CRC32C of hello, GCS's base64 big-endian form").isEqualTo("mnG7TA==");
    assertThat(blob.getMd5()).as("MD5 of hello").isEqualTo("XUFAKrxLKna5cZ2REBfFkg==");
    assertThat(blob.getGeneration()).isPositive();
    assertThat(blob.getMetageneration()).isEqualTo(1L);
    assertThat(blob.getCreateTimeOffsetDateTime()).isNotNull();
    try (ReadChannel reader = blob.reader()) {
      ByteBuffer buffer = ByteBuffer.allocate(3);
      assertThat(reader.read(buffer)).isEqualTo(3);
      assertThat(text(buffer.array())).isEqualTo("hel");
    }
    assertThat(blob.exists()).isTrue();

    Blob updated = blob.toBuilder().setContentType("text/markdown").setMetadata(Map.of("k", "v")).build().update();
    assertThat(updated.getStorage()).isSameAs(storage);
    assertThat(updated.getMetageneration()).isEqualTo(2L);
    Blob reloaded = blob.reload();
    assertThat(reloaded.getContentType()).isEqualTo("text/markdown");
    assertThat(reloaded.getMetadata()).containsEntry("k", "v");

    assertThat(blob.delete()).isTrue();
    assertThat(blob.exists()).isFalse();
    assertThat(blob.reload()).isNull();
    assertThat(blob.delete()).as("the generation is gone").isFalse();
  }

  @Test
  void blobSourceOptionsUseTheBlobsOwnGeneration() {
    Blob first = storage.get(BUCKET, "obj");
    storage.create(BlobInfo.newBuilder(BUCKET, "obj").build(), bytes("newer"));
    StorageException e = catchThrowableOfType(StorageException.class,
        () -> storage.delete(BlobId.of(BUCKET, "obj"), Storage.BlobSourceOption.generationMatch(first.getGeneration())));
    assertThat(e.getCode()).isEqualTo(412);
    assertThat(text(storage.readAllBytes(BUCKET, "obj"))).isEqualTo("newer");
    assertThat(text(first.getContent())).as("a blob reads its own generation").isEqualTo("hello");
  }

  @Test
  void blobCopiesAndDownloads(@TempDir Path temp) {
    Blob blob = storage.get(BUCKET, "obj");
    CopyWriter copy = blob.copyTo(BUCKET, "copy");
    assertThat(copy.isDone()).isTrue();
    assertThat(copy.getResult().getStorage()).isSameAs(storage);
    assertThat(copy.getResult().getContentType()).isEqualTo("text/plain");
    assertThat(text(storage.readAllBytes(BUCKET, "copy"))).isEqualTo("hello");
    Path file = temp.resolve("out.txt");
    blob.downloadTo(file);
    assertThat(file).hasContent("hello");
  }

  @Test
  void blobWriterStreamsANewVersion() throws Exception {
    Blob blob = storage.get(BUCKET, "obj");
    try (var writer = blob.writer()) {
      writer.write(ByteBuffer.wrap(bytes("rewritten")));
    }
    assertThat(text(storage.readAllBytes(BUCKET, "obj"))).isEqualTo("rewritten");
  }

  @Test
  void bucketCreatesListsAndGetsThroughTheFacade() {
    Bucket bucket = storage.get(BUCKET);
    assertThat(bucket.exists()).isTrue();
    assertThat(bucket.versioningEnabled()).isTrue();
    assertThat(bucket.getMetageneration()).isEqualTo(1L);
    Blob created = bucket.create("made-by-bucket", bytes("x"), "text/csv");
    assertThat(created.getStorage()).isSameAs(storage);
    assertThat(created.getContentType()).isEqualTo("text/csv");
    assertThat(bucket.get("made-by-bucket").getSize()).isEqualTo(1L);
    List<String> names = new ArrayList<>();
    bucket.list().iterateAll().forEach(b -> names.add(b.getName()));
    assertThat(names).containsExactly("made-by-bucket", "obj", "obj2", "old");
    assertThat(bucket.get(List.of("obj", "missing"))).hasSize(2).containsNull();

    Bucket updated = bucket.toBuilder().setLabels(Map.of("team", "data")).build().update();
    assertThat(updated.getStorage()).isSameAs(storage);
    assertThat(updated.getLabels()).containsEntry("team", "data");
    assertThat(bucket.reload().getMetageneration()).isEqualTo(2L);

    Bucket empty = storage.get(World.EMPTY_BUCKET);
    assertThat(empty.delete()).isTrue();
    assertThat(empty.exists()).isFalse();
  }

  @Test
  void directoryBlobsFromADelimitedListingAreBoundToo() {
    storage.create(BlobInfo.newBuilder(BUCKET, "dir/a").build(), bytes("a"));
    List<Blob> entries = new ArrayList<>();
    storage.list(BUCKET, Storage.BlobListOption.currentDirectory()).iterateAll().forEach(entries::add);
    Blob dir = entries.stream().filter(Blob::isDirectory).findFirst().orElseThrow();
    assertThat(dir.getName()).isEqualTo("dir/");
    assertThat(dir.getStorage()).isSameAs(storage);
    assertThat(dir.getSize()).isZero();
    assertThat(entries.get(entries.size() - 1)).as("prefixes follow the objects, as in the client").isSameAs(dir);
  }
}
