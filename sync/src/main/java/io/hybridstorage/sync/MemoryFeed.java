package io.hybridstorage.sync;

import static java.util.Objects.requireNonNull;

import io.hybridstorage.api.spi.NotificationSink;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  /** Guards {@link #changes} and {@link #unacked}: a change is always in one of them until settled. */
  private final Object lock = new Object();
  private final ArrayDeque<Change> changes = new ArrayDeque<>();
  /** Delivered, neither acked nor nacked. */
  private long unacked;
  private volatile boolean closed;

  /** A feed of changes at {@code site} (the site whose notifications are published to it). */
  public MemoryFeed(String site) {
    this.site = requireNonNull(site, "site");
  }

  /** Reads a GCS notification and queues its change; a message that is not one is logged and dropped. */
  @Override
  public void publish(String topic, Map<String, String> attributes, byte[] payload) {
    try {
      GcsNotifications.toChange(site, attributes, payload, "memory").ifPresent(this::offer);
    } catch (IllegalArgumentException e) {
      log.warn("dropped a malformed notification on {}: {}", topic, e.getMessage());
    }
  }

  /** Queues a change as a feed would deliver it. */
  public void offer(Change change) {
    requireNonNull(change, "change");
    synchronized (lock) {
      changes.add(change);
      lock.notifyAll();
    }
  }

  /** Changes not yet delivered, or delivered and not yet acked or nacked. */
  @Override
  public long backlog() {
    synchronized (lock) {
      return changes.size() + unacked;
    }
  }

  @Override
  public List<Delivery> poll(int max, Duration wait) throws InterruptedException {
    List<Change> batch = new ArrayList<>();
    synchronized (lock) {
      long deadline = System.nanoTime() + wait.toNanos();
      while (changes.isEmpty() && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return List.of();
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      while (!changes.isEmpty() && batch.size() < max) {
        batch.add(changes.poll());
      }
      unacked += batch.size(); // in the same step as leaving the queue: never counted in neither
    }
    List<Delivery> out = new ArrayList<>(batch.size());
    for (Change c : batch) {
      out.add(new Delivery() {
        private boolean settled;

        @Override
        public Change change() {
          return c;
        }

        @Override
        public void ack() {
          synchronized (lock) {
            if (!settled) {
              settled = true;
              unacked--;
            }
          }
        }

        @Override
        public void nack() {
          synchronized (lock) {
            if (!settled) {
              settled = true;
              unacked--;
              changes.add(c);
              lock.notifyAll();
            }
          }
        }
      });
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  @Override
  public String toString() {
    return "MemoryFeed(" + site + ")";
  }
}
