package io.hybridstorage.vast;

import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.spi.StoreProvider;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import javax.annotation.Nullable;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Opens {@link VastStore}s for sites of kind {@value #KIND} (registered in {@code
 * META-INF/services}), so a configuration file can name VAST sites:
 *
 * <pre>
 * - {name: dc1, kind: vast, endpoint: https://vast1.dc1:443, credentialsRef: DC1_S3, latency: 1ms,
 *    properties: {partSize: 32MiB, uploadParallelism: 8, conditionalWrites: probe, probeBucket: hs-probe,
 *                 tombstoneBucket: hs-tombstones, tombstoneRetention: 7d,
 *                 trustedCertificates: /etc/hybrid/dc1-ca.pem}}
 * </pre>
 *
 * <ul>
 *   <li>{@code endpoint} (required): the S3 endpoint of the cluster.
 *   <li>{@code credentialsRef}: absent, the AWS SDK's default chain; {@code none}, anonymous
 *       requests; {@code profile:NAME}, that profile of the AWS shared credentials files;
 *       otherwise a prefix {@code P} of environment variables {@code P_ACCESS_KEY_ID}, {@code
 *       P_SECRET_ACCESS_KEY} and optionally {@code P_SESSION_TOKEN}. Secrets never appear in logs
 *       or messages.
 *   <li>properties: {@code region}, {@code pathStyle}, {@code maxConnections}, {@code
 *       connectionTimeout}, {@code socketTimeout}, {@code connectionAcquisitionTimeout}, {@code
 *       apiCallAttemptTimeout}, {@code maxAttempts}, {@code multipartThreshold}, {@code partSize},
 *       {@code uploadParallelism}, {@code singlePutLimit}, {@code conditionalWrites} ({@code
 *       probe}, {@code native}, {@code emulated}), {@code probeBucket}, {@code tombstoneBucket},
 *       {@code tombstoneRetention}, {@code recordMultipartChecksums} and {@code trustedCertificates} (an absolute path to a PEM
 *       bundle of CA certificates trusted besides the JVM's default trust), as in {@link
 *       VastStoreConfig}; sizes in bytes or {@code 16MiB}, durations as {@code 30s}. An unknown
 *       property is an error.
 * </ul>
 */
public final class VastStoreProvider implements StoreProvider {

  public static final String KIND = "vast";
  public static final String NO_CREDENTIALS = "none";
  public static final String PROFILE_PREFIX = "profile:";

  static final List<String> PROPERTIES = List.of("region", "pathStyle", "maxConnections", "connectionTimeout",
      "socketTimeout", "connectionAcquisitionTimeout", "apiCallAttemptTimeout", "maxAttempts", "multipartThreshold",
      "partSize", "uploadParallelism", "singlePutLimit", "conditionalWrites", "probeBucket", "tombstoneBucket",
      "tombstoneRetention", "recordMultipartChecksums", "trustedCertificates");

  private final UnaryOperator<String> environment;

  public VastStoreProvider() {
    this(System::getenv);
  }

  VastStoreProvider(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public ObjectStore open(SiteConfig site, HybridStorageOptions options) {
    return VastStore.create(config(site));
  }

  VastStoreConfig config(SiteConfig site) {
    if (site.endpoint() == null || site.endpoint().isBlank()) {
      throw new IllegalArgumentException("site " + site.name() + ": a vast site needs an endpoint (e.g. "
          + "https://vast1.dc1:443)");
    }
    site.checkProperties(PROPERTIES);
    VastStoreConfig defaults = VastStoreConfig.builder().site(site.name())
        .endpoint(URI.create("http://defaults.invalid")).credentialsProvider(AnonymousCredentialsProvider.create())
        .build();
    URI endpoint;
    try {
      endpoint = URI.create(site.endpoint().trim());
    } catch (IllegalArgumentException e) {
      // URI's message repeats the input, which may hold user info: name the site only
      throw new IllegalArgumentException("site " + site.name() + ": endpoint is not a URI", null);
    }
    VastStoreConfig.Builder b = VastStoreConfig.builder()
        .site(site.name())
        .endpoint(endpoint)
        .credentialsProvider(credentials(site))
        .region(Region.of(site.stringProperty("region", defaults.region().id())))
        .pathStyle(site.booleanProperty("pathStyle", defaults.pathStyle()))
        .maxConnections(site.intProperty("maxConnections", defaults.maxConnections()))
        .connectionTimeout(site.durationProperty("connectionTimeout", defaults.connectionTimeout()))
        .socketTimeout(site.durationProperty("socketTimeout", defaults.socketTimeout()))
        .connectionAcquisitionTimeout(site.durationProperty("connectionAcquisitionTimeout",
            defaults.connectionAcquisitionTimeout()))
        .apiCallAttemptTimeout(site.durationProperty("apiCallAttemptTimeout", defaults.apiCallAttemptTimeout()))
        .maxAttempts(site.intProperty("maxAttempts", defaults.maxAttempts()))
        .multipartThreshold(site.sizeProperty("multipartThreshold", defaults.multipartThreshold()))
        .partSize(site.sizeProperty("partSize", defaults.partSize()))
        .uploadParallelism(site.intProperty("uploadParallelism", defaults.uploadParallelism()))
        .singlePutLimit(site.sizeProperty("singlePutLimit", defaults.singlePutLimit()))
        .conditionalWrites(conditionalWrites(site, defaults.conditionalWrites()))
        .probeBucket(site.stringProperty("probeBucket", null))
        .tombstoneBucket(site.stringProperty("tombstoneBucket", null))
        .tombstoneRetention(site.durationProperty("tombstoneRetention", defaults.tombstoneRetention()))
        .recordMultipartChecksums(site.booleanProperty("recordMultipartChecksums",
            defaults.recordMultipartChecksums()))
        .trustedCertificates(trustedCertificates(site));
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("site " + site.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The PEM bundle's path, absolute: a relative one would be read from the process's working
   * directory, not from the configuration file's folder as other relative paths of the file are.
   */
  @Nullable
  private static Path trustedCertificates(SiteConfig site) {
    String value = site.stringProperty("trustedCertificates", null);
    if (value == null) {
      return null;
    }
    Path path;
    try {
      path = Path.of(value);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("site " + site.name() + ": properties.trustedCertificates ('" + value
          + "') is not a path: " + e.getReason(), e);
    }
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("site " + site.name() + ": properties.trustedCertificates ('" + value
          + "') must be an absolute path to a PEM bundle of CA certificates");
    }
    return path;
  }

  private static VastStoreConfig.ConditionalWrites conditionalWrites(SiteConfig site,
      VastStoreConfig.ConditionalWrites defaultValue) {
    String value = site.stringProperty("conditionalWrites", defaultValue.name());
    try {
      return VastStoreConfig.ConditionalWrites.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("site " + site.name() + ": properties.conditionalWrites ('" + value
          + "') must be probe, native or emulated", e);
    }
  }

  AwsCredentialsProvider credentials(SiteConfig site) {
    String ref = site.credentialsRef();
    if (ref == null || ref.isBlank()) {
      return DefaultCredentialsProvider.builder().build();
    }
    ref = ref.trim();
    if (NO_CREDENTIALS.equals(ref)) {
      return AnonymousCredentialsProvider.create();
    }
    if (ref.startsWith(PROFILE_PREFIX)) {
      return ProfileCredentialsProvider.create(ref.substring(PROFILE_PREFIX.length()));
    }
    String keyId = environment.apply(ref + "_ACCESS_KEY_ID");
    String secret = environment.apply(ref + "_SECRET_ACCESS_KEY");
    if (keyId == null || keyId.isBlank() || secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("site " + site.name() + ": credentialsRef '" + ref + "' needs the environment"
          + " variables " + ref + "_ACCESS_KEY_ID and " + ref + "_SECRET_ACCESS_KEY; or use '" + PROFILE_PREFIX
          + "NAME', '" + NO_CREDENTIALS + "', or omit it for the AWS SDK's default chain");
    }
    String token = environment.apply(ref + "_SESSION_TOKEN");
    return StaticCredentialsProvider.create(token == null || token.isBlank()
        ? AwsBasicCredentials.create(keyId.trim(), secret.trim())
        : AwsSessionCredentials.create(keyId.trim(), secret.trim(), token.trim()));
  }
}
