package io.hybridstorage.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.ByteRange;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.fault.Fault;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.fault.FaultRule;
import io.hybridstorage.testkit.fault.ForwardingStoreTester;
import io.hybridstorage.testkit.fault.Latency;
import io.hybridstorage.testkit.fault.Operation;
import io.hybridstorage.testkit.fault.StoreOps;
import io.hybridstorage.testkit.history.Violation.Kind;
import io.hybridstorage.testkit.time.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HistoryRecorderTest {

  static final String BUCKET = "bkt";

  /** The workloads include deletes (they once exposed an InMemoryStore generation bug; see InMemoryStoreGenerationTest). */
  private static final boolean WITH_DELETES = true;

  private final InMemoryStore memory = new InMemoryStore("dc1");

  HistoryRecorderTest() {
    memory.createBucket(BucketSpec.of(BUCKET));
  }

  @Test
  void recordingStoreForwardsFaithfully() {
    ForwardingStoreTester.testForwarding(store -> HistoryRecorder.create().record(store));
  }

  @Test
  void recordsEachRegisterOperationWithItsOutcome() throws Exception {
    FaultInjectingStore faulty = FaultInjectingStore.builder(memory).seed(1)
        .rule(FaultRule.on(Operation.WRITE).forObject(BUCKET, "k").onCall(4).inject(Fault.failAfterCommit(503)))
        .build();
    VirtualClock clock = VirtualClock.create();
    HistoryRecorder recorder = HistoryRecorder.create(clock.ticker());
    ObjectStore store = recorder.record(faulty);

    long g1 = put(store, "k", "a", Conditions.none()).generation();                    // #1
    assertThat(get(store, "k")).isEqualTo("a");                                        // #2
    long g2 = put(store, "k", "b", Conditions.generationMatch(g1)).generation();       // #3 cas a -> b
    assertThatThrownBy(() -> put(store, "k", "c", Conditions.generationMatch(g1)))     // #4 cas fails: 412
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(412));
    assertThatThrownBy(() -> putStreaming(store, "k", "d", Conditions.none()))         // #5 commits, answer lost
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(503));
    clock.advance(Duration.ofMillis(5));
    Optional<ObjectInfo> head = store.head(ObjectId.of(BUCKET, "k"), Conditions.none()); // #6 sees d
    try (ObjectContent ranged = store.read(ReadRequest.of(ObjectId.of(BUCKET, "k")).withRange(ByteRange.of(0, 1)))) {
      assertThat(ranged.stream().readAllBytes()).hasSize(1);                           // #7 value unobserved
    }
    assertThat(store.delete(ObjectId.of(BUCKET, "k"), Conditions.none())).isTrue();   // #8
    assertThatThrownBy(() -> get(store, "k")).isInstanceOf(HybridStorageException.class); // #9 404: absent
    put(store, "k", "e", Conditions.doesNotExist());                                    // #10 cas absent -> e

    History history = recorder.history();
    List<Op> ops = history.ops();
    assertThat(ops).extracting(Op::type).containsExactly(Op.Type.WRITE, Op.Type.READ, Op.Type.CAS, Op.Type.CAS,
        Op.Type.WRITE, Op.Type.READ, Op.Type.READ, Op.Type.DELETE, Op.Type.READ, Op.Type.CAS);
    assertThat(ops).extracting(Op::outcome).containsExactly(Op.Outcome.OK, Op.Outcome.OK, Op.Outcome.OK,
        Op.Outcome.FAIL, Op.Outcome.UNKNOWN, Op.Outcome.OK, Op.Outcome.OK, Op.Outcome.OK, Op.Outcome.OK,
        Op.Outcome.OK);
    assertThat(ops).extracting(op -> Op.show(op.value())).containsExactly("'a'", "'a'", "'b'", "'c'", "'d'",
        "'d'", "?", "absent", "absent", "'e'");
    assertThat(ops.get(2).expected()).as("generation %s resolved to its value", g1).hasToString("'a'");
    assertThat(ops.get(9).expected()).isNull();
    assertThat(ops.get(0).generation()).isEqualTo(g1);
    assertThat(ops.get(2).generation()).isEqualTo(g2);
    assertThat(ops.get(5).generation()).isEqualTo(head.orElseThrow().generation());
    assertThat(ops.get(4).info()).contains("injected fault failAfterCommit(503)");
    assertThat(ops).allMatch(op -> "gs://bkt/k".equals(op.key()) && "dc1".equals(op.site()));
    assertThat(ops.get(5).startNanos()).isEqualTo(5_000_000L);
    assertThat(ops).allMatch(op -> op.process().equals(Thread.currentThread().getName()));

    HistoryChecker.create().check(history).assertValid();
  }

  @Test
  void manualApiRecordsFromAnyThreadAndRejectsMisuse() throws Exception {
    HistoryRecorder recorder = HistoryRecorder.create().initialValue("x", "v0");
    HistoryRecorder.Invocation write = recorder.invokeWrite("dc1", "x", "v1");
    HistoryRecorder.Invocation read = recorder.invokeRead("dc2", "x");
    // on another thread, whose failure get() rethrows here (a plain Thread's would be lost)
    CompletableFuture.runAsync(() -> read.ok("v0", 1)).get(10, TimeUnit.SECONDS);
    write.okGeneration(2);
    recorder.invokeCas("dc1", "x", "v1", "v2").ok();
    HistoryRecorder.Invocation lost = recorder.invokeDelete("dc2", "x");

    assertThatThrownBy(write::ok).isInstanceOf(IllegalStateException.class).hasMessageContaining("already completed");
    assertThatThrownBy(() -> recorder.invokeRead("dc1", "x").ok()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> recorder.invokeWrite("dc1", "x", "v3").ok("v3"))
        .isInstanceOf(IllegalStateException.class);

    History history = recorder.history();
    assertThat(history.size()).isEqualTo(6); // the two misused invocations stay pending
    assertThat(history.ops().get(3)).satisfies(op -> {
      assertThat(op.outcome()).isEqualTo(Op.Outcome.UNKNOWN);
      assertThat(op.completedAt()).isEqualTo(Long.MAX_VALUE);
      assertThat(op.toString()).contains("#4", "delete x", "[events 6..never]");
    });
    assertThat(history.initialValue("x")).isEqualTo("v0");
    assertThat(List.of(write.id(), read.id(), lost.id())).containsExactly(1, 2, 4);
    assertThat(history.ops().get(lost.id() - 1).type()).isEqualTo(Op.Type.DELETE);
    lost.unknown("timed out");
    assertThat(recorder.history().ops().get(3).info()).isEqualTo("timed out");
  }

  @Test
  void concurrentHistoryFromRealThreadsAgainstInMemoryStoreIsValid() throws Exception {
    // Up to 1 ms of real latency per call, so that ops overlap and need reordering.
    FaultInjectingStore slow = FaultInjectingStore.builder(memory).seed(11)
        .rule(FaultRule.onAny().inject(Fault.delay(Latency.uniform(Duration.ZERO, Duration.ofMillis(1)))))
        .build();
    HistoryRecorder recorder = HistoryRecorder.create();
    ObjectStore store = recorder.record(slow);

    Workload.run(store, 6, 300, 3, 11, WITH_DELETES);

    History history = recorder.history();
    CheckResult result = HistoryChecker.create().check(history);
    result.assertValid();
    assertThat(history.size()).isEqualTo(6 * 300);
    assertThat(history.keys()).hasSize(3);
    assertThat(Workload.overlapping(history)).as("ops that ran concurrently").isGreaterThan(200);
    assertThat(history.ops()).as("conditional writes that lost a race")
        .anyMatch(op -> op.type() == Op.Type.CAS && op.outcome() == Op.Outcome.FAIL);
    assertThat(history.ops()).anyMatch(op -> op.type() == Op.Type.CAS && op.outcome() == Op.Outcome.OK);
  }

  @Test
  void concurrentHistoryWithInjectedFaultsIsStillValid() throws Exception {
    FaultInjectingStore faulty = FaultInjectingStore.builder(memory).seed(5)
        .rule(FaultRule.on(Operation.WRITE).withProbability(0.1).inject(Fault.failAfterCommit(503)))
        .rule(FaultRule.on(Operation.Kind.WRITE).withProbability(0.1).inject(Fault.failBeforeCall(503)))
        .rule(FaultRule.on(Operation.WRITE).withProbability(0.05).inject(Fault.failRequestBody(2)))
        .rule(FaultRule.on(Operation.Kind.READ).withProbability(0.1).inject(Fault.failBeforeCall(500)))
        .build();
    HistoryRecorder recorder = HistoryRecorder.create();
    ObjectStore store = recorder.record(faulty);

    Workload.run(store, 4, 250, 2, 12, WITH_DELETES);

    History history = recorder.history();
    HistoryChecker.create().check(history).assertValid();
    assertThat(history.ops()).anyMatch(op -> op.outcome() == Op.Outcome.UNKNOWN && op.isMutation());
    assertThat(history.ops()).anyMatch(op -> op.outcome() == Op.Outcome.FAIL && op.type() == Op.Type.WRITE
        && op.info().contains("request body not sent to its end"));
  }

  @Test
  void aStoreThatServesStaleReadsIsCaught() throws Exception {
    HistoryRecorder recorder = HistoryRecorder.create();
    ObjectStore store = recorder.record(new BuggyStores.StaleReads(memory, 5));

    Workload.run(store, 4, 200, 2, 13, true);

    CheckResult result = HistoryChecker.create().check(recorder.history());
    assertThat(result.isValid()).isFalse();
    assertThat(result.violations()).extracting(Violation::kind).contains(Kind.LOST_WRITE, Kind.NOT_LINEARIZABLE);
    assertThat(result.violations(Kind.NOT_LINEARIZABLE)).allSatisfy(v -> assertThat(v.ops().size()).isLessThan(8));
  }

  @Test
  void aStoreThatDropsAcknowledgedWritesIsCaught() throws Exception {
    HistoryRecorder recorder = HistoryRecorder.create();
    ObjectStore store = recorder.record(new BuggyStores.DropsWrites(memory, 7));

    Workload.run(store, 4, 200, 2, 14, true);

    CheckResult result = HistoryChecker.create().check(recorder.history());
    assertThat(result.violations(Kind.LOST_WRITE)).isNotEmpty();
    assertThatThrownBy(result::assertValid).hasMessageContaining("the acknowledged write was lost");
  }

  // ------------------------------------------------------------------ helpers

  static ObjectInfo put(ObjectStore store, String name, String value, Conditions conditions) {
    return StoreOps.put(store, BUCKET, name, value, conditions);
  }

  static ObjectInfo putStreaming(ObjectStore store, String name, String value, Conditions conditions)
      throws IOException {
    return StoreOps.putStreaming(store, BUCKET, name, value, conditions);
  }

  static String get(ObjectStore store, String name) throws IOException {
    return StoreOps.read(store, BUCKET, name);
  }
}
