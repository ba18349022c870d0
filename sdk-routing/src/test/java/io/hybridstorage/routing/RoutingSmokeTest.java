package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.get;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThat;
import static io.hybridstorage.routing.World.get;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RoutingSmokeTest {

  @ParameterizedTest
  @EnumSource(WritePolicy.class)
  void writeReadDeleteConvergeOnEverySite(WritePolicy policy) throws Exception {
    try (World w = new World(policy)) {
      w.router.createBucket(BucketSpec.of("bkt"));
      for (String site : w.memory.keySet()) {
        assertThat(w.site(site).getBucket("bkt")).as(site).isPresent();
      }
      ObjectInfo one = put(w.router, "o", "hello");
      assertThat(get(w.router, "o")).isEqualTo("hello");
      ObjectInfo two = put(w.router, "o", "world");
      assertThat(two.generation()).isGreaterThan(one.generation());
      assertThat(get(w.router, "o")).isEqualTo("world");
      assertThat(w.router.drain(Duration.ofSeconds(5))).isTrue();
      for (String site : w.memory.keySet()) {
        assertThat(w.site(site).head(ObjectId.of("bkt", "o"), Conditions.none())).as(site)
            .hasValueSatisfying(i -> assertThat(i.generation()).isEqualTo(two.generation()));
        assertThat(get(w.site(site), "o")).as(site).isEqualTo("world");
      }
      assertThatThrownBy(() -> w.router.write(WriteRequest.of("bkt", "o").withConditions(Conditions.doesNotExist()),
          new ByteArrayInputStream(new byte[1])))
          .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(412));
      assertThat(w.router.delete(ObjectId.of("bkt", "o"), Conditions.none())).isTrue();
      assertThat(w.router.head(ObjectId.of("bkt", "o"), Conditions.none())).isEmpty();
      assertThat(w.router.drain(Duration.ofSeconds(5))).isTrue();
      for (String site : w.memory.keySet()) {
        assertThat(w.site(site).head(ObjectId.of("bkt", "o"), Conditions.none())).as(site).isEmpty();
      }
    }
  }

  @org.junit.jupiter.api.Test
  void siteStoresReachEachSiteAndOnlyIt() throws Exception {
    try (World w = new World(WritePolicy.AUTHORITY_THEN_ASYNC)) {
      w.router.createBucket(BucketSpec.of("bkt"));
      assertThat(w.router.siteStores().keySet()).containsExactlyElementsOf(w.memory.keySet());
      String one = w.memory.keySet().iterator().next();
      put(w.router.siteStores().get(one), "only-here", "x");
      for (String site : w.memory.keySet()) {
        assertThat(w.site(site).head(ObjectId.of("bkt", "only-here"), Conditions.none()).isPresent()).as(site)
            .isEqualTo(site.equals(one));
      }
      assertThatThrownBy(() -> w.router.siteStores().put("x", w.router)).isInstanceOf(UnsupportedOperationException.class);
      assertThat(w.router.options().placements()).isNotEmpty();
    }
  }
}
