package io.hybridstorage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.cli.CliHarness.Result;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configured VAST endpoint that refuses connections (a closed local port): the real transport
 * failure, through the AWS SDK, maps to exit 3; a site's settings its provider refuses map to 2.
 */
class UnreachableEndpointTest {

  @TempDir Path dir;

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private Path config(String dc2) throws Exception {
    Path config = dir.resolve("vast.yaml");
    Files.writeString(config, String.join("\n",
        "localSite: dc1",
        "sites:",
        "  - {name: gcp, kind: memory, latency: 20ms}",
        "  - {name: dc1, kind: memory, latency: 1ms}",
        "  - " + dc2,
        "placements:",
        "  - {bucket: \"*\", replicas: [gcp, dc1, dc2], authority: gcp, write: DUAL_WRITE_SYNC, "
            + "read: NEAREST_VERIFIED, consistency: STRONG, failWritesWhenReplicaDown: false}",
        "routing: {callTimeout: 2s, retryAttempts: 1}",
        ""));
    return config;
  }

  private static String vast(String endpoint) {
    return "{name: dc2, kind: vast, endpoint: \"" + endpoint + "\", credentialsRef: none, latency: 30ms, "
        + "properties: {region: us-east-1, pathStyle: true, conditionalWrites: emulated, maxAttempts: 1}}";
  }

  @Test
  void statusAndSitesExitThreeWhenAnEndpointRefusesConnections() throws Exception {
    Path config = config(vast("http://127.0.0.1:" + closedPort() + "/"));
    try (CliHarness cli = new CliHarness(dir)) {
      Result status = cli.runRaw(false, "--config", config.toString(), "status");
      assertThat(status.exit()).as(status.out() + status.err()).isEqualTo(Exits.UNREACHABLE);
      assertThat(status.out().lines().filter(l -> l.startsWith("dc2 ")).findFirst().orElseThrow())
          .contains("vast").contains("NO");
      assertThat(status.out()).contains("Connection refused");

      cli.runRaw(false, "--config", config.toString(), "mb", "gs://sales");
      Result sites = cli.runRaw(false, "--config", config.toString(), "sites", "gs://sales/a.csv");
      assertThat(sites.exit()).as(sites.out() + sites.err()).isEqualTo(Exits.UNREACHABLE);
    }
  }

  @Test
  void aCallThatOnlyAnUnreachableSiteCanServeExitsThree() throws Exception {
    Path single = dir.resolve("single.yaml");
    Files.writeString(single, "sites:\n  - " + vast("http://127.0.0.1:" + closedPort() + "/") + "\n");
    try (CliHarness cli = new CliHarness(dir)) {
      Result ls = cli.runRaw(false, "--config", single.toString(), "ls", "gs://sales");
      assertThat(ls.exit()).as(ls.out() + ls.err()).isEqualTo(Exits.UNREACHABLE);
      assertThat(ls.err()).contains("127.0.0.1");
    }
  }

  @Test
  void settingsTheProviderRefusesAreAConfigurationErrorNamingTheSite() throws Exception {
    Path config = config(vast("http://user:secret@127.0.0.1:1/"));
    try (CliHarness cli = new CliHarness(dir)) {
      Result status = cli.runRaw(false, "--config", config.toString(), "status");
      assertThat(status.exit()).isEqualTo(Exits.USAGE);
      assertThat(status.err()).contains("dc2").doesNotContain("secret").doesNotContain("Usage:");
    }
  }
}
