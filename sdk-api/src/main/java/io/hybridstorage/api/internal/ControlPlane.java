package io.hybridstorage.api.internal;

import com.google.cloud.storage.Storage;
import java.util.Optional;
import java.util.function.Function;
import javax.annotation.Nullable;

/**
 * Where the calls only GCS has go (ACLs, IAM policies, HMAC keys, notifications, the service
 * account, retention locks, POST policies, signed-URL uploads): to the native GCS {@code Storage}
 * of the bucket's GCS authority, unchanged, when one is configured; otherwise a {@code
 * StorageException} 501 naming the method, the bucket and the site. Routing decides which buckets
 * have a GCS authority; this class only asks.
 *
 * <p>The native clients belong to whoever supplied them (typically the GCS site's store); the
 * facade never closes them.
 */
final class ControlPlane {

  private final Function<String, Optional<Storage>> byBucket;
  @Nullable private final Storage project;
  private final String site;

  ControlPlane(Function<String, Optional<Storage>> byBucket, @Nullable Storage project, String site) {
    this.byBucket = byBucket;
    this.project = project;
    this.site = site;
  }

  /** The native client for {@code bucket}'s GCS authority, or 501. */
  Storage bucket(String method, String bucket) {
    Optional<Storage> found = byBucket.apply(bucket);
    if (found == null || found.isEmpty()) {
      throw Errors.unsupported(method, bucket, null, site, method + " is a GCS control-plane call and"
          + " bucket " + bucket + " has no GCS authority with a native client configured");
    }
    return found.get();
  }

  /** The native client for project-level calls (HMAC keys, service account), or 501. */
  Storage project(String method) {
    if (project == null) {
      throw Errors.unsupported(method, null, null, site, method + " is a GCS control-plane call and"
          + " no native GCS client is configured for the project");
    }
    return project;
  }
}
