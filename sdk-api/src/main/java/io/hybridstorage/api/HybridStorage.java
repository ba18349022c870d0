package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import com.google.cloud.storage.Storage;
import io.hybridstorage.api.internal.StorageFacade;

/**
 * A {@link Storage} over any {@link ObjectStore}: the supported way to put the GCS client's
 * interface in front of a store of one's own (a backend under test, a {@code RoutingStore} built
 * in code, an {@code InMemoryStore}). {@code HybridStorageOptions.getService()} does the same for
 * the stores it assembles from its configuration.
 *
 * <pre>{@code
 * Storage storage = HybridStorage.over(new InMemoryStore("dc1"));
 * storage.create(BlobInfo.newBuilder("bkt", "o").build(), bytes);
 * }</pre>
 *
 * <p>The returned {@code Storage} translates calls only: every placement, replication and read
 * policy is the store's. Control-plane calls that exist only on GCS (IAM, ACLs, notifications,
 * HMAC keys, the service account) fail with a {@code StorageException} 501 naming the call.
 * Closing it closes the store.
 */
public final class HybridStorage {

  /** The project id reported by {@link #over(ObjectStore)}'s options. */
  public static final String DEFAULT_PROJECT_ID = "hybrid-storage";

  private HybridStorage() {}

  /** A {@code Storage} over {@code store}, reporting project {@value #DEFAULT_PROJECT_ID}. */
  public static Storage over(ObjectStore store) {
    return over(store, DEFAULT_PROJECT_ID);
  }

  /** A {@code Storage} over {@code store}, reporting {@code projectId} in its options and blobs. */
  public static Storage over(ObjectStore store, String projectId) {
    return StorageFacade.over(requireNonNull(store, "store"), null, requireNonNull(projectId, "projectId"));
  }

  /**
   * The world {@code options} configures as one {@link ObjectStore}: the store {@link
   * HybridStorageOptions#getService()} puts its {@code Storage} over (sites, router, decorators,
   * and the active profile's bound if one is selected). For servers that speak a storage protocol
   * of their own over the routed world, such as the JSON API gateway. Closing it closes the sites.
   *
   * @throws IllegalStateException as {@link HybridStorageOptions#getService()} does
   */
  public static ObjectStore openStore(HybridStorageOptions options) {
    return ServiceAssembly.openStore(requireNonNull(options, "options"));
  }

  /**
   * {@code store} bounded by a business unit's {@code profile}: every call outside it fails with
   * 403 naming the profile, the operation and the bucket (and object) before {@code store} is
   * touched; bucket listings show only the profile's buckets. {@code placements} are the
   * configured ones (a profile may name placements). Closing the bounded store closes {@code store}.
   */
  public static ObjectStore bounded(ObjectStore store, Profile profile, java.util.List<Placement> placements) {
    return new ProfileGuardStore(requireNonNull(store, "store"), requireNonNull(profile, "profile"),
        requireNonNull(placements, "placements"));
  }
}
