package io.hybridstorage.gcs;

import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.internal.StorageFacade;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.tck.ObjectStoreTck;

/**
 * The facade passes the TCK's scenarios through the {@code Storage} API: the TCK drives {@link
 * GcsStore}, which calls {@code com.google.cloud.storage.Storage} exactly as it calls GCS, and
 * that {@code Storage} is the hybrid facade over an {@link InMemoryStore}. Every failure here is a
 * facade bug (InMemoryStore passes the TCK directly). Small objects take GcsStore's one-request
 * path ({@code Storage.create(BlobInfo, byte[])}); see {@link GcsStoreOverFacadeStreamingTckTest}
 * for {@code blobWriteSession}.
 */
class GcsStoreOverFacadeTckTest implements ObjectStoreTck {

  private final GcsStore store =
      GcsStore.of("gcp", StorageFacade.over(new InMemoryStore("memory"), null, "tck-project"));

  @Override
  public ObjectStore store() {
    return store;
  }
}
