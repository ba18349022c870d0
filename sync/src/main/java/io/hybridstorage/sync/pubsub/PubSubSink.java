package io.hybridstorage.sync.pubsub;

import static java.util.Objects.requireNonNull;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.api.gax.batching.BatchingSettings;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import io.hybridstorage.api.spi.NotificationSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link NotificationSink} that publishes each notification to Cloud Pub/Sub through
 * google-cloud-pubsub's {@link Publisher} (one per topic, created on first use): the attributes as
 * message attributes, the payload as message data — the message GCS itself would publish, so a
 * {@link PubSubFeed} or a push subscription reads it alike.
 *
 * <p>{@link #publish} does not block: the publisher batches ({@link Builder#batching}) and sends on
 * its own threads; a publish that fails is logged (topic, bucket, object; never credentials) and
 * counted ({@link #failures()}) — GCS notifications are at least once and not transactional with
 * the change either, and the scan feed catches what a lost notification missed. {@link #flush}
 * waits for everything published so far; {@link #close} flushes and shuts the publishers down.
 *
 * <pre>{@code
 * try (PubSubSink sink = PubSubSink.builder().project("p")
 *     .transport(PubSubTransport.emulator("localhost:8085")).build()) {
 *   sink.publish("gcs-changes", attributes, payload);
 * }
 * }</pre>
 */
public final class PubSubSink implements NotificationSink, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PubSubSink.class);

  private final String project;
  private final PubSubTransport.Open transport;
  @Nullable private final String endpoint;
  @Nullable private final BatchingSettings batching;
  private final Duration closeTimeout;
  private final Map<String, Publisher> publishers = new ConcurrentHashMap<>();
  private final Set<ApiFuture<String>> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean closed;

  private PubSubSink(Builder b) {
    this.project = b.project;
    this.endpoint = b.transport.plaintext() ? null : b.transport.endpoint();
    this.batching = b.batching;
    this.closeTimeout = b.closeTimeout;
    this.transport = b.transport.open();
  }

  /** A builder; {@link Builder#project} is needed for short topic names. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Publishes one notification to {@code topic} ({@code projects/P/topics/T}, {@code
   * //pubsub.googleapis.com/projects/P/topics/T} or a short name in this sink's project).
   *
   * @throws IllegalArgumentException when {@code topic} is not a topic name
   * @throws IllegalStateException after {@link #close}
   */
  @Override
  public void publish(String topic, Map<String, String> attributes, byte[] payload) {
    requireNonNull(attributes, "attributes");
    if (closed) {
      throw new IllegalStateException("PubSubSink is closed: cannot publish to " + topic);
    }
    String name = PubSubTransport.fullName(project, requireNonNull(topic, "topic"), "topics");
    Publisher publisher = publishers.computeIfAbsent(name, this::newPublisher);
    PubsubMessage message = PubsubMessage.newBuilder()
        .putAllAttributes(attributes)
        .setData(payload == null ? ByteString.EMPTY : ByteString.copyFrom(payload))
        .build();
    ApiFuture<String> future = publisher.publish(message);
    inFlight.add(future);
    ApiFutures.addCallback(future, new ApiFutureCallback<>() {
      @Override
      public void onSuccess(String messageId) {
        inFlight.remove(future);
        published.incrementAndGet();
      }

      @Override
      public void onFailure(Throwable t) {
        inFlight.remove(future);
        failures.incrementAndGet();
        log.warn("publishing the notification {} gs://{}/{}#{} to {} failed: {}",
            attributes.get("eventType"), attributes.get("bucketId"), attributes.get("objectId"),
            attributes.get("objectGeneration"), name, t.toString());
      }
    }, MoreExecutors.directExecutor());
  }

  /**
   * Sends what the publishers batched and waits until every notification published so far was
   * accepted by Pub/Sub or failed (then logged and counted).
   *
   * @throws InterruptedException when interrupted while waiting
   * @throws UncheckedIOException when they did not complete within {@code timeout}
   */
  public void flush(Duration timeout) throws InterruptedException {
    publishers.values().forEach(Publisher::publishAllOutstanding);
    List<ApiFuture<String>> pending = new ArrayList<>(inFlight);
    try {
      ApiFutures.successfulAsList(pending).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("unexpected: successfulAsList failed", e);
    } catch (TimeoutException e) {
      throw new UncheckedIOException(new IOException(pending.size()
          + " notifications not acknowledged by Pub/Sub within " + timeout, e));
    }
  }

  /** Notifications Pub/Sub accepted (a message id came back). */
  public long published() {
    return published.get();
  }

  /** Notifications that could not be published (logged). */
  public long failures() {
    return failures.get();
  }

  /** Flushes and shuts every publisher down (waiting up to the close timeout for each). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Map.Entry<String, Publisher> e : publishers.entrySet()) {
      Publisher publisher = e.getValue();
      publisher.shutdown();
      try {
        if (!publisher.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("the publisher of {} did not terminate within {}; unsent notifications are lost",
              e.getKey(), closeTimeout);
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    transport.close();
  }

  private Publisher newPublisher(String topic) {
    try {
      Publisher.Builder b = Publisher.newBuilder(TopicName.parse(topic));
      if (transport.channels() != null) {
        b.setChannelProvider(transport.channels());
      }
      if (transport.credentials() != null) {
        b.setCredentialsProvider(transport.credentials());
      }
      if (endpoint != null) {
        b.setEndpoint(endpoint);
      }
      if (batching != null) {
        b.setBatchingSettings(batching);
      }
      return b.build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a Pub/Sub publisher for " + topic, e);
    }
  }

  /** Settings of a {@link PubSubSink}. */
  public static final class Builder {
    private String project;
    private PubSubTransport transport = PubSubTransport.cloud();
    @Nullable private BatchingSettings batching;
    private Duration closeTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** The project of short topic names. */
    public Builder project(String project) {
      this.project = requireNonNull(project, "project");
      return this;
    }

    /** How to reach Pub/Sub (default: the service with Application Default Credentials). */
    public Builder transport(PubSubTransport transport) {
      this.transport = requireNonNull(transport, "transport");
      return this;
    }

    /**
     * The publishers' batching (count, bytes, delay threshold); default: google-cloud-pubsub's
     * (in 1.148: 100 messages, 1000 bytes or 1 ms, whichever comes first).
     */
    public Builder batching(BatchingSettings batching) {
      this.batching = requireNonNull(batching, "batching");
      return this;
    }

    /** How long {@link #close} waits for each publisher to send what it holds (default 30 s). */
    public Builder closeTimeout(Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("closeTimeout (" + timeout + ") must not be negative");
      }
      this.closeTimeout = timeout;
      return this;
    }

    public PubSubSink build() {
      if (project != null && project.isEmpty()) {
        throw new IllegalArgumentException("project must not be empty");
      }
      return new PubSubSink(this);
    }
  }
}
