package io.hybridstorage.vast;

import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.spi.StoreProvider;
import java.net.URI;
import java.nio.file.Files;
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
import software.amazon.awssdk.profiles.ProfileFile;
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
 *       requests; {@code profile:NAME}, that profile of the AWS shared credentials and config files
 *       ({@code AWS_SHARED_CREDENTIALS_FILE} and {@code AWS_CONFIG_FILE}, else {@code
 *       ~/.aws/credentials} and {@code ~/.aws/config}; checked when the site opens); otherwise a
 *       prefix {@code P} of environment variables {@code P_ACCESS_KEY_ID}, {@code
 *       P_SECRET_ACCESS_KEY} and optionally {@code P_SESSION_TOKEN}. Secrets never appear in logs
 *       or messages, and neither does a reference that resolves to nothing (no such variable or
 *       profile): it may be a secret pasted in.
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
      return profile(site, ref.substring(PROFILE_PREFIX.length()));
    }
    String alternatives = "; or use '" + PROFILE_PREFIX + "NAME', '" + NO_CREDENTIALS + "', or omit it for the AWS "
        + "SDK's default chain";
    if (ref.startsWith("/") || ref.startsWith("./") || ref.startsWith("../") || ref.startsWith("~/")) {
      throw new IllegalArgumentException("site " + site.name() + ": credentialsRef '" + ref + "' is a file path, "
          + "which a vast site does not read; name the prefix P of environment variables P_ACCESS_KEY_ID and "
          + "P_SECRET_ACCESS_KEY" + alternatives);
    }
    String keyId = environment.apply(ref + "_ACCESS_KEY_ID");
    String secret = environment.apply(ref + "_SECRET_ACCESS_KEY");
    String token = environment.apply(ref + "_SESSION_TOKEN");
    if (isBlank(keyId) || isBlank(secret)) {
      if (isBlank(keyId) && isBlank(secret) && isBlank(token)) {
        // resolves to nothing: it may be a secret pasted in, so it is not shown
        throw new IllegalArgumentException("site " + site.name() + ": credentialsRef (a value of " + ref.length()
            + " characters, not shown: no environment variable it names is set, and a reference that resolves to "
            + "nothing may be a secret pasted in) needs the environment variables <credentialsRef>_ACCESS_KEY_ID and "
            + "<credentialsRef>_SECRET_ACCESS_KEY" + alternatives);
      }
      throw new IllegalArgumentException("site " + site.name() + ": credentialsRef '" + ref + "' needs the "
          + "environment variables " + ref + "_ACCESS_KEY_ID and " + ref + "_SECRET_ACCESS_KEY, but "
          + (isBlank(keyId) ? ref + "_ACCESS_KEY_ID" : ref + "_SECRET_ACCESS_KEY") + " is not set" + alternatives);
    }
    return StaticCredentialsProvider.create(isBlank(token)
        ? AwsBasicCredentials.create(keyId.trim(), secret.trim())
        : AwsSessionCredentials.create(keyId.trim(), secret.trim(), token.trim()));
  }

  private static boolean isBlank(@Nullable String value) {
    return value == null || value.isBlank();
  }

  /**
   * {@code profile:NAME}: that profile of the AWS shared credentials and config files, which must
   * exist when the site opens (a name that resolves to nothing is not shown).
   */
  private AwsCredentialsProvider profile(SiteConfig site, String name) {
    Path home = Path.of(System.getProperty("user.home"), ".aws");
    Path credentials = fileOf("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials"));
    Path config = fileOf("AWS_CONFIG_FILE", home.resolve("config"));
    ProfileFile.Aggregator files = ProfileFile.aggregator();
    if (Files.isRegularFile(config)) {
      files.addFile(ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build());
    }
    if (Files.isRegularFile(credentials)) {
      files.addFile(ProfileFile.builder().content(credentials).type(ProfileFile.Type.CREDENTIALS).build());
    }
    ProfileFile profiles = files.build();
    if (name.isBlank() || profiles.profile(name).isEmpty()) {
      throw new IllegalArgumentException("site " + site.name() + ": credentialsRef " + PROFILE_PREFIX + "NAME names no "
          + "profile of the AWS shared credentials and config files (" + credentials + ", " + config + "); the name ("
          + name.length() + " characters) is not shown, since it resolves to nothing. Add the profile there, or set "
          + "AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE to the files that hold it");
    }
    return ProfileCredentialsProvider.builder().profileFile(profiles).profileName(name).build();
  }

  private Path fileOf(String variable, Path otherwise) {
    String value = environment.apply(variable);
    return isBlank(value) ? otherwise : Path.of(value.trim());
  }
}
