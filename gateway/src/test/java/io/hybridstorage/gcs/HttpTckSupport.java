package io.hybridstorage.gcs;

import com.google.cloud.storage.Storage;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.gateway.LoopbackGateway;
import io.hybridstorage.testkit.tck.ObjectStoreTck;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The TCK over the whole real path: {@link GcsStore} → the real google-cloud-storage client → HTTP
 * (GCS's JSON API) → the JSON API gateway → an {@link InMemoryStore}, one endpoint per
 * test class. It proves GcsStore's use of the client on the wire (uploads, ranged media downloads,
 * listing, preconditions as query parameters, error bodies) without a cloud.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hung HTTP exchange must fail the test, not the build
abstract class HttpTckSupport implements ObjectStoreTck {

  private LoopbackGateway server;
  private Storage client;
  private GcsStore store;

  /** GcsStore's single-request limit: which upload path the writes take. */
  abstract int singleRequestLimit();

  @BeforeAll
  void start() {
    server = LoopbackGateway.start(new InMemoryStore("memory"));
    client = server.clientOptions().build().getService();
    store = GcsStore.builder(client).site("gcp").singleRequestLimit(singleRequestLimit()).build();
  }

  @AfterAll
  void stop() throws Exception {
    client.close();
    server.close();
  }

  @Override
  public ObjectStore store() {
    return store;
  }
}
