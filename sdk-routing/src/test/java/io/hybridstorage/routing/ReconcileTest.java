package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.DC1;
import static io.hybridstorage.routing.World.DC2;
import static io.hybridstorage.routing.World.GCP;
import static io.hybridstorage.routing.World.get;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link RoutingStore#reconcile}: changes made at a site outside the router, brought to another. */
class ReconcileTest {

  /** A write straight into the gcp site's store, as a BigQuery export or gsutil would make it. */
  private static ObjectInfo outside(World w, String site, String name, String value) {
    byte[] bytes = value.getBytes(UTF_8);
    return w.memory.get(site).write(WriteRequest.of(BUCKET, name).withCrc32c(Checksums.crc32c(bytes)),
        new ByteArrayInputStream(bytes));
  }

  private static Optional<ObjectInfo> head(World w, String site, String name) {
    return w.memory.get(site).head(ObjectId.of(BUCKET, name), Conditions.none());
  }

  @Test
  void copiesTheSourcesGenerationThenChangesNothingMore() throws Exception {
    try (World w = new World(WritePolicy.AUTHORITY_ONLY)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      ObjectInfo g1 = outside(w, GCP, "export/part-0", "one");
      assertThat(w.router.reconcile(BUCKET, "export/part-0", GCP, DC1, 0)).isEqualTo(Reconciled.COPIED);
      assertThat(head(w, DC1, "export/part-0")).hasValueSatisfying(i -> {
        assertThat(i.generation()).isEqualTo(g1.generation());
        assertThat(i.crc32c()).isEqualTo(g1.crc32c());
      });
      assertThat(get(w.memory.get(DC1), "export/part-0")).isEqualTo("one");
      assertThat(w.router.reconcile(BUCKET, "export/part-0", GCP, DC1, 0)).isEqualTo(Reconciled.UNCHANGED);
      assertThat(head(w, DC2, "export/part-0")).as("only the target named").isEmpty();
    }
  }

  @Test
  void anOlderChangeNeverReplacesANewerCopy() throws Exception {
    try (World w = new World(WritePolicy.AUTHORITY_ONLY)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      outside(w, GCP, "o", "old");
      assertThat(w.router.reconcile(BUCKET, "o", GCP, DC1, 0)).isEqualTo(Reconciled.COPIED);
      ObjectInfo g2 = outside(w, GCP, "o", "new");
      assertThat(w.router.reconcile(BUCKET, "o", GCP, DC1, 0)).isEqualTo(Reconciled.COPIED);
      assertThat(head(w, DC1, "o").orElseThrow().generation()).isEqualTo(g2.generation());
      // a late notification of the first write reconciles the current state: nothing moves back
      assertThat(w.router.reconcile(BUCKET, "o", GCP, DC1, 0)).isEqualTo(Reconciled.UNCHANGED);
      assertThat(get(w.memory.get(DC1), "o")).isEqualTo("new");
    }
  }

  @Test
  void aDeleteRaisesATombstoneThatRefusesTheOlderWriteArrivingLate() {
    try (World w = new World(WritePolicy.AUTHORITY_ONLY)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      ObjectInfo g1 = outside(w, GCP, "o", "x");
      assertThat(w.router.reconcile(BUCKET, "o", GCP, DC2, 0)).isEqualTo(Reconciled.COPIED);
      assertThat(w.memory.get(GCP).delete(ObjectId.of(BUCKET, "o"), Conditions.none())).isTrue();
      assertThat(w.router.reconcile(BUCKET, "o", GCP, DC2, 0)).as("no delete known").isEqualTo(Reconciled.UNCHANGED);
      assertThat(w.router.reconcile(BUCKET, "o", GCP, DC2, g1.generation())).isEqualTo(Reconciled.DELETED);
      assertThat(head(w, DC2, "o")).isEmpty();
      // the delete reached dc1 before the write's copy: the late copy of g1 is refused there
      assertThat(w.router.reconcile(BUCKET, "o", GCP, DC1, g1.generation())).isEqualTo(Reconciled.UNCHANGED);
      assertThatThrownBy(() -> w.memory.get(DC1).write(WriteRequest.of(BUCKET, "o").withGeneration(g1.generation()),
          new ByteArrayInputStream(new byte[] {1})))
          .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(412));
    }
  }

  @Test
  void metadataFollowsTheSource() {
    try (World w = new World(WritePolicy.AUTHORITY_ONLY)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      outside(w, GCP, "o", "x");
      w.router.reconcile(BUCKET, "o", GCP, DC1, 0);
      w.memory.get(GCP).updateMetadata(ObjectId.of(BUCKET, "o"),
          MetadataPatch.ofCustom(Map.of("team", "sales")), Conditions.none());
      assertThat(w.router.reconcile(BUCKET, "o", GCP, DC1, 0)).isEqualTo(Reconciled.METADATA);
      assertThat(head(w, DC1, "o").orElseThrow().metadata().custom()).containsEntry("team", "sales");
    }
  }

  @Test
  void anUnknownSiteAndASiteDownAreClearErrors() {
    // (foreign objects — without generation — exist on VAST only: the sync module's S3Mock tests cover them)
    try (World w = new World(WritePolicy.AUTHORITY_ONLY)) {
      w.router.createBucket(BucketSpec.of(BUCKET));
      assertThatThrownBy(() -> w.router.reconcile(BUCKET, "o", "dc9", DC2, 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dc9");
      outside(w, GCP, "o", "x");
      w.faults.get(DC2).partition();
      assertThatThrownBy(() -> w.router.reconcile(BUCKET, "o", GCP, DC2, 0))
          .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.getMessage()).contains(DC2));
      w.faults.get(DC2).heal();
    }
  }
}
