package io.hybridstorage.api.spi;

import io.hybridstorage.api.ConfigSection;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import java.util.Map;

/**
 * Builds the routing {@link ObjectStore} that spans several sites by the options' placements.
 * sdk-routing registers one through {@code META-INF/services}; {@link
 * HybridStorageOptions#getService()} uses it whenever more than one site is configured: it calls
 * {@link #check} before opening any site's store, then {@link #route}.
 */
public interface RouterProvider {

  /**
   * Checks the router's own configuration, {@link HybridStorageOptions#routing()}, before any
   * site is contacted. An implementation must refuse keys it does not know (a misspelt setting
   * must not be silently ignored) and bad values, reporting every problem at once, each naming
   * the key, the value and what is allowed (see {@link ConfigSection#requireNoProblems}).
   *
   * <p>The default takes no settings: it refuses a non-empty routing section.
   *
   * @throws IllegalArgumentException (a {@link io.hybridstorage.api.HybridStorageConfigException}
   *     naming the file) listing the problems
   */
  default void check(HybridStorageOptions options) {
    ConfigSection routing = options.routing();
    routing.requireNoProblems(routing.values().keySet().stream()
        .map(key -> routing.name() + "." + key + ": unknown key; " + getClass().getName()
            + " takes no routing settings")
        .toList());
  }

  /**
   * A store routing over {@code sites} (site name → that site's store, opened by {@link
   * StoreProvider}s) according to {@code options.placements()}, tuned by {@code
   * options.routing()}. The router owns the site stores and closes them when it is closed.
   *
   * @throws IllegalArgumentException as {@link #check} does
   */
  ObjectStore route(Map<String, ObjectStore> sites, HybridStorageOptions options);
}
