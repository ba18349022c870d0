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
import io.hybridstorage.testkit.InMemoryStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Verify and repair with injected divergence: missing, stale, corrupted and extra copies. */
class VerifyRepairTest {

  /**
   * Plants {@code value} as generation {@code generation} of {@code key} on a site, whatever it held
   * before (a delete would leave a tombstone that refuses an older generation).
   */
  static ObjectInfo raw(InMemoryStore site, String key, String value, long generation) {
    site.lose(BUCKET, key);
    return site.write(WriteRequest.of(BUCKET, key).withGeneration(generation),
        new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void findsAndRepairsEveryKindOfDivergence() throws Exception {
    try (World w = new World(WritePolicy.DUAL_WRITE_SYNC)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      List<ObjectInfo> written = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        written.add(put(w.router, "d/k" + i, "value-" + i));
      }
      assertThat(w.router.verify(BUCKET, "", null, 0).isClean()).isTrue();

      InMemoryStore dc1 = w.memory.get(World.DC1);
      InMemoryStore dc2 = w.memory.get(World.DC2);
      dc1.lose(BUCKET, "d/k1");                                                              // missing
      raw(dc2, "d/k2", "old bytes", written.get(2).generation() - 1000);                    // stale
      raw(dc1, "d/k3", "rotten bytes", written.get(3).generation());                        // corrupted
      raw(dc2, "d/zz-extra", "nobody wrote me", 5);                                         // extra

      VerifyReport report = w.router.verify(BUCKET, "", null, 0);
      assertThat(report.checked()).isEqualTo(10);
      assertThat(report.differences()).extracting(Difference::kind, Difference::name, Difference::site)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(Difference.Kind.MISSING, "d/k1", World.DC1),
              org.assertj.core.groups.Tuple.tuple(Difference.Kind.CORRUPTED, "d/k3", World.DC1),
              org.assertj.core.groups.Tuple.tuple(Difference.Kind.STALE, "d/k2", World.DC2),
              org.assertj.core.groups.Tuple.tuple(Difference.Kind.EXTRA, "d/zz-extra", World.DC2));
      assertThat(report.differences()).noneMatch(Difference::repaired);

      VerifyReport repaired = w.router.repair(BUCKET, "", null, 0);
      assertThat(repaired.differences()).hasSize(4).allMatch(Difference::repaired);
      assertThat(w.router.verify(BUCKET, "", null, 0).isClean()).isTrue();
      assertThat(get(dc1, "d/k1")).isEqualTo("value-1");
      assertThat(get(dc2, "d/k2")).isEqualTo("value-2");
      assertThat(get(dc1, "d/k3")).isEqualTo("value-3");
      assertThat(dc2.head(ObjectId.of(BUCKET, "d/zz-extra"), Conditions.none())).isEmpty();
      assertThat(dc1.head(ObjectId.of(BUCKET, "d/k3"), Conditions.none()).orElseThrow().generation())
          .isEqualTo(written.get(3).generation());
    }
  }

  @Test
  void verifyResumesByPageTokenAndPartitionsByPrefix() throws Exception {
    try (World w = new World(WritePolicy.AUTHORITY_THEN_ASYNC)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      for (String prefix : List.of("a/", "b/")) {
        for (int i = 0; i < 7; i++) {
          put(w.router, prefix + i, prefix + i);
        }
      }
      assertThat(w.router.drain(Duration.ofSeconds(10))).isTrue();
      assertThat(w.router.verify(BUCKET, "", null, 0).differences()).isEmpty();
      // lost copies (a delete would leave tombstones, which repair rightly does not overwrite)
      InMemoryStore dc2 = w.memory.get(World.DC2);
      for (int i = 0; i < 7; i += 2) {
        dc2.lose(BUCKET, "a/" + i);
      }
      dc2.lose(BUCKET, "b/6");

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
