package io.hybridstorage.memory;

import static java.util.Objects.requireNonNull;

import io.hybridstorage.api.NotificationConfig;
import io.hybridstorage.api.spi.NotificationSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In-memory Pub/Sub topics for GCS notifications: the sink of the embedded world and of tests. It
 * keeps every message published, per topic, for inspection ({@link #messages(String)}), and hands
 * each one once to a consumer ({@link #take}, {@link #poll}, {@link #drain}), like one
 * subscription per topic. Topics are named {@code projects/P/topics/T}; a name given with {@code
 * //pubsub.googleapis.com/} means the same topic.
 *
 * <p>Thread-safe: publishers and consumers may be any threads. Each instance is separate (no
 * static state); nothing is ever dropped, so a test that publishes without consuming holds every
 * message in memory.
 */
public final class InMemoryNotificationSink implements NotificationSink {

  /**
   * One published message.
   *
   * @param sequence its order among all messages of this sink, from 1
   */
  public record Message(String topic, Map<String, String> attributes, byte[] payload, long sequence) {

    public Message {
      requireNonNull(topic, "topic");
      attributes = Map.copyOf(attributes);
      payload = payload.clone();
    }

    /** The payload (a copy). */
    @Override
    public byte[] payload() {
      return payload.clone();
    }

    /** The payload as UTF-8 text (the JSON of {@code JSON_API_V1}, empty for {@code NONE}). */
    public String payloadText() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** An attribute, or null. */
    public String attribute(String name) {
      return attributes.get(name);
    }

    /** {@code eventType gs://bucket/object#generation}: what a test failure should show. */
    @Override
    public String toString() {
      return "#" + sequence + " " + topic + " " + attributes.get("eventType") + " gs://" + attributes.get("bucketId")
          + "/" + attributes.get("objectId") + "#" + attributes.get("objectGeneration") + " " + attributes;
    }
  }

  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, List<Message>> published = new ConcurrentHashMap<>();
  private final Map<String, BlockingQueue<Message>> pending = new ConcurrentHashMap<>();

  /** Records the message and queues it for the topic's consumer. Never blocks. */
  @Override
  public void publish(String topic, Map<String, String> attributes, byte[] payload) {
    String name = name(topic);
    List<Message> all = published.computeIfAbsent(name, t -> new ArrayList<>());
    synchronized (all) { // the sequence and both lists in one order
      Message m = new Message(name, attributes, payload, sequence.incrementAndGet());
      all.add(m);
      queue(name).add(m);
    }
  }

  /** Every message published to {@code topic} so far, consumed or not, in order. */
  public List<Message> messages(String topic) {
    List<Message> all = published.get(name(topic));
    if (all == null) {
      return List.of();
    }
    synchronized (all) {
      return List.copyOf(all);
    }
  }

  /** Every message published so far, all topics, in publishing order. */
  public List<Message> messages() {
    List<Message> out = new ArrayList<>();
    for (String topic : published.keySet()) {
      out.addAll(messages(topic));
    }
    out.sort(java.util.Comparator.comparingLong(Message::sequence));
    return out;
  }

  /** The next message of {@code topic} not yet consumed, waiting for one. */
  public Message take(String topic) throws InterruptedException {
    return queue(name(topic)).take();
  }

  /** The next message of {@code topic} not yet consumed, waiting up to {@code timeout}; empty if none came. */
  public Optional<Message> poll(String topic, Duration timeout) throws InterruptedException {
    return Optional.ofNullable(queue(name(topic)).poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
  }

  /** Every message of {@code topic} not yet consumed, consuming them; without waiting. */
  public List<Message> drain(String topic) {
    List<Message> out = new ArrayList<>();
    queue(name(topic)).drainTo(out);
    return out;
  }

  /** Messages of {@code topic} published and not yet consumed. */
  public int pending(String topic) {
    return queue(name(topic)).size();
  }

  /** Forgets every message, consumed or not. */
  public void clear() {
    for (List<Message> all : published.values()) {
      synchronized (all) {
        all.clear();
      }
    }
    pending.values().forEach(BlockingQueue::clear);
  }

  private BlockingQueue<Message> queue(String topic) {
    return pending.computeIfAbsent(topic, t -> new LinkedBlockingQueue<>());
  }

  private static String name(String topic) {
    requireNonNull(topic, "topic");
    return topic.startsWith(NotificationConfig.PUBSUB_PREFIX)
        ? topic.substring(NotificationConfig.PUBSUB_PREFIX.length()) : topic;
  }

  @Override
  public String toString() {
    return "InMemoryNotificationSink" + published.keySet();
  }
}
