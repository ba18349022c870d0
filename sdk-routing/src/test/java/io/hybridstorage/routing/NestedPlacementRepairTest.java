package io.hybridstorage.routing;

import static io.hybridstorage.routing.NestedPlacementListingTest.OUTER;
import static io.hybridstorage.routing.NestedPlacementListingTest.TMP;
import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.DC1;
import static io.hybridstorage.routing.World.DC2;
import static io.hybridstorage.routing.World.GCP;
import static io.hybridstorage.routing.World.get;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.testkit.time.VirtualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Verify and repair judge every name by its most specific placement: with {@code bkt} (gcp, dc1,
 * dc2; authority gcp) and {@code bkt/tmp/} (dc1, dc2; authority dc1), the tmp/ objects are not
 * "extra" copies of {@code bkt} to be deleted, and their differences are found and fixed against
 * dc1, the nested placement's authority.
 */
class NestedPlacementRepairTest {

  @Test
  void repairOfTheWholeBucketKeepsANestedPlacementAndRepairsItAgainstItsOwnAuthority() throws Exception {
    VirtualClock clock = VirtualClock.create();
    try (World w = new World(List.of(OUTER, TMP), clock, World.testSettings())) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "o0", "outer 0");
      put(w.router, "o1", "outer 1");
      for (int i = 0; i < 5; i++) {
        put(w.router, "tmp/t" + i, "tmp " + i);
      }
      assertThat(w.drain(Duration.ofSeconds(10))).isTrue();
      VerifyRepairTest.writeThroughALossyRouter(w, DC2, List.of("tmp/t5")); // dc2 never gets it
      // every copy is old: only the placements can tell the tmp/ copies are no extra ones
      clock.advance(World.testSettings().repairHorizon().multipliedBy(2));

      VerifyReport verified = w.router.verify(BUCKET, "", null, 0);
      assertThat(verified.checked()).as("both placements' names, each from its own authority").isEqualTo(8);
      assertThat(verified.differences()).extracting(Difference::kind, Difference::name, Difference::site)
          .containsExactly(tuple(Difference.Kind.MISSING, "tmp/t5", DC2));

      VerifyReport repaired = w.router.repair(BUCKET, "", null, 0);
      assertThat(repaired.differences()).extracting(Difference::kind, Difference::name, Difference::site,
          Difference::repaired).containsExactly(tuple(Difference.Kind.MISSING, "tmp/t5", DC2, true));
      for (int i = 0; i <= 5; i++) {
        for (String site : List.of(DC1, DC2)) {
          assertThat(get(w.site(site), "tmp/t" + i)).as("tmp/t%d on %s", i, site)
              .isEqualTo(i == 5 ? "tmp/t5" : "tmp " + i);
        }
        assertThat(w.site(GCP).head(ObjectId.of(BUCKET, "tmp/t" + i), Conditions.none())).isEmpty();
      }
      for (String site : List.of(GCP, DC1, DC2)) {
        assertThat(get(w.site(site), "o0")).isEqualTo("outer 0");
      }
      assertThat(w.router.verify(BUCKET, "", null, 0).isClean()).isTrue();

      // paged: the page token resumes across both placements
      int checked = 0;
      String token = null;
      do {
        VerifyReport page = w.router.verify(BUCKET, "", token, 3);
        assertThat(page.differences()).isEmpty();
        checked += page.checked();
        token = page.nextPageToken();
      } while (token != null);
      assertThat(checked).isEqualTo(8);
    }
  }

  @Test
  void repairOfTheNestedPrefixWorksOnTheNestedPlacement() throws Exception {
    VirtualClock clock = VirtualClock.create();
    try (World w = new World(List.of(OUTER, TMP), clock, World.testSettings())) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      put(w.router, "o0", "outer 0");
      put(w.router, "tmp/t0", "tmp 0");
      assertThat(w.drain(Duration.ofSeconds(10))).isTrue();
      VerifyRepairTest.writeThroughALossyRouter(w, DC2, List.of("tmp/t1", "tmp/t2"));
      clock.advance(World.testSettings().repairHorizon().multipliedBy(2));

      VerifyReport repaired = w.router.repair(BUCKET, "tmp/", null, 0);
      assertThat(repaired.checked()).isEqualTo(3);
      assertThat(repaired.differences()).extracting(Difference::kind, Difference::name, Difference::site,
          Difference::repaired).containsExactly(tuple(Difference.Kind.MISSING, "tmp/t1", DC2, true),
          tuple(Difference.Kind.MISSING, "tmp/t2", DC2, true));
      assertThat(get(w.site(DC2), "tmp/t2")).isEqualTo("tmp/t2");
      assertThat(w.router.verify(BUCKET, "tmp/", null, 0).isClean()).isTrue();
      assertThat(w.router.repair(BUCKET, "", null, 0).differences()).isEmpty();
      assertThat(get(w.site(DC1), "tmp/t0")).isEqualTo("tmp 0");
      assertThat(get(w.site(DC2), "tmp/t0")).isEqualTo("tmp 0");
    }
  }
}
