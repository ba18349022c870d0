package io.hybridstorage.observability;

import io.hybridstorage.routing.RoutedCall;
import io.hybridstorage.routing.RoutingListener;
import io.hybridstorage.routing.SiteCall;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One span per routed call ({@code storage.<operation>}, e.g. {@code storage.write}) and one child
 * span per site call made for it ({@code storage.site.<operation>}), through the OpenTelemetry
 * API only. Spans are made when the call has finished, from its recorded times (a routed call's
 * site calls run on several threads; building the spans afterwards needs no context hand-off
 * between them), as children of the context current on the thread that finished the call — the
 * caller's, so a job's own span is the parent.
 *
 * <p>Attributes ({@link TraceAttributes}): bucket, object, generation, placement, policy, the
 * sites touched and the sites that acknowledged a change, the code and reason of a failure (the
 * span's status is then ERROR); on a site span: site, code, attempts, bytes.
 */
final class TracingListener implements RoutingListener {

  /** The instrumentation scope: this module. */
  static final String SCOPE = "io.hybridstorage.observability";

  private final Tracer tracer;

  TracingListener(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(SCOPE);
  }

  @Override
  public void routedCallFinished(RoutedCall call) {
    Instant start = call.startedAt();
    var builder = tracer.spanBuilder("storage." + call.operation())
        .setSpanKind(SpanKind.INTERNAL)
        .setParent(Context.current())
        .setStartTimestamp(start)
        .setAttribute(TraceAttributes.OPERATION, call.operation())
        .setAttribute(TraceAttributes.PLACEMENT, call.placementId())
        .setAttribute(TraceAttributes.POLICY, call.policy())
        .setAttribute(TraceAttributes.SITES, new ArrayList<>(call.sitesTouched()))
        .setAttribute(TraceAttributes.CODE, (long) call.code());
    if (call.bucket() != null) {
      builder.setAttribute(TraceAttributes.BUCKET, call.bucket());
    }
    if (call.object() != null) {
      builder.setAttribute(TraceAttributes.OBJECT, call.object());
    }
    if (call.generation() != 0) {
      builder.setAttribute(TraceAttributes.GENERATION, call.generation());
    }
    if (call.mutating()) {
      builder.setAttribute(TraceAttributes.SITES_ACKNOWLEDGED, new ArrayList<>(call.sitesAcknowledged()));
    }
    Span span = builder.startSpan();
    if (!call.succeeded()) {
      span.setAttribute(TraceAttributes.REASON, String.valueOf(call.reason()));
      span.setStatus(StatusCode.ERROR, call.code() + " " + call.reason());
    }
    Context parent = Context.current().with(span);
    for (SiteCall site : call.siteCalls()) {
      Instant siteStart = start.plusNanos(site.startNanos() - call.startNanos());
      Span child = tracer.spanBuilder("storage.site." + site.operation())
          .setSpanKind(SpanKind.CLIENT)
          .setParent(parent)
          .setStartTimestamp(siteStart)
          .setAttribute(TraceAttributes.SITE, site.site())
          .setAttribute(TraceAttributes.OPERATION, site.operation())
          .setAttribute(TraceAttributes.CODE, (long) site.code())
          .setAttribute(TraceAttributes.ATTEMPTS, (long) site.attempts())
          .startSpan();
      if (site.bytesIn() > 0) {
        child.setAttribute(TraceAttributes.BYTES_IN, site.bytesIn());
      }
      if (site.bytesOut() > 0) {
        child.setAttribute(TraceAttributes.BYTES_OUT, site.bytesOut());
      }
      if (!site.succeeded()) {
        child.setAttribute(TraceAttributes.REASON, String.valueOf(site.reason()));
        child.setStatus(StatusCode.ERROR, site.code() + " " + site.reason());
      }
      child.end(siteStart.plus(site.duration()));
    }
    span.end(start.plus(call.duration()));
  }

  @Override
  public String toString() {
    return "TracingListener(" + tracer + ")";
  }

  /** Attribute keys of the spans. */
  static final class TraceAttributes {
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("hybrid.storage.operation");
    static final AttributeKey<String> BUCKET = AttributeKey.stringKey("hybrid.storage.bucket");
    static final AttributeKey<String> OBJECT = AttributeKey.stringKey("hybrid.storage.object");
    static final AttributeKey<Long> GENERATION = AttributeKey.longKey("hybrid.storage.generation");
    static final AttributeKey<String> PLACEMENT = AttributeKey.stringKey("hybrid.storage.placement");
    static final AttributeKey<String> POLICY = AttributeKey.stringKey("hybrid.storage.policy");
    static final AttributeKey<List<String>> SITES = AttributeKey.stringArrayKey("hybrid.storage.sites");
    static final AttributeKey<List<String>> SITES_ACKNOWLEDGED =
        AttributeKey.stringArrayKey("hybrid.storage.sites.acknowledged");
    static final AttributeKey<Long> CODE = AttributeKey.longKey("hybrid.storage.code");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("hybrid.storage.reason");
    static final AttributeKey<String> SITE = AttributeKey.stringKey("hybrid.storage.site");
    static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("hybrid.storage.attempts");
    static final AttributeKey<Long> BYTES_IN = AttributeKey.longKey("hybrid.storage.bytes.in");
    static final AttributeKey<Long> BYTES_OUT = AttributeKey.longKey("hybrid.storage.bytes.out");

    private TraceAttributes() {}
  }
}
