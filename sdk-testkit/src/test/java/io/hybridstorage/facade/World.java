package io.hybridstorage.facade;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.internal.StorageFacade;
import io.hybridstorage.memory.InMemoryStore;
import java.nio.charset.StandardCharsets;

/** A small world for facade tests: an in-memory site behind a facade, with a few objects. */
final class World {

  static final String BUCKET = "bkt";
  static final String EMPTY_BUCKET = "empty-bkt";

  final InMemoryStore store = new InMemoryStore("mem");
  final StorageFacade storage;
  /** The first, now noncurrent, version of {@code bkt/old}. */
  final Blob oldVersion;

  World() {
    this(null);
  }

  World(Storage nativeControlPlane) {
    storage = StorageFacade.over(store, nativeControlPlane, "proj");
    store.createBucket(BucketSpec.of(BUCKET).withVersioning(true));
    store.createBucket(BucketSpec.of(EMPTY_BUCKET));
    storage.create(BlobInfo.newBuilder(BUCKET, "obj").setContentType("text/plain").build(), bytes("hello"));
    storage.create(BlobInfo.newBuilder(BUCKET, "obj2").build(), bytes("world"));
    oldVersion = storage.create(BlobInfo.newBuilder(BUCKET, "old").build(), bytes("v1"));
    storage.create(BlobInfo.newBuilder(BUCKET, "old").build(), bytes("v2"));
  }

  static StorageFacade over(ObjectStore store) {
    return StorageFacade.over(store, null, "proj");
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
