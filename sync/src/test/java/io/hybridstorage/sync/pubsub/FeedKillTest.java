package io.hybridstorage.sync.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.sync.ChangeFeed.Delivery;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a process pulling from {@link EmbeddedPubSub} over TCP: a child JVM pulls every
 * change, acknowledges half (printing each after its ack returned), holds the rest and is killed
 * with SIGKILL; another feed then gets exactly the unacknowledged half — none lost, none of the
 * acknowledged ones again.
 */
class FeedKillTest {

  static final String TOPIC = "projects/p/topics/gcs";
  static final String SUBSCRIPTION = "projects/p/subscriptions/sync";

  /** The child: {@code FeedKillTest$Child endpoint count}. */
  static final class Child {
    public static void main(String[] args) throws Exception {
      int count = Integer.parseInt(args[1]);
      PubSubFeed feed = PubSubFeed.builder().subscription(SUBSCRIPTION).site("gcp")
          .ackDeadline(Duration.ofSeconds(1)).transport(PubSubTransport.emulator(args[0])).build();
      int seen = 0;
      while (seen < count) {
        for (Delivery d : feed.poll(count, Duration.ofSeconds(1))) {
          if (seen++ % 2 == 0) {
            d.ack();
            System.out.println("ACKED " + d.change().name());
          } else {
            System.out.println("TAKEN " + d.change().name());
          }
          System.out.flush();
        }
      }
      System.out.println("HOLDING");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  @Test
  void nothingIsLostAndNothingAcknowledgedComesBackAfterSigkill() throws Exception {
    int n = 40;
    try (EmbeddedPubSub pubsub = EmbeddedPubSub.start()) {
      pubsub.createTopic(TOPIC);
      pubsub.createSubscription(SUBSCRIPTION, TOPIC, Duration.ofSeconds(10));
      try (PubSubSink sink = PubSubSink.builder().transport(pubsub.transport()).build()) {
        for (int i = 0; i < n; i++) {
          sink.publish(TOPIC, Notifications.attributes("OBJECT_FINALIZE", "b", "o" + i, 1, 0,
              "2026-12-07T06:00:00Z"), Notifications.payload("b", "o" + i, 1, 1, "AAAAAA=="));
        }
      }
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
          Child.class.getName(), pubsub.endpoint(), Integer.toString(n))
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      Set<String> acked = new HashSet<>();
      Set<String> taken = new HashSet<>();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null && !line.equals("HOLDING"); ) {
          (line.startsWith("ACKED ") ? acked : taken).add(line.substring(6));
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no nack
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      } finally {
        child.destroyForcibly();
      }
      assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
      assertThat(acked).hasSize(n / 2);
      assertThat(taken).hasSize(n / 2);

      try (PubSubFeed survivor = PubSubFeed.builder().subscription(SUBSCRIPTION).site("gcp")
          .transport(pubsub.transport()).build()) {
        List<Delivery> again = PubSubFeedContract.pollFor(survivor, n, Duration.ofSeconds(6));
        Set<String> names = new HashSet<>();
        again.forEach(d -> names.add(d.change().name()));
        assertThat(names).isEqualTo(taken);
        survivor.acknowledge(again);
      }
      assertThat(pubsub.awaitDrained(SUBSCRIPTION, Duration.ofSeconds(2))).isTrue();
    }
  }
}
