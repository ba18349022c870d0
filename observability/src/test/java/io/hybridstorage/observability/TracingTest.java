package io.hybridstorage.observability;

import static io.hybridstorage.observability.ObservedWorld.BUCKET;
import static io.hybridstorage.observability.ObservedWorld.DC1;
import static io.hybridstorage.observability.ObservedWorld.DC2;
import static io.hybridstorage.observability.ObservedWorld.GCP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.observability.TracingListener.TraceAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Spans of routed calls and their site calls, exported by the OpenTelemetry SDK's in-memory exporter. */
class TracingTest {

  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
  final HybridObservability observability = HybridObservability.builder().openTelemetry(otel).build();

  @AfterEach
  void close() {
    otel.close();
  }

  List<SpanData> named(String name) {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }

  List<SpanData> childrenOf(SpanData parent) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getParentSpanId().equals(parent.getSpanId()))
        .toList();
  }

  @Test
  void aWriteIsOneSpanWithAChildPerSiteCallAndTheSitesItTouched() {
    try (ObservedWorld w = new ObservedWorld(observability)) {
      w.createBucket();
      exporter.reset();
      long g = w.put("dir/o", "hello").generation();

      List<SpanData> writes = named("storage.write");
      assertThat(writes).hasSize(1);
      SpanData write = writes.get(0);
      assertThat(write.getAttributes().get(TraceAttributes.BUCKET)).isEqualTo(BUCKET);
      assertThat(write.getAttributes().get(TraceAttributes.OBJECT)).isEqualTo("dir/o");
      assertThat(write.getAttributes().get(TraceAttributes.GENERATION)).isEqualTo(g);
      assertThat(write.getAttributes().get(TraceAttributes.PLACEMENT)).isEqualTo("*");
      assertThat(write.getAttributes().get(TraceAttributes.POLICY)).isEqualTo("DUAL_WRITE_SYNC");
      assertThat(write.getAttributes().get(TraceAttributes.CODE)).isEqualTo(200L);
      assertThat(write.getAttributes().get(TraceAttributes.SITES)).containsExactlyInAnyOrder(GCP, DC1, DC2);
      assertThat(write.getAttributes().get(TraceAttributes.SITES_ACKNOWLEDGED)).containsExactlyInAnyOrder(GCP, DC1, DC2);
      assertThat(write.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
      assertThat(write.getParentSpanContext().isValid()).as("no caller span: a root").isFalse();

      // a child per site call: openWrite and the commit ("write") at each site, inside the parent's time
      List<SpanData> children = childrenOf(write);
      assertThat(children).extracting(SpanData::getName).containsOnly("storage.site.openWrite", "storage.site.write");
      assertThat(children).filteredOn(c -> c.getName().equals("storage.site.write"))
          .extracting(c -> c.getAttributes().get(TraceAttributes.SITE)).containsExactlyInAnyOrder(GCP, DC1, DC2);
      assertThat(children).filteredOn(c -> c.getName().equals("storage.site.write"))
          .allSatisfy(c -> assertThat(c.getAttributes().get(TraceAttributes.BYTES_IN)).isEqualTo(5L));
      assertThat(children).allSatisfy(c -> {
        assertThat(c.getTraceId()).isEqualTo(write.getTraceId());
        assertThat(c.getStartEpochNanos()).isGreaterThanOrEqualTo(write.getStartEpochNanos());
        assertThat(c.getEndEpochNanos()).isLessThanOrEqualTo(write.getEndEpochNanos());
      });
    }
  }

  @Test
  void aCallersSpanIsTheParentAndAFailureIsAnErrorWithItsCode() {
    Tracer tracer = otel.getTracer("job");
    try (ObservedWorld w = new ObservedWorld(observability)) {
      w.createBucket();
      w.put("o", "v1");
      exporter.reset();
      Span job = tracer.spanBuilder("job").startSpan();
      try (Scope ignored = job.makeCurrent()) {
        assertThatThrownBy(() -> w.put(WriteRequest.of(BUCKET, "o").withConditions(Conditions.generationMatch(1)), "x"))
            .isInstanceOf(HybridStorageException.class);
        w.get("o");
      } finally {
        job.end();
      }
      SpanData jobSpan = named("job").get(0);
      SpanData failed = named("storage.write").get(0);
      assertThat(failed.getParentSpanId()).isEqualTo(jobSpan.getSpanId());
      assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(failed.getAttributes().get(TraceAttributes.CODE)).isEqualTo(412L);
      assertThat(failed.getAttributes().get(TraceAttributes.REASON)).isEqualTo("conditionNotMet");
      assertThat(failed.getAttributes().get(TraceAttributes.SITES_ACKNOWLEDGED)).isEmpty();
      assertThat(childrenOf(failed)).anySatisfy(c -> {
        assertThat(c.getAttributes().get(TraceAttributes.SITE)).isEqualTo(GCP);
        assertThat(c.getAttributes().get(TraceAttributes.CODE)).isEqualTo(412L);
        assertThat(c.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      });

      SpanData read = named("storage.read").get(0);
      assertThat(read.getParentSpanId()).isEqualTo(jobSpan.getSpanId());
      assertThat(read.getAttributes().get(TraceAttributes.POLICY)).isEqualTo("AUTHORITY");
      assertThat(read.getAttributes().get(TraceAttributes.SITES)).containsExactly(GCP);
      assertThat(read.getAttributes().get(TraceAttributes.SITES_ACKNOWLEDGED)).as("not a change").isNull();
    }
  }

  @Test
  void aSiteDownIsNotAmongTheAcknowledgedAndCopiesAndComposesNameTheirSites() {
    try (ObservedWorld w = new ObservedWorld(observability)) {
      w.createBucket();
      w.put("a", "1");
      w.put("b", "2");
      w.faults.get(DC2).partition();
      exporter.reset();
      w.put("c", "3");
      SpanData write = named("storage.write").get(0);
      assertThat(write.getAttributes().get(TraceAttributes.SITES)).contains(GCP, DC1);
      assertThat(write.getAttributes().get(TraceAttributes.SITES_ACKNOWLEDGED)).containsExactlyInAnyOrder(GCP, DC1);
      assertThat(childrenOf(write)).anySatisfy(c -> {
        assertThat(c.getAttributes().get(TraceAttributes.SITE)).isEqualTo(DC2);
        assertThat(c.getAttributes().get(TraceAttributes.CODE)).isEqualTo(503L);
      });
      w.faults.get(DC2).heal();

      w.router.copy(CopyRequest.of(ObjectId.of(BUCKET, "a"), BUCKET, "a-copy"));
      SpanData copy = named("storage.copy").get(0);
      assertThat(copy.getAttributes().get(TraceAttributes.OBJECT)).isEqualTo("a-copy");
      assertThat(copy.getAttributes().get(TraceAttributes.SITES_ACKNOWLEDGED)).contains(GCP);
      w.router.compose(new ComposeRequest(BUCKET, List.of(ComposeRequest.Source.of("a"), ComposeRequest.Source.of("b")),
          "ab", ObjectMetadata.empty(), Conditions.none()));
      assertThat(named("storage.compose").get(0).getAttributes().get(TraceAttributes.SITES_ACKNOWLEDGED))
          .contains(GCP);
    }
  }
}
