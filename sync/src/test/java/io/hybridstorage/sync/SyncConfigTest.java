package io.hybridstorage.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.HybridStorageConfigException;
import io.hybridstorage.api.HybridStorageOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncConfigTest {

  private static final String WORLD = """
      sites:
        - {name: gcp, kind: memory}
        - {name: dc1, kind: memory}
        - {name: dc2, kind: memory}
      placements:
        - {bucket: lake, replicas: [gcp, dc1, dc2], authority: gcp, write: authority-only, read: authority, consistency: strong}
        - {bucket: lake/tmp/, replicas: [gcp, dc1], authority: gcp, write: authority-only, read: authority, consistency: strong}
        - {bucket: '*', replicas: [gcp], authority: gcp, write: authority-only, read: authority, consistency: strong}
      """;

  private static Path file(Path dir, String sync) throws Exception {
    Path f = dir.resolve("hybrid.yaml");
    Files.writeString(f, WORLD + sync);
    return f;
  }

  @Test
  void readsRulesWindowsAndSettingsFromTheSdksFile(@TempDir Path dir) throws Exception {
    Path f = file(dir, """
        sync:
          state: %s
          workers: 3
          scanInterval: 90s
          partition: 1
          partitions: 4
          rules:
            - placement: lake
              prefix: sales/
              include: ["sales/dt=*/**"]
              window: {partitionKey: dt, within: 7d}
            - placement: lake/tmp/
              window: {updatedWithin: 1h}
          pubsub: {project: p, subscription: s, site: gcp}
        """.formatted(dir.resolve("state")));
    HybridStorageOptions options = HybridStorageOptions.fromFile(f);
    SyncConfig c = SyncConfig.load(f, options);
    assertThat(c.workers()).isEqualTo(3);
    assertThat(c.scanInterval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.partition()).isEqualTo(1);
    assertThat(c.partitions()).isEqualTo(4);
    assertThat(c.stateDirectory()).isEqualTo(dir.resolve("state"));
    assertThat(c.pubsub().text("subscription", null)).isEqualTo("s");
    HotSetRule sales = c.rules().get(0);
    assertThat(sales.sites()).containsExactly("dc1", "dc2");
    assertThat(sales.authority()).isEqualTo("gcp");
    assertThat(sales.covers("lake", "sales/dt=2030-01-01/p0")).isTrue();
    assertThat(sales.covers("lake", "sales/README")).isFalse();
    assertThat(sales.covers("other", "sales/dt=2030-01-01/p0")).isFalse();
    Instant now = Instant.parse("2030-01-10T12:00:00Z");
    assertThat(sales.isHot("sales/dt=2030-01-03/p0", null, now)).isTrue();
    assertThat(sales.isHot("sales/dt=2030-01-02/p0", null, now)).isFalse();
    assertThat(sales.isHot("sales/dt=garbage/p0", null, now)).isFalse();
    HotSetRule tmp = c.rules().get(1);
    assertThat(tmp.sites()).containsExactly("dc1");
    assertThat(tmp.isHot("tmp/x", now.minusSeconds(1800), now)).isTrue();
    assertThat(tmp.isHot("tmp/x", now.minusSeconds(7200), now)).isFalse();
    assertThat(c.ruleFor("lake", "tmp/x")).contains(tmp);
    assertThat(c.ruleFor("lake", "sales/dt=2030-01-01/a")).contains(sales);
    assertThat(c.ruleFor("lake", "elsewhere")).isEmpty();
  }

  @Test
  void everyProblemIsNamedWithItsKeyAndTheFile(@TempDir Path dir) throws Exception {
    Path f = file(dir, """
        sync:
          workerz: 3
          rules:
            - placement: nosuch
            - placement: '*'
            - placement: lake/tmp/
              prefix: elsewhere/
            - placement: lake
              window: {partitionKey: dt}
            - placement: lake
              include: ["[oops"]
            - placement: lake
              sites: [dc9]
        """);
    HybridStorageOptions options = HybridStorageOptions.fromFile(f);
    assertThatThrownBy(() -> SyncConfig.load(f, options))
        .isInstanceOfSatisfying(HybridStorageConfigException.class, e -> {
          assertThat(e.getMessage()).contains(f.toAbsolutePath().toString());
          assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("sync.workerz: unknown key"))
              .anySatisfy(p -> assertThat(p).startsWith("sync.rules[0].placement: no placement 'nosuch'"))
              .anySatisfy(p -> assertThat(p).startsWith("sync.rules[1].placement: '*' covers every bucket"))
              .anySatisfy(p -> assertThat(p).startsWith("sync.rules[2].prefix: 'elsewhere/' is outside"))
              .anySatisfy(p -> assertThat(p).startsWith("sync.rules[3].window: write {partitionKey"))
              .anySatisfy(p -> assertThat(p).startsWith("sync.rules[4].include: '[oops' is not a glob"))
              .anySatisfy(p -> assertThat(p).startsWith("sync.rules[5].sites: no site 'dc9'"));
        });
    Path none = dir.resolve("none.yaml");
    Files.writeString(none, WORLD);
    assertThatThrownBy(() -> SyncConfig.load(none, HybridStorageOptions.fromFile(none)))
        .isInstanceOf(HybridStorageConfigException.class).hasMessageContaining("sync: missing");
  }
}
