package io.hybridstorage.facade;

import static io.hybridstorage.facade.World.BUCKET;
import static io.hybridstorage.facade.World.bytes;
import static io.hybridstorage.facade.World.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.CopyWriter;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.SignUrlOption;
import com.google.cloud.storage.StorageBatch;
import com.google.cloud.storage.StorageBatchResult;
import com.google.cloud.storage.StorageClass;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SignUrlRequest;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** compose, copy, move, restore, batches, signUrl, bucket changes and refused fields. */
class ObjectOperationsTest {

  private final World world = new World();
  private final Storage storage = world.storage;

  @Test
  void composeConcatenatesWithTargetMetadata() {
    Blob composed = storage.compose(Storage.ComposeRequest.newBuilder()
        .addSource("obj", "obj2")
        .setTarget(BlobInfo.newBuilder(BUCKET, "both").setContentType("text/plain").build())
        .setTargetOptions(BlobTargetOption.doesNotExist())
        .build());
    assertThat(text(composed.getContent())).isEqualTo("helloworld");
    assertThat(composed.getComponentCount()).isEqualTo(2);
    assertThat(composed.getContentType()).isEqualTo("text/plain");
    long old = world.oldVersion.getGeneration();
    Blob pinned = storage.compose(Storage.ComposeRequest.newBuilder()
        .addSource("old", old).addSource("old")
        .setTarget(BlobInfo.newBuilder(BUCKET, "versions").build()).build());
    assertThat(text(pinned.getContent())).as("a source generation selects that version").isEqualTo("v1v2");
  }

  @Test
  void copyKeepsOrOverridesMetadata() {
    CopyWriter kept = storage.copy(Storage.CopyRequest.of(BUCKET, "obj", BlobId.of(World.EMPTY_BUCKET, "c")));
    assertThat(kept.isDone()).isTrue();
    assertThat(kept.getTotalBytesCopied()).isEqualTo(5L);
    assertThat(kept.getBlobSize()).isEqualTo(5L);
    kept.copyChunk();
    assertThat(kept.getResult().getContentType()).isEqualTo("text/plain");
    assertThat(kept.capture().restore().getResult()).isSameAs(kept.getResult());
    CopyWriter replaced = storage.copy(Storage.CopyRequest.of(BUCKET, "obj",
        BlobInfo.newBuilder(BUCKET, "c2").setContentType("text/csv").setMetadata(Map.of("a", "b")).build()));
    assertThat(replaced.getResult().getContentType()).isEqualTo("text/csv");
    assertThat(replaced.getResult().getMetadata()).containsEntry("a", "b");
    assertThat(text(storage.readAllBytes(BUCKET, "c2"))).isEqualTo("hello");
  }

  @Test
  void moveAndRestore() {
    Blob moved = storage.moveBlob(Storage.MoveBlobRequest.newBuilder()
        .setSource(BlobId.of(BUCKET, "obj2")).setTarget(BlobId.of(BUCKET, "moved")).build());
    assertThat(text(moved.getContent())).isEqualTo("world");
    assertThat(storage.get(BUCKET, "obj2")).isNull();

    Blob restored = storage.restore(world.oldVersion.getBlobId());
    assertThat(text(restored.getContent())).isEqualTo("v1");
    assertThat(restored.getGeneration()).isGreaterThan(world.oldVersion.getGeneration());
    assertThat(text(storage.readAllBytes(BUCKET, "old"))).isEqualTo("v1");
    StorageException live = catchThrowableOfType(StorageException.class,
        () -> storage.restore(restored.getBlobId()));
    assertThat(live.getCode()).as("only a noncurrent version can be restored").isEqualTo(404);
    StorageException noGeneration = catchThrowableOfType(StorageException.class,
        () -> storage.restore(BlobId.of(BUCKET, "old")));
    assertThat(noGeneration.getCode()).isEqualTo(400);
  }

  @Test
  void batchAndIterableForms() {
    StorageBatch batch = storage.batch();
    StorageBatchResult<Blob> got = batch.get(BUCKET, "obj");
    StorageBatchResult<Blob> missing = batch.get(BUCKET, "nope");
    StorageBatchResult<Blob> updated = batch.update(BlobInfo.newBuilder(BUCKET, "obj2").setContentType("x/y").build());
    StorageBatchResult<Boolean> deleted = batch.delete(BUCKET, "obj");
    batch.submit();
    assertThat(got.get().getName()).isEqualTo("obj");
    assertThat(missing.get()).isNull();
    assertThat(updated.get().getContentType()).isEqualTo("x/y");
    assertThat(deleted.get()).isTrue();

    assertThat(storage.get(BlobId.of(BUCKET, "obj2"), BlobId.of(BUCKET, "obj"))).hasSize(2)
        .satisfies(list -> assertThat(list.get(1)).isNull());
    List<Blob> patched = storage.update(BlobInfo.newBuilder(BUCKET, "obj2").setCacheControl("no-cache").build(),
        BlobInfo.newBuilder(BUCKET, "nope").setCacheControl("no-cache").build());
    assertThat(patched.get(0).getCacheControl()).isEqualTo("no-cache");
    assertThat(patched.get(1)).as("a failed update answers null, as the client").isNull();
    assertThat(storage.delete(BlobId.of(BUCKET, "obj2"), BlobId.of(BUCKET, "nope"))).containsExactly(true, false);
  }

  /**
   * A batched call with conflicting options fails when it is added, with the client's {@link
   * IllegalArgumentException} (its {@code StorageBatch.get} resolves the options right there), and
   * leaves the batch as it was; a call GCS refuses (generation -1) completes its own result with
   * the 400, and every other result of the batch is completed at {@code submit()}.
   */
  @Test
  void aBatchIsNeverLeftHalfRun() {
    StorageBatch batch = storage.batch();
    StorageBatchResult<Blob> before = batch.get(BUCKET, "obj");
    assertThatThrownBy(() -> batch.get(BlobId.of(BUCKET, "obj"), BlobGetOption.generationMatch(1),
        BlobGetOption.generationMatch(2))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> batch.delete(BlobId.of(BUCKET, "obj"), BlobSourceOption.generationMatch()))
        .isInstanceOf(IllegalArgumentException.class);
    StorageBatchResult<Blob> negative = batch.get(BlobId.of(BUCKET, "obj", -1L));
    StorageBatchResult<Boolean> after = batch.delete(BUCKET, "obj2");
    batch.submit();

    assertThat(before.get().getName()).isEqualTo("obj");
    assertThat(catchThrowableOfType(StorageException.class, negative::get).getCode()).isEqualTo(400);
    assertThat(after.get()).isTrue();
    assertThat(storage.get(BUCKET, "obj")).as("the refused delete was never added").isNotNull();
  }

  @Test
  void metadataUpdatesPatchOnlyWhatWasSet() {
    Blob blob = storage.create(BlobInfo.newBuilder(BUCKET, "meta").setContentType("a/b")
        .setMetadata(Map.of("keep", "1", "drop", "2")).setCacheControl("max-age=1").build(), bytes("m"));
    Map<String, String> change = new java.util.HashMap<>();
    change.put("drop", null);
    change.put("add", "3");
    Blob patched = storage.update(BlobInfo.newBuilder(BUCKET, "meta").setMetadata(change).build());
    assertThat(patched.getMetadata()).containsOnly(Map.entry("keep", "1"), Map.entry("add", "3"));
    assertThat(patched.getContentType()).as("untouched").isEqualTo("a/b");
    Blob cleared = storage.update(patched.toBuilder().setMetadata(null).setCacheControl(null).build());
    assertThat(cleared.getMetadata()).isNull();
    assertThat(cleared.getCacheControl()).isNull();
    assertThat(cleared.getMetageneration()).isEqualTo(blob.getMetageneration() + 2);
  }

  @Test
  void fieldsTheFacadeCannotStoreAreRefusedByName() {
    StorageException storageClass = catchThrowableOfType(StorageException.class, () -> storage.create(
        BlobInfo.newBuilder(BUCKET, "cold").setStorageClass(StorageClass.COLDLINE).build(), bytes("x")));
    assertThat(storageClass.getCode()).isEqualTo(501);
    assertThat(storageClass.getMessage()).contains("storageClass");
    assertThat(storage.get(BUCKET, "cold")).isNull();
    StorageException hold = catchThrowableOfType(StorageException.class, () -> storage.update(
        storage.get(BUCKET, "obj").toBuilder().setTemporaryHold(true).build()));
    assertThat(hold.getMessage()).contains("temporaryHold");
    StorageException lifecycle = catchThrowableOfType(StorageException.class, () -> storage.create(
        BucketInfo.newBuilder("with-rules").setLifecycleRules(List.of(new BucketInfo.LifecycleRule(
            BucketInfo.LifecycleRule.LifecycleAction.newDeleteAction(),
            BucketInfo.LifecycleRule.LifecycleCondition.newBuilder().setAge(30).build()))).build()));
    assertThat(lifecycle.getCode()).isEqualTo(501);
    assertThat(lifecycle.getMessage()).contains("lifecycle");
    assertThat(storage.get("with-rules")).isNull();
    StorageException key = catchThrowableOfType(StorageException.class, () -> storage.readAllBytes(
        BlobId.of(BUCKET, "obj"), Storage.BlobSourceOption.decryptionKey("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
    assertThat(key.getMessage()).contains("customerSuppliedKey");
  }

  @Test
  void bucketsCreateWithWhatTheSpiCarries() {
    Bucket created = storage.create(BucketInfo.newBuilder("new-bkt").setVersioningEnabled(true)
        .setLocation("EU").setStorageClass(StorageClass.NEARLINE).setLabels(Map.of("team", "a")).build(),
        Storage.BucketTargetOption.userProject("billing"));
    assertThat(created.versioningEnabled()).isTrue();
    assertThat(created.getLocation()).isEqualTo("EU");
    assertThat(created.getStorageClass()).isEqualTo(StorageClass.NEARLINE);
    assertThat(created.getLabels()).containsEntry("team", "a");
    Map<String, String> labels = new java.util.HashMap<>();
    labels.put("team", null);
    labels.put("cost", "c1");
    Bucket updated = storage.update(BucketInfo.newBuilder("new-bkt").setLabels(labels).setVersioningEnabled(false)
        .build());
    assertThat(updated.getLabels()).containsOnly(Map.entry("cost", "c1"));
    assertThat(updated.versioningEnabled()).isFalse();
    assertThat(updated.getMetageneration()).isEqualTo(2L);
  }

  @Test
  void signUrlGoesToTheStoreWithMethodAndHeaders() throws Exception {
    AtomicReference<SignUrlRequest> seen = new AtomicReference<>();
    URL signed = new URL("https://dc1.example/bkt/obj?X-Amz-Signature=abc");
    ObjectStore signing = new ForwardingObjectStore(world.store) {
      @Override
      public URL signUrl(SignUrlRequest request) {
        seen.set(request);
        return signed;
      }
    };
    Storage facade = World.over(signing);
    URL url = facade.signUrl(BlobInfo.newBuilder(BUCKET, "obj").setContentType("text/plain").build(), 15,
        TimeUnit.MINUTES, SignUrlOption.httpMethod(HttpMethod.PUT), SignUrlOption.withV4Signature(),
        SignUrlOption.withContentType(), SignUrlOption.withExtHeaders(Map.of("x-goog-meta-a", "1")));
    assertThat(url.getHost()).isEqualTo("dc1.example");
    assertThat(seen.get().method()).isEqualTo("PUT");
    assertThat(seen.get().ttl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(seen.get().headers()).containsEntry("Content-Type", "text/plain").containsEntry("x-goog-meta-a", "1");
    StorageException v2 = catchThrowableOfType(StorageException.class, () -> facade.signUrl(
        BlobInfo.newBuilder(BUCKET, "obj").build(), 1, TimeUnit.MINUTES, SignUrlOption.withV2Signature()));
    assertThat(v2.getCode()).isEqualTo(501);
    StorageException memory = catchThrowableOfType(StorageException.class, () -> storage.signUrl(
        BlobInfo.newBuilder(BUCKET, "obj").build(), 1, TimeUnit.MINUTES));
    assertThat(memory.getCode()).as("InMemoryStore has no signed URLs").isEqualTo(501);
    assertThat(memory.getMessage()).contains("signUrl", "mem");
  }

  /**
   * Signing a header makes the URL's holder send it, so a signed copy-source header turns a signed
   * PUT of {@code bkt/mine} into a server-side copy of any object our credentials can read (S3's
   * {@code x-amz-copy-source}; GCS's XML API takes {@code x-goog-copy-source} and {@code
   * x-amz-copy-source}), and a signed ACL header publishes the object. The facade signs only the
   * allow-listed headers and refuses the rest with 400 naming the header, bucket and object,
   * before the store is asked.
   */
  @Test
  void signUrlRefusesHeadersThatWidenAccess() throws Exception {
    AtomicReference<SignUrlRequest> seen = new AtomicReference<>();
    ObjectStore signing = new ForwardingObjectStore(world.store) {
      @Override
      public URL signUrl(SignUrlRequest request) {
        seen.set(request);
        return url("https://dc1.example/bkt/mine?X-Amz-Signature=abc");
      }
    };
    Storage facade = World.over(signing);
    for (String header : List.of("x-amz-copy-source", "X-Goog-Copy-Source", "x-amz-copy-source-range", "x-goog-acl",
        "x-amz-acl", "x-amz-grant-read", "x-amz-website-redirect-location", "x-goog-meta-hs-generation",
        "x-amz-meta-hs-generation", "Authorization")) {
      StorageException refused = catchThrowableOfType(StorageException.class, () -> facade.signUrl(
          BlobInfo.newBuilder(BUCKET, "mine").build(), 15, TimeUnit.MINUTES, SignUrlOption.httpMethod(HttpMethod.PUT),
          SignUrlOption.withExtHeaders(Map.of(header, "/finance/ledger.csv"))));
      assertThat(refused).as(header).isNotNull();
      assertThat(refused.getCode()).as(header).isEqualTo(400);
      assertThat(refused.getMessage()).as(header).startsWith("signUrl gs://bkt/mine on mem: ")
          .contains("header '" + header + "'");
      assertThat(refused.getMessage()).as("the refused value is not echoed").doesNotContain("ledger");
    }
    assertThat(seen.get()).as("the store is never asked to sign them").isNull();
    facade.signUrl(BlobInfo.newBuilder(BUCKET, "mine").setContentType("text/csv").build(), 15, TimeUnit.MINUTES,
        SignUrlOption.httpMethod(HttpMethod.PUT), SignUrlOption.withContentType(),
        SignUrlOption.withExtHeaders(Map.of("Content-Disposition", "attachment", "Cache-Control", "no-cache",
            "x-goog-meta-owner", "bu-sales", "x-amz-meta-owner", "bu-sales")));
    assertThat(seen.get().headers()).containsEntry("Content-Type", "text/csv")
        .containsEntry("Content-Disposition", "attachment").containsEntry("x-goog-meta-owner", "bu-sales");
    facade.signUrl(BlobInfo.newBuilder(BUCKET, "mine").build(), 15, TimeUnit.MINUTES,
        SignUrlOption.httpMethod(HttpMethod.POST), SignUrlOption.withExtHeaders(Map.of("x-goog-resumable", "start")));
    assertThat(seen.get().headers()).as("a signed resumable-upload start, for writer(URL)")
        .containsExactly(Map.entry("x-goog-resumable", "start"));
  }

  private static URL url(String spec) {
    try {
      return new URL(spec);
    } catch (java.net.MalformedURLException e) {
      throw new AssertionError(e);
    }
  }
}
