package io.hybridstorage.sync.pubsub;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The round trip against the official Pub/Sub emulator (skipped where the Cloud SDK's {@code
 * pubsub-emulator} component is not installed): what {@link EmbeddedPubSubFeedTest} shows against
 * the embedded server holds against the real implementation.
 */
class EmulatorPubSubFeedTest extends PubSubFeedContract {

  private static PubSubEmulator emulator;

  @BeforeAll
  static void start() throws Exception {
    Optional<Path> jar = PubSubEmulator.jar();
    assumeTrue(jar.isPresent(), "the Pub/Sub emulator (gcloud component pubsub-emulator) is not installed");
    emulator = PubSubEmulator.start(jar.get());
  }

  @AfterAll
  static void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Override
  String endpoint() {
    return emulator.endpoint();
  }
}
