package io.hybridstorage.routing.internal;

import static java.util.Objects.requireNonNull;

import io.hybridstorage.routing.RoutedCall;
import io.hybridstorage.routing.RoutingListener;
import io.hybridstorage.routing.SiteCall;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A router's listeners as one {@link RoutingListener}: each event goes to every listener in the
 * order they were added; one that throws is logged and skipped, so it can neither hide the event
 * from the others nor fail the routing work that raised it. Thread-safe; listeners may be added
 * while events flow.
 */
public final class Listeners implements RoutingListener {

  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  private final List<RoutingListener> all = new CopyOnWriteArrayList<>();

  public void add(RoutingListener listener) {
    all.add(requireNonNull(listener, "listener"));
  }

  @Override
  public void journalAppended(int entries, int depth) {
    each("journalAppended", l -> l.journalAppended(entries, depth));
  }

  @Override
  public void replayed(String site, String bucket, String name, long generation, boolean skipped) {
    each("replayed", l -> l.replayed(site, bucket, name, generation, skipped));
  }

  @Override
  public void replayed(String site, String bucket, String name, long generation, boolean skipped, Duration lag) {
    each("replayed", l -> l.replayed(site, bucket, name, generation, skipped, lag));
  }

  @Override
  public void replayFailed(String site, String bucket, String name, long generation, int attempt, Throwable error) {
    each("replayFailed", l -> l.replayFailed(site, bucket, name, generation, attempt, error));
  }

  @Override
  public void conflict(String site, String bucket, String name, long lost, long won) {
    each("conflict", l -> l.conflict(site, bucket, name, lost, won));
  }

  @Override
  public void breakerStateChanged(String site, String from, String to) {
    each("breakerStateChanged", l -> l.breakerStateChanged(site, from, to));
  }

  @Override
  public void siteCallFinished(SiteCall call) {
    each("siteCallFinished", l -> l.siteCallFinished(call));
  }

  @Override
  public void retried(String site, String operation, String bucket, String object, int attempt, Throwable cause) {
    each("retried", l -> l.retried(site, operation, bucket, object, attempt, cause));
  }

  @Override
  public void routedCallFinished(RoutedCall call) {
    each("routedCallFinished", l -> l.routedCallFinished(call));
  }

  @Override
  public void syncLag(String placement, String site, Duration lag) {
    each("syncLag", l -> l.syncLag(placement, site, lag));
  }

  /** Whether no listener is registered: the router then collects no call events (they cost nothing). */
  public boolean isEmpty() {
    return all.isEmpty();
  }

  private void each(String event, Consumer<RoutingListener> call) {
    for (RoutingListener l : all) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        log.warn("routing listener {} failed on {} (ignored)", l, event, e);
      }
    }
  }
}
