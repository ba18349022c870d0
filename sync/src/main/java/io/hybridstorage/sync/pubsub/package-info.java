/**
 * Cloud Pub/Sub for the sync: {@link io.hybridstorage.sync.pubsub.PubSubSink} publishes GCS
 * notifications (the embedded world's and the gateway's {@code NotificationSink}) to a topic;
 * {@link io.hybridstorage.sync.pubsub.PubSubFeed} pulls a subscription synchronously as a {@code
 * ChangeFeed}, acknowledging a change only when the engine says it is durable; {@link
 * io.hybridstorage.sync.pubsub.PushEndpoint} receives a push subscription over HTTP and answers
 * 204 only after {@code ChangeQueue.put} returned. {@link
 * io.hybridstorage.sync.pubsub.PubSubTransport} says how both reach Pub/Sub (the service, another
 * endpoint, an emulator).
 */
package io.hybridstorage.sync.pubsub;
