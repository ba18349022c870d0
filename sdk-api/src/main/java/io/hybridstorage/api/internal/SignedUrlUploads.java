package io.hybridstorage.api.internal;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.cloud.NoCredentials;
import com.google.cloud.WriteChannel;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.hybridstorage.api.HybridStorageException;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * {@code Storage.writer(URL)}: an upload to a URL someone signed (GCS's resumable protocol, as the
 * GCS client speaks it). The URL's signature is the upload's whole authority, so:
 *
 * <ul>
 *   <li>it runs on a GCS client of its own with {@link NoCredentials}: no OAuth token, no AWS
 *       signature, nothing of the SDK's identity goes with it;
 *   <li>it goes only to an allowed endpoint (scheme, host and port): a configured site's, or one
 *       listed in the configuration's {@code signedUrlEndpoints}. Another host is refused with 403
 *       before any request; so is every later request of the upload (the session URL the server
 *       answers, a redirect) that leaves the allowed endpoints.
 * </ul>
 *
 * Errors name the URL's endpoint, never the URL (its query holds the signature). Thread-safe; the
 * client is built on first use and closed with the facade.
 */
final class SignedUrlUploads implements AutoCloseable {

  static final String OPERATION = "writer(URL)";

  private final Set<String> allowed;
  private final String projectId;
  private final Object lock = new Object();
  @Nullable private Storage client; // guarded by lock

  /**
   * @param endpoints {@code scheme://host[:port]} values uploads may go to; one that does not parse
   *     allows nothing
   */
  SignedUrlUploads(Collection<String> endpoints, String projectId) {
    Set<String> origins = new LinkedHashSet<>();
    for (String endpoint : endpoints) {
      try {
        String origin = origin(new URI(endpoint.strip()));
        if (origin != null) {
          origins.add(origin);
        }
      } catch (URISyntaxException e) {
        // allows nothing
      }
    }
    this.allowed = Set.copyOf(origins);
    this.projectId = projectId;
  }

  WriteChannel writer(URL url) {
    URI uri;
    try {
      uri = url.toURI();
    } catch (URISyntaxException e) {
      throw Errors.translate(HybridStorageException.invalid(OPERATION, null, null, null,
          "the signed URL is not a valid URI"));
    }
    String origin = origin(uri);
    if (origin == null) {
      throw Errors.translate(HybridStorageException.invalid(OPERATION, null, null, null,
          "a signed-URL upload needs an http or https URL with a host and no user info, not one of scheme '"
              + uri.getScheme() + "'"));
    }
    if (!allowed.contains(origin)) {
      throw Errors.translate(new HybridStorageException(403, "forbidden", OPERATION, null, null, null,
          origin + notAllowed(), null));
    }
    return client().writer(url);
  }

  private String notAllowed() {
    return " is not the endpoint of a configured site nor one of signedUrlEndpoints " + allowed
        + "; a signed-URL upload goes only there, without credentials (add the endpoint to "
        + "signedUrlEndpoints in the configuration to allow it)";
  }

  private Storage client() {
    synchronized (lock) {
      if (client == null) {
        NetHttpTransport transport = new NetHttpTransport.Builder().setConnectionFactory(this::connect).build();
        StorageOptions options = StorageOptions.http()
            .setProjectId(projectId)
            .setCredentials(NoCredentials.getInstance())
            .setTransportOptions(HttpTransportOptions.newBuilder().setHttpTransportFactory(() -> transport).build())
            .build();
        // built directly, not through StorageOptions.getService(): the zero-code swap would answer
        // with a hybrid facade
        client = new HttpStorageOptions.HttpStorageFactory().create(options);
      }
      return client;
    }
  }

  /** Every connection of the upload (the start, the session's PUTs, redirects) passes here. */
  private HttpURLConnection connect(URL url) throws IOException {
    String origin;
    try {
      origin = origin(url.toURI());
    } catch (URISyntaxException e) {
      origin = null;
    }
    if (origin == null || !allowed.contains(origin)) {
      throw new IOException(OPERATION + ": the upload was sent on to "
          + (origin == null ? "a URL that is not plain http(s)" : origin) + ", which" + notAllowed());
    }
    return (HttpURLConnection) url.openConnection();
  }

  /** {@code scheme://host:port}, lower case with the default port made explicit; {@code null} if none. */
  @Nullable
  static String origin(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    int defaultPort = switch (scheme) {
      case "http" -> 80;
      case "https" -> 443;
      default -> -1;
    };
    if (defaultPort < 0 || uri.getHost() == null || uri.getHost().isEmpty() || uri.getRawUserInfo() != null) {
      return null;
    }
    int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
  }

  @Override
  public void close() throws Exception {
    Storage built;
    synchronized (lock) {
      built = client;
      client = null;
    }
    if (built != null) {
      built.close();
    }
  }
}
