package io.hybridstorage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.Capability;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SignUrlRequest;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.spi.StoreProvider;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcsStoreProviderTest {

  private static final HybridStorageOptions OPTIONS = HybridStorageOptions.inMemoryThreeSites().build();

  /** A service-account JSON with a freshly generated key: signing is local, no network needed. */
  private static String serviceAccountJson() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String pem = "-----BEGIN PRIVATE KEY-----\\n"
        + Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
        + "\\n-----END PRIVATE KEY-----\\n";
    return "{\"type\":\"service_account\",\"project_id\":\"test-project\",\"private_key_id\":\"k1\","
        + "\"private_key\":\"" + pem + "\",\"client_email\":\"signer@test-project.iam.gserviceaccount.com\","
        + "\"client_id\":\"1\",\"token_uri\":\"https://oauth2.googleapis.com/token\"}";
  }

  private static SiteConfig site(String credentialsRef, Map<String, String> properties) {
    return new SiteConfig("gcp", "gcs", "http://127.0.0.1:9", credentialsRef, Duration.ofMillis(20), properties);
  }

  @Test
  void isFoundByServiceLoaderAsKindGcs() {
    assertThat(ServiceLoader.load(StoreProvider.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(p -> {
          assertThat(p).isInstanceOf(GcsStoreProvider.class);
          assertThat(p.kind()).isEqualTo("gcs");
        });
  }

  @Test
  void noCredentialsOpensAStoreAtTheEndpointThatCannotSign() {
    try (ObjectStore store = new GcsStoreProvider().open(site("none", Map.of("projectId", "p1")), OPTIONS)) {
      GcsStore gcs = (GcsStore) store;
      assertThat(gcs.site()).isEqualTo("gcp");
      assertThat(gcs.nativeStorage().getOptions().getHost()).isEqualTo("http://127.0.0.1:9");
      assertThat(gcs.nativeStorage().getOptions().getProjectId()).isEqualTo("p1");
      assertThat(gcs.capabilities()).doesNotContain(Capability.SIGNED_URLS, Capability.ASSIGNED_GENERATIONS);
    }
  }

  @Test
  void opensTheRealGcsClientEvenWhenTheZeroCodeSwapIsOn() {
    String before = System.getProperty("hybrid.storage.enabled");
    System.setProperty("hybrid.storage.enabled", "true");
    try (ObjectStore store = new GcsStoreProvider().open(site("none", Map.of()), OPTIONS)) {
      assertThat(((GcsStore) store).nativeStorage().getClass().getName())
          .isEqualTo("com.google.cloud.storage.StorageImpl");
    } finally {
      if (before == null) {
        System.clearProperty("hybrid.storage.enabled");
      } else {
        System.setProperty("hybrid.storage.enabled", before);
      }
    }
  }

  @Test
  void aServiceAccountFromAnEnvironmentVariableSignsV4Urls() throws Exception {
    String json = serviceAccountJson();
    GcsStoreProvider provider = new GcsStoreProvider(name -> name.equals("GCS_SA") ? json : null);

    try (ObjectStore store = provider.open(site("GCS_SA", Map.of()), OPTIONS)) {
      assertThat(store.capabilities()).contains(Capability.SIGNED_URLS);
      URL url = store.signUrl(new SignUrlRequest("bkt", "dir/o.txt", "GET", Duration.ofMinutes(10), Map.of()));

      assertThat(url.toString())
          .contains("/bkt/dir/o.txt?")
          .contains("X-Goog-Algorithm=GOOG4-RSA-SHA256")
          .contains("X-Goog-Expires=600")
          .contains("X-Goog-Signature=");
    }
  }

  /**
   * The real client puts the object name into a V4 URL's path as it is ({@code
   * /bkt/bu-sales/../../finance/x}); whoever follows the URL resolves the dot segments (RFC 3986
   * §5.2.4, {@code URI.normalize()}; browsers and curl do) into {@code /finance/x}. So no URL is
   * signed for such a name: 400, naming the object and site. The object itself stays legal (GCS
   * stores it literally, as the TCK's {@code dotSegmentNamesAreLiteralOrRefused} shows).
   */
  @Test
  void noSignedUrlIsMadeForANameWithDotSegments() throws Exception {
    String json = serviceAccountJson();
    GcsStoreProvider provider = new GcsStoreProvider(name -> name.equals("GCS_SA") ? json : null);
    try (ObjectStore store = provider.open(site("GCS_SA", Map.of()), OPTIONS)) {
      String name = "bu-sales/../../finance/x";
      SignUrlRequest request = new SignUrlRequest("bkt", name, "GET", Duration.ofMinutes(10), Map.of());
      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> store.signUrl(request));
      if (thrown == null) {
        URL url = store.signUrl(request);
        org.assertj.core.api.Assertions.fail("signed " + url.getPath() + ", which resolves to "
            + url.toURI().normalize().getPath());
      }
      assertThat(thrown).isInstanceOfSatisfying(io.hybridstorage.api.HybridStorageException.class, e -> {
            assertThat(e.code()).isEqualTo(400);
            assertThat(e.getMessage()).contains("signUrl gs://bkt/" + name).contains("gcp")
                .contains("'.' or '..' segment");
          });
      URL plain = store.signUrl(new SignUrlRequest("bkt", "bu-sales/..b/x", "GET", Duration.ofMinutes(10), Map.of()));
      assertThat(plain.toURI().normalize().getPath()).isEqualTo("/bkt/bu-sales/..b/x");
    }
  }

  /**
   * GCS's XML API turns a PUT that carries {@code x-goog-copy-source} (or {@code x-amz-copy-source})
   * into a server-side copy of the named object; signing such a header hands the URL's holder a
   * copy of any object our service account can read. Refused with 400 naming the header, bucket and
   * object; allowed headers still sign (and are among the URL's signed headers).
   */
  @Test
  void signedUrlsRefuseCopySourceAndOtherHeadersThatWidenAccess() throws Exception {
    String json = serviceAccountJson();
    GcsStoreProvider provider = new GcsStoreProvider(name -> name.equals("GCS_SA") ? json : null);
    try (ObjectStore store = provider.open(site("GCS_SA", Map.of()), OPTIONS)) {
      for (String header : java.util.List.of("x-goog-copy-source", "x-amz-copy-source", "x-goog-acl",
          "x-goog-meta-hs-generation", "x-goog-user-project")) {
        assertThatThrownBy(() -> store.signUrl(new SignUrlRequest("scratch", "bu-sales/x", "PUT",
            Duration.ofMinutes(10), Map.of(header, "/finance/ledger.csv"))))
            .as(header)
            .isInstanceOfSatisfying(io.hybridstorage.api.HybridStorageException.class, e -> {
              assertThat(e.code()).isEqualTo(400);
              assertThat(e.getMessage()).startsWith("signUrl gs://scratch/bu-sales/x on gcp: ")
                  .contains("header '" + header + "'").doesNotContain("ledger");
            });
      }
      URL url = store.signUrl(new SignUrlRequest("scratch", "bu-sales/x", "PUT", Duration.ofMinutes(10),
          Map.of("Content-Type", "text/csv", "x-goog-meta-owner", "bu-sales")));
      assertThat(java.net.URLDecoder.decode(url.getQuery(), java.nio.charset.StandardCharsets.UTF_8))
          .contains("X-Goog-SignedHeaders=content-type;host;x-goog-meta-owner");
    }
  }

  @Test
  void aServiceAccountFileNamedByAnEnvironmentVariableOrDirectly(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sa.json");
    Files.writeString(file, serviceAccountJson());
    GcsStoreProvider provider = new GcsStoreProvider(name -> name.equals("SA_PATH") ? file.toString() : null);

    try (ObjectStore viaEnv = provider.open(site("SA_PATH", Map.of()), OPTIONS);
        ObjectStore viaPath = provider.open(site(file.toString(), Map.of()), OPTIONS)) {
      assertThat(viaEnv.capabilities()).contains(Capability.SIGNED_URLS);
      assertThat(viaPath.capabilities()).contains(Capability.SIGNED_URLS);
    }
  }

  @Test
  void aBadReferenceNamesTheSiteAndTheSettingButNeverTheSecret() {
    String secret = "{\"type\":\"service_account\",\"private_key\":\"TOP-SECRET\"}";
    GcsStoreProvider provider = new GcsStoreProvider(name -> name.equals("BROKEN") ? secret : null);

    assertThatThrownBy(() -> provider.open(site("NOT_SET_ANYWHERE", Map.of()), OPTIONS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("site gcp")
        // a reference that resolves to nothing may be a secret pasted in: named by its length only
        .hasMessageContaining("credentialsRef (a value of 16 characters, not shown")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("NOT_SET_ANYWHERE"));
    assertThatThrownBy(() -> provider.open(site("BROKEN", Map.of()), OPTIONS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("site gcp")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("TOP-SECRET"));
  }

  /**
   * A reference is shown only when it is a path or a set environment variable; the value of a set
   * variable is never shown — a base64-encoded key (common in CI) is neither JSON nor a path.
   */
  @Test
  void aReferenceThatResolvesToNothingAndTheValuesOfVariablesAreNeverShown() {
    String encoded = Base64.getEncoder().encodeToString("{\"private_key\":\"TOP-SECRET\"}".getBytes());
    GcsStoreProvider provider = new GcsStoreProvider(name -> name.equals("GCP_SA_B64") ? encoded : null);
    for (String secret : List.of("ya29.a0AfH6SMBx3kLqTopSecretToken", "AIzaSyTopSecretApiKey0123456789")) {
      assertThatThrownBy(() -> provider.open(site(secret, Map.of()), OPTIONS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("site gcp: credentialsRef (a value of " + secret.length() + " characters, not shown")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret).doesNotContain("TopSecret"));
    }
    assertThatThrownBy(() -> provider.open(site("GCP_SA_B64", Map.of()), OPTIONS))
        .hasMessageContaining("site gcp: environment variable GCP_SA_B64 (credentialsRef) holds neither "
            + "service-account JSON nor the path of a readable file")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(encoded).doesNotContain(encoded.substring(0, 8)));
    assertThatThrownBy(() -> provider.open(site("/etc/hybrid/missing-sa.json", Map.of()), OPTIONS))
        .hasMessageContaining("site gcp: credentialsRef '/etc/hybrid/missing-sa.json' names no readable file");
    assertThatThrownBy(() -> provider.open(site("profile:gcp-admin", Map.of()), OPTIONS))
        .hasMessageContaining("site gcp: credentialsRef profile:NAME names a profile of the AWS shared credentials "
            + "files, which only vast sites read");
  }

  @Test
  void aBadSingleRequestLimitNamesTheProperty() {
    assertThatThrownBy(() -> new GcsStoreProvider().open(site("none", Map.of("singleRequestLimit", "lots")), OPTIONS))
        .hasMessageContaining("site gcp: properties.singleRequestLimit ('lots') must be a whole number");
    assertThatThrownBy(() -> new GcsStoreProvider().open(site("none", Map.of("singleRequestLimt", "1")), OPTIONS))
        .hasMessageContaining("site gcp: unknown properties [singleRequestLimt]");
  }
}
