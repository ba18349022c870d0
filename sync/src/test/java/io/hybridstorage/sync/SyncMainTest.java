package io.hybridstorage.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.gateway.Gateway;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.vast.SyncS3Mock;
import io.hybridstorage.vast.VastStore;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The sync process's command line, run in this JVM: --once over a gateway-fronted gcp and VAST on S3Mock; errors. */
class SyncMainTest {

  @TempDir
  Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = SyncMain.command(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void onceScansAppliesAndReportsAsJson() throws Exception {
    String bucket = SyncS3Mock.bucketName("once");
    try (InMemoryStore gcp = new InMemoryStore("gcp");
         Gateway gateway = Gateway.builder(gcp).allowAnonymous().start();
         VastStore dc1 = SyncS3Mock.store("dc1")) {
      gcp.createBucket(BucketSpec.of(bucket));
      dc1.createBucket(BucketSpec.of(bucket));
      for (int i = 0; i < 30; i++) {
        gcp.write(WriteRequest.of(bucket, "bq/export-" + i), new ByteArrayInputStream(("row " + i).getBytes()));
      }
      Path config = dir.resolve("hybrid.yaml");
      Files.writeString(config, """
          sites:
            - {name: gcp, kind: gcs, endpoint: '%s', credentialsRef: none}
            - name: dc1
              kind: vast
              endpoint: '%s'
              credentialsRef: none
              properties: {region: us-east-1, conditionalWrites: emulated, tombstoneBucket: hs-tombstones-dc1}
          journalDirectory: %s
          placements:
            - {bucket: %s, replicas: [gcp, dc1], authority: gcp, write: authority-only, read: authority, consistency: strong}
          sync:
            rules:
              - {placement: %s, include: ["bq/**"]}
          """.formatted(gateway.endpoint(), SyncS3Mock.endpoint(), dir.resolve("journal"), bucket, bucket));
      Run r = run("--config", config.toString(), "--once", "--state", dir.resolve("state").toString());
      assertThat(r.code()).as(r.err()).isZero();
      JsonNode report = new ObjectMapper().readTree(r.out());
      assertThat(report.get("queued").asInt()).isEqualTo(30);
      assertThat(report.get("pending").asInt()).isZero();
      assertThat(report.get("lag").get(0).get("site").asText()).isEqualTo("dc1");
      assertThat(report.get("lag").get(0).get("count").asLong()).isEqualTo(30);
      for (int i = 0; i < 30; i++) {
        assertThat(dc1.head(ObjectId.of(bucket, "bq/export-" + i), Conditions.none())).isPresent();
      }
      Run again = run("--config", config.toString(), "--once", "--state", dir.resolve("state").toString());
      assertThat(new ObjectMapper().readTree(again.out()).get("queued").asInt()).as("nothing differs").isZero();
    }
  }

  @Test
  void aFileWithoutSyncSectionIsAUsageErrorNamingIt() throws Exception {
    Path config = dir.resolve("plain.yaml");
    Files.writeString(config, """
        sites:
          - {name: gcp, kind: memory}
          - {name: dc1, kind: memory}
        placements:
          - {bucket: lake, replicas: [gcp, dc1], authority: gcp, write: authority-only, read: authority, consistency: strong}
        """);
    Run r = run("--config", config.toString(), "--once");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(config.toAbsolutePath().toString()).contains("sync: missing");
    assertThat(run("--bogus").code()).isEqualTo(2);
  }
}
