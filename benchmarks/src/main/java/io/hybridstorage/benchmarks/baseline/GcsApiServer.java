package io.hybridstorage.benchmarks.baseline;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.StorageOptions;
import com.sun.net.httpserver.HttpServer;
import io.hybridstorage.api.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * <b>The measurement baseline of {@code GatewayBenchmark} only</b>: the removed JDK-{@code
 * HttpServer} test fixture, frozen as it was at fe72a29, defects and all (see {@code
 * package-info.java}); the rest of this comment is its original javadoc.
 *
 * <p>An embedded HTTP endpoint serving GCS's JSON API over any {@link ObjectStore}, so that the real
 * google-cloud-storage client (or any JSON API tool) can talk to an in-memory world:
 *
 * <pre>{@code
 * try (GcsApiServer server = GcsApiServer.start(new InMemoryStore("gcp"))) {
 *   Storage storage = server.clientOptions().build().getService();
 *   storage.create(BucketInfo.of("b"));
 * }
 * }</pre>
 *
 * <p>Serves buckets (insert, get, list, patch, delete) and objects: get (metadata and {@code
 * alt=media} with ranges), list, delete, patch, compose, rewrite/copy, and uploads (multipart,
 * media, resumable). Anything else answers 501 naming the call. Binds to 127.0.0.1 on a free port;
 * {@link #close()} stops it. Run the JVM with {@code -Dsun.net.httpserver.nodelay=true}, or the
 * client waits ~45 ms per call on Nagle's algorithm.
 */
public final class GcsApiServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;
  private final ApiHandler handler;
  private final String endpoint;

  private GcsApiServer(HttpServer server, ExecutorService executor, ApiHandler handler) {
    this.server = server;
    this.executor = executor;
    this.handler = handler;
    this.endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    handler.endpoint(endpoint);
  }

  /** Starts an endpoint over {@code store} on a free loopback port. */
  public static GcsApiServer start(ObjectStore store) {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "gcs-api-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      ApiHandler handler = new ApiHandler(store);
      server.createContext("/", handler);
      server.setExecutor(executor);
      server.start();
      return new GcsApiServer(server, executor, handler);
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException("cannot start the embedded GCS endpoint", e);
    }
  }

  /** {@code http://127.0.0.1:port}, for {@code StorageOptions.setHost}. */
  public String endpoint() {
    return endpoint;
  }

  /** Options of the real client pointed at this endpoint, without credentials. */
  public StorageOptions.Builder clientOptions() {
    return StorageOptions.http()
        .setServiceFactory(new HttpStorageOptions.HttpStorageFactory()) // the real client, swap or not
        .setHost(endpoint)
        .setProjectId("test-project")
        .setCredentials(NoCredentials.getInstance());
  }

  /** Stops the endpoint; open resumable uploads are abandoned (nothing of them is published). */
  @Override
  public void close() {
    server.stop(0);
    handler.abandonUploads();
    executor.shutdownNow();
  }
}
