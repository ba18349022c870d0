package io.hybridstorage.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.memory.InMemoryStore;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A name with {@code .} or {@code ..} segments ({@code a/../x}) is stored literally by GCS and the
 * in-memory store, but refused (400) by an S3 site, whose paths would resolve it (VastStore, see
 * its {@code VastDotSegmentTest}). The router must refuse a change of such a name before any site
 * is touched when a replica cannot hold it: otherwise the authority commits it and the journal
 * keeps an entry for the S3 replica that can never be replayed.
 */
class DotSegmentRoutingTest {

  private static final String NAME = "a/../x";

  /** The capabilities of a VAST site: no DOT_SEGMENT_NAMES. */
  static ObjectStore s3Like(String site) {
    return new ForwardingObjectStore(new InMemoryStore(site)) {
      @Override
      public Set<Capability> capabilities() {
        return EnumSet.of(Capability.ASSIGNED_GENERATIONS, Capability.NATIVE_COPY, Capability.SIGNED_URLS);
      }
    };
  }

  private static void assertRefused(String op, Runnable call) {
    Throwable thrown = catchThrowable(call::run);
    assertThat(thrown).as(op).isInstanceOfSatisfying(HybridStorageException.class, e -> {
      assertThat(e.code()).as(e.getMessage()).isEqualTo(400);
      assertThat(e.getMessage()).contains(op + " gs://bkt/" + NAME).contains("'.' or '..' segment")
          .contains("dc1");
    });
  }

  @Test
  void aChangeOfADotSegmentNameIsRefusedWhenAReplicaCannotHoldIt(@TempDir Path dir) {
    Map<String, ObjectStore> sites = new LinkedHashMap<>();
    InMemoryStore gcp = new InMemoryStore("gcp");
    sites.put("gcp", gcp);
    sites.put("dc1", s3Like("dc1"));
    sites.put("dc2", new InMemoryStore("dc2"));
    HybridStorageOptions options = HybridStorageOptions.inMemoryThreeSites().clearPlacements()
        .placement(World.placement(WritePolicy.AUTHORITY_THEN_ASYNC).toBuilder().replicas("gcp", "dc1").build())
        .placement(Placement.builder("literal").replicas("gcp", "dc2").authority("gcp").build())
        .journalDirectory(dir).build();
    try (RoutingStore router = RoutingStore.create(sites, options, World.testSettings())) {
      router.createBucket(BucketSpec.of("bkt"));
      World.put(router, "plain", "p");
      assertThat(router.drain(java.time.Duration.ofSeconds(60))).as("plain replicated").isTrue();
      assertRefused("write", () -> World.put(router, NAME, "escaped"));
      assertRefused("delete", () -> router.delete(ObjectId.of("bkt", NAME), Conditions.none()));
      assertRefused("updateMetadata", () -> router.updateMetadata(ObjectId.of("bkt", NAME),
          MetadataPatch.ofContentType("text/plain"), Conditions.none()));
      assertRefused("copy", () -> router.copy(CopyRequest.of(ObjectId.of("bkt", "plain"), "bkt", NAME)));
      assertRefused("compose", () -> router.compose(new ComposeRequest("bkt", List.of(ComposeRequest.Source.of(
          "plain")), NAME, ObjectMetadata.empty(), Conditions.none())));
      assertThat(gcp.head(ObjectId.of("bkt", NAME), Conditions.none())).as("nothing committed").isEmpty();
      assertThat(router.journalDepth()).as("nothing journaled that dc1 could never take").isZero();

      // where every replica stores names literally, the name is an ordinary (GCS) name
      router.createBucket(BucketSpec.of("literal"));
      router.write(io.hybridstorage.api.WriteRequest.of("literal", NAME),
          new java.io.ByteArrayInputStream(new byte[] {1}));
      assertThat(router.head(ObjectId.of("literal", NAME), Conditions.none())).isPresent();
      assertThat(router.head(ObjectId.of("literal", "x"), Conditions.none())).isEmpty();
    }
  }
}
