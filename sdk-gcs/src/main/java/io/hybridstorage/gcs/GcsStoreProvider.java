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
 *       never logged or put in an error message.
 *   <li>properties {@code projectId} (default: the options' project id) and {@code
 *       singleRequestLimit} (bytes sent in one request at commit, default {@value
 *       GcsStore#DEFAULT_SINGLE_REQUEST_LIMIT}).
 * </ul>
 */
public final class GcsStoreProvider implements StoreProvider {

  public static final String KIND = "gcs";
  public static final String NO_CREDENTIALS = "none";
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

  Credentials credentials(SiteConfig site) {
    String ref = site.credentialsRef();
    try {
      if (ref == null || ref.isBlank()) {
        return GoogleCredentials.getApplicationDefault();
      }
      if (NO_CREDENTIALS.equals(ref)) {
        return NoCredentials.getInstance();
      }
      String fromEnv = environment.apply(ref);
      if (fromEnv != null && !fromEnv.isBlank()) {
        if (fromEnv.trim().startsWith("{")) {
          return load(new ByteArrayInputStream(fromEnv.getBytes(StandardCharsets.UTF_8)));
        }
        return loadFile(site, Path.of(fromEnv.trim()), "the file named by environment variable " + ref);
      }
      Path path = Path.of(ref);
      if (Files.isRegularFile(path)) {
        return loadFile(site, path, "file " + ref);
      }
      throw new IllegalArgumentException("site " + site.name() + ": credentialsRef '" + ref
          + "' is neither a set environment variable nor a readable file; use '" + NO_CREDENTIALS
          + "' for no credentials, or omit it for Application Default Credentials");
    } catch (IOException e) {
      throw new IllegalArgumentException("site " + site.name() + ": cannot load the credentials of credentialsRef '"
          + ref + "': " + e.getClass().getSimpleName(), e);
    }
  }

  private static Credentials loadFile(SiteConfig site, Path path, @Nullable String what) throws IOException {
    if (!Files.isReadable(path)) {
      throw new IllegalArgumentException("site " + site.name() + ": credentials " + what + " (" + path
          + ") is not readable");
    }
    try (InputStream in = Files.newInputStream(path)) {
      return load(in);
    }
  }

  private static Credentials load(InputStream in) throws IOException {
    return GoogleCredentials.fromStream(in);
  }
}
