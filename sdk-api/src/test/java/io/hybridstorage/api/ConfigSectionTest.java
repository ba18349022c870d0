package io.hybridstorage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.spi.RouterProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A section sdk-api carries for another module (the router's {@code routing:}): typed readers,
 * messages naming key, value and what is allowed, and every problem reported at once with the
 * file. The readers' forms are shared with site properties (SiteConfigPropertiesTest).
 */
class ConfigSectionTest {

  private static ConfigSection routing(Map<String, String> values) {
    return new ConfigSection("routing", "/etc/hybrid.yaml (named by test)", values);
  }

  @Test
  void typedReadersTakeTheFormsOfTheFile() {
    ConfigSection s = routing(Map.of("t", " 250ms ", "n", "64", "rate", "12.5", "size", "8MiB", "flag", "FALSE",
        "blank", " "));
    assertThat(s.duration("t", null)).isEqualTo(Duration.ofMillis(250));
    assertThat(s.wholeNumber("n", 0)).isEqualTo(64);
    assertThat(s.decimal("rate", 0)).isEqualTo(12.5);
    assertThat(s.decimal("n", 0)).isEqualTo(64);
    assertThat(s.size("size", 0)).isEqualTo(8L << 20);
    assertThat(s.flag("flag", true)).isFalse();
    assertThat(s.text("t", null)).isEqualTo("250ms");
    // absent or blank: the reader's default
    assertThat(s.wholeNumber("blank", 7)).isEqualTo(7);
    assertThat(s.decimal("absent", 50)).isEqualTo(50);
    assertThat(s.duration("absent", Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void badValuesNameTheSectionKeyValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> routing(Map.of("rate", "50%")).decimal("rate", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("routing.rate ('50%') must be a number");
    assertThatThrownBy(() -> routing(Map.of("rate", "50f")).decimal("rate", 0)).hasMessageContaining("a number");
    assertThatThrownBy(() -> routing(Map.of("rate", "NaN")).decimal("rate", 0)).hasMessageContaining("a number");
    assertThatThrownBy(() -> routing(Map.of("n", "4.5")).wholeNumber("n", 0))
        .hasMessage("routing.n ('4.5') must be a whole number");
    assertThatThrownBy(() -> routing(Map.of("t", "-1s")).duration("t", null))
        .hasMessage("routing.t ('-1s') must be a duration (250ms, 1.5s, 5m or ISO-8601)");
    assertThatThrownBy(() -> routing(Map.of("size", "8MB")).size("size", 0))
        .hasMessage("routing.size ('8MB') must be a size (bytes, or with KiB, MiB, GiB, TiB)");
    assertThat(routing(Map.of("n", "0")).mustBe("n", "a whole number >= 1"))
        .isEqualTo("routing.n ('0') must be a whole number >= 1");
  }

  @Test
  void unknownKeysListTheValidOnesInFileOrder() {
    ConfigSection s = new ConfigSection("routing", "f", new java.util.LinkedHashMap<>(Map.of("zeta", "1")));
    assertThat(s.unknownKeys(List.of("callTimeout", "retryAttempts"))).containsExactly(
        "routing.zeta: unknown key; valid keys here: callTimeout, retryAttempts");
    assertThat(routing(Map.of("callTimeout", "1s")).unknownKeys(List.of("callTimeout"))).isEmpty();
  }

  @Test
  void problemsAreReportedTogetherWithTheFile() {
    ConfigSection s = routing(Map.of());
    s.requireNoProblems(List.of());
    assertThatThrownBy(() -> s.requireNoProblems(List.of("routing.a: one", "routing.b: two")))
        .isInstanceOfSatisfying(HybridStorageConfigException.class, e -> {
          assertThat(e.source()).isEqualTo("/etc/hybrid.yaml (named by test)");
          assertThat(e.problems()).containsExactly("routing.a: one", "routing.b: two");
        });
  }

  @Test
  void valuesAreCopiedAndNullsRefused() {
    Map<String, String> values = new java.util.HashMap<>(Map.of("a", "1"));
    ConfigSection s = routing(values);
    values.put("b", "2");
    assertThat(s.values()).containsOnlyKeys("a");
    values.put("c", null);
    assertThatThrownBy(() -> routing(values)).isInstanceOf(NullPointerException.class).hasMessage("routing.c");
    assertThat(ConfigSection.empty("routing").isEmpty()).isTrue();
  }

  @Test
  void theBuilderCarriesARoutingSectionOnlyWithSeveralSites() {
    HybridStorageOptions o = HybridStorageOptions.inMemoryThreeSites().routing(Map.of("callTimeout", "5s")).build();
    assertThat(o.routing().values()).containsExactly(Map.entry("callTimeout", "5s"));
    assertThat(o.routing().origin()).contains("HybridStorageOptions.Builder.routing");
    assertThat(o.toString()).contains("routing={callTimeout=5s}");
    assertThat(o.toBuilder().routing(Map.of()).build().routing().isEmpty()).isTrue();
    assertThatThrownBy(() -> HybridStorageOptions.newBuilder().site(SiteConfig.memory("dc1", Duration.ZERO))
        .routing(Map.of("callTimeout", "5s")).build())
        .hasMessageContaining("routing: tunes the router, which only runs with several sites");
  }

  /** A router that does not override check() takes no settings: it refuses them rather than ignore them. */
  @Test
  void aRouterWithoutSettingsRefusesARoutingSection() {
    RouterProvider router = (sites, options) -> {
      throw new AssertionError("not called");
    };
    router.check(HybridStorageOptions.inMemoryThreeSites().build());
    HybridStorageOptions tuned = HybridStorageOptions.inMemoryThreeSites().routing(Map.of("callTimeout", "5s"))
        .build();
    assertThatThrownBy(() -> router.check(tuned))
        .isInstanceOfSatisfying(HybridStorageConfigException.class, e -> assertThat(e.problems()).singleElement()
            .asString().startsWith("routing.callTimeout: unknown key; ").endsWith(" takes no routing settings"));
  }
}
