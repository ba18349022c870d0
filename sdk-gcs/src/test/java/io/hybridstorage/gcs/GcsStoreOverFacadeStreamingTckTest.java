package io.hybridstorage.gcs;

import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.internal.StorageFacade;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.tck.ObjectStoreTck;

/**
 * As {@link GcsStoreOverFacadeTckTest}, but every write streams through the facade's {@code
 * Storage.blobWriteSession} (GcsStore's single-request limit is 0).
 */
class GcsStoreOverFacadeStreamingTckTest implements ObjectStoreTck {

  private final GcsStore store = GcsStore.builder(StorageFacade.over(new InMemoryStore("memory"), null, "tck-project"))
      .site("gcp")
      .singleRequestLimit(0)
      .build();

  @Override
  public ObjectStore store() {
    return store;
  }
}
