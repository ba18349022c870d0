package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.DC1;
import static io.hybridstorage.routing.World.DC2;
import static io.hybridstorage.routing.World.GCP;
import static io.hybridstorage.routing.World.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Consistency;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadPolicy;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Listings of a bucket with a nested prefix placement (README's {@code sales} + {@code sales/tmp/}):
 * the names of each placement come from that placement's primary only, and are merged into one
 * listing in UTF-8 order, with delimiters, paging and versions as one store would give them.
 */
class NestedPlacementListingTest {

  /** {@code bkt}: the three sites, authority gcp. */
  static final Placement OUTER = Placement.builder(BUCKET).replicas(GCP, DC1, DC2).authority(GCP)
      .write(WritePolicy.DUAL_WRITE_SYNC).read(ReadPolicy.NEAREST_VERIFIED).consistency(Consistency.STRONG).build();
  /** {@code bkt/tmp/}: the two datacenters, written locally (dc1) first. */
  static final Placement TMP = Placement.builder(BUCKET).prefix("tmp/").replicas(DC1, DC2).authority(DC1)
      .write(WritePolicy.LOCAL_THEN_ASYNC).read(ReadPolicy.NEAREST).consistency(Consistency.SESSION).build();

  /** Outside tmp/, in an order that interleaves with the tmp/ names; none starts with "tm". */
  static final List<String> OUTSIDE = List.of("a0", "s/0", "s/1", "u0", "zz");
  static final List<String> INSIDE = List.of("tmp/t0", "tmp/t1", "tmp/t2", "tmp/t3", "tmp/t4");
  static final List<String> ALL = List.of("a0", "s/0", "s/1", "tmp/t0", "tmp/t1", "tmp/t2", "tmp/t3", "tmp/t4",
      "u0", "zz");

  private World w;

  @BeforeEach
  void writeBothPlacements() {
    w = new World(List.of(OUTER, TMP), Clock.systemUTC(), World.testSettings());
    w.router.createBucket(BucketSpec.of(BUCKET).withVersioning(true));
    OUTSIDE.forEach(n -> put(w.router, n, "outer " + n));
    INSIDE.forEach(n -> put(w.router, n, "tmp " + n));
    assertThat(w.router.drain(Duration.ofSeconds(10))).isTrue();
  }

  /** A stale copy of a tmp/ name on gcp, which is no replica of bkt/tmp/: never to be listed. */
  void staleTmpCopyOnGcp() {
    w.site(GCP).write(WriteRequest.of(BUCKET, "tmp/stale"), bytes("left over"));
  }

  @AfterEach
  void close() {
    w.close();
  }

  static ByteArrayInputStream bytes(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  static List<String> names(ListPage<ObjectInfo> page) {
    return page.items().stream().map(ObjectInfo::name).toList();
  }

  @Test
  void theWholeBucketListsBothPlacementsInUtf8Order() {
    staleTmpCopyOnGcp();
    ListPage<ObjectInfo> page = w.router.list(ListRequest.of(BUCKET));
    assertThat(names(page)).containsExactlyElementsOf(ALL);
    assertThat(page.nextPageToken()).isNull();
    assertThat(names(w.router.list(ListRequest.of(BUCKET).withPrefix("tm")))).containsExactlyElementsOf(INSIDE);
    assertThat(names(w.router.list(ListRequest.of(BUCKET).withPrefix("tmp/")))).containsExactlyElementsOf(INSIDE);
    assertThat(names(w.router.list(ListRequest.of(BUCKET).withPrefix("s/")))).containsExactly("s/0", "s/1");
    assertThat(names(w.router.list(ListRequest.of(BUCKET).withOffsets("s/1", "tmp/t2"))))
        .containsExactly("s/1", "tmp/t0", "tmp/t1");
  }

  @Test
  void aDelimiterRollsUpPrefixesOfBothPlacementsOnce() {
    ListPage<ObjectInfo> page = w.router.list(ListRequest.of(BUCKET).withDelimiter("/"));
    assertThat(names(page)).containsExactly("a0", "u0", "zz");
    assertThat(page.prefixes()).containsExactly("s/", "tmp/");

    ListPage<ObjectInfo> tm = w.router.list(ListRequest.of(BUCKET).withPrefix("tm").withDelimiter("/"));
    assertThat(tm.items()).isEmpty();
    assertThat(tm.prefixes()).containsExactly("tmp/");
  }

  @Test
  void pagesResumeAcrossPlacementsWithoutSkipsOrRepeats() {
    staleTmpCopyOnGcp();
    for (int size = 1; size <= 4; size++) {
      List<String> seen = new ArrayList<>();
      String token = null;
      int pages = 0;
      do {
        ListPage<ObjectInfo> page = w.router.list(ListRequest.of(BUCKET).withPageSize(size).withPageToken(token));
        assertThat(page.items()).hasSizeLessThanOrEqualTo(size);
        seen.addAll(names(page));
        token = page.nextPageToken();
        pages++;
      } while (token != null);
      assertThat(seen).as("page size %d", size).containsExactlyElementsOf(ALL);
      assertThat(pages).as("page size %d", size).isEqualTo((ALL.size() + size - 1) / size);
    }
    // with a delimiter, each prefix counts toward the page and is listed once
    List<String> rolled = new ArrayList<>();
    String token = null;
    do {
      ListPage<ObjectInfo> page = w.router.list(ListRequest.of(BUCKET).withDelimiter("/").withPageSize(1)
          .withPageToken(token));
      rolled.addAll(names(page));
      rolled.addAll(page.prefixes());
      token = page.nextPageToken();
    } while (token != null);
    assertThat(rolled).containsExactly("a0", "s/", "tmp/", "u0", "zz");
  }

  @Test
  void versionsOfBothPlacementsAreListedPerName() {
    staleTmpCopyOnGcp();
    put(w.router, "a0", "outer a0 v2");
    put(w.router, "tmp/t1", "tmp t1 v2");
    assertThat(w.router.drain(Duration.ofSeconds(10))).isTrue();
    List<ObjectInfo> all = new ArrayList<>();
    String token = null;
    do {
      ListPage<ObjectInfo> page = w.router.list(ListRequest.of(BUCKET).withVersions(true).withPageSize(3)
          .withPageToken(token));
      all.addAll(page.items());
      token = page.nextPageToken();
    } while (token != null);
    assertThat(all).extracting(ObjectInfo::name).containsExactly("a0", "a0", "s/0", "s/1", "tmp/t0", "tmp/t1",
        "tmp/t1", "tmp/t2", "tmp/t3", "tmp/t4", "u0", "zz");
    assertThat(all.get(0).generation()).isLessThan(all.get(1).generation());
    assertThat(all.get(5).generation()).isLessThan(all.get(6).generation());
    assertThat(all.get(6).isLive()).isTrue();
    assertThat(all.get(5).isLive()).isFalse();
  }
}
