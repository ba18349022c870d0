package io.hybridstorage.routing.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.routing.history.OpLog.Kind;
import io.hybridstorage.routing.history.Verdict.Invariant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The checks of the randomized history suite on small histories written by hand: each invariant
 * is reported when broken, and what the policy allows (an unknown outcome winning, a conflict
 * across datacenters under LOCAL_THEN_ASYNC, best-effort replication after a restart under
 * AUTHORITY_ONLY) is not.
 */
class InvariantsTest {

  private static final String K = "hot/0";

  private final OpLog log = new OpLog();
  private final Map<String, Map<String, ObjectInfo>> sites = new TreeMap<>();
  private final Map<Integer, List<Long>> restarts = new HashMap<>();

  InvariantsTest() {
    Cluster.SITES.forEach(s -> sites.put(s, new TreeMap<>()));
  }

  private static Val v(String text) {
    return Val.of(K + "=" + text);
  }

  /** An acknowledged overwrite through {@code router}. */
  private void write(int router, String text, long generation) {
    log.invokeWrite(router, "dc1", Kind.OVERWRITE, K, v(text), 0, "").okGeneration(generation);
  }

  /** The authority (and, unless told otherwise, every replica) ends holding {@code text} at {@code generation}. */
  private void end(@Nullable String text, long generation) {
    if (text == null) {
      log.invokeRead(-1, Cluster.GCP, Kind.FINAL, K, 0).ok(null);
    } else {
      log.invokeRead(-1, Cluster.GCP, Kind.FINAL, K, 0).ok(log.canonical(v(text)), generation);
      sites.values().forEach(m -> m.put(K, info(v(text), generation)));
    }
  }

  private static ObjectInfo info(Val value, long generation) {
    return new ObjectInfo(Cluster.BUCKET, K, generation, 1, value.size(), value.crc32c(), null, null,
        ObjectMetadata.empty(), null, null, null, 1);
  }

  private Verdict check(WritePolicy policy) {
    Verdict verdict = new Verdict();
    Invariants.check(new Invariants.Inputs("test", policy, Cluster.placement(policy).consistency()
        == io.hybridstorage.api.Consistency.STRONG, log.history(), log::meta, Cluster.GCP, Cluster.SITES, sites,
        restarts, null), verdict);
    return verdict;
  }

  @Test
  void anAcknowledgedWriteOverwrittenByAnOlderOneIsLost() {
    write(0, "a", 10);
    write(1, "b", 20);
    end("a", 10);
    Verdict verdict = check(WritePolicy.QUORUM);
    assertThat(verdict.count(Invariant.LOST)).isEqualTo(1);
    assertThat(verdict.reports).anySatisfy(r -> assertThat(r).startsWith("LOST").contains("'hot/0=b'", "write #2"));
    assertThat(verdict.count(Invariant.LINEARIZABILITY)).as("the final read is checked too").isPositive();
  }

  @Test
  void theNewestAcknowledgedWriteOrAnUnknownOneMayEndOnTheAuthority() {
    write(0, "a", 10);
    write(1, "b", 20);
    log.invokeWrite(2, "gcp", Kind.OVERWRITE, K, v("c"), 0, "").unknown("503 after the commit");
    log.invokeWrite(2, "gcp", Kind.OVERWRITE, K, v("d"), 0, "").unknown("503 after the commit");
    end("c", 30); // "d" never happened, "c" happened after "b"
    assertThat(check(WritePolicy.QUORUM).ok()).isTrue();
  }

  @Test
  void anAcknowledgedDeleteStaysDeleted() {
    write(0, "a", 10);
    log.invokeDelete(1, "dc2", K, 0).ok();
    end("a", 10);
    assertThat(check(WritePolicy.AUTHORITY_THEN_ASYNC).count(Invariant.LOST)).isEqualTo(1);
  }

  @Test
  void aChangeTheRouterRefusedMustNotTakeEffect() {
    write(0, "a", 10);
    log.invokeCas(1, "dc2", Kind.COPY, K, v("a"), v("b"), 10, "ifGenerationMatch=10").fail("412 conditionNotMet");
    log.invokeRead(1, "dc2", Kind.READ, K, 10).ok(log.canonical(v("b")), 20);
    end("b", 20);
    Verdict verdict = check(WritePolicy.DUAL_WRITE_SYNC);
    assertThat(verdict.count(Invariant.PHANTOM)).as("the read and the final state").isEqualTo(2);
  }

  @Test
  void aReplicaMustHoldTheAuthoritysGenerationAndBytes() {
    write(0, "a", 10);
    end("a", 10);
    sites.get(Cluster.DC2).remove(K);
    sites.get(Cluster.DC1).put(K, info(v("a"), 9));
    Verdict verdict = check(WritePolicy.AUTHORITY_THEN_ASYNC);
    assertThat(verdict.count(Invariant.DIVERGED)).isEqualTo(2);
    assertThat(verdict.reports).anySatisfy(r -> assertThat(r).contains("on dc2: absent"));
  }

  @Test
  void underAuthorityOnlyAReplicaMayMissAChangeOfARouterRestartedSince() {
    write(0, "a", 10);
    restarts.put(0, List.of(System.nanoTime()));
    end("a", 10);
    sites.get(Cluster.DC2).remove(K);
    Verdict verdict = check(WritePolicy.AUTHORITY_ONLY);
    assertThat(verdict.ok()).isTrue();
    assertThat(verdict.excusedDivergence).isEqualTo(1);
    assertThat(check(WritePolicy.AUTHORITY_THEN_ASYNC).count(Invariant.DIVERGED)).as("its journal is durable")
        .isEqualTo(1);
  }

  @Test
  void generationsFollowRealTimeAndAreUnique() {
    write(0, "a", 20);
    write(1, "b", 10);
    write(2, "c", 30);
    log.invokeWrite(2, "gcp", Kind.OVERWRITE, K, v("d"), 0, "").okGeneration(30);
    end("d", 30);
    Verdict verdict = check(WritePolicy.DUAL_WRITE_SYNC);
    assertThat(verdict.reports).filteredOn(r -> r.startsWith("GENERATION_ORDER"))
        .anySatisfy(r -> assertThat(r).contains("write #2", "before it began"))
        .anySatisfy(r -> assertThat(r).contains("both acknowledged as generation 30"));
  }

  @Test
  void acrossDatacentersUnderLocalThenAsyncAnInversionIsAConflictUnlessTheWriterHadSeenTheOtherWrite() {
    write(0, "a", 20);
    write(1, "b", 10); // later in real time, through dc2, lower generation: loses to "a"
    end("a", 20);
    Verdict conflict = check(WritePolicy.LOCAL_THEN_ASYNC);
    assertThat(conflict.ok()).isTrue();
    assertThat(conflict.conflicts).isEqualTo(1);
    assertThat(conflict.conflictLosses).isEqualTo(1);
    assertThat(check(WritePolicy.AUTHORITY_THEN_ASYNC).count(Invariant.LOST)).as("not under other policies")
        .isEqualTo(1);
  }

  @Test
  void underLocalThenAsyncACausallyLaterWriteMustWin() {
    write(0, "a", 20);
    log.invokeWrite(1, "dc2", Kind.OVERWRITE, K, v("b"), 20, "").okGeneration(10); // its client had read gen 20
    end("a", 20);
    Verdict verdict = check(WritePolicy.LOCAL_THEN_ASYNC);
    assertThat(verdict.count(Invariant.LOST)).isEqualTo(1);
    assertThat(verdict.count(Invariant.GENERATION_ORDER)).isEqualTo(1);
    assertThat(verdict.conflicts).isZero();
  }

  @Test
  void aStaleReadBreaksLinearizabilityOnlyOnStrongPlacements() {
    write(0, "a", 10);
    write(0, "b", 20);
    log.invokeRead(1, "dc2", Kind.READ, K, 0).ok(log.canonical(v("a")), 10);
    end("b", 20);
    Verdict strong = check(WritePolicy.AUTHORITY_THEN_ASYNC);
    assertThat(strong.count(Invariant.LINEARIZABILITY)).isPositive();
    assertThat(strong.staleness).anySatisfy(nanos -> assertThat(nanos).isPositive());
    assertThat(check(WritePolicy.LOCAL_THEN_ASYNC).ok()).as("SESSION allows another router a stale read").isTrue();
  }
}
