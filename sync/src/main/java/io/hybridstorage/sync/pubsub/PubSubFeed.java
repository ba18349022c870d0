package io.hybridstorage.sync.pubsub;

import static java.util.Objects.requireNonNull;

import com.google.api.core.ApiFuture;
import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.DeadlineExceededException;
import com.google.cloud.pubsub.v1.stub.GrpcSubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStubSettings;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.ModifyAckDeadlineRequest;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.ReceivedMessage;
import io.hybridstorage.sync.Change;
import io.hybridstorage.sync.ChangeFeed;
import io.hybridstorage.sync.GcsNotifications;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChangeFeed} over a Cloud Pub/Sub subscription that receives a GCS bucket's notifications,
 * pulled <em>synchronously</em> through google-cloud-pubsub's {@link SubscriberStub} ({@code Pull},
 * {@code Acknowledge}, {@code ModifyAckDeadline}) rather than the streaming {@code Subscriber},
 * because a message may be acknowledged only after the sync engine made its change durable: the
 * engine holds each {@link Delivery} and {@linkplain Delivery#ack acks} it then, or {@linkplain
 * Delivery#nack nacks} it (deadline 0: delivered again soon). A delivery neither acked nor nacked
 * is delivered again once its ack deadline passes — a process killed with {@code kill -9} loses
 * nothing.
 *
 * <p>Messages that are not object notifications (a {@code TEST_NOTIFICATION}, no {@code
 * eventType}) are acknowledged and dropped, logged at DEBUG; malformed ones (a generation that is
 * not a number, a payload that is not JSON) are poison: logged at WARN with the message id and
 * acknowledged, since Pub/Sub would deliver them forever otherwise ({@link #poison()} counts them).
 *
 * <p>Several feeds (several sync processes) on one subscription share its messages: Pub/Sub hands
 * each message to one puller at a time and redelivers to any puller what one did not acknowledge.
 * Pub/Sub is at least once and unordered: a change may come twice or after a later one; {@link
 * Change}s are hints and the engine reconciles, so that is harmless.
 *
 * <p>Not thread-safe for concurrent {@link #poll}s (use one feed per polling thread); {@link
 * Delivery#ack}/{@link Delivery#nack} may be called from any thread.
 */
public final class PubSubFeed implements ChangeFeed {

  private static final Logger log = LoggerFactory.getLogger(PubSubFeed.class);

  /** Pub/Sub accepts at most this many messages per pull. */
  public static final int MAX_MESSAGES_LIMIT = 1000;

  /** Ack ids per Acknowledge/ModifyAckDeadline request (the request must stay under 512 KB). */
  private static final int ACK_BATCH = 1000;

  /** The shortest pull a poll makes, so {@code poll(n, ZERO)} still asks the server once. */
  private static final Duration MIN_PULL = Duration.ofMillis(100);

  private final String subscription;
  private final String site;
  private final String origin;
  private final int maxMessages;
  @Nullable private final Duration ackDeadline;
  private final PubSubTransport.Open transport;
  private final SubscriberStub stub;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong poison = new AtomicLong();
  private final AtomicLong ackFailures = new AtomicLong();
  private final AtomicLong unsettled = new AtomicLong();
  private volatile boolean closed;

  private PubSubFeed(Builder b) throws IOException {
    this.subscription = PubSubTransport.fullName(b.project, b.subscription, "subscriptions");
    this.site = b.site;
    this.origin = b.origin;
    this.maxMessages = b.maxMessages;
    this.ackDeadline = b.ackDeadline;
    this.transport = b.transport.open();
    try {
      SubscriberStubSettings.Builder settings = SubscriberStubSettings.newBuilder();
      if (transport.channels() != null) {
        settings.setTransportChannelProvider(transport.channels());
      }
      if (transport.credentials() != null) {
        settings.setCredentialsProvider(transport.credentials());
      }
      if (!b.transport.plaintext() && b.transport.endpoint() != null) {
        settings.setEndpoint(b.transport.endpoint());
      }
      this.stub = GrpcSubscriberStub.create(settings.build());
    } catch (IOException | RuntimeException e) {
      transport.close();
      throw e;
    }
  }

  /** A builder; {@link Builder#subscription} and {@link Builder#site} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The subscription pulled ({@code projects/P/subscriptions/S}). */
  public String subscription() {
    return subscription;
  }

  /**
   * Pulls up to {@code min(max, maxMessages)} messages, waiting up to {@code wait} for the first
   * (at least one pull is made, even with a zero wait), and returns the object changes among them.
   * Non-notification and poison messages are acknowledged here and not returned, so the list may be
   * shorter than what was pulled, and empty although messages came.
   *
   * @throws InterruptedException when interrupted (the pull is cancelled; what it would have
   *     returned is delivered again after its deadline)
   * @throws ApiException when Pub/Sub refused the pull (NOT_FOUND subscription, PERMISSION_DENIED,
   *     UNAVAILABLE after the client's retries), with the subscription in the message
   */
  @Override
  public List<Delivery> poll(int max, Duration wait) throws InterruptedException {
    if (max <= 0) {
      throw new IllegalArgumentException("max (" + max + ") must be positive");
    }
    if (closed) {
      throw new IllegalStateException("PubSubFeed on " + subscription + " is closed");
    }
    long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
    PullRequest request = PullRequest.newBuilder()
        .setSubscription(subscription)
        .setMaxMessages(Math.min(max, maxMessages))
        .build();
    boolean first = true;
    while (true) {
      long remaining = deadline - System.nanoTime();
      if (!first && remaining <= 0) {
        return List.of();
      }
      first = false;
      Duration timeout = Duration.ofNanos(Math.max(remaining, MIN_PULL.toNanos()));
      PullResponse response = pull(request, timeout);
      if (response != null && response.getReceivedMessagesCount() > 0) {
        List<Delivery> deliveries = read(response.getReceivedMessagesList());
        if (!deliveries.isEmpty()) {
          return deliveries;
        }
      }
    }
  }

  /**
   * Acknowledges several deliveries of this feed in as few requests as possible (the engine's
   * batch path; {@link Delivery#ack} sends one request per delivery).
   */
  @Override
  public void acknowledge(Collection<? extends Delivery> deliveries) {
    List<String> ids = new ArrayList<>(deliveries.size());
    for (Delivery d : deliveries) {
      if (!(d instanceof PubSubDelivery p) || p.feed() != this) {
        throw new IllegalArgumentException(d + " was not delivered by the feed on " + subscription);
      }
      if (p.settle()) {
        unsettled.decrementAndGet();
        ids.add(p.ackId());
      }
    }
    ack(ids);
  }

  /** Changes returned by {@link #poll}. */
  public long delivered() {
    return delivered.get();
  }

  /** Messages acknowledged and dropped because they were not object notifications. */
  public long dropped() {
    return dropped.get();
  }

  /** Malformed notifications acknowledged and dropped (logged at WARN). */
  public long poison() {
    return poison.get();
  }

  /**
   * Changes this feed delivered that were neither acknowledged nor nacked yet (a delivery whose
   * deadline passed still counts: the engine holds it). What waits in the subscription undelivered
   * is not known here (Pub/Sub cannot tell it cheaply; Cloud Monitoring's {@code
   * num_undelivered_messages} can).
   */
  @Override
  public long backlog() {
    return unsettled.get();
  }

  /** Acknowledge or nack requests that failed (the messages are then delivered again). */
  public long ackFailures() {
    return ackFailures.get();
  }

  /** Stops pulling; what is neither acked nor nacked is delivered again after its ack deadline. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stub.shutdown();
    try {
      if (!stub.awaitTermination(5, TimeUnit.SECONDS)) {
        stub.shutdownNow();
      }
    } catch (InterruptedException e) {
      stub.shutdownNow();
      Thread.currentThread().interrupt();
    }
    transport.close();
  }

  @Override
  public String toString() {
    return "PubSubFeed(" + subscription + " -> " + site + ")";
  }

  @Nullable
  private PullResponse pull(PullRequest request, Duration timeout) throws InterruptedException {
    ApiFuture<PullResponse> future = stub.pullCallable()
        .futureCall(request, GrpcCallContext.createDefault().withTimeoutDuration(timeout));
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (CancellationException e) {
      return null;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof DeadlineExceededException) {
        return null; // nothing came within the wait
      }
      if (e.getCause() instanceof ApiException api) {
        log.warn("pull from {} failed: {}", subscription, api.getStatusCode().getCode());
        throw api;
      }
      throw new IllegalStateException("pull from " + subscription + " failed", e.getCause());
    }
  }

  private List<Delivery> read(List<ReceivedMessage> messages) {
    List<Delivery> out = new ArrayList<>(messages.size());
    List<String> drop = new ArrayList<>();
    List<String> keep = new ArrayList<>();
    for (ReceivedMessage m : messages) {
      Optional<Change> change;
      try {
        change = GcsNotifications.toChange(site, m.getMessage().getAttributesMap(),
            m.getMessage().getData().toByteArray(), origin);
      } catch (IllegalArgumentException e) {
        poison.incrementAndGet();
        log.warn("poison message {} on {} acknowledged and dropped: {}",
            m.getMessage().getMessageId(), subscription, e.getMessage());
        drop.add(m.getAckId());
        continue;
      }
      if (change.isEmpty()) {
        dropped.incrementAndGet();
        log.debug("message {} on {} is not an object notification (eventType={}): dropped",
            m.getMessage().getMessageId(), subscription,
            m.getMessage().getAttributesMap().get("eventType"));
        drop.add(m.getAckId());
        continue;
      }
      out.add(new PubSubDelivery(this, m.getAckId(), m.getMessage().getMessageId(),
          m.getDeliveryAttempt(), change.get()));
      keep.add(m.getAckId());
    }
    ack(drop);
    if (ackDeadline != null && !keep.isEmpty()) {
      modify(keep, (int) ackDeadline.toSeconds());
    }
    delivered.addAndGet(out.size());
    unsettled.addAndGet(out.size());
    return out;
  }

  void ack(List<String> ackIds) {
    for (int i = 0; i < ackIds.size(); i += ACK_BATCH) {
      List<String> part = ackIds.subList(i, Math.min(ackIds.size(), i + ACK_BATCH));
      try {
        stub.acknowledgeCallable().call(AcknowledgeRequest.newBuilder()
            .setSubscription(subscription).addAllAckIds(part).build());
      } catch (ApiException e) {
        ackFailures.incrementAndGet();
        log.warn("acknowledging {} messages on {} failed ({}); they will be delivered again",
            part.size(), subscription, e.getStatusCode().getCode());
      }
    }
  }

  void modify(List<String> ackIds, int seconds) {
    for (int i = 0; i < ackIds.size(); i += ACK_BATCH) {
      List<String> part = ackIds.subList(i, Math.min(ackIds.size(), i + ACK_BATCH));
      try {
        stub.modifyAckDeadlineCallable().call(ModifyAckDeadlineRequest.newBuilder()
            .setSubscription(subscription).addAllAckIds(part).setAckDeadlineSeconds(seconds).build());
      } catch (ApiException e) {
        ackFailures.incrementAndGet();
        log.warn("setting the ack deadline of {} messages on {} to {} s failed ({})", part.size(),
            subscription, seconds, e.getStatusCode().getCode());
      }
    }
  }

  /** One pulled change; settles once (a second ack or nack does nothing). */
  private static final class PubSubDelivery implements Delivery {
    private final PubSubFeed feed;
    private final String ackId;
    private final String messageId;
    private final int attempt;
    private final Change change;
    private final AtomicBoolean settled = new AtomicBoolean();

    PubSubDelivery(PubSubFeed feed, String ackId, String messageId, int attempt, Change change) {
      this.feed = feed;
      this.ackId = ackId;
      this.messageId = messageId;
      this.attempt = attempt;
      this.change = change;
    }

    PubSubFeed feed() {
      return feed;
    }

    String ackId() {
      return ackId;
    }

    boolean settle() {
      return settled.compareAndSet(false, true);
    }

    @Override
    public Change change() {
      return change;
    }

    @Override
    public void ack() {
      if (settle()) {
        feed.unsettled.decrementAndGet();
        feed.ack(List.of(ackId));
      }
    }

    @Override
    public void nack() {
      if (settle()) {
        feed.unsettled.decrementAndGet();
        feed.modify(List.of(ackId), 0);
      }
    }

    @Override
    public String toString() {
      return change + " (message " + messageId + (attempt > 0 ? ", attempt " + attempt : "") + ")";
    }
  }

  /** Settings of a {@link PubSubFeed}. */
  public static final class Builder {
    private String project;
    private String subscription;
    private String site;
    private String origin = "pubsub";
    private int maxMessages = 100;
    @Nullable private Duration ackDeadline;
    private PubSubTransport transport = PubSubTransport.cloud();

    private Builder() {}

    /** The project of a short subscription name. */
    public Builder project(String project) {
      this.project = requireNonNull(project, "project");
      return this;
    }

    /** The subscription: {@code projects/P/subscriptions/S} or a short name in {@link #project}. */
    public Builder subscription(String subscription) {
      this.subscription = requireNonNull(subscription, "subscription");
      return this;
    }

    /** The site whose bucket's notifications the subscription receives (the GCS site). */
    public Builder site(String site) {
      this.site = requireNonNull(site, "site");
      return this;
    }

    /** How to reach Pub/Sub (default: the service with Application Default Credentials). */
    public Builder transport(PubSubTransport transport) {
      this.transport = requireNonNull(transport, "transport");
      return this;
    }

    /** The most messages one pull asks for (1..1000, default 100). */
    public Builder maxMessages(int maxMessages) {
      if (maxMessages < 1 || maxMessages > MAX_MESSAGES_LIMIT) {
        throw new IllegalArgumentException(
            "maxMessages (" + maxMessages + ") must be in 1.." + MAX_MESSAGES_LIMIT);
      }
      this.maxMessages = maxMessages;
      return this;
    }

    /**
     * The ack deadline set on every pulled change right after the pull (whole seconds, 1..600),
     * instead of the subscription's: how long the engine may take before a change it neither acked
     * nor nacked is delivered again. Default: the subscription's.
     */
    public Builder ackDeadline(Duration ackDeadline) {
      long s = ackDeadline.toSeconds();
      if (s < 1 || s > 600 || ackDeadline.toNanos() % 1_000_000_000L != 0) {
        throw new IllegalArgumentException(
            "ackDeadline (" + ackDeadline + ") must be whole seconds in 1..600");
      }
      this.ackDeadline = ackDeadline;
      return this;
    }

    /** {@link Change#origin()} of the changes (default {@code pubsub}). */
    public Builder origin(String origin) {
      this.origin = requireNonNull(origin, "origin");
      return this;
    }

    /**
     * The feed, connected (channels are opened lazily by gRPC).
     *
     * @throws IllegalArgumentException when the subscription or site is missing, or a short
     *     subscription name has no project
     * @throws UncheckedIOException when the client could not be created (credentials)
     */
    public PubSubFeed build() {
      if (subscription == null) {
        throw new IllegalArgumentException("subscription is required");
      }
      if (site == null || site.isEmpty()) {
        throw new IllegalArgumentException("site is required (the site whose bucket notifies "
            + subscription + ")");
      }
      try {
        return new PubSubFeed(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the Pub/Sub subscriber for " + subscription, e);
      }
    }
  }
}
