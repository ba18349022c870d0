package io.hybridstorage.gateway;

import com.google.cloud.storage.Storage;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.spi.Notifications;
import io.hybridstorage.gcs.GcsStore;
import io.hybridstorage.memory.InMemoryNotificationSink;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.tck.NotificationsTester;
import io.hybridstorage.testkit.tck.Suppress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The notifications contract over HTTP with the real google-cloud-storage client: changes through
 * {@link GcsStore} (the client's uploads, rewrites, composes, patches and deletes), configurations
 * through {@code Storage.createNotification} and the rest, both against a gateway emitting into an
 * {@link InMemoryNotificationSink}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@Suppress(test = "configurationCallsOnAMissingBucketAre404", reason = "the GCS client turns every 404 of "
    + "notifications.get and .delete into null and false, so through it a missing bucket looks like a missing "
    + "configuration; GatewayNotificationsTest checks the gateway's 404s over raw HTTP")
@Suppress(test = "aTopicNotOfTheFormProjectsTopicsIs400", reason = "the GCS client refuses such a topic itself "
    + "(ValidationException) before sending; GatewayNotificationsTest sends it over raw HTTP and gets the 400")
class GatewayNotificationsTckTest implements NotificationsTester {

  private final InMemoryNotificationSink sink = new InMemoryNotificationSink();
  private Gateway gateway;
  private Storage client;
  private GcsStore store;
  private ClientNotifications notifications;

  @BeforeAll
  void start() {
    InMemoryStore memory = new InMemoryStore("gcp");
    gateway = Gateway.builder(memory).allowAnonymous().stopTimeout(Duration.ofSeconds(1)).owning(memory::close)
        .notificationSink(sink).start();
    client = LoopbackGateway.of(gateway).clientOptions().build().getService();
    store = GcsStore.builder(client).site("gcp").build();
    notifications = new ClientNotifications(client);
  }

  @AfterAll
  void stop() throws Exception {
    client.close();
    gateway.close();
  }

  @Override
  public ObjectStore store() {
    return store;
  }

  @Override
  public Notifications notifications() {
    return notifications;
  }

  @Override
  public InMemoryNotificationSink sink() {
    return sink;
  }
}
