package io.hybridstorage.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.ObjectInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The default world of {@link HybridStorageExtension#threeSites()}, as a BU test uses it: gcp, dc1
 * and dc2 in memory, routed by hybrid-storage-routing (found on the test classpath at run time;
 * neither this module's code nor sdk-testkit compiles against it), a fresh world per test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeSitesTest {

  @RegisterExtension
  static HybridStorageExtension sites = HybridStorageExtension.threeSites();

  /** The world of each test, in test order. */
  private static final List<HybridWorld> WORLDS = new ArrayList<>();

  @Test
  @Order(1)
  void dualWriteSyncPutsTheObjectOnEverySiteBeforeTheCallReturns() {
    WORLDS.add(sites.world());
    Storage storage = sites.storage();
    storage.create(BucketInfo.of("sales"));
    Blob blob = storage.create(BlobInfo.newBuilder("sales", "2030/01/01.csv").build(), "a,b\n".getBytes(UTF_8));

    Map<String, ObjectInfo> where = sites.whereIs("sales", "2030/01/01.csv");
    assertThat(where).containsOnlyKeys("gcp", "dc1", "dc2");
    assertThat(where.values()).extracting(ObjectInfo::generation).containsOnly(blob.getGeneration());
    for (String site : List.of("gcp", "dc1", "dc2")) {
      sites.assertThat(site).hasContent("sales", "2030/01/01.csv", "a,b\n");
    }
    assertThat(sites.world().journalDepth()).isZero();
  }

  @Test
  @Order(2)
  void theNextTestStartsFromAnEmptyWorld() {
    WORLDS.add(sites.world());
    // the same bucket again: no 409, nothing left over on any site
    sites.storage().create(BucketInfo.of("sales"));
    assertThat(sites.storage().get("sales", "2030/01/01.csv")).isNull();
    assertThat(sites.whereIs("sales", "2030/01/01.csv")).isEmpty();
    for (String site : List.of("gcp", "dc1", "dc2")) {
      sites.assertThat(site).lacks("sales", "2030/01/01.csv");
    }
  }

  @Test
  @Order(3)
  void earlierWorldsAreClosedAndTheCurrentOneIsOpen() {
    assertThat(WORLDS).hasSize(2).doesNotHaveDuplicates().allMatch(HybridWorld::isClosed);
    assertThat(sites.world().isClosed()).isFalse();
    assertThat(WORLDS).doesNotContain(sites.world());
  }

  @AfterAll
  static void everyWorldOfTheClassIsClosed() {
    assertThat(WORLDS).allMatch(HybridWorld::isClosed);
  }
}
