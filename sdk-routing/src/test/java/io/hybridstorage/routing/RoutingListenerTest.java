package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.DC1;
import static io.hybridstorage.routing.World.DC2;
import static io.hybridstorage.routing.World.get;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.testkit.time.VirtualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link RoutingStore#addListener}: journal, replay and breaker events, and listeners that throw;
 * and the per-site metric getters.
 */
class RoutingListenerTest {

  /** Replays only when a test asks, so every replay event comes from the test's own replayNow. */
  static final RoutingSettings LAZY = World.testSettings().withJournal(512, Duration.ofHours(1), 2);

  /** Every event as one line, in arrival order; events arrive on routing threads, so tests wait for them. */
  static class Recorder implements RoutingListener {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void journalAppended(int entries, int depth) {
      events.add("appended " + entries + " depth " + depth);
    }

    @Override
    public void replayed(String site, String bucket, String name, long generation, boolean skipped) {
      events.add("replayed " + site + " " + bucket + "/" + name + "#" + generation + (skipped ? " skipped" : ""));
    }

    @Override
    public void replayFailed(String site, String bucket, String name, long generation, int attempt, Throwable error) {
      events.add("replayFailed " + site + " " + bucket + "/" + name + "#" + generation + " attempt " + attempt + " "
          + (error.getMessage().contains("unreachable (partition)") ? "unreachable" : error.getMessage()));
    }

    @Override
    public void breakerStateChanged(String site, String from, String to) {
      events.add("breaker " + site + " " + from + " -> " + to);
    }

    String next() throws InterruptedException {
      String event = events.poll(10, TimeUnit.SECONDS);
      assertThat(event).as("an event within 10 s").isNotNull();
      return event;
    }

    List<String> next(int n) throws InterruptedException {
      List<String> result = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        result.add(next());
      }
      return result;
    }
  }

  /** Throws from every callback: must not disturb the router nor the other listeners. */
  static final class Throwing implements RoutingListener {
    @Override
    public void journalAppended(int entries, int depth) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void replayed(String site, String bucket, String name, long generation, boolean skipped) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void replayFailed(String site, String bucket, String name, long generation, int attempt, Throwable error) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void breakerStateChanged(String site, String from, String to) {
      throw new IllegalStateException("listener bug");
    }
  }

  @Test
  void journalAndReplayEventsNameTheSiteObjectAndGeneration() throws Exception {
    RoutingSettings steadyBreaker = LAZY.withBreaker(20, 20, 100f, Duration.ofMinutes(1)); // no breaker events here
    try (World w = new World(World.placement(WritePolicy.AUTHORITY_THEN_ASYNC), Clock.systemUTC(), steadyBreaker)) {
      Recorder events = new Recorder();
      w.router.addListener(events);
      w.router.createBucket(BucketSpec.of(BUCKET));

      long g1 = put(w.router, "o", "v1").generation();
      assertThat(events.next()).as("one group commit of the two replica entries").isEqualTo("appended 2 depth 2");
      long g2 = put(w.router, "o", "v2").generation();
      assertThat(events.next()).isEqualTo("appended 2 depth 4");

      w.faults.get(DC2).partition();
      assertThat(w.router.replayNow()).isEqualTo(2);
      assertThat(events.next(3)).containsExactlyInAnyOrder(
          "replayed dc1 bkt/o#" + g1,                 // rolled forward: copies the source's live g2
          "replayed dc1 bkt/o#" + g2 + " skipped",    // dc1 holds g2 already
          "replayFailed dc2 bkt/o#" + g1 + " attempt 1 unreachable"); // g2's entry waits behind it
      assertThat(w.router.journalDepth(DC2)).isEqualTo(2);
      assertThat(w.router.replayNow()).isZero();
      assertThat(events.next()).isEqualTo("replayFailed dc2 bkt/o#" + g1 + " attempt 2 unreachable");

      w.faults.get(DC2).heal();
      assertThat(w.router.replayNow()).isEqualTo(2);
      assertThat(events.next(2)).containsExactly("replayed dc2 bkt/o#" + g1, "replayed dc2 bkt/o#" + g2 + " skipped");
      assertThat(get(w.site(DC2), "o")).isEqualTo("v2");
      assertThat(events.events).as("nothing else").isEmpty();
    }
  }

  @Test
  void breakerTransitionsReachTheListener() throws Exception {
    Placement p = World.placement(WritePolicy.AUTHORITY_ONLY).toBuilder().write(WritePolicy.DUAL_WRITE_SYNC)
        .read(ReadPolicy.NEAREST).consistency(Consistency.SESSION).build();
    VirtualClock time = VirtualClock.create();
    try (World w = new World(p, time, World.testSettings())) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "o", "v");
      Recorder events = new Recorder() {
        @Override
        public void journalAppended(int entries, int depth) {
          // the write's write-ahead entries may be reported after put returned: not this test's subject
        }
      };
      w.router.addListener(events);

      w.faults.get(DC1).partition();
      while (!w.router.isSiteOpen(DC1)) {
        assertThat(get(w.router, "o")).isEqualTo("v"); // dc1 is nearest; each read falls back to gcp
      }
      assertThat(events.next()).isEqualTo("breaker dc1 CLOSED -> OPEN");
      w.faults.get(DC1).heal();
      time.advance(World.testSettings().breakerOpenWait().plusNanos(1));
      assertThat(events.events).as("half-open comes with the first call after the open wait").isEmpty();
      assertThat(get(w.router, "o")).isEqualTo("v");
      assertThat(events.next()).as("the read is the trial call").isEqualTo("breaker dc1 OPEN -> HALF_OPEN");
      assertThat(events.next()).as("the trial read succeeded").isEqualTo("breaker dc1 HALF_OPEN -> CLOSED");
    }
  }

  @Test
  void aListenerThatThrowsDisturbsNeitherTheRouterNorTheOtherListeners() throws Exception {
    Placement p = World.placement(WritePolicy.AUTHORITY_THEN_ASYNC).toBuilder().read(ReadPolicy.NEAREST)
        .consistency(Consistency.SESSION).build();
    try (World w = new World(p, Clock.systemUTC(), LAZY)) {
      w.router.addListener(new Throwing());
      Recorder events = new Recorder();
      w.router.addListener(events);
      w.router.createBucket(BucketSpec.of(BUCKET));

      long g = put(w.router, "o", "v").generation();
      assertThat(events.next()).isEqualTo("appended 2 depth 2");
      assertThat(w.router.journalDepth()).as("the journal's count survives the throwing listener").isEqualTo(2);
      assertThat(w.router.replayNow()).isEqualTo(2);
      assertThat(events.next(2)).containsExactlyInAnyOrder("replayed dc1 bkt/o#" + g, "replayed dc2 bkt/o#" + g);
      assertThat(w.router.journalDepth()).isZero();

      w.faults.get(DC1).partition();
      while (!w.router.isSiteOpen(DC1)) {
        assertThat(get(w.router, "o")).isEqualTo("v");
      }
      assertThat(events.next()).isEqualTo("breaker dc1 CLOSED -> OPEN");
      assertThat(put(w.router, "o2", "v2").generation()).as("the router still works").isPositive();
    }
  }

  @Test
  void aNullListenerAndUnknownSiteNamesAreRefused() {
    try (World w = new World(WritePolicy.AUTHORITY_ONLY)) {
      assertThatThrownBy(() -> w.router.addListener(null)).isInstanceOf(NullPointerException.class)
          .hasMessageContaining("listener");
      // the metrics and health getters: a misspelt site must not read as "no backlog" or "closed"
      for (Runnable call : List.<Runnable>of(() -> w.router.journalDepth("dc3"), () -> w.router.journalAge("dc3"),
          () -> w.router.isSiteOpen("dc3"))) {
        assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("no site 'dc3' in this router; its sites are [gcp, dc1, dc2]");
      }
      assertThat(w.router.journalDepth(DC2)).isZero();
      assertThat(w.router.journalAge(DC2)).isZero();
      assertThat(w.router.isSiteOpen(DC2)).isFalse();
    }
  }
}
