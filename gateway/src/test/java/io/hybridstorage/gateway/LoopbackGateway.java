package io.hybridstorage.gateway;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.StorageOptions;
import io.hybridstorage.api.ObjectStore;
import java.time.Duration;

/**
 * The gateway over one store on a free loopback port, open to anonymous calls, and the real
 * google-cloud-storage client's options pointed at it: what the tests of GcsStore over HTTP, the
 * fidelity tests and the gateway's own tests use (the testkit's JDK-HttpServer fixture is gone).
 */
public final class LoopbackGateway implements AutoCloseable {

  private final Gateway gateway;

  private LoopbackGateway(Gateway gateway) {
    this.gateway = gateway;
  }

  /** The gateway over {@code store}, which it closes when it closes. */
  public static LoopbackGateway start(ObjectStore store) {
    return new LoopbackGateway(Gateway.builder(store).allowAnonymous().stopTimeout(Duration.ofSeconds(1)).owning(store::close).start());
  }

  public static LoopbackGateway of(Gateway gateway) {
    return new LoopbackGateway(gateway);
  }

  public Gateway gateway() {
    return gateway;
  }

  /** {@code http://127.0.0.1:port}, for {@code StorageOptions.setHost}. */
  public String endpoint() {
    return gateway.endpoint().toString();
  }

  /** Options of the real client pointed at the gateway, without credentials. */
  public StorageOptions.Builder clientOptions() {
    return StorageOptions.http()
        .setServiceFactory(new HttpStorageOptions.HttpStorageFactory()) // the real client, swap or not
        .setHost(endpoint())
        .setProjectId("test-project")
        .setCredentials(NoCredentials.getInstance());
  }

  @Override
  public void close() {
    gateway.close();
  }
}
