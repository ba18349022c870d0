package io.hybridstorage.api.spi;

import com.google.cloud.storage.Storage;

/**
 * Implemented by an {@link io.hybridstorage.api.ObjectStore} that talks to GCS through the real
 * client (sdk-gcs's {@code GcsStore}). When such a site is the authority, {@link
 * io.hybridstorage.api.HybridStorageOptions#getService()} hands its native {@link Storage} to the
 * facade, which forwards the control-plane calls that exist only on GCS (IAM policies, HMAC keys,
 * notifications, ACLs) to it instead of answering 501.
 *
 * <p>The store keeps ownership: the facade never closes the native client; closing the store
 * does.
 */
public interface NativeStorageAware {

  /** The GCS client this store uses; the same instance for the life of the store. */
  Storage nativeStorage();
}
