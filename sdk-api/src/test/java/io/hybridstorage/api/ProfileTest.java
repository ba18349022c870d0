package io.hybridstorage.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileTest {

  private static final Profile SALES = new Profile("bu-sales", List.of("scratch/bu-sales/", "sales"), List.of());

  /**
   * GCS stores {@code bu-sales/../../finance/ledger.csv} literally, but a path resolves it to
   * {@code /finance/ledger.csv} (an S3 site, a proxy, a URL parser following a signed URL): a
   * granted prefix must hold the name both as written and as resolved, by the most eager resolver
   * (one that also collapses empty segments). Dot segments that stay inside are fine.
   */
  @Test
  void dotSegmentsNeverClimbOutOfAGrantedPrefix() {
    List<Placement> none = List.of();
    assertThat(SALES.allowsObject("scratch", "bu-sales/../../finance/ledger.csv", none)).isFalse();
    assertThat(SALES.allowsObject("scratch", "bu-sales/../bu-ops/x", none)).isFalse();
    assertThat(SALES.allowsObject("scratch", "bu-sales/a/../../x", none)).isFalse();
    assertThat(SALES.allowsObject("scratch", "bu-sales/..", none)).isFalse();
    assertThat(SALES.allowsObject("scratch", "bu-sales/a//../../x", none)).as("a server collapsing '//'").isFalse();
    assertThat(SALES.allowsListing("scratch", "bu-sales/../", none)).isFalse();
    // a whole bucket: no climbing out of the bucket
    assertThat(SALES.allowsObject("sales", "../finance/ledger.csv", none)).isFalse();
    assertThat(SALES.allowsObject("sales", "a/../../finance/ledger.csv", none)).isFalse();
    assertThat(SALES.allowsObject("sales", "./../finance/ledger.csv", none)).isFalse();
    // staying inside
    assertThat(SALES.allowsObject("scratch", "bu-sales/a/../b", none)).isTrue();
    assertThat(SALES.allowsObject("scratch", "bu-sales/./b", none)).isTrue();
    assertThat(SALES.allowsObject("scratch", "bu-sales/a/..", none)).isTrue();
    assertThat(SALES.allowsObject("sales", "a/../b", none)).isTrue();
    assertThat(SALES.allowsObject("sales", "a/..", none)).isTrue();
    // not dot segments at all
    assertThat(SALES.allowsObject("scratch", "bu-sales/..b/c", none)).isTrue();
    assertThat(SALES.allowsObject("scratch", "bu-sales/.../c", none)).isTrue();
    assertThat(SALES.allowsObject("scratch", "bu-sales//x", none)).isTrue();
  }

  @Test
  void placementGrantsHoldDotSegmentsInsideToo() {
    Placement shared = Placement.builder("shared").prefix("sales/").replicas("dc1").build();
    Profile bu = new Profile("bu", List.of(), List.of(shared.id()));
    assertThat(bu.allowsObject("shared", "sales/x", List.of(shared))).isTrue();
    assertThat(bu.allowsObject("shared", "sales/a/../x", List.of(shared))).isTrue();
    assertThat(bu.allowsObject("shared", "sales/../finance/x", List.of(shared))).isFalse();
    Placement any = Placement.builder(Placement.ANY_BUCKET).replicas("dc1").build();
    Profile all = new Profile("all", List.of(), List.of(any.id()));
    assertThat(all.allowsObject("b", "x/y", List.of(any))).isTrue();
    assertThat(all.allowsObject("b", "../c/y", List.of(any))).as("out of the bucket").isFalse();
  }
}
