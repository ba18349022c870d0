package io.hybridstorage.api.spi;

import java.util.Map;

/**
 * Where a store that emits GCS object-change notifications (the embedded world, the gateway)
 * publishes them: one message per change, as GCS publishes to Cloud Pub/Sub — {@code attributes}
 * as GCS sets them ({@code notificationConfig}, {@code eventType}, {@code payloadFormat}, {@code
 * bucketId}, {@code objectId}, {@code objectGeneration}, {@code eventTime}, and {@code
 * overwroteGeneration} / {@code overwrittenByGeneration} when they apply) and {@code payload} the
 * object resource in the JSON API format ({@code JSON_API_V1}) or empty ({@code NONE}).
 *
 * <p>Implementations: an in-memory topic for tests and the embedded world, a Cloud Pub/Sub
 * publisher (the sync module's {@code PubSubSink}). {@link #publish} may be called from any thread
 * and should not block for long; a failure is the emitter's to log (GCS delivers notifications at
 * least once, not transactionally with the change).
 */
@FunctionalInterface
public interface NotificationSink {

  /**
   * Publishes one notification to {@code topic} ({@code projects/P/topics/T}, or the short name
   * the notification configuration gave).
   */
  void publish(String topic, Map<String, String> attributes, byte[] payload);
}
