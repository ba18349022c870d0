package io.hybridstorage.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.routing.RoutingSettings;
import io.hybridstorage.routing.RoutingStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two datacenters, each with its own gateway over its own router (own journal) on the same three
 * sites: what one gateway acknowledges the other serves, and two callers racing to create the
 * same key with {@code doesNotExist} through different gateways get exactly one success — the
 * authority decides, not the gateway a caller happened to reach.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TwoGatewaysTest {

  private final Map<String, InMemoryStore> sites = new LinkedHashMap<>();

  {
    for (String s : List.of("gcp", "dc1", "dc2")) {
      sites.put(s, new InMemoryStore(s));
    }
  }

  private RoutingStore router(String local, WritePolicy policy) {
    Placement placement = Placement.builder(Placement.ANY_BUCKET).replicas("gcp", "dc1", "dc2").authority("gcp")
        .write(policy).read(ReadPolicy.NEAREST_VERIFIED).consistency(Consistency.STRONG).build();
    HybridStorageOptions options = HybridStorageOptions.newBuilder()
        .site(SiteConfig.memory("gcp", Duration.ZERO)).site(SiteConfig.memory("dc1", Duration.ZERO))
        .site(SiteConfig.memory("dc2", Duration.ZERO)).localSite(local).placement(placement).build();
    return RoutingStore.create(new LinkedHashMap<String, ObjectStore>(sites), options,
        RoutingSettings.defaults().withOwnsSites(false));
  }

  @Test
  void whatOneGatewayAcknowledgesTheOtherServesAndACreateRaceHasOneWinner() throws Exception {
    for (WritePolicy policy : List.of(WritePolicy.DUAL_WRITE_SYNC, WritePolicy.AUTHORITY_THEN_ASYNC)) {
      RoutingStore routerA = router("dc1", policy);
      RoutingStore routerB = router("dc2", policy);
      try (Gateway a = Gateway.builder(routerA).allowAnonymous().stopTimeout(Duration.ofSeconds(1)).start();
          Gateway b = Gateway.builder(routerB).allowAnonymous().stopTimeout(Duration.ofSeconds(1)).start();
          Storage viaA = LoopbackGateway.of(a).clientOptions().build().getService();
          Storage viaB = LoopbackGateway.of(b).clientOptions().build().getService()) {
        String bucket = "two-" + policy.name().toLowerCase().replace('_', '-');
        viaA.create(BucketInfo.of(bucket));
        Blob written = viaA.create(BlobInfo.newBuilder(bucket, "k").build(), "v1".getBytes(StandardCharsets.UTF_8));
        assertThat(viaB.readAllBytes(BlobId.of(bucket, "k"))).asString(StandardCharsets.UTF_8).isEqualTo("v1");
        assertThat(viaB.get(bucket, "k").getGeneration()).isEqualTo(written.getGeneration());

        for (int round = 0; round < 10; round++) {
          String name = "race-" + round;
          CountDownLatch go = new CountDownLatch(1);
          List<CompletableFuture<String>> racers = new ArrayList<>();
          for (Storage via : List.of(viaA, viaB)) {
            String value = via == viaA ? "from-a" : "from-b";
            racers.add(CompletableFuture.supplyAsync(() -> {
              try {
                go.await();
                via.create(BlobInfo.newBuilder(bucket, name).build(), value.getBytes(StandardCharsets.UTF_8),
                    BlobTargetOption.doesNotExist());
                return value;
              } catch (StorageException e) {
                return "refused " + e.getCode();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            }));
          }
          go.countDown();
          List<String> outcomes = new ArrayList<>();
          for (CompletableFuture<String> r : racers) {
            outcomes.add(r.get(60, TimeUnit.SECONDS));
          }
          assertThat(outcomes).as("%s round %d", policy, round).containsOnlyOnce("refused 412")
              .anyMatch(o -> o.startsWith("from-"));
          String winner = outcomes.stream().filter(o -> o.startsWith("from-")).findFirst().orElseThrow();
          // both gateways, and the authority, serve the winner
          assertThat(viaA.readAllBytes(BlobId.of(bucket, name))).asString(StandardCharsets.UTF_8).isEqualTo(winner);
          assertThat(viaB.readAllBytes(BlobId.of(bucket, name))).asString(StandardCharsets.UTF_8).isEqualTo(winner);
          try (var c = sites.get("gcp").read(io.hybridstorage.api.ReadRequest.of(ObjectId.of(bucket, name)))) {
            assertThat(new String(c.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(winner);
          }
        }
        assertThat(routerA.drain(Duration.ofSeconds(30))).isTrue();
        assertThat(routerB.drain(Duration.ofSeconds(30))).isTrue();
        for (InMemoryStore site : sites.values()) {
          assertThat(site.head(ObjectId.of(bucket, "k"), Conditions.none())).as(site.site()).get()
              .extracting(i -> i.generation()).isEqualTo(written.getGeneration());
        }
      } finally {
        routerA.close();
        routerB.close();
      }
    }
  }
}
