package io.hybridstorage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed site properties every StoreProvider reads, and their errors naming site and key. */
class SiteConfigPropertiesTest {

  private static SiteConfig site(Map<String, String> properties) {
    return new SiteConfig("dc1", "vast", "https://vast1:443", null, Duration.ZERO, properties);
  }

  @Test
  void sizesTakeBytesOrBinaryUnits() {
    SiteConfig s = site(Map.of("a", "123", "b", "512KiB", "c", "16MiB", "d", "2GiB", "e", "1TiB", "f", " 7 MiB "));
    assertThat(s.sizeProperty("a", 0)).isEqualTo(123);
    assertThat(s.sizeProperty("b", 0)).isEqualTo(512L * 1024);
    assertThat(s.sizeProperty("c", 0)).isEqualTo(16L << 20);
    assertThat(s.sizeProperty("d", 0)).isEqualTo(2L << 30);
    assertThat(s.sizeProperty("e", 0)).isEqualTo(1L << 40);
    assertThat(s.sizeProperty("f", 0)).isEqualTo(7L << 20);
    assertThat(s.sizeProperty("absent", 42)).isEqualTo(42);
    assertThatThrownBy(() -> site(Map.of("p", "16MB")).sizeProperty("p", 0))
        .hasMessage("site dc1: properties.p ('16MB') must be a size (bytes, or with KiB, MiB, GiB, TiB)");
    assertThatThrownBy(() -> site(Map.of("p", "-1")).sizeProperty("p", 0)).hasMessageContaining("properties.p");
    assertThatThrownBy(() -> site(Map.of("p", "99999999999TiB")).sizeProperty("p", 0))
        .hasMessageContaining("fits 63 bits");
  }

  @Test
  void durationsNumbersAndBooleans() {
    SiteConfig s = site(Map.of("t", "1.5s", "iso", "PT2M", "n", "8", "yes", "TRUE", "no", "false"));
    assertThat(s.durationProperty("t", null)).isEqualTo(Duration.ofMillis(1500));
    assertThat(s.durationProperty("iso", null)).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.durationProperty("absent", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.intProperty("n", 0)).isEqualTo(8);
    assertThat(s.booleanProperty("yes", false)).isTrue();
    assertThat(s.booleanProperty("no", true)).isFalse();
    assertThat(s.booleanProperty("absent", true)).isTrue();
    assertThat(s.stringProperty("absent", null)).isNull();
    assertThatThrownBy(() -> site(Map.of("t", "soon")).durationProperty("t", null))
        .hasMessageContaining("site dc1: properties.t ('soon') must be a duration");
    assertThatThrownBy(() -> site(Map.of("n", "eight")).intProperty("n", 0))
        .hasMessage("site dc1: properties.n ('eight') must be a whole number");
    assertThatThrownBy(() -> site(Map.of("b", "yes")).booleanProperty("b", false))
        .hasMessage("site dc1: properties.b ('yes') must be true or false");
  }

  @Test
  void unknownPropertiesAreNamedWithTheKnownOnes() {
    site(Map.of("partSize", "1")).checkProperties(List.of("partSize", "region"));
    assertThatThrownBy(() -> site(Map.of("partSise", "1", "regoin", "x")).checkProperties(List.of("region", "partSize")))
        .hasMessage("site dc1: unknown properties [partSise, regoin] for kind vast; known: [partSize, region]");
  }

  /**
   * A SiteConfig built in code passes no loader: its toString (which logs and assertion messages
   * use) shows a credentialsRef only when it is none or a file path, never something that may be
   * a secret pasted in.
   */
  @Test
  void toStringNeverShowsACredentialsRefThatMayBeASecret() {
    String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    SiteConfig pasted = new SiteConfig("dc1", "vast", "https://vast1:443", secret, Duration.ZERO, Map.of());
    assertThat(pasted.toString()).contains("dc1").contains("credentialsRef=(40 characters, not shown)")
        .doesNotContain("EXAMPLEKEY");
    assertThat(new SiteConfig("gcp", "gcs", null, "/etc/hybrid/sa.json", Duration.ZERO, Map.of()).toString())
        .contains("credentialsRef=/etc/hybrid/sa.json");
    assertThat(new SiteConfig("gcp", "gcs", null, "none", Duration.ZERO, Map.of()).toString())
        .contains("credentialsRef=none");
  }
}
