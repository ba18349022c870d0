package io.hybridstorage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.HmacKey;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.memory.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link HybridStorageOptions#getService()} end to end over in-memory sites. */
class HybridServiceTest {

  static HybridStorageOptions.Builder oneSite(String kind) {
    return HybridStorageOptions.newBuilder()
        .projectId("acme-lake")
        .site(new SiteConfig("dc1", kind, null, null, Duration.ofMillis(1), Map.of()));
  }

  static List<String> names(Iterable<Blob> blobs) {
    return StreamSupport.stream(blobs.spliterator(), false).map(Blob::getName).toList();
  }

  @BeforeEach
  void clearCalls() {
    NativeAwareTestProvider.CALLS.clear();
  }

  @Test
  void oneMemorySiteServesTheFacadeDirectly() {
    try (Storage storage = oneSite("memory").build().getService()) {
      assertThat(storage.getOptions().getProjectId()).isEqualTo("acme-lake");
      storage.create(BucketInfo.of("sales"));
      Blob blob = storage.create(BlobInfo.newBuilder("sales", "a.csv").build(), "x,y\n".getBytes(StandardCharsets.UTF_8));
      assertThat(blob.getGeneration()).isPositive();
      assertThat(blob.getStorage()).isSameAs(storage);
      assertThat(new String(storage.readAllBytes("sales", "a.csv"), StandardCharsets.UTF_8)).isEqualTo("x,y\n");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void eachGetServiceIsAFreshWorld() throws Exception {
    HybridStorageOptions options = oneSite("memory").build();
    try (Storage first = options.getService(); Storage second = options.getService()) {
      first.create(BucketInfo.of("sales"));
      assertThat(second.get("sales")).isNull();
    }
  }

  @Test
  void theEmbeddedDefaultIsAValidThreeSiteWorld() {
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites().build();
    assertThat(options.sites().keySet()).containsExactly("gcp", "dc1", "dc2");
    // sdk-testkit has no router on its classpath: the error says which artifact to add
    assertThatThrownBy(options::getService)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("3 sites [gcp, dc1, dc2] need a router, but no RouterProvider is on the classpath: "
            + "add the dependency io.hybridstorage:hybrid-storage-routing");
  }

  @Test
  void aMissingKindNamesTheSiteTheKindAndTheArtifact() {
    HybridStorageOptions options = HybridStorageOptions.newBuilder()
        .site(new SiteConfig("dc1", "vast", "https://vast1", "DC1_S3", Duration.ofMillis(1), Map.of()))
        .site(new SiteConfig("gcp", "gcs", null, null, Duration.ofMillis(20), Map.of()))
        .site(new SiteConfig("tape", "tape", null, null, Duration.ofMillis(20), Map.of()))
        .placement(Placement.builder("*").replicas("gcp", "dc1").build())
        .build();
    assertThatThrownBy(options::getService)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("site 'dc1' has kind 'vast', but no StoreProvider of kind 'vast' is on the classpath: "
            + "add the dependency io.hybridstorage:hybrid-storage-vast")
        .hasMessageContaining("site 'gcp' has kind 'gcs', but no StoreProvider of kind 'gcs' is on the classpath: "
            + "add the dependency io.hybridstorage:hybrid-storage-gcs")
        .hasMessageContaining("site 'tape' has kind 'tape', but no StoreProvider of kind 'tape' is on the "
            + "classpath: add the dependency the artifact that provides kind 'tape'");
  }

  @Test
  void memoryProviderRejectsSettingsThatMeanNothingInMemory() {
    HybridStorageOptions options = HybridStorageOptions.newBuilder()
        .site(new SiteConfig("dc1", "memory", "https://x", null, Duration.ZERO, Map.of())).build();
    assertThatThrownBy(options::getService).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("site 'dc1' (kind memory): an in-memory site takes no endpoint");
  }

  @Test
  void configuredKindsIncludeProvidersOnTheClasspath() {
    assertThat(ServiceAssembly.kinds()).contains("gcs", "memory", "vast", NativeAwareTestProvider.KIND);
  }

  // ------------------------------------------------------------ control plane

  @Test
  void aNativeAwareSiteGetsTheControlPlaneCalls() throws Exception {
    try (Storage storage = oneSite(NativeAwareTestProvider.KIND).build().getService()) {
      assertThat(storage.getIamPolicy("sales").getEtag()).isEqualTo("etag-of-dc1");
      assertThat(storage.getServiceAccount("acme-lake").getEmail()).isEqualTo("dc1@example.iam.gserviceaccount.com");
      assertThat(NativeAwareTestProvider.CALLS).containsExactly("dc1:getIamPolicy:sales",
          "dc1:getServiceAccount:acme-lake");
    }
  }

  @Test
  void withoutANativeSiteControlPlaneCallsAre501() throws Exception {
    try (Storage storage = oneSite("memory").build().getService()) {
      assertThatThrownBy(() -> storage.getIamPolicy("sales"))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(501));
    }
  }

  @Test
  void controlPlaneFollowsEachBucketsAuthority() {
    HybridStorageOptions options = HybridStorageOptions.newBuilder()
        .site(new SiteConfig("gcp", NativeAwareTestProvider.KIND, null, null, Duration.ofMillis(20), Map.of()))
        .site(SiteConfig.memory("dc1", Duration.ofMillis(1)))
        .localSite("dc1")
        .placement(Placement.builder("cloud").replicas("gcp", "dc1").authority("gcp").build())
        .placement(Placement.builder("onprem").replicas("gcp", "dc1").authority("dc1").build())
        .build();
    Map<String, ObjectStore> stores = new LinkedHashMap<>();
    stores.put("gcp", new NativeAwareTestProvider().open(options.sites().get("gcp"), options));
    stores.put("dc1", new InMemoryStore("dc1"));
    Storage gcpNative = ((io.hybridstorage.api.spi.NativeStorageAware) stores.get("gcp")).nativeStorage();
    assertThat(ServiceAssembly.bucketControlPlane(options, stores, "cloud")).containsSame(gcpNative);
    assertThat(ServiceAssembly.bucketControlPlane(options, stores, "onprem")).isEmpty();
    assertThat(ServiceAssembly.bucketControlPlane(options, stores, "unplaced")).isEmpty();
    assertThat(ServiceAssembly.projectControlPlane(options, stores)).isSameAs(gcpNative);
    stores.put("gcp", new InMemoryStore("gcp"));
    assertThat(ServiceAssembly.projectControlPlane(options, stores)).isNull();
  }

  /**
   * HMAC keys and the service account belong to the whole project: an HMAC key for the service
   * account carries all of its access, far beyond any bucket or prefix a profile grants. Under a
   * profile every project-level call is refused with 403 naming the call and the BU, before the
   * native client is touched; without a profile they pass through (see above).
   */
  @Test
  void projectLevelControlPlaneCallsAre403UnderAProfile() throws Exception {
    HmacKey.HmacKeyMetadata key = HmacKey.HmacKeyMetadata.newBuilder(
        com.google.cloud.storage.ServiceAccount.of("sa@acme-lake.iam.gserviceaccount.com")).setAccessId("GOOG1")
        .setProjectId("acme-lake").build();
    try (Storage storage = oneSite(NativeAwareTestProvider.KIND)
        .profile(new Profile("bu-sales", List.of("sales"), List.of())).profile("bu-sales").build().getService()) {
      Map<String, org.junit.jupiter.api.function.Executable> calls = new LinkedHashMap<>();
      calls.put("createHmacKey", () -> storage.createHmacKey(key.getServiceAccount()));
      calls.put("listHmacKeys", () -> storage.listHmacKeys());
      calls.put("getHmacKey", () -> storage.getHmacKey("GOOG1"));
      calls.put("updateHmacKeyState", () -> storage.updateHmacKeyState(key, HmacKey.HmacKeyState.INACTIVE));
      calls.put("deleteHmacKey", () -> storage.deleteHmacKey(key));
      calls.put("getServiceAccount", () -> storage.getServiceAccount("acme-lake"));
      for (Map.Entry<String, org.junit.jupiter.api.function.Executable> call : calls.entrySet()) {
        StorageException refused = org.junit.jupiter.api.Assertions.assertThrows(StorageException.class,
            call.getValue(), call.getKey());
        assertThat(refused.getCode()).as(call.getKey()).isEqualTo(403);
        assertThat(refused.getReason()).isEqualTo("forbidden");
        assertThat(refused.getMessage()).as(call.getKey()).startsWith(call.getKey() + ": BU 'bu-sales' may not ");
      }
      assertThat(NativeAwareTestProvider.CALLS).as("the native client is never reached").isEmpty();
      assertThat(storage.getIamPolicy("sales").getEtag()).as("bucket-level calls on a granted bucket still pass")
          .isEqualTo("etag-of-dc1");
    }
  }

  // ------------------------------------------------------------ BU profiles

  @Test
  void theProfileGuardForwardsEveryCallItAllows() {
    Placement everything = Placement.builder(Placement.ANY_BUCKET).replicas("dc1").build();
    Profile all = new Profile("bu-all", List.of(), List.of(everything.id()));
    io.hybridstorage.testkit.fault.ForwardingStoreTester.testForwarding(
        store -> new ProfileGuardStore(store, all, List.of(everything)));
  }

  /**
   * A signed copy-source header names a second object, which the URL's holder would copy with our
   * credentials. The guard checks that source against the profile too (403 naming it), so a caller
   * of the SPI below the facade cannot reach outside the profile through it; a source inside the
   * profile passes the guard, and the store's header allow-list has the last word.
   */
  @Test
  void theProfileGuardChecksTheSourceASignedUrlWouldCopy() throws Exception {
    List<SignUrlRequest> signed = new java.util.ArrayList<>();
    ObjectStore signing = new ForwardingObjectStore(new InMemoryStore("dc1")) {
      @Override
      public java.net.URL signUrl(SignUrlRequest request) {
        signed.add(request);
        try {
          return new java.net.URL("https://dc1.example/scratch/bu-sales/x?X-Amz-Signature=abc");
        } catch (java.net.MalformedURLException e) {
          throw new AssertionError(e);
        }
      }
    };
    Profile bu = new Profile("bu-sales", List.of("scratch/bu-sales/"), List.of());
    ObjectStore guard = new ProfileGuardStore(signing, bu, List.of());
    List<Map.Entry<String, String>> outside = List.of(
        Map.entry("x-amz-copy-source", "/finance/ledger.csv"),
        Map.entry("X-Goog-Copy-Source", "finance/ledger.csv"),
        Map.entry("x-amz-copy-source ", "finance/ledger.csv?versionId=3"),
        Map.entry("x-goog-copy-source", "/finance/ledger%2Ecsv"),
        Map.entry("x-amz-copy-source", "arn:aws:s3:::finance/ledger.csv"),
        Map.entry("x-goog-copy-source", "/scratch/bu-ops/ledger.csv"),
        Map.entry("x-goog-copy-source", "/scratch"));
    for (Map.Entry<String, String> header : outside) {
      assertThatThrownBy(() -> guard.signUrl(new SignUrlRequest("scratch", "bu-sales/x", "PUT", Duration.ofMinutes(5),
          Map.of(header.getKey(), header.getValue()))))
          .as(header.toString())
          .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(403))
          .hasMessageContaining("BU 'bu-sales' may not touch gs://");
    }
    assertThatThrownBy(() -> guard.signUrl(new SignUrlRequest("scratch", "bu-sales/x", "PUT", Duration.ofMinutes(5),
        Map.of("x-amz-copy-source", "/finance/ledger.csv"))))
        .hasMessageContaining("may not touch gs://finance/ledger.csv");
    assertThatThrownBy(() -> guard.signUrl(new SignUrlRequest("scratch", "bu-sales/x", "PUT", Duration.ofMinutes(5),
        Map.of("x-amz-copy-source", "/scratch/bu-sales/%zz"))))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(403))
        .hasMessageContaining("an object named by header 'x-amz-copy-source' in a form it cannot check");
    assertThat(signed).as("nothing outside the profile reached the store").isEmpty();
    guard.signUrl(new SignUrlRequest("scratch", "bu-sales/x", "PUT", Duration.ofMinutes(5),
        Map.of("x-amz-copy-source", "/scratch/bu-sales/y", "x-amz-copy-source-range", "bytes=0-9")));
    assertThat(signed).as("a source inside the profile, and a header naming no object, pass the guard").hasSize(1);
  }

  static Storage salesBu() {
    HybridStorageOptions options = oneSite("memory")
        .placement(Placement.builder("shared").prefix("sales/").replicas("dc1").build())
        .profile(new Profile("bu-sales", List.of("sales", "scratch/bu-sales/"), List.of("shared/sales/")))
        .profile("bu-sales")
        .build();
    return options.getService();
  }

  @Test
  void aProfileGrantsItsBucketsPrefixesAndPlacements() throws Exception {
    try (Storage storage = salesBu()) {
      storage.create(BucketInfo.of("sales"));
      storage.create(BlobInfo.newBuilder("sales", "a").build(), new byte[] {1});
      assertThat(storage.get("sales", "a").getSize()).isEqualTo(1);
      assertThat(storage.delete(BlobId.of("sales", "a"))).isTrue();
    }
  }

  @Test
  void callsOutsideTheProfileAre403NamingTheBuAndTheBucket() throws Exception {
    try (Storage storage = salesBu()) {
      assertThatThrownBy(() -> storage.create(BlobInfo.newBuilder("finance", "ledger.csv").build(), new byte[] {1}))
          .isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getReason()).isEqualTo("forbidden");
            assertThat(e.getMessage()).startsWith("write gs://finance/ledger.csv: BU 'bu-sales' may not touch "
                + "gs://finance/ledger.csv; its profile grants buckets [sales, scratch/bu-sales/] and placements "
                + "[shared/sales/]");
          });
      assertThatThrownBy(() -> storage.get("finance", "ledger.csv")).hasMessageContaining("BU 'bu-sales'")
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      assertThatThrownBy(() -> storage.create(BucketInfo.of("finance")))
          .hasMessageContaining("createBucket gs://finance: BU 'bu-sales' may not touch the whole bucket 'finance'");
      assertThatThrownBy(() -> storage.list("finance")).hasMessageContaining("list gs://finance: BU 'bu-sales'");
      assertThatThrownBy(() -> storage.getIamPolicy("finance"))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(403))
          .hasMessageContaining("BU 'bu-sales' may not change the access control of bucket 'finance'");
    }
  }

  @Test
  void prefixGrantsBoundObjectsAndListings() throws Exception {
    try (Storage storage = salesBu()) {
      // the bucket is shared: the BU may not create it, but may use its prefixes
      assertThatThrownBy(() -> storage.create(BucketInfo.of("scratch")))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
    // a world where the shared buckets exist: the profile guard sits on top of the same store
    InMemoryStore store = new InMemoryStore("dc1");
    store.createBucket(BucketSpec.of("scratch"));
    store.createBucket(BucketSpec.of("shared"));
    store.createBucket(BucketSpec.of("finance"));
    HybridStorageOptions options = oneSite("memory")
        .placement(Placement.builder("shared").prefix("sales/").replicas("dc1").build())
        .profile(new Profile("bu-sales", List.of("scratch/bu-sales/"), List.of("shared/sales/")))
        .profile("bu-sales").build();
    try (Storage storage = io.hybridstorage.api.internal.StorageFacade.over(
        new ProfileGuardStore(store, options.activeProfile().orElseThrow(), options.placements()), null, "p")) {
      storage.create(BlobInfo.newBuilder("scratch", "bu-sales/tmp1").build(), new byte[] {1});
      storage.create(BlobInfo.newBuilder("shared", "sales/x").build(), new byte[] {2});
      assertThat(names(storage.list("scratch", Storage.BlobListOption.prefix("bu-sales/")).iterateAll()))
          .containsExactly("bu-sales/tmp1");
      assertThat(names(storage.list("shared", Storage.BlobListOption.prefix("sales/")).iterateAll()))
          .containsExactly("sales/x");
      assertThat(storage.get("scratch")).isNotNull();
      assertThatThrownBy(() -> storage.create(BlobInfo.newBuilder("scratch", "bu-ops/x").build(), new byte[] {1}))
          .hasMessageContaining("BU 'bu-sales' may not touch gs://scratch/bu-ops/x");
      assertThatThrownBy(() -> storage.list("scratch"))
          .hasMessageContaining("BU 'bu-sales' may not touch gs://scratch/*");
      assertThatThrownBy(() -> storage.delete("shared"))
          .hasMessageContaining("BU 'bu-sales' may not touch the whole bucket 'shared'");
      assertThatThrownBy(() -> storage.copy(Storage.CopyRequest.of("shared", "sales/x", BlobId.of("finance", "x"))))
          .hasMessageContaining("BU 'bu-sales' may not touch gs://finance/x");
      assertThat(StreamSupport.stream(storage.list().iterateAll().spliterator(), false)
          .map(b -> b.getName()).toList()).containsExactly("scratch", "shared");
    }
  }

  /**
   * {@code bu-sales/../../finance/ledger.csv} starts with the granted {@code bu-sales/}, but a
   * path resolves it to {@code finance/ledger.csv}: the guard refuses it (403) before any store —
   * or URL — sees it, whatever the backend would do with it. A dot segment that stays inside the
   * grant is an ordinary GCS name.
   */
  @Test
  void dotSegmentsDoNotFoolTheProfileGuard() throws Exception {
    InMemoryStore store = new InMemoryStore("dc1");
    store.createBucket(BucketSpec.of("scratch"));
    store.createBucket(BucketSpec.of("finance"));
    store.write(WriteRequest.of("finance", "ledger.csv"), new java.io.ByteArrayInputStream(new byte[] {7}));
    HybridStorageOptions options = oneSite("memory")
        .profile(new Profile("bu-sales", List.of("scratch/bu-sales/"), List.of()))
        .profile("bu-sales").build();
    try (Storage storage = io.hybridstorage.api.internal.StorageFacade.over(
        new ProfileGuardStore(store, options.activeProfile().orElseThrow(), options.placements()), null, "p")) {
      String escape = "bu-sales/../../finance/ledger.csv";
      for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : List.<org.assertj.core.api.ThrowableAssert
          .ThrowingCallable>of(
          () -> storage.get("scratch", escape),
          () -> storage.readAllBytes("scratch", escape),
          () -> storage.create(BlobInfo.newBuilder("scratch", escape).build(), new byte[] {1}),
          () -> storage.delete("scratch", escape),
          () -> storage.signUrl(BlobInfo.newBuilder("scratch", escape).build(), 1,
              java.util.concurrent.TimeUnit.MINUTES),
          () -> storage.list("scratch", Storage.BlobListOption.prefix("bu-sales/../")))) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.getCode()).isEqualTo(403);
          assertThat(e.getMessage()).contains("BU 'bu-sales' may not touch gs://scratch/bu-sales/../")
              .contains("'.' and '..' segments");
        });
      }
      storage.create(BlobInfo.newBuilder("scratch", "bu-sales/a/../b").build(), new byte[] {2});
      assertThat(storage.readAllBytes("scratch", "bu-sales/a/../b")).containsExactly(2);
    }
  }

  /**
   * Profiles configured but none selected: the Storage has no bounds at all, which is what the
   * platform team's own tools want, but what a BU job that forgot HYBRID_STORAGE_PROFILE does not:
   * getService() says so with a warning naming the profiles and how to select one.
   */
  @Test
  void profilesConfiguredButNoneSelectedIsLoggedAtStartUp() throws Exception {
    HybridStorageOptions unbounded = oneSite("memory")
        .profile(new Profile("bu-sales", List.of("sales"), List.of()))
        .profile(new Profile("bu-ops", List.of("ops"), List.of()))
        .build();
    assertThat(logOf(unbounded)).contains("WARN").contains("profiles [bu-sales, bu-ops] are configured but none is "
        + "selected").contains("HYBRID_STORAGE_PROFILE").contains("-Dhybrid.storage.profile");
    assertThat(logOf(unbounded.toBuilder().profile("bu-sales").build())).doesNotContain("none is selected");
    assertThat(logOf(oneSite("memory").build())).doesNotContain("none is selected");
  }

  /** What getService() logs (slf4j-simple writes to System.err, looked up at each call). */
  private static String logOf(HybridStorageOptions options) throws Exception {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try (Storage storage = options.getService()) {
      storage.getOptions(); // opened
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
