package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import com.google.cloud.storage.Storage;
import io.hybridstorage.api.internal.StorageFacade;
import io.hybridstorage.api.spi.NativeStorageAware;
import io.hybridstorage.api.spi.NotificationSink;
import io.hybridstorage.api.spi.Notifications;
import io.hybridstorage.api.spi.RouterProvider;
import io.hybridstorage.api.spi.StoreDecorator;
import io.hybridstorage.api.spi.StoreProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts {@link HybridStorageOptions#getService()} together. The stack, outermost first:
 *
 * <pre>
 * StorageFacade (com.google.cloud.storage.Storage)
 *   → ProfileGuardStore (only with an active BU profile: 403 outside it)
 *     → StoreDecorator.service( the RouterProvider's store (only with several sites) )
 *       → StoreDecorator.site( one StoreProvider store per site )
 * </pre>
 *
 * Providers are found with {@link ServiceLoader} on the thread's context class loader (falling
 * back to this class's loader), so sdk-api never depends on a backend. With several sites the
 * {@link RouterProvider} checks the options' routing section before any site's store is opened.
 */
final class ServiceAssembly {

  private static final Logger log = LoggerFactory.getLogger(ServiceAssembly.class);

  /** The artifact that provides each standard kind, for the "add this dependency" hint. */
  private static final Map<String, String> ARTIFACT_BY_KIND = Map.of(
      "memory", "io.hybridstorage:hybrid-storage-memory",
      "vast", "io.hybridstorage:hybrid-storage-vast",
      "gcs", "io.hybridstorage:hybrid-storage-gcs");
  static final String ROUTING_ARTIFACT = "io.hybridstorage:hybrid-storage-routing";
  /** Where GCS serves signed URLs (the client's default host). */
  static final String GCS_ENDPOINT = "https://storage.googleapis.com";

  /**
   * Set while this thread assembles a hybrid service: a backend that builds a GCS client through
   * {@code StorageOptions…getService()} meanwhile must get the real client from {@link
   * HybridStorageFactory}, not another hybrid world.
   */
  private static final ThreadLocal<Boolean> ASSEMBLING = ThreadLocal.withInitial(() -> false);

  private ServiceAssembly() {}

  static boolean isAssembling() {
    return ASSEMBLING.get();
  }

  /** The site kinds accepted by configuration: the standard ones plus any provider's on the classpath. */
  static java.util.Set<String> kinds() {
    TreeSet<String> kinds = new TreeSet<>(ConfigLoader.STANDARD_KINDS);
    kinds.addAll(storeProviders().keySet());
    return kinds;
  }

  static StorageFacade open(HybridStorageOptions options) {
    Assembled world = assemble(options);
    try {
      Storage projectControlPlane = projectControlPlane(options, world.natives());
      log.debug("opened hybrid storage {} (project control plane: {})", options,
          projectControlPlane == null ? "none" : "native GCS");
      return StorageFacade.over(world.store(), bucket -> bucketControlPlane(options, world.natives(), bucket),
          method -> projectCall(options, projectControlPlane, method),
          bucket -> notifications(options, world, bucket), signedUrlEndpoints(options), options.projectId());
    } catch (RuntimeException | Error e) {
      world.close(e);
      throw e;
    }
  }

  /** The configured world as one store: what {@link #open} puts the facade over. */
  static ObjectStore openStore(HybridStorageOptions options) {
    return assemble(options).store();
  }

  /**
   * The store of the configured world, bounded by the active profile if any, and each site's
   * store as opened (what control-plane calls look at). Closing the store closes the sites.
   */
  private record Assembled(ObjectStore store, ObjectStore service, ObjectStore routed, Map<String, ObjectStore> stores,
      Map<String, ObjectStore> natives, Map<String, NotifyingStore> emitters) {

    /** Closes what was opened after a failure, the router first: it may own threads and a journal. */
    void close(Throwable failure) {
      closeAll(routed, stores, failure);
    }
  }

  private static void closeAll(@Nullable ObjectStore routed, Map<String, ObjectStore> stores, Throwable failure) {
    List<ObjectStore> opened = new ArrayList<>();
    if (routed != null && !stores.containsValue(routed)) {
      opened.add(routed);
    }
    opened.addAll(stores.values());
    for (ObjectStore s : opened) {
      try {
        s.close();
      } catch (RuntimeException suppressed) {
        failure.addSuppressed(suppressed);
      }
    }
  }

  private static Assembled assemble(HybridStorageOptions options) {
    Map<String, StoreProvider> providers = storeProviders();
    List<String> missing = new ArrayList<>();
    for (SiteConfig site : options.sites().values()) {
      if (!providers.containsKey(site.kind())) {
        String artifact = ARTIFACT_BY_KIND.getOrDefault(site.kind(), "the artifact that provides kind '"
            + site.kind() + "'");
        missing.add("site '" + site.name() + "' has kind '" + site.kind() + "', but no StoreProvider of kind '"
            + site.kind() + "' is on the classpath: add the dependency " + artifact);
      }
    }
    RouterProvider router = null;
    if (options.sites().size() > 1) {
      router = first(RouterProvider.class);
      if (router == null) {
        missing.add(options.sites().size() + " sites " + options.sites().keySet() + " need a router, but no "
            + "RouterProvider is on the classpath: add the dependency " + ROUTING_ARTIFACT);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("cannot open hybrid storage " + options + ":\n  - "
          + String.join("\n  - ", missing));
    }
    if (router != null) {
      router.check(options); // a bad routing section fails before any site is contacted
    }
    warnIfUnbounded(options);

    Map<String, ObjectStore> stores = new LinkedHashMap<>(); // as decorated: what the router gets
    Map<String, ObjectStore> natives = new LinkedHashMap<>(); // as opened: what control-plane calls look at
    Map<String, NotifyingStore> emitters = new LinkedHashMap<>(); // the sites Builder.notifications named
    ObjectStore routed = null;
    boolean outermost = !ASSEMBLING.get();
    ASSEMBLING.set(true);
    try {
      StoreDecorator decorator = options.storeDecorator();
      for (SiteConfig site : options.sites().values()) {
        ObjectStore opened = providers.get(site.kind()).open(site, options);
        stores.put(site.name(), opened);
        natives.put(site.name(), opened);
        NotificationSink sink = options.notificationSinks().get(site.name());
        ObjectStore emitting = opened;
        if (sink != null) { // closest to the site: GCS emits what the bucket saw, whatever failed above it
          NotifyingStore emitter = NotifyingStore.builder(opened, sink).clock(options.clock()).build();
          emitters.put(site.name(), emitter);
          emitting = emitter;
        }
        stores.put(site.name(), emitting);
        stores.put(site.name(), requireNonNull(decorator.site(site, emitting), () -> decorator + " returned null for "
            + "site " + site.name()));
      }
      routed = router == null ? stores.values().iterator().next() : router.route(stores, options);
      ObjectStore service = requireNonNull(decorator.service(routed), () -> decorator + " returned null for the "
          + "service store");
      ObjectStore store = service;
      if (options.activeProfile().isPresent()) {
        store = new ProfileGuardStore(store, options.activeProfile().get(), options.placements());
      }
      return new Assembled(store, service, routed, stores, natives, emitters);
    } catch (RuntimeException | Error e) {
      closeAll(routed, stores, e);
      throw e;
    } finally {
      if (outermost) {
        ASSEMBLING.remove();
      }
    }
  }

  /**
   * Profiles configured but none selected: the Storage has no bounds. Legitimate for the platform
   * team's tools, which share the file, so a warning rather than a refusal; but a BU job that forgot
   * to select its profile must not go unbounded silently.
   */
  private static void warnIfUnbounded(HybridStorageOptions options) {
    if (!options.profiles().isEmpty() && options.activeProfile().isEmpty()) {
      log.warn("profiles {} are configured but none is selected: this Storage is bounded by no BU profile and may "
          + "touch every bucket its sites' credentials reach. A business unit's job selects its profile with "
          + "{} or -D{} (or HybridStorageOptions.Builder.profile(name)); only the platform's own tools should run "
          + "unbounded", options.profiles().keySet(), Settings.PROFILE.variable(), Settings.PROFILE.property());
    }
  }

  /**
   * The native GCS client for a bucket's control-plane calls (IAM, ACLs, notifications): that of
   * the site which is the authority of the bucket's placement ({@code bucket/""}), when that site
   * talks to GCS natively; with a single site, that site's. With an active BU profile, a bucket
   * the profile does not grant whole fails with 403 (these calls bypass the store's guard).
   */
  static java.util.Optional<Storage> bucketControlPlane(HybridStorageOptions options, Map<String, ObjectStore> stores,
      String bucket) {
    Profile profile = options.activeProfile().orElse(null);
    if (profile != null && !profile.allowsWholeBucket(bucket, options.placements())) {
      // control-plane calls bypass the store (and its ProfileGuardStore): bound them here
      throw new com.google.cloud.storage.StorageException(403, HybridStorageException.describe("controlPlane",
          bucket, null, null) + ": BU '" + profile.name() + "' may not change the access control of bucket '"
          + bucket + "', which its profile does not grant whole (buckets " + profile.buckets() + ", placements "
          + profile.placements() + ")", "forbidden", null);
    }
    String authority = stores.size() == 1 ? stores.keySet().iterator().next()
        : options.placementFor(bucket, "").map(Placement::authority).orElse(null);
    return authority != null && stores.get(authority) instanceof NativeStorageAware aware
        ? java.util.Optional.of(aware.nativeStorage())
        : java.util.Optional.empty();
  }

  /**
   * Where a bucket without a native client keeps its notification configurations: the service
   * store's {@link Notifications} mixin (a decorator that made the whole world emit), else that of
   * the bucket's authority site (with a single site, that site): the {@link NotifyingStore} {@link
   * HybridStorageOptions.Builder#notifications} put there, or one a decorator put, found under the
   * site's decorators. The profile's bound was checked by {@link #bucketControlPlane}, asked first.
   */
  private static java.util.Optional<Notifications> notifications(HybridStorageOptions options, Assembled world,
      String bucket) {
    java.util.Optional<Notifications> found = Notifications.of(world.service());
    if (found.isPresent()) {
      return found;
    }
    String authority = world.stores().size() == 1 ? world.stores().keySet().iterator().next()
        : options.placementFor(bucket, "").map(Placement::authority).orElse(null);
    if (authority == null) {
      return java.util.Optional.empty();
    }
    if (world.emitters().containsKey(authority)) {
      return java.util.Optional.of(world.emitters().get(authority));
    }
    ObjectStore site = world.stores().get(authority);
    return site == null ? java.util.Optional.empty() : Notifications.of(site);
  }

  /**
   * The native client for the project-level call {@code method} (HMAC keys, the service account).
   * Under a BU profile always 403: these calls act for the whole project (an HMAC key of the
   * service account carries all its access), beyond any bucket or prefix a profile can grant, so
   * no profile grants them; the platform team runs them without a profile.
   */
  static java.util.Optional<Storage> projectCall(HybridStorageOptions options, @Nullable Storage nativeClient,
      String method) {
    Profile profile = options.activeProfile().orElse(null);
    if (profile != null) {
      throw new com.google.cloud.storage.StorageException(403, HybridStorageException.describe(method, null, null,
          null) + ": BU '" + profile.name() + "' may not call " + method + ": project-level control-plane calls "
          + "(HMAC keys, the service account) act for the whole project, beyond the buckets and prefixes a "
          + "profile grants, so they are refused under every profile; run them without one (unset "
          + Settings.PROFILE.variable() + ")", "forbidden", null);
    }
    return java.util.Optional.ofNullable(nativeClient);
  }

  /**
   * Where {@code Storage.writer(URL)} may upload (always without credentials): each site's
   * endpoint, GCS's own ({@code https://storage.googleapis.com}) when a site is of kind {@code
   * gcs}, and the configuration's {@code signedUrlEndpoints}.
   */
  static List<String> signedUrlEndpoints(HybridStorageOptions options) {
    java.util.Set<String> endpoints = new java.util.LinkedHashSet<>();
    for (SiteConfig site : options.sites().values()) {
      if (site.endpoint() != null && !site.endpoint().isBlank()) {
        endpoints.add(site.endpoint());
      }
      if ("gcs".equals(site.kind())) {
        endpoints.add(GCS_ENDPOINT);
      }
    }
    endpoints.addAll(options.signedUrlEndpoints());
    return List.copyOf(endpoints);
  }

  /**
   * The native GCS client for project-level control-plane calls (HMAC keys, the service
   * account): the only site's, or that of the first placement's authority that talks to GCS
   * natively; {@code null} when none does.
   */
  @Nullable
  static Storage projectControlPlane(HybridStorageOptions options, Map<String, ObjectStore> stores) {
    List<String> candidates = new ArrayList<>();
    if (stores.size() == 1) {
      candidates.addAll(stores.keySet());
    }
    for (Placement p : options.placements()) {
      candidates.add(p.authority());
    }
    for (String site : candidates) {
      if (stores.get(site) instanceof NativeStorageAware aware) {
        return aware.nativeStorage();
      }
    }
    return null;
  }

  /** Store providers by kind; the first on the classpath wins (a duplicate is logged). */
  static Map<String, StoreProvider> storeProviders() {
    Map<String, StoreProvider> byKind = new LinkedHashMap<>();
    for (StoreProvider p : load(StoreProvider.class)) {
      StoreProvider earlier = byKind.putIfAbsent(p.kind(), p);
      if (earlier != null) {
        log.warn("two StoreProviders of kind '{}': using {}, ignoring {}", p.kind(), earlier.getClass().getName(),
            p.getClass().getName());
      }
    }
    return byKind;
  }

  @Nullable
  private static <T> T first(Class<T> type) {
    Iterator<T> it = load(type).iterator();
    return it.hasNext() ? it.next() : null;
  }

  private static <T> Iterable<T> load(Class<T> type) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    List<T> found = new ArrayList<>();
    ServiceLoader.load(type, context != null ? context : ServiceAssembly.class.getClassLoader()).forEach(found::add);
    if (found.isEmpty() && context != null && context != ServiceAssembly.class.getClassLoader()) {
      ServiceLoader.load(type, ServiceAssembly.class.getClassLoader()).forEach(found::add);
    }
    return found;
  }
}
