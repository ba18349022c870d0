package io.hybridstorage.api.spi;

import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SiteConfig;

/**
 * Opens the {@link ObjectStore} of one site of a given {@link #kind()} ({@code gcs}, {@code vast},
 * {@code memory}). Backends register one through {@code META-INF/services}; {@link
 * HybridStorageOptions#getService()} finds them with {@link java.util.ServiceLoader}, so sdk-api
 * never depends on a backend.
 */
public interface StoreProvider {

  /** The {@link SiteConfig#kind()} this provider opens. */
  String kind();

  /** Opens the store of {@code site}. Errors name the site and the offending setting. */
  ObjectStore open(SiteConfig site, HybridStorageOptions options);
}
