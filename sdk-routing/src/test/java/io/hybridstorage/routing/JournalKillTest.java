package io.hybridstorage.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 after acknowledgements: a forked JVM writes under AUTHORITY_THEN_ASYNC with the replicas
 * unreachable, is killed with SIGKILL right after printing acknowledgements, and a new router
 * opened on the same journal directory replicates every acknowledged write.
 */
class JournalKillTest {

  @Test
  void everyAcknowledgedWriteIsReplicatedAfterSigkill(@TempDir Path root) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        KillChild.class.getName(), root.toString())
        .redirectError(root.resolve("child.err").toFile())
        .start();
    Map<String, Long> acked = new LinkedHashMap<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          String[] parts = line.split(" ");
          acked.put(parts[1], Long.parseLong(parts[2]));
          if (acked.size() == 150) {
            child.destroyForcibly(); // SIGKILL right after an acknowledgement: no shutdown hook runs
            break;
          }
        }
      }
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(acked).as("child acknowledged writes; stderr: %s",
        Files.exists(root.resolve("child.err")) ? Files.readString(root.resolve("child.err")) : "").hasSize(150);
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    Map<String, ObjectStore> sites = KillChild.sites(root, false);
    for (String replica : List.of(World.DC1, World.DC2)) {
      assertThat(sites.get(replica).head(ObjectId.of("bkt", "key-0"), Conditions.none()))
          .as("nothing reached %s before the kill", replica).isEmpty();
    }
    try (RoutingStore restarted = RoutingStore.create(sites, KillChild.options(root.resolve("journal")),
        World.testSettings())) {
      assertThat(restarted.journalDepth()).as("the journal kept the acknowledged entries")
          .isGreaterThanOrEqualTo(2 * acked.size());
      assertThat(restarted.drain(Duration.ofSeconds(30))).isTrue();
      for (Map.Entry<String, Long> e : acked.entrySet()) {
        for (String site : List.of(World.GCP, World.DC1, World.DC2)) {
          assertThat(sites.get(site).head(ObjectId.of("bkt", e.getKey()), Conditions.none()))
              .as("%s on %s", e.getKey(), site)
              .hasValueSatisfying(i -> assertThat(i.generation()).isEqualTo(e.getValue()));
        }
      }
    }
  }
}
