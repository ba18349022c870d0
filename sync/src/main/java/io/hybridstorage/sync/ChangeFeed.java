package io.hybridstorage.sync;

import java.time.Duration;
import java.util.List;

/**
 * A source of {@link Change}s that must be acknowledged: a Cloud Pub/Sub subscription pulled, an
 * in-memory topic. The sync engine polls it, makes each change durable in its own queue (or
 * applies it), and only then {@linkplain Delivery#ack acknowledges} it; a change never
 * acknowledged is delivered again (at least once), so a process killed between the two loses
 * nothing.
 */
public interface ChangeFeed extends AutoCloseable {

  /**
   * Up to {@code max} changes, waiting at most {@code wait} for the first; an empty list when none
   * came. Messages that are not GCS object notifications are acknowledged and dropped here (logged).
   */
  List<Delivery> poll(int max, Duration wait) throws InterruptedException;

  /**
   * Acknowledges {@code deliveries} of this feed (each {@link Delivery#ack}, or one request for
   * them all where the source allows it, as a Pub/Sub subscription does).
   */
  default void acknowledge(java.util.Collection<? extends Delivery> deliveries) {
    deliveries.forEach(Delivery::ack);
  }

  /**
   * Changes known to be waiting at the feed: not yet polled, or delivered and neither acknowledged
   * nor nacked (0 when the feed cannot tell, as a Pub/Sub subscription cannot cheaply): {@link
   * SyncEngine#awaitIdle} waits for them too.
   */
  default long backlog() {
    return 0;
  }

  /** Stops pulling; unacknowledged deliveries are redelivered to another consumer. */
  @Override
  void close();

  /** One delivered change and its acknowledgement. */
  interface Delivery {

    Change change();

    /** The change is durable at the consumer: never deliver it again. */
    void ack();

    /** The consumer could not take it: deliver it again (soon). */
    void nack();
  }
}
