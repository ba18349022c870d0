package io.hybridstorage.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.testkit.history.Violation.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The checker on histories written by hand: valid ones pass, each kind of bug is caught and shown small. */
class HistoryCheckerTest {

  private final HistoryChecker checker = HistoryChecker.create();

  // ------------------------------------------------------------------ valid histories

  @Test
  void sequentialRegisterHistoryIsValid() {
    History h = History.builder()
        .read("p1", "x").ok("p1", null)
        .write("p1", "x", "a").okGeneration("p1", 1)
        .read("p2", "x").ok("p2", "a", 1)
        .cas("p2", "x", "a", "b").okGeneration("p2", 2)
        .cas("p1", "x", "a", "c").fail("p1")
        .read("p1", "x").ok("p1", "b", 2)
        .delete("p2", "x").ok("p2")
        .read("p1", "x").ok("p1", null)
        .write("p1", "x", "d").okGeneration("p1", 3)
        .build();

    CheckResult result = checker.check(h);

    assertThat(result.isValid()).as(result.toString()).isTrue();
    assertThat(result.toString()).endsWith("9 ops on 1 key: valid");
  }

  @Test
  void concurrentOpsThatMustBeReorderedAreLinearizable() {
    // p1's write of a begins first but must take effect after p2's write of b: the read sees a.
    History h = History.builder()
        .write("p1", "x", "a")
        .write("p2", "x", "b")
        .ok("p2")
        .read("p3", "x")
        .ok("p3", "a")
        .ok("p1")
        .read("p3", "x").ok("p3", "a")
        .build();

    assertThat(checker.check(h).isValid()).isTrue();
  }

  @Test
  void readsDuringAWriteMaySeeOldThenNewButNotNewThenOld() {
    History valid = History.builder()
        .initialValue("x", "old")
        .write("w", "x", "new")
        .read("r", "x").ok("r", "old")
        .read("r", "x").ok("r", "new")
        .read("r", "x").ok("r", "new")
        .ok("w")
        .build();
    History flickers = History.builder()
        .initialValue("x", "old")
        .write("w", "x", "new")
        .read("r", "x").ok("r", "new")
        .read("r", "x").ok("r", "old")
        .ok("w")
        .build();

    assertThat(checker.check(valid).isValid()).isTrue();
    CheckResult result = checker.checkLinearizable(flickers);
    assertThat(result.violations()).singleElement().satisfies(v -> {
      assertThat(v.kind()).isEqualTo(Kind.NOT_LINEARIZABLE);
      assertThat(v.ops()).extracting(Op::id).containsExactly(1, 2, 3);
    });
  }

  @Test
  void concurrentCasChainIsLinearizable() {
    History h = History.builder()
        .write("p0", "x", 0).ok("p0")
        .cas("p1", "x", 0, 1)
        .cas("p2", "x", 1, 2)
        .cas("p3", "x", 0, 3)
        .ok("p2")          // needs p1's cas first, although p1 answers later
        .fail("p3")        // 0 was gone by then
        .ok("p1")
        .read("p3", "x").ok("p3", 2)
        .build();

    assertThat(checker.check(h).isValid()).isTrue();
  }

  @Test
  void anUnknownWriteMayOrMayNotHaveTakenEffect() {
    History took = History.builder()
        .write("p1", "x", "a").ok("p1")
        .write("p2", "x", "b").unknown("p2")
        .read("p1", "x").ok("p1", "b")
        .read("p1", "x").ok("p1", "b")
        .build();
    History didNot = History.builder()
        .write("p1", "x", "a").ok("p1")
        .write("p2", "x", "b").unknown("p2")
        .read("p1", "x").ok("p1", "a")
        .build();
    History tookLate = History.builder() // an unknown op may still take effect after its error
        .write("p1", "x", "a").ok("p1")
        .write("p2", "x", "b").unknown("p2")
        .read("p1", "x").ok("p1", "a")
        .read("p1", "x").ok("p1", "b")
        .build();
    History neverAnswered = History.builder()
        .write("p1", "x", "a").ok("p1")
        .write("p2", "x", "b")
        .read("p1", "x").ok("p1", "b")
        .build();
    History tookThenUndone = History.builder()
        .write("p1", "x", "a").ok("p1")
        .write("p2", "x", "b").unknown("p2")
        .read("p1", "x").ok("p1", "b")
        .read("p1", "x").ok("p1", "a")
        .build();

    assertThat(checker.check(took).isValid()).isTrue();
    assertThat(checker.check(didNot).isValid()).isTrue();
    assertThat(checker.check(tookLate).isValid()).isTrue();
    assertThat(checker.check(neverAnswered).isValid()).isTrue();
    assertThat(checker.checkLinearizable(tookThenUndone).isValid()).isFalse();
  }

  @Test
  void aFailedWriteDidNotHappen() {
    History h = History.builder()
        .write("p1", "x", "a").ok("p1")
        .write("p2", "x", "b").fail("p2")
        .read("p1", "x").ok("p1", "b")
        .build();

    CheckResult result = checker.check(h);

    assertThat(result.violations()).extracting(Violation::kind)
        .containsExactlyInAnyOrder(Kind.UNWRITTEN_VALUE, Kind.NOT_LINEARIZABLE);
  }

  // ------------------------------------------------------------------ the three bugs

  @Test
  void staleReadAfterAnAcknowledgedWriteIsCaught() {
    History h = History.builder()
        .onSite("p1", "dc1").onSite("p2", "dc2")
        .write("p1", "x", "v1").okGeneration("p1", 10)
        .write("p1", "x", "v2").okGeneration("p1", 11)
        .read("p2", "x").ok("p2", "v1", 10)
        .build();

    CheckResult result = checker.check(h);

    assertThat(result.violations()).as(result.toString()).extracting(Violation::kind)
        .containsExactly(Kind.LOST_WRITE, Kind.GENERATION_ORDER, Kind.NOT_LINEARIZABLE);
    Violation lost = result.violations(Kind.LOST_WRITE).get(0);
    assertThat(lost.ops()).extracting(Op::id).containsExactly(1, 2, 3);
    assertThat(lost.explanation()).contains("read #3 observed 'v1' although write #2 of 'v2' was acknowledged");
    Violation linear = result.violations(Kind.NOT_LINEARIZABLE).get(0);
    // Weakening write v1 to "unknown" would let it take effect after v2: it stays in the core.
    assertThat(linear.ops()).extracting(Op::id).containsExactly(1, 2, 3);
    assertThat(linear.explanation()).contains("#3 p2@dc2 read x -> 'v1' ok gen=10");
    assertThatThrownBy(result::assertValid).isInstanceOf(AssertionError.class)
        .hasMessageContaining("3 violations").hasMessageContaining("LOST_WRITE x");
  }

  @Test
  void lostAcknowledgedWriteIsCaught() {
    // The write of b is acknowledged, then every later read (and the final state) shows a.
    History h = History.builder()
        .write("p1", "x", "a").ok("p1")
        .write("p2", "x", "b").ok("p2")
        .read("p1", "x").ok("p1", "a")
        .read("p2", "x").ok("p2", "a")
        .read("final", "x").ok("final", "a")
        .build();

    CheckResult lost = checker.checkNoLostWrites(h);

    assertThat(lost.violations()).singleElement().satisfies(v -> {
      assertThat(v.kind()).isEqualTo(Kind.LOST_WRITE);
      assertThat(v.ops()).extracting(Op::id).containsExactly(1, 2, 3);
    });
    assertThat(checker.checkLinearizable(h).isValid()).isFalse();
  }

  @Test
  void lostDeleteIsCaught() {
    History h = History.builder()
        .write("p1", "x", "a").ok("p1")
        .delete("p1", "x").ok("p1")
        .read("p2", "x").ok("p2", "a")
        .build();

    assertThat(checker.checkNoLostWrites(h).violations()).singleElement()
        .satisfies(v -> assertThat(v.explanation()).contains("although delete #2 was acknowledged"));
  }

  @Test
  void casThatSucceedsOnAStaleValueIsCaught() {
    History h = History.builder()
        .write("p1", "x", "a").ok("p1")
        .write("p2", "x", "b").ok("p2")
        .cas("p1", "x", "a", "c").ok("p1") // a was overwritten by b before this began
        .read("p2", "x").ok("p2", "c")
        .build();

    CheckResult result = checker.check(h);

    assertThat(result.violations(Kind.NOT_LINEARIZABLE)).as(result.toString()).singleElement().satisfies(v ->
        assertThat(v.ops()).extracting(Op::id).containsExactly(1, 2, 3));
    assertThat(result.violations(Kind.LOST_WRITE)).singleElement().satisfies(v ->
        assertThat(v.explanation()).contains("cas #3 observed 'a' although write #2 of 'b'"));
  }

  @Test
  void readOfAnAbsentObjectAfterItsWriteWasAcknowledgedIsCaught() {
    History h = History.builder()
        .write("p1", "x", "a").ok("p1")
        .read("p2", "x").ok("p2", null)
        .build();

    assertThat(checker.check(h).violations()).extracting(Violation::kind)
        .containsExactly(Kind.LOST_WRITE, Kind.NOT_LINEARIZABLE);
  }

  // ------------------------------------------------------------------ generations

  @Test
  void generationsMustIncreaseInRealTimeOrderAndBeUnique() {
    History backwards = History.builder()
        .write("p1", "x", "a").okGeneration("p1", 5)
        .write("p2", "x", "b").okGeneration("p2", 3)
        .build();
    History duplicate = History.builder()
        .write("p1", "x", "a")
        .write("p2", "x", "b")
        .okGeneration("p1", 7)
        .okGeneration("p2", 7)
        .build();
    History concurrentAnyOrder = History.builder()
        .write("p1", "x", "a")
        .write("p2", "x", "b")
        .okGeneration("p2", 9)
        .okGeneration("p1", 8)
        .read("p1", "x").ok("p1", "b", 9)
        .build();
    History staleHead = History.builder()
        .read("p1", "x").ok("p1", Op.UNKNOWN, 12)
        .read("p2", "x").ok("p2", Op.UNKNOWN, 11)
        .build();

    assertThat(checker.checkGenerations(backwards).violations()).singleElement().satisfies(v -> {
      assertThat(v.kind()).isEqualTo(Kind.GENERATION_ORDER);
      assertThat(v.explanation()).contains("write #2 was acknowledged as generation 3 although write #1 had been"
          + " acknowledged as generation 5 before it began");
    });
    assertThat(checker.checkGenerations(duplicate).violations()).extracting(Violation::kind)
        .containsExactly(Kind.DUPLICATE_GENERATION);
    assertThat(checker.check(concurrentAnyOrder).isValid()).isTrue();
    assertThat(checker.checkGenerations(staleHead).violations()).extracting(Violation::kind)
        .containsExactly(Kind.GENERATION_ORDER);
  }

  // ------------------------------------------------------------------ minimal reports, scale, budget

  @Test
  void aViolationInALongHistoryIsReportedAsASmallWindow() {
    History.Builder b = History.builder();
    for (int i = 0; i < 500; i++) {
      b.write("w", "x", "v" + i).read("r", "x").ok("w").ok("r", i == 0 ? "v0" : "v" + (i - 1 + (i % 2)));
    }
    b.read("r", "x").ok("r", "v498"); // stale: v499 was acknowledged before this read began
    for (int i = 500; i < 600; i++) {
      b.write("w", "x", "v" + i).ok("w");
    }
    History h = b.build();

    CheckResult result = checker.checkLinearizable(h);

    Violation v = result.violations().get(0);
    assertThat(v.kind()).isEqualTo(Kind.NOT_LINEARIZABLE);
    assertThat(v.ops()).extracting(Op::id).containsExactly(999, 1001);
    assertThat(v.explanation()).contains("window: events 1996..2001");
  }

  @Test
  void thousandsOfConcurrentOpsPerKeyAreDecidedWithinTheSearchBudgetAndOneWrongValueIsCaught() {
    History valid = SimulatedRegister.history(new Random(7), 5, 4000, 0.05);
    // the search budget bounds the work deterministically: past it the checker answers UNDECIDED,
    // which isValid() rejects; wall-clock speed belongs in a benchmark, not here
    CheckResult result = checker.check(valid);
    assertThat(result.isValid()).as(result.toString()).isTrue();
    assertThat(valid.size()).isEqualTo(4000);

    History corrupted = SimulatedRegister.corruptOneRead(valid, new Random(7));
    CheckResult caught = checker.checkLinearizable(corrupted);
    assertThat(caught.violations()).singleElement().satisfies(v -> {
      assertThat(v.kind()).isEqualTo(Kind.NOT_LINEARIZABLE);
      assertThat(v.ops().size()).isLessThanOrEqualTo(6);
    });
  }

  @Test
  void aSearchBeyondTheBudgetIsUndecidedNotValid() {
    History h = SimulatedRegister.history(new Random(1), 8, 400, 0.0);

    CheckResult result = checker.withSearchBudget(5).checkLinearizable(h);

    assertThat(result.isValid()).isFalse();
    assertThat(result.violations()).extracting(Violation::kind).containsExactly(Kind.UNDECIDED);
    assertThatThrownBy(() -> checker.withSearchBudget(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keysAreCheckedIndependently() {
    History h = History.builder()
        .write("p1", "x", "a").ok("p1")
        .write("p1", "y", "b").ok("p1")
        .read("p2", "x").ok("p2", "a")
        .read("p2", "y").ok("p2", null)
        .build();

    CheckResult result = checker.check(h);

    assertThat(result.violations()).isNotEmpty().allMatch(v -> v.key().equals("y"));
  }

  @Test
  void builderRejectsMisuse() {
    History.Builder b = History.builder().write("p1", "x", "a");
    assertThatThrownBy(() -> b.read("p1", "x")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already has op #1 pending");
    assertThatThrownBy(() -> b.ok("p1", "a")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a read");
    assertThatThrownBy(() -> b.ok("p2")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no pending op");
  }

  /** A linearizable register driven by simulated concurrent processes, recorded as a history. */
  static final class SimulatedRegister {

    /**
     * {@code processes} processes issue {@code ops} ops (reads, writes of unique values, CAS);
     * each takes effect at a random moment between its invocation and response. A fraction
     * {@code unknown} of mutations end unknown (half of them took effect, half never did).
     */
    static History history(Random random, int processes, int ops, double unknown) {
      History.Builder b = History.builder();
      Object value = null;
      int[] phase = new int[processes]; // 0 idle, 1 invoked, 2 took effect
      Object[] result = new Object[processes];
      boolean[] succeeded = new boolean[processes];
      boolean[] applies = new boolean[processes];
      char[] type = new char[processes];
      Object[][] args = new Object[processes][];
      int invoked = 0;
      int writes = 0;
      int busy = 0;
      while (invoked < ops || busy > 0) {
        int p = random.nextInt(processes);
        String process = "p" + p;
        switch (phase[p]) {
          case 0 -> {
            if (invoked == ops) {
              continue;
            }
            invoked++;
            busy++;
            int dice = random.nextInt(10);
            applies[p] = true;
            if (dice < 4) {
              type[p] = 'r';
              b.read(process, "x");
            } else if (dice < 8) {
              type[p] = 'w';
              args[p] = new Object[] {"w" + writes++};
              b.write(process, "x", args[p][0]);
            } else {
              type[p] = 'c';
              Object expected = random.nextBoolean() ? value : "w" + random.nextInt(writes + 1);
              args[p] = new Object[] {expected, "w" + writes++};
              b.cas(process, "x", expected, args[p][1]);
            }
            if (type[p] != 'r' && random.nextDouble() < unknown / 2) {
              applies[p] = false; // lost on the way: never takes effect, ends unknown
            }
            phase[p] = 1;
          }
          case 1 -> {
            if (applies[p]) {
              switch (type[p]) {
                case 'r' -> result[p] = value;
                case 'w' -> value = args[p][0];
                default -> {
                  succeeded[p] = java.util.Objects.equals(value, args[p][0]);
                  if (succeeded[p]) {
                    value = args[p][1];
                  }
                }
              }
            }
            phase[p] = 2;
          }
          default -> {
            if (!applies[p] || (type[p] != 'r' && random.nextDouble() < unknown / 2)) {
              b.unknown(process);
            } else if (type[p] == 'r') {
              b.ok(process, result[p]);
            } else if (type[p] == 'c' && !succeeded[p]) {
              b.fail(process);
            } else {
              b.ok(process);
            }
            phase[p] = 0;
            busy--;
          }
        }
      }
      return b.build();
    }

    /** The same history with one read (that followed a write) returning a value never written. */
    static History corruptOneRead(History history, Random random) {
      List<Op> ops = new ArrayList<>(history.ops());
      List<Integer> reads = new ArrayList<>();
      for (int i = ops.size() / 2; i < ops.size(); i++) {
        if (ops.get(i).type() == Op.Type.READ && ops.get(i).outcome() == Op.Outcome.OK && ops.get(i).value() != null) {
          reads.add(i);
        }
      }
      int i = reads.get(random.nextInt(reads.size()));
      Op op = ops.get(i);
      ops.set(i, new Op(op.id(), op.process(), op.site(), op.type(), op.key(), op.expected(), "w-never", op.generation(),
          op.outcome(), op.info(), op.invokedAt(), op.completedAt(), op.startNanos(), op.endNanos()));
      return new History(ops, java.util.Map.of());
    }
  }
}
