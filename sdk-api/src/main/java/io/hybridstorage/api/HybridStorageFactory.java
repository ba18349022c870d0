package io.hybridstorage.api;

import com.google.cloud.storage.GrpcStorageOptions;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageFactory;
import com.google.cloud.storage.StorageOptions;
import io.hybridstorage.api.internal.StorageFacade;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zero-code swap: registered in {@code META-INF/services/com.google.cloud.storage.StorageFactory},
 * so {@code StorageOptions.getDefaultInstance().getService()} (and every {@code
 * StorageOptions.newBuilder()…build().getService()} that sets no factory of its own) comes here.
 *
 * <p><b>The swap is on only when asked for.</b> Adding the jar never silently redirects a job:
 *
 * <ul>
 *   <li>{@code hybrid.storage.enabled} / {@code HYBRID_STORAGE_ENABLED} = {@code false}: off, even
 *       when a configuration file is named (a kill switch);
 *   <li>{@code = true}: on — the file named by {@code hybrid.storage.config} / {@code
 *       HYBRID_STORAGE_CONFIG}, or the embedded in-memory three-site world when none is named;
 *   <li>unset: on exactly when a configuration file is named;
 *   <li>any other value: {@link IllegalStateException} (a typo must not pick a side silently).
 * </ul>
 *
 * System properties win over environment variables. When off, the factory returns the GCS
 * client's own implementation, built exactly as google-cloud-storage's default factories build it
 * ({@link HttpStorageOptions.HttpStorageFactory} or {@link GrpcStorageOptions.GrpcStorageFactory}
 * by the options' transport).
 *
 * <p>When on, the {@code StorageOptions}' own settings (host, credentials, retries) are not used:
 * the hybrid configuration decides, and {@code getOptions().getProjectId()} reports its project.
 * All calls with the same settings share one hybrid world per process, like one GCS: a second
 * {@code getDefaultInstance().getService()} sees the first one's objects, and {@code close()} on
 * one of them does not close the world (a shutdown hook does, so journals are flushed).
 *
 * <p>Building the hybrid world may itself build GCS clients (the {@code gcs} site); such nested
 * calls on the building thread get the plain GCS client. Backends should still set their factory
 * explicitly ({@code setServiceFactory(new HttpStorageOptions.HttpStorageFactory())}) when they
 * build a client outside that window.
 *
 * <p>To choose the hybrid service explicitly, without the environment, call {@link
 * HybridStorageOptions#getService()}.
 */
public final class HybridStorageFactory implements StorageFactory {

  private static final Logger log = LoggerFactory.getLogger(HybridStorageFactory.class);

  private static final Map<List<String>, Storage> SHARED = new ConcurrentHashMap<>();

  private final Settings settings;

  /** The instance {@link java.util.ServiceLoader} creates: reads system properties and the environment. */
  public HybridStorageFactory() {
    this(Settings.system());
  }

  HybridStorageFactory(Settings settings) {
    this.settings = settings;
  }

  @Override
  public Storage create(StorageOptions options) {
    if (ServiceAssembly.isAssembling() || !enabled(settings)) {
      return gcsClient(options);
    }
    List<String> key = settingsKey(settings);
    Storage shared = SHARED.get(key);
    if (shared == null) {
      synchronized (SHARED) {
        shared = SHARED.get(key);
        if (shared == null) {
          shared = openShared();
          SHARED.put(key, shared);
        }
      }
    }
    return shared;
  }

  /**
   * Opens the shared world and returns the {@code Storage} every caller gets: a {@link
   * StorageFacade#sharedView()}, whose {@code close()} closes nothing and to which the {@code
   * Blob}s and {@code Bucket}s it returns are bound ({@code blob.getStorage()} is that very
   * instance, so {@code blob.getStorage().close()} cannot close the world for everyone).
   */
  private Storage openShared() {
    HybridStorageOptions hybrid = HybridStorageOptions.fromEnvironment(settings);
    log.info("StorageFactory swap on: serving com.google.cloud.storage.Storage from hybrid storage {}", hybrid);
    StorageFacade world = ServiceAssembly.open(hybrid);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        world.close();
      } catch (Exception e) {
        log.warn("closing the shared hybrid storage at shutdown failed", e);
      }
    }, "hybrid-storage-shutdown"));
    return world.sharedView();
  }

  /**
   * Whether the swap is on for {@code settings} (see the class javadoc).
   *
   * @throws IllegalStateException when {@code hybrid.storage.enabled} is neither true nor false
   */
  static boolean enabled(Settings settings) {
    Settings.Value enabled = settings.get(Settings.ENABLED);
    if (enabled != null) {
      switch (enabled.value().toLowerCase(Locale.ROOT)) {
        case "true":
          return true;
        case "false":
          return false;
        default:
          throw new IllegalStateException(enabled.origin() + " is '" + enabled.value()
              + "'; set it to true (use hybrid storage) or false (use GCS), or unset it");
      }
    }
    return settings.get(Settings.CONFIG) != null;
  }

  /** The GCS client, built as google-cloud-storage's own default factory for these options builds it. */
  static Storage gcsClient(StorageOptions options) {
    if (options instanceof GrpcStorageOptions) {
      return new GrpcStorageOptions.GrpcStorageFactory().create(options);
    }
    return new HttpStorageOptions.HttpStorageFactory().create(options);
  }

  private static List<String> settingsKey(Settings settings) {
    return java.util.stream.Stream.of(Settings.CONFIG, Settings.PROFILE, Settings.LOCAL_SITE, Settings.PROJECT_ID,
            Settings.SEED, Settings.JOURNAL_DIRECTORY)
        .map(settings::get)
        .map(v -> v == null ? "" : v.value())
        .toList();
  }

  /** Forgets the shared worlds (they stay open until shutdown); for tests. */
  static void resetShared() {
    synchronized (SHARED) {
      SHARED.clear();
    }
  }
}
