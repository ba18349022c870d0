package io.hybridstorage.testkit.fault;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.time.VirtualClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FaultInjectingStoreTest {

  private static final String BUCKET = "bkt";

  private final InMemoryStore memory = new InMemoryStore("dc1");

  FaultInjectingStoreTest() {
    memory.createBucket(BucketSpec.of(BUCKET));
  }

  // ------------------------------------------------------------------ determinism

  @Test
  void sameSeedGivesTheSameFaultsForTheSameCalls() {
    List<String> first = chaosRun(42);
    List<String> second = chaosRun(42);
    List<String> other = chaosRun(43);

    assertThat(second).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    // The run is not trivially fault-free (or all faults): both outcomes occur.
    assertThat(first).anyMatch(line -> line.contains("ok")).anyMatch(line -> line.contains("503"));
    assertThat(first).anyMatch(line -> line.contains("delay(PT"));
  }

  /** 300 mixed calls under probabilistic faults; one line per call: its log entry and its outcome. */
  private static List<String> chaosRun(long seed) {
    InMemoryStore delegate = new InMemoryStore("dc1");
    delegate.createBucket(BucketSpec.of(BUCKET));
    VirtualClock clock = VirtualClock.create();
    FaultInjectingStore store = FaultInjectingStore.builder(delegate)
        .seed(seed)
        .sleeper(clock.advancingSleeper())
        .rule(FaultRule.on(Operation.Kind.WRITE).withProbability(0.2).inject(Fault.failBeforeCall(503)))
        .rule(FaultRule.on(Operation.WRITE).withProbability(0.1).inject(Fault.failAfterCommit(504)))
        .rule(FaultRule.on(Operation.Kind.READ)
            .inject(Fault.delay(Latency.exponential(Duration.ofMillis(20), Duration.ofSeconds(1)))))
        .rule(FaultRule.on(Operation.READ).withProbability(0.3).inject(Fault.truncateResponseBody(3)))
        .build();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String name = "k" + (i % 7);
      String outcome;
      try {
        switch (i % 3) {
          case 0 -> outcome = "ok gen>0=" + (put(store, name, "value-" + i).generation() > 0);
          case 1 -> outcome = "ok " + readString(store, name);
          default -> outcome = "ok " + store.head(ObjectId.of(BUCKET, name), Conditions.none()).isPresent();
        }
      } catch (HybridStorageException e) {
        outcome = "error " + e.code();
      } catch (IOException e) {
        outcome = "io " + e.getMessage().replaceAll("seed -?\\d+", "seed");
      }
      lines.add(outcome);
    }
    List<Call> calls = store.calls();
    for (int i = 0; i < lines.size(); i++) {
      lines.set(i, calls.get(i) + " -> " + lines.get(i));
    }
    lines.add("virtual time " + clock.elapsed());
    return lines;
  }

  // ------------------------------------------------------------------ partitions

  @Test
  void partitionAndHealWhileCallsAreRunning() throws Exception {
    FaultInjectingStore store = FaultInjectingStore.builder(memory).seed(1).build();
    List<String> outcomes = new CopyOnWriteArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread worker = new Thread(() -> {
      int i = 0;
      while (!stop.get()) {
        try {
          put(store, "k", "v" + i++);
          outcomes.add("ok");
        } catch (HybridStorageException e) {
          outcomes.add(e.code() + " " + e.getMessage());
        }
      }
    });
    worker.start();
    try {
      awaitCount(outcomes, "ok", 20);
      store.partition();
      assertThat(store.isPartitioned()).isTrue();
      awaitCount(outcomes, "503", 20);
      store.heal();
      int okBeforeHeal = count(outcomes, "ok");
      awaitCount(outcomes, "ok", okBeforeHeal + 20);
    } finally {
      stop.set(true);
      worker.join(10_000);
    }

    // ok... then 503 unreachable... then ok again, and nothing else.
    int firstFailure = indexOf(outcomes, "503");
    int lastFailure = lastIndexOf(outcomes, "503");
    assertThat(firstFailure).isPositive();
    assertThat(outcomes.subList(0, firstFailure)).containsOnly("ok");
    assertThat(outcomes.subList(firstFailure, lastFailure + 1)).allMatch(o -> o.contains("unreachable (partition)"));
    assertThat(outcomes.subList(lastFailure + 1, outcomes.size())).isNotEmpty().containsOnly("ok");
    assertThat(store.isPartitioned()).isFalse();
    assertThat(store.calls()).filteredOn(Call::faulted).isNotEmpty()
        .allMatch(call -> call.faults().equals(List.of(Fault.unreachable())));
  }

  @Test
  void oneWayPartitionsCutOnlyWritesOrOnlyReads() throws Exception {
    FaultInjectingStore store = FaultInjectingStore.builder(memory).seed(1).build();
    put(store, "k", "before");

    store.partitionWrites();
    assertThat(store.partitionedKinds()).containsExactly(Operation.Kind.WRITE);
    assertThatThrownBy(() -> put(store, "k", "during"))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(503));
    assertThatThrownBy(() -> store.delete(ObjectId.of(BUCKET, "k"), Conditions.none()))
        .isInstanceOf(HybridStorageException.class);
    assertThat(readString(store, "k")).isEqualTo("before");

    store.partitionReads();
    assertThat(put(store, "k", "after").generation()).isPositive();
    assertThatThrownBy(() -> readString(store, "k"))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(503));
    assertThatThrownBy(() -> store.head(ObjectId.of(BUCKET, "k"), Conditions.none()))
        .hasMessageContaining("dc1 unreachable");

    store.heal();
    assertThat(readString(store, "k")).isEqualTo("after");
  }

  @Test
  void partitionBreaksStreamsAlreadyOpen() throws Exception {
    FaultInjectingStore store = FaultInjectingStore.builder(memory).seed(1).build();
    put(store, "k", "0123456789");

    try (ObjectContent content = store.read(ReadRequest.of(ObjectId.of(BUCKET, "k")));
        ObjectWriter writer = store.openWrite(WriteRequest.of(BUCKET, "w"))) {
      InputStream in = content.stream();
      assertThat(new String(in.readNBytes(4), UTF_8)).isEqualTo("0123");
      writer.write(ByteBuffer.wrap("abc".getBytes(UTF_8)));

      store.partition();

      assertThatThrownBy(in::read).isInstanceOf(IOException.class)
          .hasMessageContaining("unreachable (partition) after 4 bytes of the response body");
      assertThatThrownBy(() -> writer.write(ByteBuffer.wrap("def".getBytes(UTF_8))))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("after 3 bytes of the request body");
      store.heal();
      assertThatThrownBy(in::read).as("a broken connection stays broken").isInstanceOf(IOException.class);
    }
    assertThat(memory.head(ObjectId.of(BUCKET, "w"), Conditions.none())).isEmpty();
    assertThat(readString(store, "k")).isEqualTo("0123456789");
  }

  // ------------------------------------------------------------------ rules

  @Test
  void failTheNthCall() throws Exception {
    FaultInjectingStore store = FaultInjectingStore.builder(memory).seed(1)
        .rule(FaultRule.onAny().onCall(3).inject(Fault.failBeforeCall(500)))
        .rule(FaultRule.on(Operation.WRITE).onCalls(2, 4).inject(Fault.failBeforeCall(429)))
        .build();

    put(store, "a", "1");                                           // call 1, write 1
    assertThat(readString(store, "a")).isEqualTo("1");             // call 2
    assertThatThrownBy(() -> readString(store, "a"))               // call 3
        .isInstanceOfSatisfying(HybridStorageException.class, e -> {
          assertThat(e.code()).isEqualTo(500);
          assertThat(e.getMessage()).contains("read gs://bkt/a on dc1", "injected fault", "seed 1, call #3");
        });
    assertThatThrownBy(() -> put(store, "a", "2"))                 // call 4, write 2
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(429));
    put(store, "a", "3");                                           // call 5, write 3
    assertThatThrownBy(() -> put(store, "a", "4"))                 // call 6, write 4
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.isRetryable()).isTrue());
    assertThat(readString(store, "a")).isEqualTo("3");             // call 7

    assertThat(store.calls()).extracting(Call::faulted)
        .containsExactly(false, false, true, true, false, true, false);
  }

  @Test
  void failBeforeCallNeverReachesTheDelegate() {
    FaultInjectingStore store = FaultInjectingStore.builder(memory).seed(1)
        .rule(FaultRule.on(Operation.WRITE).inject(Fault.failBeforeCall(503)))
        .build();

    assertThatThrownBy(() -> put(store, "k", "v")).isInstanceOf(HybridStorageException.class);
    assertThatThrownBy(() -> putStreaming(store, "k", "v")).isInstanceOf(HybridStorageException.class);

    assertThat(memory.head(ObjectId.of(BUCKET, "k"), Conditions.none())).isEmpty();
  }

  @Test
  void commitThenFailLeavesTheObjectInTheDelegateButTheCallerGetsAnError() throws Exception {
    FaultInjectingStore store = FaultInjectingStore.builder(memory).seed(1)
        .rule(FaultRule.on(Operation.WRITE).forObject(BUCKET, "streamed").inject(Fault.failAfterCommit(503)))
        .rule(FaultRule.on(Operation.WRITE).forObject(BUCKET, "whole").inject(Fault.failAfterCommit(504)))
        .rule(FaultRule.on(Operation.DELETE).inject(Fault.failAfterCommit(503)))
        .build();

    assertThatThrownBy(() -> putStreaming(store, "streamed", "committed anyway"))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> {
          assertThat(e.code()).isEqualTo(503);
          assertThat(e.getMessage()).contains("the store did the call, the answer was lost");
        });
    assertThatThrownBy(() -> put(store, "whole", "also committed"))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(504));

    assertThat(readString(memory, "streamed")).isEqualTo("committed anyway");
    assertThat(readString(memory, "whole")).isEqualTo("also committed");

    assertThatThrownBy(() -> store.delete(ObjectId.of(BUCKET, "whole"), Conditions.none()))
        .isInstanceOf(HybridStorageException.class);
    assertThat(memory.head(ObjectId.of(BUCKET, "whole"), Conditions.none())).isEmpty();
  }

  @Test
  void truncatedReadBodyThrowsMidStream() throws Exception {
    put(memory, "k", "0123456789".repeat(10));
    FaultInjectingStore store = FaultInjectingStore.builder(memory).seed(1)
        .rule(FaultRule.on(Operation.READ).inject(Fault.truncateResponseBody(40)))
        .build();

    try (ObjectContent content = store.read(ReadRequest.of(ObjectId.of(BUCKET, "k")))) {
      InputStream in = content.stream();
      byte[] buffer = new byte[1000];
      int total = 0;
      IOException failure = null;
      try {
        int n;
        while ((n = in.read(buffer, total, buffer.length - total)) >= 0) {
          total += n;
        }
      } catch (IOException e) {
        failure = e;
      }
      assertThat(total).isEqualTo(40);
      assertThat(new String(buffer, 0, total, UTF_8)).isEqualTo("0123456789".repeat(4));
      assertThat(failure).isNotNull()
          .hasMessageContaining("read gs://bkt/k on dc1")
          .hasMessageContaining("connection reset after 40 bytes of the response body");
      assertThat(content.info().size()).isEqualTo(100);
    }
  }

  @Test
  void shortBodyEndsSilentlyAndStallsTakeVirtualTime() throws Exception {
    put(memory, "k", "0123456789");
    VirtualClock clock = VirtualClock.create();
    FaultInjectingStore store = FaultInjectingStore.builder(memory).seed(1).sleeper(clock.advancingSleeper())
        .rule(FaultRule.on(Operation.READ).onCall(1).inject(Fault.shortResponseBody(6)))
        .rule(FaultRule.on(Operation.READ).onCall(2).inject(
            Fault.stallResponseBody(2, Duration.ofSeconds(30)), Fault.stallResponseBody(5, Duration.ofSeconds(3))))
        .build();

    assertThat(readString(store, "k")).isEqualTo("012345");
    assertThat(readString(store, "k")).isEqualTo("0123456789");
    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(33));
  }

  @Test
  void requestBodyFailureCommitsNothing() throws Exception {
    FaultInjectingStore store = FaultInjectingStore.builder(memory).seed(1)
        .rule(FaultRule.on(Operation.WRITE).inject(Fault.failRequestBody(5)))
        .build();

    try (ObjectWriter writer = store.openWrite(WriteRequest.of(BUCKET, "opened"))) {
      ByteBuffer data = ByteBuffer.wrap("0123456789".getBytes(UTF_8));
      assertThat(writer.write(data)).isEqualTo(5);
      assertThatThrownBy(() -> writer.write(data)).isInstanceOf(IOException.class)
          .hasMessageContaining("connection reset after 5 bytes of the request body");
      assertThatThrownBy(writer::commit).isInstanceOf(IOException.class);
    }
    // write(request, stream): the delegate reads a broken body and reports 503.
    assertThatThrownBy(() -> put(store, "whole", "0123456789"))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> {
          assertThat(e.code()).isEqualTo(503);
          assertThat(e.getCause()).hasMessageContaining("connection reset after 5 bytes of the request body");
        });

    assertThat(memory.head(ObjectId.of(BUCKET, "opened"), Conditions.none())).isEmpty();
    assertThat(memory.head(ObjectId.of(BUCKET, "whole"), Conditions.none())).isEmpty();
  }

  @Test
  void stalledRequestBodyHoldsTheWriteMidBodyUntilTimeMoves() throws Exception {
    VirtualClock clock = VirtualClock.create();
    FaultInjectingStore store = FaultInjectingStore.builder(memory).seed(1).sleeper(clock.sleeper())
        .rule(FaultRule.on(Operation.WRITE).inject(Fault.stallRequestBody(4, Duration.ofMinutes(10))))
        .build();

    ObjectWriter writer = store.openWrite(WriteRequest.of(BUCKET, "slow"));
    ByteBuffer data = ByteBuffer.wrap("0123456789".getBytes(UTF_8));
    assertThat(writer.write(data)).as("the bytes before the stall pass").isEqualTo(4);
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread uploader = new Thread(() -> {
      try {
        while (data.hasRemaining()) {
          writer.write(data);
        }
        outcome.set(writer.commit());
      } catch (IOException | RuntimeException e) {
        outcome.set(e);
      }
    });
    uploader.start();
    assertThat(clock.awaitSleepers(1, Duration.ofSeconds(10))).as("the body stalled").isTrue();
    assertThat(memory.head(ObjectId.of(BUCKET, "slow"), Conditions.none())).as("nothing committed mid-body")
        .isEmpty();
    assertThat(outcome.get()).isNull();

    clock.advance(Duration.ofMinutes(10));
    uploader.join(10_000);
    assertThat(outcome.get()).isInstanceOf(ObjectInfo.class);
    assertThat(readString(memory, "slow")).isEqualTo("0123456789");

    // write(request, stream): the store reading the stream stalls, then the write completes
    FaultInjectingStore advancing = FaultInjectingStore.builder(memory).seed(1).sleeper(clock.advancingSleeper())
        .rule(FaultRule.on(Operation.WRITE).inject(Fault.stallRequestBody(2, Duration.ofSeconds(7)),
            Fault.stallRequestBody(6, Duration.ofSeconds(5))))
        .build();
    assertThat(put(advancing, "whole", "abcdefgh").size()).isEqualTo(8);
    assertThat(readString(memory, "whole")).isEqualTo("abcdefgh");
    assertThat(clock.elapsed()).isEqualTo(Duration.ofMinutes(10).plusSeconds(12));
    assertThat(advancing.calls()).singleElement().satisfies(call -> assertThat(call.faults()).containsExactly(
        Fault.stallRequestBody(2, Duration.ofSeconds(7)), Fault.stallRequestBody(6, Duration.ofSeconds(5))));
  }

  @Test
  void forBucketAndForPrefixFilterCallsByWhatTheyAddress() throws Exception {
    memory.createBucket(BucketSpec.of("other"));
    put(memory, "tmp/a", "a");
    put(memory, "tmpx", "x");
    put(memory, "keep/tmp/b", "b");
    StoreOps.put(memory, "other", "tmp/a", "other a", Conditions.none());
    FaultInjectingStore store = FaultInjectingStore.builder(memory).seed(1)
        .rule(FaultRule.on(Operation.Kind.WRITE).forBucket("other").inject(Fault.failBeforeCall(503)))
        .rule(FaultRule.on(Operation.Kind.READ).forPrefix(BUCKET, "tmp/").inject(Fault.failBeforeCall(500)))
        .build();

    // forBucket: every write-kind call addressing the bucket, object or bucket call; none elsewhere
    assertThat(put(store, "k", "v").generation()).isPositive();
    assertThatThrownBy(() -> StoreOps.put(store, "other", "k", "v", Conditions.none()))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(503));
    assertThatThrownBy(() -> store.delete(ObjectId.of("other", "tmp/a"), Conditions.none()))
        .isInstanceOf(HybridStorageException.class);
    assertThatThrownBy(() -> store.deleteBucket("other")).isInstanceOf(HybridStorageException.class);
    assertThat(StoreOps.read(store, "other", "tmp/a")).as("reads of the bucket pass").isEqualTo("other a");

    // forPrefix: reads of objects under bkt/tmp/ only
    assertThatThrownBy(() -> readString(store, "tmp/a"))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> {
          assertThat(e.code()).isEqualTo(500);
          assertThat(e.getMessage()).contains("read gs://bkt/tmp/a on dc1");
        });
    assertThatThrownBy(() -> store.head(ObjectId.of(BUCKET, "tmp/a"), Conditions.none()))
        .isInstanceOf(HybridStorageException.class);
    assertThat(readString(store, "tmpx")).as("a name that starts with tmp but not tmp/").isEqualTo("x");
    assertThat(readString(store, "keep/tmp/b")).as("tmp/ inside the name").isEqualTo("b");
    assertThat(store.list(io.hybridstorage.api.ListRequest.of(BUCKET).withPrefix("tmp/")).items())
        .as("a listing addresses no object").extracting(ObjectInfo::name).containsExactly("tmp/a");
    assertThat(store.getBucket(BUCKET)).isPresent();

    assertThat(store.calls()).extracting(c -> c.operation().methodName() + " " + c.bucket() + "/" + c.object()
        + (c.faulted() ? " faulted" : "")).containsExactly(
            "write bkt/k",
            "write other/k faulted",
            "delete other/tmp/a faulted",
            "deleteBucket other/null faulted",
            "read other/tmp/a",
            "read bkt/tmp/a faulted",
            "head bkt/tmp/a faulted",
            "read bkt/tmpx",
            "read bkt/keep/tmp/b",
            "list bkt/null",
            "getBucket bkt/null");
    assertThat(StoreOps.read(memory, "other", "tmp/a")).as("the faulted delete never reached the store")
        .isEqualTo("other a");
  }

  @Test
  void aRuleHasOneAddress() {
    assertThatThrownBy(() -> FaultRule.onAny().forObject(BUCKET, "o").forPrefix(BUCKET, "tmp/"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("forPrefix(bkt, tmp/) cannot be combined with forObject(bkt, o): a rule addresses one bucket,"
            + " object or prefix (use two rules, or when(...))");
    assertThatThrownBy(() -> FaultRule.onAny().forPrefix(BUCKET, "tmp/").forBucket("other"))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("forBucket(other) cannot be combined");
    assertThatThrownBy(() -> FaultRule.onAny().forBucket(BUCKET).forObject(BUCKET, "o"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(FaultRule.onAny().forPrefix(BUCKET, "tmp/").inject(Fault.failBeforeCall(503)).toString())
        .isEqualTo("FaultRule[any bucket=bkt prefix=tmp/ -> [failBeforeCall(503)]]");
  }

  @Test
  void probabilityZeroAndTimesLimitTheRule() {
    FaultInjectingStore store = FaultInjectingStore.builder(memory).seed(7)
        .rule(FaultRule.on(Operation.HEAD).withProbability(0.0).inject(Fault.failBeforeCall(500)))
        .rule(FaultRule.on(Operation.WRITE).afterCalls(1).times(2).inject(Fault.failBeforeCall(503)))
        .build();
    List<Boolean> failed = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      try {
        put(store, "k", "v");
        store.head(ObjectId.of(BUCKET, "k"), Conditions.none());
        failed.add(false);
      } catch (HybridStorageException e) {
        failed.add(true);
      }
    }
    assertThat(failed).containsExactly(false, true, true, false, false, false);
  }

  @Test
  void rulesCanBeAddedAndRemovedWhileRunning() {
    FaultInjectingStore store = FaultInjectingStore.builder(memory).seed(1).build();
    put(store, "k", "1");
    FaultRule rule = FaultRule.on(Operation.Kind.WRITE).inject(Fault.failBeforeCall(503));

    store.addRule(rule);
    assertThat(store.rules()).containsExactly(rule);
    assertThatThrownBy(() -> put(store, "k", "2")).isInstanceOf(HybridStorageException.class);
    assertThat(store.removeRule(rule)).isTrue();
    assertThat(store.removeRule(rule)).isFalse();

    assertThat(put(store, "k", "3").generation()).isPositive();
  }

  @Test
  void aBodyFaultOnAnOperationWithoutABodyIsRejected() {
    assertThatThrownBy(() -> FaultRule.on(Operation.HEAD).inject(Fault.truncateResponseBody(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncateResponseBody(after 1 bytes) strikes RESPONSE_BODY")
        .hasMessageContaining("[HEAD]");
    assertThatThrownBy(() -> Fault.failBeforeCall(200)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FaultRule.onAny().onCall(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FaultRule.onAny().withProbability(1.5)).isInstanceOf(IllegalArgumentException.class);
  }

  // ------------------------------------------------------------------ latency and virtual time

  @Test
  void latencyUnderAnAdvancingVirtualClockTakesNoRealTime() throws Exception {
    put(memory, "k", "v");
    VirtualClock clock = VirtualClock.create();
    FaultInjectingStore store = FaultInjectingStore.builder(memory).seed(3)
        .sleeper(clock.advancingSleeper())
        .rule(FaultRule.on(Operation.Kind.READ).inject(Fault.delay(Duration.ofSeconds(5))))
        .rule(FaultRule.on(Operation.WRITE).inject(Fault.delay(Latency.uniform(Duration.ofSeconds(1),
            Duration.ofSeconds(2)))))
        .build();

    long realStart = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      store.head(ObjectId.of(BUCKET, "k"), Conditions.none());
    }
    put(store, "k", "w");
    Duration real = Duration.ofNanos(System.nanoTime() - realStart);

    assertThat(clock.elapsed()).isBetween(Duration.ofSeconds(101), Duration.ofSeconds(102));
    // had the sleeper really slept, at least the virtual time would have passed; no tighter real-time
    // bound (how fast the calls run is for JMH, and a loaded machine would make one flaky)
    assertThat(real).isLessThan(clock.elapsed());
    Fault.Delay writeDelay = (Fault.Delay) store.calls().get(20).faults().get(0);
    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(100)
        .plus(writeDelay.latency().sample(null)));
  }

  @Test
  void latencyUnderABlockingVirtualClockWaitsForTheTestToAdvanceTime() throws Exception {
    put(memory, "k", "v");
    VirtualClock clock = VirtualClock.create();
    FaultInjectingStore store = FaultInjectingStore.builder(memory).seed(3).sleeper(clock.sleeper())
        .rule(FaultRule.on(Operation.READ).inject(Fault.delay(Duration.ofMinutes(10))))
        .build();
    AtomicReference<String> result = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      try {
        result.set(readString(store, "k"));
      } catch (IOException e) {
        result.set(e.toString());
      }
    });
    reader.start();
    assertThat(clock.awaitSleepers(1, Duration.ofSeconds(10))).isTrue();
    assertThat(result.get()).isNull();

    long realStart = System.nanoTime();
    clock.advance(Duration.ofMinutes(10));
    reader.join(10_000);

    assertThat(reader.isAlive()).as("the reader woke when the test advanced the clock").isFalse();
    assertThat(result.get()).isEqualTo("v");
    assertThat(Duration.ofNanos(System.nanoTime() - realStart)).as("not a real sleep")
        .isLessThan(Duration.ofMinutes(10));
  }

  // ------------------------------------------------------------------ call log

  @Test
  void callLogListsCallsInOrder() throws Exception {
    FaultInjectingStore store = FaultInjectingStore.builder(memory).seed(1).build();
    put(store, "k", "v");
    readString(store, "k");
    store.delete(ObjectId.of(BUCKET, "k"), Conditions.none());

    Call write = store.takeCall();
    assertThat(write.sequence()).isEqualTo(1);
    assertThat(write.operation()).isEqualTo(Operation.WRITE);
    assertThat(write.bucket()).isEqualTo(BUCKET);
    assertThat(write.object()).isEqualTo("k");
    assertThat(write.arguments()).singleElement().isInstanceOf(WriteRequest.class);
    assertThat(write.thread()).isEqualTo(Thread.currentThread().getName());
    assertThat(write.toString()).startsWith("#1 write gs://bkt/k [");
    assertThat(store.takeCall().operation()).isEqualTo(Operation.READ);
    assertThat(store.takeCall().operation()).isEqualTo(Operation.DELETE);
    assertThat(store.takeCall(Duration.ofMillis(10))).isNull();
    assertThat(store.callCount()).isEqualTo(3);
  }

  // ------------------------------------------------------------------ forwarding

  @Test
  void forwardsFaithfullyWhenNoFaultIsConfigured() {
    ForwardingStoreTester.testForwarding(store -> FaultInjectingStore.builder(store).seed(1).build());
  }

  // ------------------------------------------------------------------ helpers

  static ObjectInfo put(ObjectStore store, String name, String value) {
    return StoreOps.put(store, BUCKET, name, value, Conditions.none());
  }

  static ObjectInfo putStreaming(ObjectStore store, String name, String value) throws IOException {
    return StoreOps.putStreaming(store, BUCKET, name, value, Conditions.none());
  }

  static String readString(ObjectStore store, String name) throws IOException {
    return StoreOps.read(store, BUCKET, name);
  }

  private static int count(List<String> outcomes, String prefix) {
    return (int) outcomes.stream().filter(o -> o.startsWith(prefix)).count();
  }

  private static int indexOf(List<String> outcomes, String prefix) {
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOf(List<String> outcomes, String prefix) {
    for (int i = outcomes.size() - 1; i >= 0; i--) {
      if (outcomes.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  private static void awaitCount(List<String> outcomes, String prefix, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (count(outcomes, prefix) < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + count + " outcomes " + prefix + " in " + outcomes.size());
      }
      Thread.sleep(1);
    }
  }
}
