package io.hybridstorage.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HybridStorageExceptionTest {

  @Test
  void theDetailIsTheMessageWithoutItsPrefix() {
    HybridStorageException e = HybridStorageException.preconditionFailed("write", "b", "o", "gcp",
        "ifGenerationMatch=0 failed, current=7");
    assertThat(e.getMessage()).isEqualTo("write gs://b/o on gcp: ifGenerationMatch=0 failed, current=7");
    assertThat(e.detail()).isEqualTo("ifGenerationMatch=0 failed, current=7");
  }

  /**
   * A router re-issues a site's error as its own: everything a caller decides on (code, reason,
   * names, the generation a refused write found) stays, the failing site moves into the detail.
   * Before, the router rebuilt it from the message text and lost the held generation.
   */
  @Test
  void aReissuedErrorKeepsEverythingButTheSite() {
    HybridStorageException atSite = HybridStorageException.generationNotNewer("write", "b", "o", "gcp", 5, 9, false);
    HybridStorageException routed = atSite.reissuedBy("routing[gcp,dc1]");

    assertThat(routed.code()).isEqualTo(412);
    assertThat(routed.reason()).isEqualTo(atSite.reason());
    assertThat(routed.heldGeneration()).isEqualTo(9);
    assertThat(routed.site()).isEqualTo("routing[gcp,dc1]");
    assertThat(routed.getMessage()).isEqualTo("write gs://b/o on routing[gcp,dc1]: at gcp: "
        + "assigned generation 5 is not newer than generation 9, which this site holds");
    assertThat(routed.getCause()).isSameAs(atSite);
    assertThat(routed.reissuedBy("routing[gcp,dc1]")).isSameAs(routed);
  }
}
