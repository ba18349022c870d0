package io.hybridstorage.gcs;

import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.testkit.tck.ObjectStoreTck;

/**
 * The TCK over {@link GcsStore} and google-cloud-nio's LocalStorageHelper, an in-memory GCS
 * written by others (with the bucket table of {@link LocalGcs}, which it lacks). Writes use the
 * resumable path (single-request limit 0): LocalStorageHelper's one-request upload assigns no
 * generation. Each suppression names the LocalStorageHelper deviation, verified against its
 * {@code FakeStorageRpc}.
 */
class GcsStoreLocalStorageTckTest implements ObjectStoreTck {

  private final GcsStore store = GcsStore.builder(LocalGcs.storage()).site("gcp").singleRequestLimit(0).build();

  @Override
  public ObjectStore store() {
    return store;
  }
}
