package io.hybridstorage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-code swap with hybrid storage configured: plain {@code StorageOptions…getService()}
 * returns the hybrid {@code Storage}. Sets JVM system properties, restored after each test.
 */
class StorageFactorySwapTest {

  @TempDir Path dir;

  @AfterEach
  void restore() {
    System.clearProperty("hybrid.storage.config");
    System.clearProperty("hybrid.storage.enabled");
    HybridStorageFactory.resetShared();
  }

  /** Writes {@code yaml} to {@code name} and names it in {@code -Dhybrid.storage.config}. */
  Path configure(String name, String yaml) throws java.io.IOException {
    Path config = dir.resolve(name);
    Files.writeString(config, yaml);
    System.setProperty("hybrid.storage.config", config.toString());
    return config;
  }

  static Storage plainGcsCall() {
    return StorageOptions.newBuilder().setProjectId("job-project").setCredentials(NoCredentials.getInstance()).build()
        .getService();
  }

  @Test
  void aConfigFileTurnsPlainStorageOptionsIntoHybridStorage() throws Exception {
    configure("hybrid.yaml", "projectId: swap-project\nsites: [{name: dc1, kind: memory}]\n");

    Storage first = plainGcsCall();
    assertThat(first.getClass().getName()).isNotEqualTo("com.google.cloud.storage.StorageImpl");
    assertThat(first.getOptions().getProjectId()).isEqualTo("swap-project");
    first.create(BucketInfo.of("sales"));
    first.create(BlobInfo.newBuilder("sales", "a.csv").build(), "1,2\n".getBytes(StandardCharsets.UTF_8));

    // one world per process, like one GCS: a second client sees the first one's data,
    // and closing one client does not close the world
    first.close();
    Storage second = plainGcsCall();
    assertThat(new String(second.readAllBytes("sales", "a.csv"), StandardCharsets.UTF_8)).isEqualTo("1,2\n");
  }

  /**
   * As with the GCS client, whose {@code Blob}s carry the {@code Storage} that returned them
   * ({@code Blob.getStorage()}), what the swap returns is bound to the instance handed out, not
   * to an inner one: so {@code blob.getStorage().close()} is that instance's close, which leaves
   * the shared world open for every other caller.
   */
  @Test
  void blobsAndBucketsAreBoundToTheStorageHandedOutAndClosingThroughThemClosesNothingShared() throws Exception {
    configure("hybrid.yaml", "sites: [{name: dc1, kind: memory}]\n");
    Storage storage = plainGcsCall();
    Bucket bucket = storage.create(BucketInfo.of("sales"));
    byte[] content = "1,2\n".getBytes(StandardCharsets.UTF_8);
    Blob blob = storage.create(BlobInfo.newBuilder("sales", "a.csv").build(), content);

    assertThat(bucket.getStorage()).isSameAs(storage);
    assertThat(blob.getStorage()).isSameAs(storage);
    assertThat(storage.get("sales", "a.csv").getStorage()).isSameAs(storage);
    assertThat(storage.list("sales").iterateAll()).allSatisfy(b -> assertThat(b.getStorage()).isSameAs(storage));
    assertThat(storage.getOptions().getService()).isSameAs(storage);

    blob.getStorage().close();
    bucket.getStorage().close();
    assertThat(blob.getContent()).as("the caller's world is still open").isEqualTo(content);
    assertThat(new String(plainGcsCall().readAllBytes("sales", "a.csv"), StandardCharsets.UTF_8))
        .as("and every other caller's").isEqualTo("1,2\n");
  }

  @Test
  void aBackendBuildingAGcsClientWhileTheSwapIsOnGetsTheRealClient() throws Exception {
    configure("hybrid.yaml", "sites: [{name: gcp, kind: " + NativeAwareTestProvider.KIND + "}]\n");
    NativeAwareTestProvider.CLIENTS_BUILT_WHILE_OPENING.clear();
    Storage hybrid = plainGcsCall();
    assertThat(hybrid.getClass().getName()).isNotEqualTo("com.google.cloud.storage.StorageImpl");
    // without the guard the backend would have received another hybrid world (or recursed)
    assertThat(NativeAwareTestProvider.CLIENTS_BUILT_WHILE_OPENING)
        .containsExactly("com.google.cloud.storage.StorageImpl");
  }

  @Test
  void aBrokenConfigFileFailsTheCallNamingTheFile() throws Exception {
    Path config = configure("broken.yaml", "sites: [{name: dc1, kind: memroy}]\n");
    assertThatThrownBy(StorageFactorySwapTest::plainGcsCall)
        .isInstanceOf(HybridStorageConfigException.class)
        .hasMessageContaining(config.toAbsolutePath() + " (named by system property hybrid.storage.config)")
        .hasMessageContaining("sites[0].kind: 'memroy' is not a known site kind");
  }

  @Test
  void enabledWithoutAFileServesTheEmbeddedThreeSiteWorld() {
    System.setProperty("hybrid.storage.enabled", "true");
    // the embedded world has three sites; sdk-testkit's classpath has no router, and says so
    assertThatThrownBy(StorageFactorySwapTest::plainGcsCall)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("need a router")
        .hasMessageContaining("io.hybridstorage:hybrid-storage-routing");
  }

  @Test
  void theKillSwitchWinsOverAConfigFile() throws Exception {
    configure("hybrid.yaml", "sites: [{name: dc1, kind: memory}]\n");
    System.setProperty("hybrid.storage.enabled", "false");
    try (Storage storage = plainGcsCall()) {
      assertThat(storage.getClass().getName()).isEqualTo("com.google.cloud.storage.StorageImpl");
      assertThat(storage.getOptions().getProjectId()).isEqualTo("job-project");
    }
  }
}
