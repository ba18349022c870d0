package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.get;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.testkit.time.VirtualClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Verify and repair with injected divergence: missing, stale, corrupted and extra copies. Sites
 * keep tombstones (a site never takes back a generation it deleted), so divergence is made as it
 * arises: a replica that never received a write, an authority that moved on, bytes damaged in
 * place, a copy the authority never had or deleted.
 */
class VerifyRepairTest {

  /** Writes {@code value} at {@code site} with the assigned generation {@code generation}. */
  static ObjectInfo raw(ObjectStore site, String key, String value, long generation) {
    return site.write(WriteRequest.of(BUCKET, key).withGeneration(generation),
        new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8)));
  }

  /** Replaces the bytes of generation {@code generation} in place (what damage, or repair, does). */
  static ObjectInfo rawReplace(ObjectStore site, String key, String value, long generation) {
    return site.write(WriteRequest.of(BUCKET, key).withGeneration(generation)
        .withConditions(Conditions.generationMatch(generation)),
        new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Writes {@code names} (value = name) through a second router that cannot reach {@code
   * unreachable} and then loses its journal: every other replica has them, that site never will.
   */
  static void writeThroughALossyRouter(World w, String unreachable, List<String> names) {
    try (World lossy = w.peerWithOwnLinks(World.DC1, World.testSettings())) {
      lossy.faults.get(unreachable).partition();
      names.forEach(n -> put(lossy.router, n, n));
      for (String other : List.of(World.GCP, World.DC1, World.DC2)) {
        for (int pass = 0; pass < 100 && !other.equals(unreachable) && lossy.router.journalDepth(other) > 0; pass++) {
          lossy.router.replayNow();
        }
        if (!other.equals(unreachable)) {
          assertThat(lossy.router.journalDepth(other)).as("replicated to " + other).isZero();
        }
      }
    } // closing the world deletes its journal: the entries for the unreachable site are lost
  }

  @Test
  void findsAndRepairsEveryKindOfDivergence() throws Exception {
    VirtualClock clock = VirtualClock.create();
    try (World w = new World(World.placement(WritePolicy.DUAL_WRITE_SYNC), clock, World.testSettings())) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      List<ObjectInfo> written = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        written.add(i == 1 ? null : put(w.router, "d/k" + i, "value-" + i));
      }
      put(w.router, "d/zz-deleted", "deleted at the authority");
      assertThat(w.router.verify(BUCKET, "", null, 0).isClean()).isTrue();

      ObjectStore gcp = w.site(World.GCP);
      ObjectStore dc1 = w.site(World.DC1);
      ObjectStore dc2 = w.site(World.DC2);
      long g1 = written.get(0).generation() + 7;
      raw(gcp, "d/k1", "value-1", g1);                                                     // missing on dc1
      raw(dc2, "d/k1", "value-1", g1);
      long g2 = written.get(2).generation() + 1000;
      raw(gcp, "d/k2", "value-2b", g2);                                                    // stale on dc2
      raw(dc1, "d/k2", "value-2b", g2);
      rawReplace(dc1, "d/k3", "rotten bytes", written.get(3).generation());                // corrupted on dc1
      raw(dc2, "d/zz-extra", "nobody wrote me here", 5);                                   // extra on dc2: new
      gcp.delete(ObjectId.of(BUCKET, "d/zz-deleted"), Conditions.none());                  // extra on dc2: a
      dc1.delete(ObjectId.of(BUCKET, "d/zz-deleted"), Conditions.none());                  // delete dc2 missed

      // the damaged, extra and deleted copies are younger than the repair horizon: left alone
      VerifyReport young = w.router.repair(BUCKET, "", null, 0);
      assertThat(young.differences()).extracting(Difference::kind, Difference::name, Difference::site)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(Difference.Kind.MISSING, "d/k1", World.DC1),
              org.assertj.core.groups.Tuple.tuple(Difference.Kind.PENDING, "d/k3", World.DC1),
              org.assertj.core.groups.Tuple.tuple(Difference.Kind.STALE, "d/k2", World.DC2),
              org.assertj.core.groups.Tuple.tuple(Difference.Kind.PENDING, "d/zz-deleted", World.DC2),
              org.assertj.core.groups.Tuple.tuple(Difference.Kind.PENDING, "d/zz-extra", World.DC2));
      assertThat(young.differences()).filteredOn(Difference::repaired).extracting(Difference::name)
          .containsExactlyInAnyOrder("d/k1", "d/k2");
      assertThat(World.get(dc1, "d/k3")).isEqualTo("rotten bytes");
      assertThat(World.get(dc2, "d/zz-extra")).isEqualTo("nobody wrote me here");

      clock.advance(World.testSettings().repairHorizon().plusSeconds(1));
      VerifyReport report = w.router.verify(BUCKET, "", null, 0);
      assertThat(report.checked()).isEqualTo(10);
      assertThat(report.differences()).extracting(Difference::kind, Difference::name, Difference::site)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(Difference.Kind.CORRUPTED, "d/k3", World.DC1),
              org.assertj.core.groups.Tuple.tuple(Difference.Kind.EXTRA, "d/zz-deleted", World.DC2),
              org.assertj.core.groups.Tuple.tuple(Difference.Kind.EXTRA, "d/zz-extra", World.DC2));
      assertThat(report.differences()).noneMatch(Difference::repaired);

      VerifyReport repaired = w.router.repair(BUCKET, "", null, 0);
      assertThat(repaired.differences()).hasSize(3).allMatch(Difference::repaired);
      assertThat(repaired.differences()).filteredOn(Difference::rolledForward).extracting(Difference::name)
          .as("a copy the authority never had goes to the authority; a deleted one does not come back")
          .containsExactly("d/zz-extra");
      assertThat(get(dc1, "d/k1")).isEqualTo("value-1");
      assertThat(get(dc2, "d/k2")).isEqualTo("value-2b");
      assertThat(get(dc1, "d/k3")).isEqualTo("value-3");
      assertThat(dc1.head(ObjectId.of(BUCKET, "d/k3"), Conditions.none()).orElseThrow().generation())
          .isEqualTo(written.get(3).generation());
      assertThat(get(gcp, "d/zz-extra")).isEqualTo("nobody wrote me here");
      for (ObjectStore site : List.of(gcp, dc1, dc2)) {
        assertThat(site.head(ObjectId.of(BUCKET, "d/zz-deleted"), Conditions.none())).as(site.site()).isEmpty();
      }

      // the rolled-forward object is now the authority's: the next pass copies it to dc1
      assertThat(w.router.repair(BUCKET, "", null, 0).differences())
          .extracting(Difference::kind, Difference::name, Difference::site, Difference::repaired)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(Difference.Kind.MISSING, "d/zz-extra", World.DC1,
              true));
      assertThat(w.router.verify(BUCKET, "", null, 0).isClean()).isTrue();
    }
  }

  @Test
  void verifyResumesByPageTokenAndPartitionsByPrefix() throws Exception {
    try (World w = new World(WritePolicy.AUTHORITY_THEN_ASYNC)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      List<String> lost = List.of("a/0", "a/2", "a/4", "a/6", "b/6");
      for (String prefix : List.of("a/", "b/")) {
        for (int i = 0; i < 7; i++) {
          if (!lost.contains(prefix + i)) {
            put(w.router, prefix + i, prefix + i);
          }
        }
      }
      assertThat(w.drain(Duration.ofSeconds(10))).isTrue();
      assertThat(w.router.verify(BUCKET, "", null, 0).differences()).isEmpty();
      writeThroughALossyRouter(w, World.DC2, lost);
      ObjectStore dc2 = w.site(World.DC2);
      for (String n : lost) {
        assertThat(dc2.head(ObjectId.of(BUCKET, n), Conditions.none())).isEmpty();
      }

      Set<String> missing = new HashSet<>();
      String token = null;
      int pages = 0;
      int checked = 0;
      do {
        VerifyReport page = w.router.verify(BUCKET, "a/", token, 3);
        pages++;
        checked += page.checked();
        page.differences().forEach(d -> missing.add(d.name()));
        token = page.nextPageToken();
      } while (token != null);
      assertThat(pages).isEqualTo(3);
      assertThat(checked).isEqualTo(7);
      assertThat(missing).containsExactlyInAnyOrder("a/0", "a/2", "a/4", "a/6");

      VerifyReport other = w.router.repair(BUCKET, "b/", null, 0);
      assertThat(other.differences()).extracting(Difference::name).containsExactly("b/6");
      assertThat(w.router.verify(BUCKET, "b/", null, 0).isClean()).isTrue();
      assertThat(w.router.verify(BUCKET, "a/", null, 0).differences()).hasSize(4); // other partition untouched
    }
  }
}
