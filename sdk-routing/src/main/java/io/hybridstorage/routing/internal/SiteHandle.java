package io.hybridstorage.routing.internal;

import io.hybridstorage.api.Capability;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SiteConfig;
import java.time.Duration;

/** One site as the router sees it: its configuration and its resilient store. */
public record SiteHandle(String name, SiteConfig config, ResilientStore store) {

  public Duration latency() {
    return config.latency();
  }

  /**
   * Whether the site accepts caller-assigned generations (so it can hold replicas). Asked of the
   * site's own store: the resilient decorator's set is a copy without {@link Capability#IN_PROCESS},
   * made on every call, and this is asked on every write.
   */
  public boolean assignsGenerations() {
    return raw().capabilities().contains(Capability.ASSIGNED_GENERATIONS);
  }

  /** Whether calls to the site complete on the caller's thread without waiting: see {@link ResilientStore#isInProcess()}. */
  public boolean isInProcess() {
    return store.isInProcess();
  }

  public boolean isOpen() {
    return store.isOpen();
  }

  public ObjectStore raw() {
    return store.delegate();
  }

  @Override
  public String toString() {
    return name;
  }
}
