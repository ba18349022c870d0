package io.hybridstorage.memory;

import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.spi.StoreProvider;

/**
 * Opens sites of kind {@code memory}: a fresh, empty {@link InMemoryStore} named after the site,
 * stamping times with the options' {@link HybridStorageOptions#clock() clock} (a virtual clock in
 * tests moves object times too).
 * Registered in {@code META-INF/services}, so a configuration with {@code kind: memory} (and the
 * embedded default world) works whenever this artifact is on the classpath. An endpoint, a
 * credentials reference or properties make no sense for memory and are rejected, naming the site.
 */
public final class MemoryStoreProvider implements StoreProvider {

  /** The kind this provider opens. */
  public static final String KIND = "memory";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public ObjectStore open(SiteConfig site, HybridStorageOptions options) {
    if (site.endpoint() != null || site.credentialsRef() != null || !site.properties().isEmpty()) {
      throw new IllegalArgumentException("site '" + site.name() + "' (kind memory): an in-memory site takes no "
          + "endpoint, credentialsRef or properties; remove them or change the kind");
    }
    return new InMemoryStore(site.name(), options.clock());
  }
}
