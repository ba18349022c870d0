package com.google.cloud.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.NoCredentials;
import com.google.cloud.RestorableState;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.Storage.BucketGetOption;
import com.google.cloud.storage.Storage.BucketListOption;
import com.google.cloud.storage.Storage.SignUrlOption;
import com.google.cloud.storage.spi.v1.StorageRpc;
import java.lang.reflect.Proxy;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Pins every door of {@link HybridBridge} against the google-cloud-storage version the parent POM
 * imports: if an upgrade moves a package-private member, this test fails first.
 */
class HybridBridgeTest {

  private static final StorageOptions OPTIONS = StorageOptions.http().setProjectId("p")
      .setCredentials(NoCredentials.getInstance()).build();

  /** A Storage that only answers getOptions (what Blob/Bucket constructors call). */
  private static Storage stub(java.util.function.BiFunction<String, Object[], Object> calls) {
    return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "getOptions":
              return OPTIONS;
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            case "toString":
              return "stub";
            default:
              return calls.apply(method.getName(), args);
          }
        });
  }

  private static Storage stub() {
    return stub((name, args) -> {
      throw new AssertionError("unexpected call " + name);
    });
  }

  @Test
  void notificationsAreBuiltWithTheServersIdAndTopicAndBound() {
    Storage storage = stub();
    NotificationInfo info = HybridBridge.notificationBuilder("7", "//pubsub.googleapis.com/projects/p/topics/t")
        .setPayloadFormat(NotificationInfo.PayloadFormat.NONE)
        .setEtag("7")
        .build();
    Notification bound = HybridBridge.bind(storage, info);
    assertThat(bound.getNotificationId()).isEqualTo("7");
    assertThat(bound.getTopic()).isEqualTo("//pubsub.googleapis.com/projects/p/topics/t");
    assertThat(bound.getPayloadFormat()).isEqualTo(NotificationInfo.PayloadFormat.NONE);
    assertThat(bound.getStorage()).isSameAs(storage);
  }

  @Test
  void objectOptionsResolveToRpcValues() {
    Map<StorageRpc.Option, Object> target = HybridBridge.options(BlobInfo.newBuilder("b", "o").build(),
        BlobTargetOption.generationMatch(7), BlobTargetOption.metagenerationNotMatch(3),
        BlobTargetOption.userProject("u"));
    assertThat(target).containsEntry(StorageRpc.Option.IF_GENERATION_MATCH, 7L)
        .containsEntry(StorageRpc.Option.IF_METAGENERATION_NOT_MATCH, 3L)
        .containsEntry(StorageRpc.Option.USER_PROJECT, "u");

    assertThat(HybridBridge.options(BlobInfo.newBuilder("b", "o").build(), BlobTargetOption.doesNotExist()))
        .containsEntry(StorageRpc.Option.IF_GENERATION_MATCH, 0L);
    assertThat(HybridBridge.options(BlobInfo.newBuilder("b", "o").build(), BlobTargetOption.predefinedAcl(
        Storage.PredefinedAcl.PUBLIC_READ))).containsEntry(StorageRpc.Option.PREDEFINED_ACL, "publicRead");
  }

  @Test
  void extractorOptionsResolveAgainstTheObject() {
    BlobId id = BlobId.of("b", "o", 42L);
    assertThat(HybridBridge.options(id, BlobSourceOption.generationMatch()))
        .containsEntry(StorageRpc.Option.IF_GENERATION_MATCH, 42L);
    assertThat(HybridBridge.options(id, BlobGetOption.generationNotMatch()))
        .containsEntry(StorageRpc.Option.IF_GENERATION_NOT_MATCH, 42L);
    assertThat(HybridBridge.options(id, BlobSourceOption.shouldReturnRawInputStream(true)))
        .containsEntry(StorageRpc.Option.RETURN_RAW_INPUT_STREAM, true);
    BlobInfo info = HybridBridge.blob(stub(), BlobInfo.newBuilder(BlobId.of("b", "o", 9L)), "b/o/9", 1L, 4L, "e",
        null, null, null, null);
    assertThat(HybridBridge.options(info, BlobTargetOption.metagenerationMatch()))
        .containsEntry(StorageRpc.Option.IF_METAGENERATION_MATCH, 4L);
    BucketInfo bucket = HybridBridge.bucket(stub(), BucketInfo.newBuilder("bk"), "bk", 6L, null, null);
    assertThat(HybridBridge.options(bucket, Storage.BucketTargetOption.metagenerationMatch()))
        .containsEntry(StorageRpc.Option.IF_METAGENERATION_MATCH, 6L);
    assertThatThrownBy(() -> HybridBridge.options(BlobId.of("b", "o"), BlobSourceOption.generationMatch()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listAndBucketOptions() {
    Map<StorageRpc.Option, Object> list = HybridBridge.options(BlobListOption.prefix("a/"),
        BlobListOption.currentDirectory(), BlobListOption.pageSize(5), BlobListOption.pageToken("t"),
        BlobListOption.versions(true), BlobListOption.startOffset("a"), BlobListOption.endOffset("z"),
        BlobListOption.matchGlob("**.txt"), BlobListOption.fields(Storage.BlobField.NAME));
    assertThat(list).containsEntry(StorageRpc.Option.PREFIX, "a/")
        .containsEntry(StorageRpc.Option.DELIMITER, "/")
        .containsEntry(StorageRpc.Option.MAX_RESULTS, 5L)
        .containsEntry(StorageRpc.Option.PAGE_TOKEN, "t")
        .containsEntry(StorageRpc.Option.VERSIONS, true)
        .containsEntry(StorageRpc.Option.START_OFF_SET, "a")
        .containsEntry(StorageRpc.Option.END_OFF_SET, "z")
        .containsEntry(StorageRpc.Option.MATCH_GLOB, "**.txt")
        .containsKey(StorageRpc.Option.FIELDS);
    assertThat(HybridBridge.options(BucketGetOption.metagenerationMatch(3), BucketListOption.prefix("x")))
        .containsEntry(StorageRpc.Option.IF_METAGENERATION_MATCH, 3L)
        .containsEntry(StorageRpc.Option.PREFIX, "x");
  }

  @Test
  void writeTargetKeepsChecksumsOnlyWhenAskedFor() {
    BlobInfo info = BlobInfo.newBuilder("b", "photo.png").setCrc32c("AAAAAA==").setMd5("md5==").build();
    BlobInfo plain = HybridBridge.writeTarget(info);
    assertThat(plain.getCrc32c()).isNull();
    assertThat(plain.getMd5()).isNull();
    BlobInfo checked = HybridBridge.writeTarget(info, BlobWriteOption.crc32cMatch(), BlobWriteOption.md5Match());
    assertThat(checked.getCrc32c()).isEqualTo("AAAAAA==");
    assertThat(checked.getMd5()).isEqualTo("md5==");
    assertThat(HybridBridge.writeTarget(info, BlobWriteOption.detectContentType()).getContentType())
        .isEqualTo("image/png");
  }

  @Test
  void modifiedFieldsNameWhatWasSet() {
    BlobInfo info = BlobInfo.newBuilder("b", "o").setContentType("text/plain").setMetadata(Map.of("k", "v"))
        .setStorageClass(StorageClass.COLDLINE).build();
    assertThat(HybridBridge.modifiedFields(info)).contains("contentType", "metadata.k", "storageClass");
    assertThat(HybridBridge.modifiedFields(info.toBuilder().build())).isEmpty();
    BucketInfo bucket = BucketInfo.newBuilder("bk").setVersioningEnabled(true).setLabels(Map.of("a", "1")).build();
    assertThat(HybridBridge.modifiedFields(bucket)).contains("versioning", "labels.a");
  }

  @Test
  void signUrlOptionsByName() {
    Map<String, Object> values = HybridBridge.signUrlOptions(SignUrlOption.httpMethod(HttpMethod.PUT),
        SignUrlOption.withV4Signature(), SignUrlOption.withExtHeaders(Map.of("x-goog-meta-a", "1")));
    assertThat(values).containsEntry("HTTP_METHOD", HttpMethod.PUT)
        .containsEntry("EXT_HEADERS", Map.of("x-goog-meta-a", "1"))
        .containsKey("SIGNATURE_VERSION");
    assertThat(String.valueOf(values.get("SIGNATURE_VERSION"))).isEqualTo("V4");
  }

  @Test
  void blobsAndBucketsAreBoundWithServerFields() {
    Storage storage = stub();
    OffsetDateTime t = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);
    Blob blob = HybridBridge.blob(storage, BlobInfo.newBuilder(BlobId.of("b", "o", 11L)).setContentType("x/y"),
        "b/o/11", 5L, 2L, "etag", 3, t, t.plusSeconds(1), null);
    assertThat(blob.getStorage()).isSameAs(storage);
    assertThat(blob.getGeneration()).isEqualTo(11L);
    assertThat(blob.getGeneratedId()).isEqualTo("b/o/11");
    assertThat(blob.getSize()).isEqualTo(5L);
    assertThat(blob.getMetageneration()).isEqualTo(2L);
    assertThat(blob.getEtag()).isEqualTo("etag");
    assertThat(blob.getComponentCount()).isEqualTo(3);
    assertThat(blob.getCreateTimeOffsetDateTime()).isEqualTo(t);
    assertThat(blob.getUpdateTimeOffsetDateTime()).isEqualTo(t.plusSeconds(1));
    assertThat(blob.getContentType()).isEqualTo("x/y");
    assertThat(HybridBridge.modifiedFields(blob)).as("a fetched blob has nothing to patch").isEmpty();

    Blob dir = HybridBridge.directory(storage, "b", "a/");
    assertThat(dir.isDirectory()).isTrue();
    assertThat(dir.getName()).isEqualTo("a/");
    assertThat(dir.getStorage()).isSameAs(storage);

    Bucket bucket = HybridBridge.bucket(storage, BucketInfo.newBuilder("bk").setVersioningEnabled(true), "bk", 4L, t, t);
    assertThat(bucket.getStorage()).isSameAs(storage);
    assertThat(bucket.getMetageneration()).isEqualTo(4L);
    assertThat(bucket.getGeneratedId()).isEqualTo("bk");
    assertThat(bucket.getCreateTimeOffsetDateTime()).isEqualTo(t);
    assertThat(bucket.versioningEnabled()).isTrue();

    Blob partial = HybridBridge.blob(storage, BlobInfo.newBuilder(BlobId.of("b", "o")), null, null, null, null,
        null, null, null, null);
    assertThat(partial.getSize()).as("a partial response's missing fields stay null").isNull();
    assertThat(partial.getMetageneration()).isNull();
    assertThat(partial.getGeneratedId()).isNull();
    Bucket partialBucket = HybridBridge.bucket(storage, BucketInfo.newBuilder("bk"), null, null, null, null);
    assertThat(partialBucket.getMetageneration()).isNull();
    assertThat(partialBucket.getGeneratedId()).isNull();

    Storage other = stub();
    assertThat(HybridBridge.bind(other, bucket).getStorage()).isSameAs(other);
    assertThat(HybridBridge.bind(other, (BlobInfo) blob).getStorage()).isSameAs(other);
    assertThat(HybridBridge.bind(other, (BlobInfo) blob).getGeneration()).isEqualTo(11L);
  }

  @Test
  void copyWritersCanBeExtended() {
    Blob blob = HybridBridge.blob(stub(), BlobInfo.newBuilder("b", "o"), "b/o/1", 3L, 1L, null, null, null, null, null);
    CopyWriter writer = new HybridBridge.AbstractCopyWriter() {
      @Override
      public Blob getResult() {
        return blob;
      }

      @Override
      public long getBlobSize() {
        return 3;
      }

      @Override
      public boolean isDone() {
        return true;
      }

      @Override
      public long getTotalBytesCopied() {
        return 3;
      }

      @Override
      public void copyChunk() {}

      @Override
      public RestorableState<CopyWriter> capture() {
        return () -> this;
      }
    };
    assertThat(writer.getResult()).isSameAs(blob);
    assertThat(writer.capture().restore()).isSameAs(writer);
  }

  @Test
  void batchRunsCallsOnTheTargetAtSubmit() {
    List<String> calls = new ArrayList<>();
    AtomicReference<Blob> found = new AtomicReference<>();
    Storage target = stub((name, args) -> {
      BlobId id = args[0] instanceof BlobId ? (BlobId) args[0] : ((BlobInfo) args[0]).getBlobId();
      calls.add(name + " " + id.getName());
      switch (id.getName()) {
        case "missing":
          throw new StorageException(404, "not found");
        case "locked":
          throw new StorageException(412, "precondition");
        default:
          return name.equals("delete") ? (Object) Boolean.TRUE : found.get();
      }
    });
    found.set(HybridBridge.blob(target, BlobInfo.newBuilder("b", "o"), "b/o/1", 1L, 1L, null, null, null, null, null));
    StorageBatch batch = HybridBridge.batch(OPTIONS, target);
    StorageBatchResult<Boolean> deleted = batch.delete("b", "o");
    StorageBatchResult<Boolean> deletedMissing = batch.delete(BlobId.of("b", "missing"));
    StorageBatchResult<Blob> got = batch.get("b", "o");
    StorageBatchResult<Blob> gotMissing = batch.get(BlobId.of("b", "missing"));
    StorageBatchResult<Blob> updated = batch.update(BlobInfo.newBuilder("b", "locked").build());
    assertThat(calls).as("nothing runs before submit").isEmpty();
    batch.submit();
    assertThat(calls).containsExactly("delete o", "delete missing", "get o", "get missing", "update locked");
    assertThat(deleted.get()).isTrue();
    assertThat(deletedMissing.get()).isFalse();
    assertThat(got.get()).isSameAs(found.get());
    assertThat(gotMissing.get()).isNull();
    assertThat(updated.completed()).isTrue();
    assertThatThrownBy(updated::get).isInstanceOfSatisfying(StorageException.class,
        e -> assertThat(e.getCode()).isEqualTo(412));
  }
}
