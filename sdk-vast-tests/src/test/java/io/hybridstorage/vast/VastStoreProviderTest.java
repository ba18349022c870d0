package io.hybridstorage.vast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.spi.StoreProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;

/**
 * VAST sites from configuration: every setting of {@link VastStoreConfig} as a site property, the
 * credential references, clear errors, and a configuration file whose one VAST site (S3Mock)
 * serves the drop-in {@code Storage}.
 */
class VastStoreProviderTest {

  private static final Map<String, String> ENV = Map.of(
      "DC1_S3_ACCESS_KEY_ID", "AKIDDC1",
      "DC1_S3_SECRET_ACCESS_KEY", "s3cr3t-dc1",
      "DC2_S3_ACCESS_KEY_ID", "AKIDDC2",
      "DC2_S3_SECRET_ACCESS_KEY", "s3cr3t-dc2",
      "DC2_S3_SESSION_TOKEN", "tok");

  private final VastStoreProvider provider = new VastStoreProvider(ENV::get);

  private static SiteConfig site(String credentialsRef, Map<String, String> properties) {
    return new SiteConfig("dc1", "vast", "https://vast1.dc1:443", credentialsRef, Duration.ofMillis(1), properties);
  }

  @Test
  void isFoundByServiceLoaderAsKindVast() {
    assertThat(ServiceLoader.load(StoreProvider.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(p -> {
          assertThat(p).isInstanceOf(VastStoreProvider.class);
          assertThat(p.kind()).isEqualTo("vast");
        });
  }

  @Test
  void everySettingIsASiteProperty(@TempDir Path dir) throws Exception {
    Path pem = TestCertificate.generate(dir, "vast-ca", "dns:vast1.dc1").pem();
    VastStoreConfig c = provider.config(site("none", Map.ofEntries(
        Map.entry("region", "eu-west-3"),
        Map.entry("pathStyle", "FALSE"),
        Map.entry("maxConnections", "128"),
        Map.entry("connectionTimeout", "2s"),
        Map.entry("socketTimeout", "PT45S"),
        Map.entry("connectionAcquisitionTimeout", "1500ms"),
        Map.entry("apiCallAttemptTimeout", "5m"),
        Map.entry("maxAttempts", "5"),
        Map.entry("multipartThreshold", "8MiB"),
        Map.entry("partSize", "32MiB"),
        Map.entry("uploadParallelism", "8"),
        Map.entry("singlePutLimit", "2GiB"),
        Map.entry("conditionalWrites", "native"),
        Map.entry("probeBucket", "hs-probe"),
        Map.entry("tombstoneBucket", "hs-tombstones"),
        Map.entry("tombstoneRetention", "14d"),
        Map.entry("recordMultipartChecksums", "false"),
        Map.entry("trustedCertificates", " " + pem + " "))));
    assertThat(c.site()).isEqualTo("dc1");
    assertThat(c.endpoint()).hasToString("https://vast1.dc1:443");
    assertThat(c.region().id()).isEqualTo("eu-west-3");
    assertThat(c.pathStyle()).isFalse();
    assertThat(c.maxConnections()).isEqualTo(128);
    assertThat(c.connectionTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.socketTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(c.connectionAcquisitionTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.apiCallAttemptTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.maxAttempts()).isEqualTo(5);
    assertThat(c.multipartThreshold()).isEqualTo(8L << 20);
    assertThat(c.partSize()).isEqualTo(32L << 20);
    assertThat(c.uploadParallelism()).isEqualTo(8);
    assertThat(c.singlePutLimit()).isEqualTo(2L << 30);
    assertThat(c.conditionalWrites()).isEqualTo(VastStoreConfig.ConditionalWrites.NATIVE);
    assertThat(c.probeBucket()).isEqualTo("hs-probe");
    assertThat(c.tombstoneBucket()).isEqualTo("hs-tombstones");
    assertThat(c.tombstoneRetention()).isEqualTo(Duration.ofDays(14));
    assertThat(c.recordMultipartChecksums()).isFalse();
    assertThat(c.trustedCertificates()).isEqualTo(pem);
    assertThat(TrustedCertificates.subjects(c.trustedCertificateList())).containsExactly("CN=vast-ca");
  }

  @Test
  void absentPropertiesKeepTheDefaultsOfTheBuilder() {
    VastStoreConfig c = provider.config(site("none", Map.of()));
    VastStoreConfig defaults = VastStoreConfig.builder().site("dc1").endpoint(c.endpoint())
        .credentialsProvider(AnonymousCredentialsProvider.create()).build();
    assertThat(c.toString()).isEqualTo(defaults.toString());
    assertThat(c.socketTimeout()).isEqualTo(defaults.socketTimeout());
    assertThat(c.maxAttempts()).isEqualTo(defaults.maxAttempts());
    assertThat(c.multipartThreshold()).isEqualTo(defaults.multipartThreshold());
    assertThat(c.recordMultipartChecksums()).isTrue();
    assertThat(c.probeBucket()).isNull();
    assertThat(c.tombstoneBucket()).isNull();
    assertThat(c.tombstoneRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(c.trustedCertificates()).isNull();
    assertThat(c.trustedCertificateList()).isEmpty();
  }

  @Test
  void badSettingsNameTheSiteAndTheProperty() {
    assertThatThrownBy(() -> provider.config(site("none", Map.of("partSise", "8MiB"))))
        .hasMessageContaining("site dc1").hasMessageContaining("partSise").hasMessageContaining("partSize");
    assertThatThrownBy(() -> provider.config(site("none", Map.of("partSize", "lots"))))
        .hasMessage("site dc1: properties.partSize ('lots') must be a size (bytes, or with KiB, MiB, GiB, TiB)");
    assertThatThrownBy(() -> provider.config(site("none", Map.of("socketTimeout", "soon"))))
        .hasMessageContaining("site dc1: properties.socketTimeout ('soon')");
    assertThatThrownBy(() -> provider.config(site("none", Map.of("conditionalWrites", "sometimes"))))
        .hasMessageContaining("probe, native or emulated");
    assertThatThrownBy(() -> provider.config(site("none", Map.of("partSize", "1MiB"))))
        .hasMessageContaining("site dc1: VastStoreConfig: partSize (1048576)");
    assertThatThrownBy(() -> provider.config(
        new SiteConfig("dc1", "vast", null, "none", Duration.ZERO, Map.of())))
        .hasMessageContaining("site dc1: a vast site needs an endpoint");
  }

  @Test
  void aBadTrustedCertificatesPathNamesTheSiteThePropertyAndThePath(@TempDir Path dir) {
    assertThatThrownBy(() -> provider.config(site("none", Map.of("trustedCertificates", "certs/ca.pem"))))
        .hasMessage("site dc1: properties.trustedCertificates ('certs/ca.pem') must be an absolute path to a PEM "
            + "bundle of CA certificates");
    Path missing = dir.resolve("ca.pem");
    assertThatThrownBy(() -> provider.config(site("none", Map.of("trustedCertificates", missing.toString()))))
        .hasMessageStartingWith("site dc1: VastStoreConfig: trustedCertificates (" + missing + ") cannot be read");
  }

  @Test
  void credentialsComeFromTheNamedEnvironmentVariablesAndNeverShowTheSecret(@TempDir Path dir) throws Exception {
    AwsCredentials dc1 = provider.credentials(site("DC1_S3", Map.of())).resolveCredentials();
    assertThat(dc1.accessKeyId()).isEqualTo("AKIDDC1");
    assertThat(dc1.secretAccessKey()).isEqualTo("s3cr3t-dc1");
    AwsCredentials dc2 = provider.credentials(site("DC2_S3", Map.of())).resolveCredentials();
    assertThat(dc2).isInstanceOfSatisfying(AwsSessionCredentials.class,
        s -> assertThat(s.sessionToken()).isEqualTo("tok"));
    assertThat(provider.credentials(site("none", Map.of()))).isInstanceOf(AnonymousCredentialsProvider.class);
    Path awsCredentials = Files.writeString(dir.resolve("credentials"),
        "[vast-dc1]\naws_access_key_id = AKIDP\naws_secret_access_key = p\n");
    assertThat(new VastStoreProvider(Map.of("AWS_SHARED_CREDENTIALS_FILE", awsCredentials.toString())::get)
        .credentials(site("profile:vast-dc1", Map.of()))).isInstanceOf(ProfileCredentialsProvider.class);

    // DC9_S3 names no variable that is set: it may be a secret pasted in, so only its length is shown
    assertThatThrownBy(() -> provider.credentials(site("DC9_S3", Map.of())))
        .hasMessageContaining("site dc1").hasMessageContaining("<credentialsRef>_ACCESS_KEY_ID")
        .hasMessageContaining("<credentialsRef>_SECRET_ACCESS_KEY")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("DC9_S3"));
    assertThat(provider.config(site("DC1_S3", Map.of())).toString()).doesNotContain("s3cr3t").doesNotContain("AKID");
  }

  /**
   * A reference is shown in an error only when it is a path or names an environment variable that
   * is set: one that resolves to nothing may be a secret pasted in (an alphanumeric secret passes
   * the loader as a variable name; a programmatic SiteConfig passes no loader at all).
   */
  @Test
  void aCredentialsRefThatResolvesToNothingIsNeverShown() {
    for (String secret : List.of("wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AKIAIOSFODNN7EXAMPLE")) {
      assertThatThrownBy(() -> provider.config(site(secret, Map.of())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("site dc1: credentialsRef (a value of " + secret.length() + " characters, not shown")
          .hasMessageContaining("_ACCESS_KEY_ID")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret).doesNotContain("EXAMPLE"));
    }
    // resolved in part: named, with what is missing
    VastStoreProvider half = new VastStoreProvider(Map.of("DC3_S3_ACCESS_KEY_ID", "AKIDDC3")::get);
    assertThatThrownBy(() -> half.config(site("DC3_S3", Map.of())))
        .hasMessageContaining("site dc1: credentialsRef 'DC3_S3'")
        .hasMessageContaining("DC3_S3_SECRET_ACCESS_KEY is not set")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("AKIDDC3"));
  }

  /**
   * {@code credentialsRef: profile:NAME} (README): that profile of the AWS shared credentials and
   * config files ({@code AWS_SHARED_CREDENTIALS_FILE}, {@code AWS_CONFIG_FILE}, else {@code
   * ~/.aws/credentials} and {@code ~/.aws/config}), checked at start-up; a name that resolves to
   * no profile is not shown.
   */
  @Test
  void aProfileOfTheAwsSharedFilesSuppliesTheCredentials(@TempDir Path dir) throws Exception {
    Path credentials = dir.resolve("credentials");
    Files.writeString(credentials, "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n"
        + "[vast-dc1]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s3cr3t-profile\n");
    Path config = dir.resolve("config");
    Files.writeString(config, "[profile vast-dc2]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = c\n");
    VastStoreProvider withFiles = new VastStoreProvider(Map.of("AWS_SHARED_CREDENTIALS_FILE", credentials.toString(),
        "AWS_CONFIG_FILE", config.toString())::get);
    assertThat(withFiles.credentials(site("profile:vast-dc1", Map.of())).resolveCredentials().accessKeyId())
        .isEqualTo("AKIDPROFILE");
    assertThat(withFiles.credentials(site("profile:vast-dc2", Map.of())).resolveCredentials().accessKeyId())
        .isEqualTo("AKIDCONFIG");
    assertThatThrownBy(() -> withFiles.config(site("profile:wJalrXUtnFEMIK7MDENG", Map.of())))
        .hasMessageContaining("site dc1: credentialsRef profile:NAME names no profile of the AWS shared credentials "
            + "and config files (" + credentials + ", " + config + ")")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wJalr"));
  }

  @Test
  void aConfigurationFileWithAVastSiteServesTheDropInStorage(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("hybrid.yaml");
    Files.writeString(file, String.join("\n",
        "projectId: bu-test",
        "sites:",
        "  - name: dc1",
        "    kind: vast",
        "    endpoint: " + S3MockServer.endpoint(),
        "    credentialsRef: none",
        "    properties: {conditionalWrites: emulated, partSize: 5MiB, multipartThreshold: 1MiB}",
        ""));
    String bucket = VastTestSupport.bucketName("cfg");
    byte[] large = new byte[3 * 1024 * 1024 + 1];
    new java.util.Random(5).nextBytes(large);
    try (Storage storage = HybridStorageOptions.fromFile(file).getService()) {
      storage.create(BucketInfo.of(bucket));
      Blob small = storage.create(BlobInfo.newBuilder(bucket, "a.txt").setContentType("text/plain").build(),
          "hello".getBytes(StandardCharsets.UTF_8));
      assertThat(small.getGeneration()).isPositive();
      assertThat(small.getCrc32c()).isEqualTo(io.hybridstorage.api.Checksums.crc32c("hello".getBytes()));
      // a byte array declares its size: one streamed PUT on the VAST site
      Blob big = storage.create(BlobInfo.newBuilder(bucket, "big.bin").build(), large);
      assertThat(big.getSize()).isEqualTo(large.length);
      assertThat(storage.readAllBytes(BlobId.of(bucket, "a.txt"))).isEqualTo("hello".getBytes());
      assertThat(storage.readAllBytes(BlobId.of(bucket, "big.bin"))).isEqualTo(large);
      assertThat(storage.list(bucket).iterateAll()).extracting(Blob::getName).containsExactly("a.txt", "big.bin");
      assertThat(storage.delete(BlobId.of(bucket, "a.txt"))).isTrue();
      assertThat(storage.delete(BlobId.of(bucket, "big.bin"))).isTrue();
      assertThat(storage.delete(bucket)).isTrue();
    }
  }
}
