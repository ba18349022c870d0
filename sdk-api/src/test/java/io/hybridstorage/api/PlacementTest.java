package io.hybridstorage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Placement}: a bucket name never carries a prefix. */
class PlacementTest {

  @TempDir Path dir;

  @Test
  void aBucketWithASlashIsRefusedNamingThePrefixForm() {
    assertThatThrownBy(() -> Placement.builder("bkt/tmp/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("placement bucket 'bkt/tmp/' must not contain '/'; for a prefix of a bucket use "
            + "Placement.builder(\"bkt\").prefix(\"tmp/\")");
    assertThatThrownBy(() -> new Placement("sales/", "", List.of("gcp"), "gcp", WritePolicy.AUTHORITY_ONLY, 0,
        ReadPolicy.AUTHORITY, Consistency.STRONG, Duration.ZERO, Duration.ZERO, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Placement.builder(\"sales\").prefix(\"\")");
    Placement tmp = Placement.builder("bkt").prefix("tmp/").replicas("gcp").build();
    assertThat(tmp.id()).isEqualTo("bkt/tmp/");
    assertThat(tmp.toBuilder().build()).isEqualTo(tmp);
  }

  @Test
  void theConfigurationFilesBucketSlashPrefixFormStillWorks() throws IOException {
    Path file = dir.resolve("hybrid.yaml");
    Files.writeString(file, """
        localSite: dc1
        sites: [{name: gcp, kind: memory}, {name: dc1, kind: memory}]
        placements:
          - {bucket: sales, replicas: [gcp, dc1], authority: gcp}
          - {bucket: sales/tmp/, replicas: [dc1], authority: dc1}
          - {bucket: '*/scratch/', replicas: [dc1], authority: dc1}
        """);
    HybridStorageOptions options = HybridStorageOptions.fromFile(file);
    Placement tmp = options.placementFor("sales", "tmp/x").orElseThrow();
    assertThat(tmp.bucket()).isEqualTo("sales");
    assertThat(tmp.prefix()).isEqualTo("tmp/");
    Placement scratch = options.placementFor("other", "scratch/y").orElseThrow();
    assertThat(scratch.bucket()).isEqualTo(Placement.ANY_BUCKET);
    assertThat(scratch.prefix()).isEqualTo("scratch/");
  }
}
