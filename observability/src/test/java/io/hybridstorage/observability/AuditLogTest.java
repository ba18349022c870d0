package io.hybridstorage.observability;

import static io.hybridstorage.observability.ObservedWorld.BUCKET;
import static io.hybridstorage.observability.ObservedWorld.DC1;
import static io.hybridstorage.observability.ObservedWorld.DC2;
import static io.hybridstorage.observability.ObservedWorld.GCP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.SignUrlRequest;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The audit log: one JSON line per change under {@code io.hybridstorage.audit} (captured from
 * slf4j-simple, which writes to System.err and looks it up at each call), with who, what, the
 * object, the generation, the sites that acknowledged and the outcome — and never a secret.
 */
class AuditLogTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String SECRET = "s3cr3t-b34r3r-t0k3n";

  /** What {@code body} logged: every line of slf4j-simple's output. */
  static String logOf(Runnable body) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    original.print(log); // still shown in the test's output
    return log;
  }

  /** The audit lines of {@code log}, parsed. */
  static List<JsonNode> auditLines(String log) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    String marker = "INFO " + HybridObservability.AUDIT_LOGGER + " - ";
    for (String line : log.split("\n")) {
      int at = line.indexOf(marker);
      if (at >= 0) {
        lines.add(JSON.readTree(line.substring(at + marker.length())));
      }
    }
    return lines;
  }

  static List<String> texts(JsonNode array) {
    List<String> result = new ArrayList<>();
    array.forEach(n -> result.add(n.asText()));
    return result;
  }

  @Test
  void oneLinePerChangeWithWhoWhatWhereAndTheOutcome() throws Exception {
    HybridObservability observability = HybridObservability.builder().auditLog(true).build();
    long[] generations = new long[2];
    URL[] signed = new URL[1];
    String log;
    try (ObservedWorld w = new ObservedWorld(observability, "risk")) {
      log = logOf(() -> {
        w.createBucket();
        generations[0] = w.put(WriteRequest.of(BUCKET, "reports/q1.csv").withMetadata(new ObjectMetadata(
            "text/csv", null, null, null, null, Map.of("x-api-key", SECRET))), "a,b").generation();
        w.get("reports/q1.csv"); // a read: not audited
        signed[0] = w.router.signUrl(new SignUrlRequest(BUCKET, "reports/q1.csv", "GET", Duration.ofMinutes(5),
            Map.of())); // not a change: not audited
        assertThatThrownBy(() -> w.put(WriteRequest.of(BUCKET, "reports/q1.csv")
            .withConditions(Conditions.generationMatch(generations[0] + 1)), "x"))
            .isInstanceOf(HybridStorageException.class);
        generations[1] = w.router.updateMetadata(ObjectId.of(BUCKET, "reports/q1.csv"),
            MetadataPatch.ofCustom(Map.of("owner", "risk-team")), Conditions.none()).generation();
        w.faults.get(DC2).partition();
        w.router.delete(ObjectId.of(BUCKET, "reports/q1.csv"), Conditions.none());
      });
    }
    List<JsonNode> lines = auditLines(log);
    assertThat(lines).extracting(l -> l.get("op").asText())
        .containsExactly("createBucket", "write", "write", "updateMetadata", "delete");
    assertThat(lines).allSatisfy(l -> {
      assertThat(l.get("who").asText()).isEqualTo("risk");
      assertThat(l.get("bucket").asText()).isEqualTo(BUCKET);
      assertThat(l.get("placement").asText()).isEqualTo("*");
      assertThat(l.get("policy").asText()).isEqualTo("DUAL_WRITE_SYNC");
      assertThat(l.has("at") && l.has("ms")).isTrue();
    });

    JsonNode write = lines.get(1);
    assertThat(write.get("object").asText()).isEqualTo("reports/q1.csv");
    assertThat(write.get("generation").asLong()).isEqualTo(generations[0]);
    assertThat(texts(write.get("acknowledged"))).as("in configuration order").containsExactly(GCP, DC1, DC2);
    assertThat(write.get("outcome").asText()).isEqualTo("ok");
    assertThat(write.get("code").asInt()).isEqualTo(200);
    assertThat(write.has("reason")).isFalse();

    JsonNode refused = lines.get(2);
    assertThat(refused.get("outcome").asText()).isEqualTo("failed");
    assertThat(refused.get("code").asInt()).isEqualTo(412);
    assertThat(refused.get("reason").asText()).isEqualTo("conditionNotMet");
    assertThat(texts(refused.get("acknowledged"))).isEmpty();

    JsonNode patched = lines.get(3);
    assertThat(patched.get("generation").asLong()).isEqualTo(generations[1]);
    assertThat(texts(patched.get("acknowledged"))).contains(GCP);

    JsonNode deleted = lines.get(4);
    assertThat(deleted.get("outcome").asText()).isEqualTo("ok");
    assertThat(texts(deleted.get("acknowledged"))).as("dc2 was cut off").contains(GCP).doesNotContain(DC2);

    // never a secret: metadata values, the signed URL, its signature or credential
    assertThat(signed[0].toString()).contains(ObservedWorld.SIGNATURE);
    assertThat(log).doesNotContain(SECRET).doesNotContain(ObservedWorld.SIGNATURE)
        .doesNotContain(ObservedWorld.CREDENTIAL).doesNotContain("X-Goog-Signature").doesNotContain(signed[0].toString())
        .doesNotContain("risk-team");
  }

  @Test
  void aPrincipalSupplierNamesWhoCalls() throws Exception {
    ThreadLocal<String> tenant = ThreadLocal.withInitial(() -> "tenant-a");
    HybridObservability observability = HybridObservability.builder().auditLog(true).principal(tenant::get).build();
    String log;
    try (ObservedWorld w = new ObservedWorld(observability, "risk")) {
      log = logOf(() -> {
        w.createBucket();
        tenant.set("tenant-b");
        w.put("o", "v");
      });
    }
    assertThat(auditLines(log)).extracting(l -> l.get("who").asText()).containsExactly("tenant-a", "tenant-b");
  }

  @Test
  void offByDefaultAndWithoutAProfileWhoIsNull() throws Exception {
    String quiet;
    try (ObservedWorld w = new ObservedWorld(HybridObservability.builder()
        .meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()).build())) {
      quiet = logOf(() -> {
        w.createBucket();
        w.put("o", "v");
      });
    }
    assertThat(auditLines(quiet)).isEmpty();
    assertThat(quiet).doesNotContain(HybridObservability.AUDIT_LOGGER);

    String log;
    try (ObservedWorld w = new ObservedWorld(HybridObservability.builder().auditLog(true).build())) {
      log = logOf(() -> {
        w.createBucket();
        w.put("o", "v");
      });
    }
    assertThat(auditLines(log)).hasSize(2).allSatisfy(l -> assertThat(l.get("who").isNull()).isTrue());
  }
}
