package io.hybridstorage.facade;

import static io.hybridstorage.facade.World.BUCKET;
import static io.hybridstorage.facade.World.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/**
 * Store failures reach the caller as GCS's {@code StorageException}: same code, reason and message,
 * {@code isRetryable()} as the client sets it, the {@code HybridStorageException} as cause.
 */
class ErrorsTest {

  private final World world = new World();
  private final Storage storage = world.storage;

  @Test
  void notFoundIsNullOrFalseWhereTheClientSaysSo() {
    assertThat(storage.get(BUCKET, "nope")).isNull();
    assertThat(storage.get(BlobId.of("no-such-bucket", "o"))).as("a missing bucket too, as the client").isNull();
    assertThat(storage.delete(BUCKET, "nope")).isFalse();
    assertThat(storage.delete(BlobId.of("no-such-bucket", "o"))).isFalse();
    assertThat(storage.get("no-such-bucket")).isNull();
    assertThat(storage.delete("no-such-bucket")).isFalse();
    assertThat(storage.update(BlobInfo.newBuilder(BUCKET, "nope").build())).as("nothing to patch: a get").isNull();
  }

  @Test
  void notFoundIsAnErrorForReadsAndPatches() {
    StorageException read = catchThrowableOfType(StorageException.class, () -> storage.readAllBytes(BUCKET, "nope"));
    assertThat(read.getCode()).isEqualTo(404);
    assertThat(read.getReason()).isEqualTo("notFound");
    assertThat(read.getMessage()).isEqualTo("read gs://bkt/nope on mem: No such object: bkt/nope");
    assertThat(read.isRetryable()).isFalse();
    assertThat(read.getCause()).isInstanceOf(HybridStorageException.class);

    StorageException patch = catchThrowableOfType(StorageException.class,
        () -> storage.update(BlobInfo.newBuilder(BUCKET, "nope").setContentType("a/b").build()));
    assertThat(patch.getCode()).isEqualTo(404);
    StorageException bucket = catchThrowableOfType(StorageException.class,
        () -> storage.create(BlobInfo.newBuilder("no-such-bucket", "o").build(), bytes("x")));
    assertThat(bucket.getCode()).isEqualTo(404);
    assertThat(bucket.getMessage()).contains("no-such-bucket", "mem", "bucket does not exist");
  }

  @Test
  void conflicts() {
    StorageException exists = catchThrowableOfType(StorageException.class, () -> storage.create(BucketInfo.of(BUCKET)));
    assertThat(exists.getCode()).isEqualTo(409);
    assertThat(exists.getReason()).isEqualTo("conflict");
    assertThat(exists.getMessage()).contains("gs://bkt", "mem");
    assertThat(exists.isRetryable()).isFalse();
    StorageException notEmpty = catchThrowableOfType(StorageException.class, () -> storage.delete(BUCKET));
    assertThat(notEmpty.getCode()).isEqualTo(409);
  }

  @Test
  void preconditionFailures() {
    StorageException e = catchThrowableOfType(StorageException.class,
        () -> storage.create(BlobInfo.newBuilder(BUCKET, "obj").build(), bytes("x"), BlobTargetOption.doesNotExist()));
    assertThat(e.getCode()).isEqualTo(412);
    assertThat(e.getReason()).isEqualTo("conditionNotMet");
    assertThat(e.getMessage()).startsWith("write gs://bkt/obj on mem: ifGenerationMatch=0 failed, current=");
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void invalidNames() {
    StorageException bucket = catchThrowableOfType(StorageException.class,
        () -> storage.create(BucketInfo.of("Bad_Bucket!")));
    assertThat(bucket.getCode()).isEqualTo(400);
    assertThat(bucket.getReason()).isEqualTo("invalid");
    assertThat(bucket.getMessage()).contains("Invalid bucket name");
    StorageException object = catchThrowableOfType(StorageException.class,
        () -> storage.create(BlobInfo.newBuilder(BUCKET, "a\nb").build(), bytes("x")));
    assertThat(object.getCode()).isEqualTo(400);
    assertThat(object.isRetryable()).isFalse();
  }

  @Test
  void backendFailuresAreRetryableAsInGcs() {
    ObjectStore failing = (ObjectStore) Proxy.newProxyInstance(ObjectStore.class.getClassLoader(),
        new Class<?>[] {ObjectStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("site")) {
            return "dc1";
          }
          throw new HybridStorageException(503, "backendError", method.getName(), BUCKET, null, "dc1",
              "connection reset", null);
        });
    StorageException e = catchThrowableOfType(StorageException.class, () -> World.over(failing).get(BUCKET, "o"));
    assertThat(e.getCode()).isEqualTo(503);
    assertThat(e.getReason()).isEqualTo("backendError");
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).isEqualTo("head gs://bkt on dc1: connection reset");
  }

  @Test
  void unsupportedIs501NamingWhatAndWhere() {
    StorageException acl = catchThrowableOfType(StorageException.class,
        () -> storage.create(BlobInfo.newBuilder(BUCKET, "o").build(), bytes("x"),
            BlobTargetOption.predefinedAcl(Storage.PredefinedAcl.PUBLIC_READ)));
    assertThat(acl.getCode()).isEqualTo(501);
    assertThat(acl.isRetryable()).isFalse();
    assertThat(acl.getMessage()).contains("create gs://bkt/o on mem", "predefinedAcl=publicRead");
    StorageException iam = catchThrowableOfType(StorageException.class, () -> storage.getIamPolicy(BUCKET));
    assertThat(iam.getCode()).isEqualTo(501);
    assertThat(iam.getMessage()).contains("getIamPolicy gs://bkt on mem", "control-plane");
  }

  @Test
  void noMethodThrowsUnsupportedOperationException() throws Exception {
    for (var method : StorageSurfaceTest.storageMethods()) {
      try {
        Object[] args = new Object[method.getParameterCount()];
        for (int i = 0; i < args.length; i++) {
          Class<?> t = method.getParameterTypes()[i];
          args[i] = t.isArray() ? java.lang.reflect.Array.newInstance(t.getComponentType(), 0)
              : t == long.class ? (Object) 1L : t == int.class ? (Object) 1 : null;
        }
        method.invoke(storage, args);
      } catch (InvocationTargetException e) {
        assertThat(e.getCause()).as(method.toGenericString()).isNotInstanceOf(UnsupportedOperationException.class);
      }
    }
  }
}
