package io.hybridstorage.gcs;

import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.StorageOptions;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.spi.StoreProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.annotation.Nullable;

/**
 * Opens {@link GcsStore}s for sites of kind {@value #KIND} (registered in {@code
 * META-INF/services}).
 *
 * <p>Site settings:
 *
 * <ul>
 *   <li>{@code endpoint}: the JSON API host ({@code StorageOptions.setHost}); default GCS's.
 *   <li>{@code credentialsRef}: {@code none} for no credentials (emulators, tests); the name of an
 *       environment variable holding the path of a service-account JSON file (or the JSON
 *       itself); or a path to such a file. Absent: Application Default Credentials. The secret is
 *       never logged or put in an error message, nor is the value of the variable, nor a
 *       reference that resolves to nothing (it may be a secret pasted in). {@code profile:NAME}
 *       (an AWS profile) is for vast sites and refused here.
 *   <li>properties {@code projectId} (default: the options' project id) and {@code
 *       singleRequestLimit} (bytes sent in one request at commit, default {@value
 *       GcsStore#DEFAULT_SINGLE_REQUEST_LIMIT}).
 * </ul>
 */
public final class GcsStoreProvider implements StoreProvider {

  public static final String KIND = "gcs";
  public static final String NO_CREDENTIALS = "none";
  /** The AWS-profile form of a reference, which only vast sites take. */
  static final String PROFILE_PREFIX = "profile:";
  static final List<String> PROPERTIES = List.of("projectId", "singleRequestLimit");

  private final UnaryOperator<String> environment;

  public GcsStoreProvider() {
    this(System::getenv);
  }

  GcsStoreProvider(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public ObjectStore open(SiteConfig site, HybridStorageOptions options) {
    site.checkProperties(PROPERTIES);
    Map<String, String> props = site.properties();
    // The factory is set explicitly: with hybrid storage's zero-code swap on, a default-built
    // client would be the hybrid facade itself, not GCS.
    StorageOptions.Builder b = StorageOptions.http()
        .setServiceFactory(new HttpStorageOptions.HttpStorageFactory())
        .setProjectId(props.getOrDefault("projectId", options.projectId()))
        .setCredentials(credentials(site));
    if (site.endpoint() != null && !site.endpoint().isBlank()) {
      b.setHost(site.endpoint());
    }
    int limit = site.intProperty("singleRequestLimit", GcsStore.DEFAULT_SINGLE_REQUEST_LIMIT);
    return GcsStore.builder(b.build().getService())
        .site(site.name())
        .singleRequestLimit(limit)
        .ownsStorage(true)
        .build();
  }

  /**
   * The credentials {@code site.credentialsRef()} names. An error shows the reference only when it
   * is a path or a set environment variable, and never the variable's value (it may be the JSON,
   * or an encoded key, rather than a path).
   */
  Credentials credentials(SiteConfig site) {
    String ref = site.credentialsRef();
    if (ref == null || ref.isBlank()) {
      try {
        return GoogleCredentials.getApplicationDefault();
      } catch (IOException e) {
        throw new IllegalArgumentException("site " + site.name() + ": no credentialsRef, and Application Default "
            + "Credentials cannot be loaded: " + e.getClass().getSimpleName(), e);
      }
    }
    ref = ref.trim();
    if (NO_CREDENTIALS.equals(ref)) {
      return NoCredentials.getInstance();
    }
    String alternatives = "; use '" + NO_CREDENTIALS + "' for no credentials, or omit it for Application Default "
        + "Credentials";
    if (ref.startsWith(PROFILE_PREFIX)) {
      throw new IllegalArgumentException("site " + site.name() + ": credentialsRef " + PROFILE_PREFIX + "NAME names a "
          + "profile of the AWS shared credentials files, which only vast sites read; a gcs site takes the name of an "
          + "environment variable holding a service-account JSON or its path, or a file path" + alternatives);
    }
    String fromEnv = environment.apply(ref);
    if (fromEnv != null && !fromEnv.isBlank()) {
      String variable = "environment variable " + ref + " (credentialsRef)";
      if (fromEnv.trim().startsWith("{")) {
        return load(site, new ByteArrayInputStream(fromEnv.getBytes(StandardCharsets.UTF_8)), "the service-account "
            + "JSON in " + variable);
      }
      Path file = readableFile(fromEnv.trim());
      if (file == null) {
        throw new IllegalArgumentException("site " + site.name() + ": " + variable + " holds neither service-account "
            + "JSON nor the path of a readable file (its value, " + fromEnv.length() + " characters, is not shown)");
      }
      return loadFile(site, file, "the file named by " + variable + " (" + file + ")");
    }
    boolean pathLike = ref.startsWith("/") || ref.startsWith("./") || ref.startsWith("../") || ref.startsWith("~/");
    Path file = readableFile(ref);
    if (file != null) {
      return loadFile(site, file, "file " + ref);
    }
    if (pathLike) {
      throw new IllegalArgumentException("site " + site.name() + ": credentialsRef '" + ref + "' names no readable "
          + "file" + alternatives);
    }
    // resolves to nothing: it may be a secret pasted in, so it is not shown
    throw new IllegalArgumentException("site " + site.name() + ": credentialsRef (a value of " + ref.length()
        + " characters, not shown: it is neither a set environment variable nor a readable file, and a reference "
        + "that resolves to nothing may be a secret pasted in) must name an environment variable holding a "
        + "service-account JSON or its path, or a file" + alternatives);
  }

  /** {@code value} as the path of a readable regular file; null when it is not one (or no path at all). */
  @Nullable
  private static Path readableFile(String value) {
    try {
      Path path = Path.of(value);
      return Files.isRegularFile(path) && Files.isReadable(path) ? path : null;
    } catch (InvalidPathException e) {
      return null; // its message would repeat the value
    }
  }

  private static Credentials loadFile(SiteConfig site, Path path, String what) {
    try (InputStream in = Files.newInputStream(path)) {
      return load(site, in, what);
    } catch (IOException e) {
      throw new IllegalArgumentException("site " + site.name() + ": cannot read " + what + ": "
          + e.getClass().getSimpleName(), e);
    }
  }

  private static Credentials load(SiteConfig site, InputStream in, String what) {
    try {
      return GoogleCredentials.fromStream(in);
    } catch (IOException | RuntimeException e) {
      // the parser's message may quote the JSON: only the kind of failure is named
      throw new IllegalArgumentException("site " + site.name() + ": cannot load the credentials of " + what + ": "
          + e.getClass().getSimpleName() + " (not a service-account or authorized-user JSON?)");
    }
  }

}
