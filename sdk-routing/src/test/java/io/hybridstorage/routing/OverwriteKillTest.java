package io.hybridstorage.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.WritePolicy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11, finding 4: kill -9 of a process overwriting hot keys. Three threads overwrite 20 keys
 * with dc2 cut off; the process is killed with SIGKILL after 300 acknowledgements (so writes are in
 * flight: committed at the authority with their journal entries not yet durable); a new router on
 * the same journal drains; no site may end below the newest acknowledged generation of any key.
 * Before, replay skipped an older acknowledged entry as superseded by a newer write whose own entry
 * the kill had lost. Two kills per policy here; the history suite's long profile runs 50.
 */
class OverwriteKillTest {

  @ParameterizedTest
  @EnumSource(value = WritePolicy.class, names = {"AUTHORITY_THEN_ASYNC", "QUORUM", "LOCAL_THEN_ASYNC"})
  void noSiteEndsBelowTheNewestAcknowledgedGenerationAfterSigkill(WritePolicy policy, @TempDir Path root)
      throws Exception {
    Map<String, Long> newest = new HashMap<>();
    for (int kill = 0; kill < 2; kill++) {
      killAfterAcks(root, policy, 300, newest);
    }
    Map<String, ObjectStore> sites = KillChild.sites(root, false);
    try (RoutingStore restarted = RoutingStore.create(sites,
        KillChild.options(root.resolve("journal"), policy), World.testSettings())) {
      assertThat(restarted.drain(Duration.ofSeconds(60))).as("drained").isTrue();
      String authority = policy == WritePolicy.LOCAL_THEN_ASYNC ? World.DC1 : World.GCP;
      for (Map.Entry<String, Long> e : newest.entrySet()) {
        ObjectId id = ObjectId.of("bkt", e.getKey());
        Optional<ObjectInfo> truth = sites.get(authority).head(id, Conditions.none());
        assertThat(truth).as("%s on %s", e.getKey(), authority)
            .hasValueSatisfying(i -> assertThat(i.generation()).isGreaterThanOrEqualTo(e.getValue()));
        for (String site : List.of(World.GCP, World.DC1, World.DC2)) {
          assertThat(sites.get(site).head(id, Conditions.none())).as("%s on %s (newest acknowledged %d)",
              e.getKey(), site, e.getValue())
              .hasValueSatisfying(i -> assertThat(i.generation()).isEqualTo(truth.get().generation()));
        }
      }
    }
  }

  /** Runs the child until {@code acks} acknowledgements, SIGKILLs it, and adds what it acknowledged. */
  private static void killAfterAcks(Path root, WritePolicy policy, int acks, Map<String, Long> newest)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path err = Files.createTempFile(root, "child", ".err");
    Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        OverwriteKillChild.class.getName(), root.toString(), policy.name())
        .redirectError(err.toFile())
        .start();
    int seen = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          String[] parts = line.split(" ");
          newest.merge(parts[1], Long.parseLong(parts[2]), Math::max);
          if (++seen == acks) {
            child.destroyForcibly(); // SIGKILL with writes in flight: no shutdown hook runs
            break;
          }
        }
      }
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).as("acknowledged writes; stderr: %s", Files.readString(err)).isEqualTo(acks);
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
  }
}
