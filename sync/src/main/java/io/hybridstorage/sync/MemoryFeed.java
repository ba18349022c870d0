package io.hybridstorage.sync;

import static java.util.Objects.requireNonNull;

import io.hybridstorage.api.spi.NotificationSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process change feed with at-least-once delivery: GCS notifications published to it as a
 * {@link NotificationSink} (by a store that emits them, such as the embedded world's gcp site), or
 * changes {@linkplain #offer offered} directly. A delivery that is {@linkplain Delivery#nack
 * nacked} is delivered again; one neither acked nor nacked is lost with the process, as an
 * in-memory topic is. For the embedded world, tests and benchmarks; a deployment uses a Pub/Sub
 * subscription.
 */
public final class MemoryFeed implements ChangeFeed, NotificationSink {

  private static final Logger log = LoggerFactory.getLogger(MemoryFeed.class);

  private final String site;
  private final BlockingQueue<Change> changes = new LinkedBlockingQueue<>();
  /** Delivered, neither acked nor nacked. */
  private final java.util.concurrent.atomic.AtomicLong unacked = new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean closed;

  /** A feed of changes at {@code site} (the site whose notifications are published to it). */
  public MemoryFeed(String site) {
    this.site = requireNonNull(site, "site");
  }

  /** Reads a GCS notification and queues its change; a message that is not one is logged and dropped. */
  @Override
  public void publish(String topic, Map<String, String> attributes, byte[] payload) {
    try {
      GcsNotifications.toChange(site, attributes, payload, "memory").ifPresent(changes::add);
    } catch (IllegalArgumentException e) {
      log.warn("dropped a malformed notification on {}: {}", topic, e.getMessage());
    }
  }

  /** Queues a change as a feed would deliver it. */
  public void offer(Change change) {
    changes.add(requireNonNull(change, "change"));
  }

  /** Changes not yet delivered, or delivered and not yet acked or nacked. */
  @Override
  public long backlog() {
    return changes.size() + unacked.get();
  }

  @Override
  public List<Delivery> poll(int max, Duration wait) throws InterruptedException {
    List<Delivery> out = new ArrayList<>();
    if (closed) {
      return out;
    }
    Change first = changes.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    if (first == null) {
      return out;
    }
    List<Change> batch = new ArrayList<>();
    batch.add(first);
    changes.drainTo(batch, max - 1);
    unacked.addAndGet(batch.size());
    for (Change c : batch) {
      out.add(new Delivery() {
        @Override
        public Change change() {
          return c;
        }

        private final java.util.concurrent.atomic.AtomicBoolean settled =
            new java.util.concurrent.atomic.AtomicBoolean();

        @Override
        public void ack() {
          if (settled.compareAndSet(false, true)) {
            unacked.decrementAndGet();
          }
        }

        @Override
        public void nack() {
          if (settled.compareAndSet(false, true)) {
            changes.add(c);
            unacked.decrementAndGet();
          }
        }
      });
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "MemoryFeed(" + site + ")";
  }
}
