package io.hybridstorage.sync.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Names and settings that must fail early, naming the value. */
class PubSubTransportTest {

  @Test
  void shortAndFullNames() {
    assertThat(PubSubTransport.fullName("p", "t", "topics")).isEqualTo("projects/p/topics/t");
    assertThat(PubSubTransport.fullName(null, "projects/q/topics/t", "topics")).isEqualTo("projects/q/topics/t");
    assertThat(PubSubTransport.fullName(null, "//pubsub.googleapis.com/projects/q/topics/t", "topics"))
        .isEqualTo("projects/q/topics/t");
    assertThat(PubSubTransport.fullName("p", "s", "subscriptions")).isEqualTo("projects/p/subscriptions/s");
  }

  @Test
  void badNamesNameTheValue() {
    assertThatThrownBy(() -> PubSubTransport.fullName(null, "t", "topics"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'t'").hasMessageContaining("project");
    assertThatThrownBy(() -> PubSubTransport.fullName("p", "projects/p/subscriptions/s", "topics"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("projects/p/subscriptions/s");
    assertThatThrownBy(() -> PubSubTransport.fullName("p", "a/b", "topics"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a/b");
  }

  @Test
  void settingsFailAtBuild() {
    assertThatThrownBy(() -> PubSubFeed.builder().site("gcp").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subscription");
    assertThatThrownBy(() -> PubSubFeed.builder().subscription("projects/p/subscriptions/s").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("site");
    assertThatThrownBy(() -> PubSubFeed.builder().maxMessages(1001))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMessages (1001)");
    assertThatThrownBy(() -> PubSubFeed.builder().ackDeadline(Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ackDeadline (PT1.5S)");
    assertThatThrownBy(() -> PushEndpoint.builder().site("gcp").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queue");
    assertThatThrownBy(() -> new PubSubTransport(null, true, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoint");
  }
}
