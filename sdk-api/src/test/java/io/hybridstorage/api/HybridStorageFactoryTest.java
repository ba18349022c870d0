package io.hybridstorage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageFactory;
import com.google.cloud.storage.StorageOptions;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The StorageFactory swap when hybrid storage is NOT configured: adding the jar must leave the GCS
 * client untouched. (The configured path is tested in sdk-testkit and samples, where a store
 * provider exists.) No test here makes a network call: options carry a project id and no
 * credentials, and building a client does not connect.
 */
class HybridStorageFactoryTest {

  static StorageOptions.Builder offline(StorageOptions.Builder builder) {
    return builder.setProjectId("plain-gcs-project").setCredentials(NoCredentials.getInstance());
  }

  @Test
  void theFactoryIsRegisteredForTheGcsClient() {
    assertThat(ServiceLoader.load(StorageFactory.class).findFirst()).get().isInstanceOf(HybridStorageFactory.class);
  }

  @Test
  void withoutConfigurationStorageOptionsGiveTheGcsClientsOwnImplementation() throws Exception {
    assumeTrue(System.getenv("HYBRID_STORAGE_CONFIG") == null && System.getenv("HYBRID_STORAGE_ENABLED") == null,
        "the environment of this run configures hybrid storage");
    assertThat(System.getProperty("hybrid.storage.config")).isNull();
    StorageOptions options = offline(StorageOptions.newBuilder()).build();
    try (Storage storage = options.getService();
        Storage reference = new HttpStorageOptions.HttpStorageFactory().create(options)) {
      assertThat(storage.getClass().getName()).isEqualTo("com.google.cloud.storage.StorageImpl");
      assertThat(storage.getClass()).isSameAs(reference.getClass());
      assertThat(storage.getOptions()).isSameAs(options);
      assertThat(storage.getOptions().getProjectId()).isEqualTo("plain-gcs-project");
    }
  }

  @Test
  void grpcOptionsGetTheGrpcClient() throws Exception {
    StorageOptions options = offline(StorageOptions.grpc().setAttemptDirectPath(false).setEnableGrpcClientMetrics(false)).build();
    try (Storage storage = new HybridStorageFactory(Settings.of(Map.of(), Map.of())).create(options)) {
      assertThat(storage.getClass().getName()).startsWith("com.google.cloud.storage.")
          .isNotEqualTo("com.google.cloud.storage.StorageImpl");
      assertThat(storage.getOptions()).isSameAs(options);
    }
  }

  @Test
  void theSwapIsOnOnlyWhenAskedFor() {
    assertThat(HybridStorageFactory.enabled(Settings.of(Map.of(), Map.of()))).isFalse();
    assertThat(HybridStorageFactory.enabled(Settings.of(Map.of(), Map.of("HYBRID_STORAGE_CONFIG", "/etc/h.yaml"))))
        .isTrue();
    assertThat(HybridStorageFactory.enabled(Settings.of(Map.of("hybrid.storage.config", "/etc/h.yaml"), Map.of())))
        .isTrue();
    assertThat(HybridStorageFactory.enabled(Settings.of(Map.of("hybrid.storage.enabled", "TRUE"), Map.of())))
        .isTrue();
    // the kill switch beats a configured file
    assertThat(HybridStorageFactory.enabled(Settings.of(Map.of("hybrid.storage.enabled", "false"),
        Map.of("HYBRID_STORAGE_CONFIG", "/etc/h.yaml")))).isFalse();
    // a system property beats the environment
    assertThat(HybridStorageFactory.enabled(Settings.of(Map.of("hybrid.storage.enabled", "false"),
        Map.of("HYBRID_STORAGE_ENABLED", "true")))).isFalse();
  }

  @Test
  void aTypoInTheSwitchFailsInsteadOfPickingASide() {
    Settings settings = Settings.of(Map.of(), Map.of("HYBRID_STORAGE_ENABLED", "yes"));
    assertThatThrownBy(() -> HybridStorageFactory.enabled(settings))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("environment variable HYBRID_STORAGE_ENABLED is 'yes'; set it to true (use hybrid storage) or "
            + "false (use GCS), or unset it");
  }

  @Test
  void switchedOffTheFactoryHandsBackTheGcsClientEvenWithAConfigFile() throws Exception {
    Settings off = Settings.of(Map.of("hybrid.storage.enabled", "false"),
        Map.of("HYBRID_STORAGE_CONFIG", "/nonexistent/hybrid.yaml"));
    StorageOptions options = offline(StorageOptions.http()).build();
    try (Storage storage = new HybridStorageFactory(off).create(options)) {
      assertThat(storage.getClass().getName()).isEqualTo("com.google.cloud.storage.StorageImpl");
    }
  }
}
