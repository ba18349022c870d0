package io.hybridstorage.observability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridstorage.routing.RoutedCall;
import io.hybridstorage.routing.RoutingListener;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: one JSON line per change a caller made through the router (writes, deletes,
 * copies, composes, metadata patches, bucket changes), at INFO under the logger {@value
 * HybridObservability#AUDIT_LOGGER}, whatever its outcome:
 *
 * <pre>{@code
 * {"at":"2030-01-01T00:00:00Z","who":"risk","op":"write","bucket":"sales","object":"2030/01/01.csv",
 *  "generation":1893456000000001,"placement":"sales","policy":"DUAL_WRITE_SYNC",
 *  "acknowledged":["gcp","dc1","dc2"],"outcome":"ok","code":200,"ms":3}
 * }</pre>
 *
 * <p>What it never holds: object contents or metadata, request headers, credentials, tokens,
 * signed URLs (signing is not a change, and is not audited) and error messages (a failure is its
 * code and reason only). Names of buckets and objects are the caller's own.
 */
final class AuditLogListener implements RoutingListener {

  private static final Logger audit = LoggerFactory.getLogger(HybridObservability.AUDIT_LOGGER);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<String> who;
  private final List<String> siteOrder;

  /**
   * @param who the principal of a call, asked on the caller's thread; null when unknown
   * @param siteOrder the router's sites in configuration order: the order acknowledging sites are listed in
   */
  AuditLogListener(Supplier<String> who, List<String> siteOrder) {
    this.who = who;
    this.siteOrder = List.copyOf(siteOrder);
  }

  @Override
  public void routedCallFinished(RoutedCall call) {
    if (!call.mutating() || !audit.isInfoEnabled()) {
      return;
    }
    audit.info(line(call, principal(), siteOrder));
  }

  @Nullable
  private String principal() {
    try {
      return who.get();
    } catch (RuntimeException e) {
      return null;
    }
  }

  static String line(RoutedCall call, @Nullable String principal, List<String> siteOrder) {
    ObjectNode line = JSON.createObjectNode();
    line.put("at", call.startedAt().toString());
    line.put("who", principal);
    line.put("op", call.operation());
    line.put("bucket", call.bucket());
    line.put("object", call.object());
    line.put("generation", call.generation());
    line.put("placement", call.placementId());
    line.put("policy", call.policy());
    ArrayNode acknowledged = line.putArray("acknowledged");
    Set<String> acked = call.sitesAcknowledged();
    siteOrder.stream().filter(acked::contains).forEach(acknowledged::add);
    acked.stream().filter(s -> !siteOrder.contains(s)).forEach(acknowledged::add);
    line.put("outcome", call.succeeded() ? "ok" : "failed");
    line.put("code", call.code());
    if (!call.succeeded()) {
      line.put("reason", call.reason());
    }
    line.put("ms", call.duration().toMillis());
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) { // a tree of strings and numbers always serializes
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "AuditLogListener(" + HybridObservability.AUDIT_LOGGER + ")";
  }
}
