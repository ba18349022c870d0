package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.DC1;
import static io.hybridstorage.routing.World.DC2;
import static io.hybridstorage.routing.World.GCP;
import static io.hybridstorage.routing.World.get;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.testkit.fault.Fault;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.fault.FaultRule;
import io.hybridstorage.testkit.fault.Operation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11, findings 3, 4 and 5: a write or delete whose commit at the primary failed, or whose
 * acknowledgement was lost, ends with every site on one state (rolled forward by the journal), and
 * nothing deletes a generation that replaced an acknowledged one.
 */
class RollForwardTest {

  /** The state of {@code BUCKET/key} on every site: generation and body, or "-" when absent. */
  static Map<String, String> state(World w, String key) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (String site : w.memory.keySet()) {
      Optional<ObjectInfo> info = w.site(site).head(ObjectId.of(BUCKET, key), Conditions.none());
      out.put(site, info.isEmpty() ? "-" : info.get().generation() + ":" + get(w.site(site), key));
    }
    return out;
  }

  static void assertConverged(World w, String key, String... allowedBodies) throws Exception {
    assertThat(w.router.drain(Duration.ofSeconds(20))).as("journal drained").isTrue();
    Map<String, String> s = state(w, key);
    assertThat(s.values()).as("one state on every site: %s", s).containsOnly(s.get(GCP));
    assertThat(s.get(GCP)).as("%s", s).isNotEqualTo("-");
    assertThat(s.get(GCP).substring(s.get(GCP).indexOf(':') + 1)).as("%s", s).isIn((Object[]) allowedBodies);
  }

  // ------------------------------------------------------------------------ finding 3

  /** A 503 before the authority's commit of v1, v0 acknowledged before: no site loses v0 and all agree. */
  @ParameterizedTest
  @EnumSource(value = WritePolicy.class, names = {"DUAL_WRITE_SYNC", "QUORUM", "AUTHORITY_THEN_ASYNC"})
  void aFailedAuthorityCommitNeverWipesTheReplicas(WritePolicy policy) throws Exception {
    try (World w = new World(policy)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "k", "v0");
      assertThat(w.router.drain(Duration.ofSeconds(10))).isTrue();
      w.faults.get(GCP).addRule(FaultRule.on(Operation.WRITE).forBucket(BUCKET).times(1).inject(Fault.failBeforeCall(503)));
      assertThatThrownBy(() -> put(w.router, "k", "v1")).isInstanceOf(HybridStorageException.class)
          .extracting(e -> ((HybridStorageException) e).code()).isEqualTo(503);
      assertConverged(w, "k", "v0", "v1");
    }
  }

  /**
   * The authority's commit of v1 failed, the replicas committed it; replay of the authority's own
   * entry finds no site holding v1 because the replicas cannot be reached just then. That is not
   * "v1 was never committed": the entry waits, and once the replicas answer, v1 rolls forward to
   * the authority. (Before, the entry was dropped, and the replicas stayed ahead of the authority
   * for good: the long history profile's one QUORUM divergence.)
   */
  @ParameterizedTest
  @EnumSource(value = WritePolicy.class, names = {"DUAL_WRITE_SYNC", "QUORUM"})
  void aReplicaThatCannotBeAskedIsNotTakenForOneThatNeverCommitted(WritePolicy policy) throws Exception {
    try (World w = new World(policy)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "k", "v0");
      assertThat(w.router.drain(Duration.ofSeconds(10))).isTrue();
      w.faults.get(GCP).addRule(FaultRule.on(Operation.WRITE).forBucket(BUCKET).times(1).inject(Fault.failBeforeCall(503)));
      assertThatThrownBy(() -> put(w.router, "k", "v1")).isInstanceOf(HybridStorageException.class);
      assertThat(get(w.site(DC1), "k")).as("the replica committed v1").isEqualTo("v1");
      w.faults.get(DC1).partition();
      w.faults.get(DC2).partition();
      w.router.replayNow();
      w.faults.get(DC1).heal();
      w.faults.get(DC2).heal();
      assertConverged(w, "k", "v1");
    }
  }

  /** The authority committed v1 but its acknowledgement was lost: v1 reaches every site. */
  @ParameterizedTest
  @EnumSource(value = WritePolicy.class, names = {"DUAL_WRITE_SYNC", "QUORUM", "AUTHORITY_THEN_ASYNC"})
  void aLostAuthorityAcknowledgementRollsForward(WritePolicy policy) throws Exception {
    try (World w = new World(policy)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "k", "v0");
      assertThat(w.router.drain(Duration.ofSeconds(10))).isTrue();
      w.faults.get(GCP).addRule(FaultRule.on(Operation.WRITE).forBucket(BUCKET).times(1).inject(Fault.failAfterCommit(503)));
      assertThatThrownBy(() -> put(w.router, "k", "v1")).isInstanceOf(HybridStorageException.class);
      assertConverged(w, "k", "v1");
    }
  }

  /**
   * A GCS-like authority (assigns its own generations, so the primary commits first): its commit
   * of v1 is applied but the acknowledgement lost. The replicas must not stay on v0 forever.
   */
  @ParameterizedTest
  @EnumSource(value = WritePolicy.class, names = {"DUAL_WRITE_SYNC", "QUORUM", "AUTHORITY_THEN_ASYNC"})
  void aLostAcknowledgementFromAGcsLikeAuthorityReachesTheReplicas(WritePolicy policy, @TempDir Path dir)
      throws Exception {
    Map<String, InMemoryStore> memory = new LinkedHashMap<>();
    Map<String, ObjectStore> sites = new LinkedHashMap<>();
    FaultInjectingStore gcp = null;
    for (String s : new String[] {GCP, DC1, DC2}) {
      InMemoryStore m = new InMemoryStore(s);
      memory.put(s, m);
      ObjectStore store = s.equals(GCP) ? new OwnGenerations(m) : m;
      FaultInjectingStore f = FaultInjectingStore.wrap(store);
      if (s.equals(GCP)) {
        gcp = f;
      }
      sites.put(s, f);
    }
    HybridStorageOptions options = HybridStorageOptions.newBuilder()
        .site(SiteConfig.memory(GCP, Duration.ofMillis(20)))
        .site(SiteConfig.memory(DC1, Duration.ofMillis(1)))
        .site(SiteConfig.memory(DC2, Duration.ofMillis(30)))
        .localSite(DC1).journalDirectory(dir).placement(World.placement(policy)).build();
    try (RoutingStore router = RoutingStore.create(sites, options, World.testSettings())) {
      router.createBucket(BucketSpec.of(BUCKET));
      put(router, "k", "v0");
      assertThat(router.drain(Duration.ofSeconds(10))).isTrue();
      gcp.addRule(FaultRule.on(Operation.WRITE).forBucket(BUCKET).times(1).inject(Fault.failAfterCommit(503)));
      assertThatThrownBy(() -> put(router, "k", "v1")).isInstanceOf(HybridStorageException.class);
      assertThat(router.drain(Duration.ofSeconds(20))).isTrue();
      long g = memory.get(GCP).head(ObjectId.of(BUCKET, "k"), Conditions.none()).orElseThrow().generation();
      for (String s : new String[] {DC1, DC2}) {
        assertThat(memory.get(s).head(ObjectId.of(BUCKET, "k"), Conditions.none())).as(s)
            .hasValueSatisfying(i -> assertThat(i.generation()).isEqualTo(g));
        assertThat(get(memory.get(s), "k")).as(s).isEqualTo("v1");
      }
    }
  }

  /** A GCS-like store: assigns its own generations and cannot take assigned ones. */
  static final class OwnGenerations extends ForwardingObjectStore {
    OwnGenerations(ObjectStore delegate) {
      super(delegate);
    }

    @Override
    public Set<Capability> capabilities() {
      Set<Capability> caps = EnumSet.copyOf(super.capabilities());
      caps.remove(Capability.ASSIGNED_GENERATIONS);
      return caps;
    }

    @Override
    public ObjectWriter openWrite(WriteRequest request) {
      if (request.generation() != 0) {
        throw new IllegalArgumentException("no assigned generations here");
      }
      return super.openWrite(request);
    }
  }

  // ------------------------------------------------------------------------ finding 4

  /**
   * The journal holds an acknowledged write g1 for dc2; the source meanwhile holds a newer g2 whose
   * own entry never became durable (the process died between the authority's commit and the fsync).
   * Replaying g1 must bring dc2 to g2, not skip it as "a newer entry will follow".
   */
  @Test
  void replayOfASupersededEntryRollsForwardToTheSourcesLiveVersion() throws Exception {
    RoutingSettings lazy = World.testSettings().withJournal(512, Duration.ofHours(1), 2); // replay only on drain
    try (World w = new World(World.placement(WritePolicy.AUTHORITY_THEN_ASYNC), java.time.Clock.systemUTC(),
        lazy)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      w.faults.get(DC2).partition();
      ObjectInfo g1 = put(w.router, "k", "v1");
      assertThat(w.router.journalDepth(DC2)).isEqualTo(1);
      // v2 reaches the authority but its journal entries never became durable: as after a kill -9
      ObjectInfo g2 = w.site(GCP).write(WriteRequest.of(BUCKET, "k").withGeneration(g1.generation() + 1),
          new ByteArrayInputStream("v2".getBytes(StandardCharsets.UTF_8)));
      w.faults.get(DC2).heal();
      assertThat(w.router.drain(Duration.ofSeconds(10))).isTrue();
      assertThat(w.site(DC2).head(ObjectId.of(BUCKET, "k"), Conditions.none())).as("dc2 at or above acknowledged g1")
          .hasValueSatisfying(i -> assertThat(i.generation()).isEqualTo(g2.generation()));
      assertThat(get(w.site(DC2), "k")).isEqualTo("v2");
    }
  }

  // ------------------------------------------------------------------------ finding 5

  /**
   * A delete that finds nothing live at the primary answers "not found" there and then, without a
   * delete call: such a call (unconditional, without intent) deleted whatever a concurrent write
   * had committed meanwhile at the primary alone, and the replicas kept it for good (the history
   * suite's QUORUM and DUAL_WRITE_SYNC divergences: replicas holding an acknowledged write the
   * authority had lost to that delete).
   */
  @ParameterizedTest
  @EnumSource(value = WritePolicy.class, names = {"AUTHORITY_ONLY", "DUAL_WRITE_SYNC", "QUORUM", "AUTHORITY_THEN_ASYNC"})
  void aDeleteOfNothingLiveMakesNoDeleteCallThatCouldRemoveAConcurrentWrite(WritePolicy policy) throws Exception {
    try (World w = new World(policy)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "k", "v0");
      assertThat(w.router.delete(ObjectId.of(BUCKET, "k"), Conditions.none())).isTrue();
      int before = (int) w.faults.get(GCP).calls().stream().filter(c -> c.operation() == Operation.DELETE).count();
      assertThat(w.router.delete(ObjectId.of(BUCKET, "k"), Conditions.none())).as("not found").isFalse();
      assertThat(w.faults.get(GCP).calls().stream().filter(c -> c.operation() == Operation.DELETE).count())
          .as("delete calls at the authority for an object it does not hold").isEqualTo(before);
    }
  }

  /** The authority deleted, its acknowledgement was lost, the retry found nothing: still a delete, replicated. */
  @ParameterizedTest
  @EnumSource(WritePolicy.class)
  void aLostDeleteAcknowledgementIsStillADeleteAndReplicates(WritePolicy policy) throws Exception {
    try (World w = new World(policy)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "k", "v0");
      assertThat(w.router.drain(Duration.ofSeconds(10))).isTrue();
      String primary = policy == WritePolicy.LOCAL_THEN_ASYNC ? DC1 : GCP;
      w.faults.get(primary).addRule(FaultRule.on(Operation.DELETE).forBucket(BUCKET).times(1).inject(Fault.failAfterCommit(503)));
      assertThat(w.router.delete(ObjectId.of(BUCKET, "k"), Conditions.none())).as("deleted").isTrue();
      assertThat(w.router.drain(Duration.ofSeconds(20))).isTrue();
      for (String site : w.memory.keySet()) {
        assertThat(w.site(site).head(ObjectId.of(BUCKET, "k"), Conditions.none())).as(site).isEmpty();
      }
    }
  }

  /** A copy with ifGenerationMatch applied at the authority, its acknowledgement lost: a success, replicated. */
  @ParameterizedTest
  @EnumSource(value = WritePolicy.class, names = {"DUAL_WRITE_SYNC", "QUORUM", "AUTHORITY_THEN_ASYNC",
      "AUTHORITY_ONLY"})
  void aLostCopyAcknowledgementIsASuccessAndReplicates(WritePolicy policy) throws Exception {
    try (World w = new World(policy)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "src", "payload");
      ObjectInfo old = put(w.router, "dst", "old");
      assertThat(w.router.drain(Duration.ofSeconds(10))).isTrue();
      w.faults.get(GCP).addRule(FaultRule.on(Operation.COPY).forBucket(BUCKET).times(1).inject(Fault.failAfterCommit(503)));
      ObjectInfo copied = w.router.copy(new CopyRequest(ObjectId.of(BUCKET, "src"), Conditions.none(), BUCKET, "dst", null,
          Conditions.generationMatch(old.generation())));
      assertThat(copied.generation()).isGreaterThan(old.generation());
      assertThat(w.router.drain(Duration.ofSeconds(20))).isTrue();
      for (String site : w.memory.keySet()) {
        assertThat(w.site(site).head(ObjectId.of(BUCKET, "dst"), Conditions.none())).as(site)
            .hasValueSatisfying(i -> assertThat(i.generation()).isEqualTo(copied.generation()));
        assertThat(get(w.site(site), "dst")).as(site).isEqualTo("payload");
      }
    }
  }

  /**
   * Two composes of equal size conditioned on one generation: the second is refused (412), never
   * taken for the first's lost acknowledgement (the randomized history suite found two composes
   * acknowledged under one generation when the result was recognised by size alone).
   */
  @ParameterizedTest
  @EnumSource(value = WritePolicy.class, names = {"AUTHORITY_ONLY", "DUAL_WRITE_SYNC", "AUTHORITY_THEN_ASYNC"})
  void aComposeRefusedBecauseAnotherOfTheSameSizeWonIsA412(WritePolicy policy) throws Exception {
    try (World w = new World(policy)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "a", "aa");
      put(w.router, "b", "bb");
      ObjectInfo old = put(w.router, "dst", "old");
      Conditions onOld = Conditions.generationMatch(old.generation());
      ObjectInfo first = w.router.compose(new io.hybridstorage.api.ComposeRequest(BUCKET,
          java.util.List.of(io.hybridstorage.api.ComposeRequest.Source.of("a"),
              io.hybridstorage.api.ComposeRequest.Source.of("b")), "dst", io.hybridstorage.api.ObjectMetadata.empty(),
          onOld));
      assertThatThrownBy(() -> w.router.compose(new io.hybridstorage.api.ComposeRequest(BUCKET,
          java.util.List.of(io.hybridstorage.api.ComposeRequest.Source.of("b"),
              io.hybridstorage.api.ComposeRequest.Source.of("a")), "dst", io.hybridstorage.api.ObjectMetadata.empty(),
          onOld))).isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(412));
      assertThat(get(w.router, "dst")).isEqualTo("aabb");
      assertThat(w.site(GCP).head(ObjectId.of(BUCKET, "dst"), Conditions.none()).orElseThrow().generation())
          .isEqualTo(first.generation());
    }
  }

  /** A compose with ifGenerationMatch applied at the authority, its acknowledgement lost: a success, replicated. */
  @ParameterizedTest
  @EnumSource(value = WritePolicy.class, names = {"DUAL_WRITE_SYNC", "QUORUM", "AUTHORITY_THEN_ASYNC",
      "AUTHORITY_ONLY"})
  void aLostComposeAcknowledgementIsASuccessAndReplicates(WritePolicy policy) throws Exception {
    try (World w = new World(policy)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "a", "aa");
      put(w.router, "b", "bbb");
      ObjectInfo old = put(w.router, "dst", "old");
      assertThat(w.router.drain(Duration.ofSeconds(10))).isTrue();
      w.faults.get(GCP).addRule(FaultRule.on(Operation.COMPOSE).forBucket(BUCKET).times(1)
          .inject(Fault.failAfterCommit(503)));
      ObjectInfo composed = w.router.compose(new io.hybridstorage.api.ComposeRequest(BUCKET,
          java.util.List.of(io.hybridstorage.api.ComposeRequest.Source.of("a"),
              io.hybridstorage.api.ComposeRequest.Source.of("b")), "dst", io.hybridstorage.api.ObjectMetadata.empty(),
          Conditions.generationMatch(old.generation())));
      assertThat(composed.generation()).isGreaterThan(old.generation());
      assertThat(w.router.drain(Duration.ofSeconds(20))).isTrue();
      for (String site : w.memory.keySet()) {
        assertThat(w.site(site).head(ObjectId.of(BUCKET, "dst"), Conditions.none())).as(site)
            .hasValueSatisfying(i -> assertThat(i.generation()).isEqualTo(composed.generation()));
        assertThat(get(w.site(site), "dst")).as(site).isEqualTo("aabbb");
      }
    }
  }
}
