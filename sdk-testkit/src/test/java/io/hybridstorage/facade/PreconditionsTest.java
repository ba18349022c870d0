package io.hybridstorage.facade;

import static io.hybridstorage.facade.World.BUCKET;
import static io.hybridstorage.facade.World.bytes;
import static io.hybridstorage.facade.World.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.Storage.BucketGetOption;
import com.google.cloud.storage.StorageException;
import org.junit.jupiter.api.Test;

/** GCS preconditions given as {@code Storage} options reach the store's {@code Conditions}. */
class PreconditionsTest {

  private final World world = new World();
  private final Storage storage = world.storage;

  private static int code(Runnable call) {
    return catchThrowableOfType(StorageException.class, call::run).getCode();
  }

  @Test
  void createWithDoesNotExistTwice() {
    BlobInfo info = BlobInfo.newBuilder(BUCKET, "once").build();
    Blob first = storage.create(info, bytes("first"), BlobTargetOption.doesNotExist());
    assertThat(first.getGeneration()).isPositive();
    assertThat(code(() -> storage.create(info, bytes("second"), BlobTargetOption.doesNotExist()))).isEqualTo(412);
    assertThat(text(storage.readAllBytes(BUCKET, "once"))).isEqualTo("first");
  }

  @Test
  void createWithGenerationMatchReplacesOnlyThatGeneration() {
    Blob current = storage.get(BUCKET, "obj");
    Blob next = storage.create(BlobInfo.newBuilder(BUCKET, "obj").build(), bytes("v2"),
        BlobTargetOption.generationMatch(current.getGeneration()));
    assertThat(next.getGeneration()).isGreaterThan(current.getGeneration());
    assertThat(code(() -> storage.create(BlobInfo.newBuilder(BUCKET, "obj").build(), bytes("v3"),
        BlobTargetOption.generationMatch(current.getGeneration())))).isEqualTo(412);
    assertThat(code(() -> storage.create(next, bytes("v3"), BlobTargetOption.generationNotMatch()))).isEqualTo(412);
  }

  @Test
  void deleteWithGenerationMatch() {
    long generation = storage.get(BUCKET, "obj").getGeneration();
    assertThat(code(() -> storage.delete(BlobId.of(BUCKET, "obj"),
        BlobSourceOption.generationMatch(generation + 1)))).isEqualTo(412);
    assertThat(storage.get(BUCKET, "obj")).isNotNull();
    assertThat(storage.delete(BlobId.of(BUCKET, "obj"), BlobSourceOption.generationMatch(generation))).isTrue();
    assertThat(storage.get(BUCKET, "obj")).isNull();
  }

  @Test
  void updateWithMetagenerationMatch() {
    Blob blob = storage.get(BUCKET, "obj");
    Blob updated = storage.update(blob.toBuilder().setContentType("a/one").build(),
        BlobTargetOption.metagenerationMatch(1));
    assertThat(updated.getMetageneration()).isEqualTo(2L);
    assertThat(code(() -> storage.update(blob.toBuilder().setContentType("a/two").build(),
        BlobTargetOption.metagenerationMatch(1)))).isEqualTo(412);
    assertThat(code(() -> storage.update(blob.toBuilder().setContentType("a/two").build(),
        BlobTargetOption.metagenerationMatch()))).as("the extractor reads the stale blob's 1").isEqualTo(412);
    assertThat(storage.update(updated.toBuilder().setContentType("a/two").build(),
        BlobTargetOption.metagenerationMatch()).getContentType()).isEqualTo("a/two");
  }

  @Test
  void getAndWriterAndCopyConditions() throws Exception {
    Blob blob = storage.get(BUCKET, "obj");
    assertThat(storage.get(BlobId.of(BUCKET, "obj"), BlobGetOption.generationMatch(blob.getGeneration())))
        .isNotNull();
    assertThat(code(() -> storage.get(BlobId.of(BUCKET, "obj"), BlobGetOption.metagenerationMatch(9)))).isEqualTo(412);
    var writer = storage.writer(BlobInfo.newBuilder(BUCKET, "obj").build(),
        BlobWriteOption.generationMatch(blob.getGeneration() + 1));
    assertThat(code(() -> {
      try {
        writer.close();
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    })).isEqualTo(412);
    assertThat(code(() -> storage.copy(Storage.CopyRequest.newBuilder()
        .setSource(BlobId.of(BUCKET, "obj"))
        .setSourceOptions(BlobSourceOption.generationMatch(blob.getGeneration() + 1))
        .setTarget(BlobId.of(BUCKET, "copy")).build()))).isEqualTo(412);
    assertThat(code(() -> storage.copy(Storage.CopyRequest.newBuilder()
        .setSource(BlobId.of(BUCKET, "obj"))
        .setTarget(BlobId.of(BUCKET, "obj2"), BlobTargetOption.doesNotExist()).build()))).isEqualTo(412);
  }

  @Test
  void bucketMetagenerationConditions() {
    assertThat(storage.get(BUCKET, BucketGetOption.metagenerationMatch(1))).isNotNull();
    assertThat(code(() -> storage.get(BUCKET, BucketGetOption.metagenerationMatch(2)))).isEqualTo(412);
    assertThat(code(() -> storage.get(BUCKET, BucketGetOption.metagenerationNotMatch(1)))).isEqualTo(412);
    Bucket bucket = storage.get(BUCKET);
    StorageException e = catchThrowableOfType(StorageException.class, () -> storage.update(
        bucket.toBuilder().setVersioningEnabled(false).build(), Storage.BucketTargetOption.metagenerationMatch()));
    assertThat(e.getCode()).as("not decided atomically by any store: refused, not emulated").isEqualTo(501);
    assertThat(e.getMessage()).contains("ifMetagenerationMatch");
  }
}
