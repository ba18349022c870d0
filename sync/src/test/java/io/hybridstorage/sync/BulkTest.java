package io.hybridstorage.sync;

import static io.hybridstorage.sync.SyncWorld.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.routing.Reconciled;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkTest {

  @Test
  void verifyFindsWhatCopyBringsAndASecondCopyChangesNothing() {
    try (SyncWorld w = new SyncWorld(SyncEngineTest.lake(), Clock.systemUTC())) {
      HotSetRule rule = SyncConfig.builder(w.options).rule(BUCKET, null, List.of("t/**"), null, List.of()).build()
          .rules().get(0);
      for (int i = 0; i < 1500; i++) { // more than one listing page
        w.outside("gcp", "t/p" + (i % 3) + "/o" + i, "v" + i);
      }
      w.outside("gcp", "other/x", "not covered by the glob");
      Bulk.Report before = Bulk.verify(w.router, rule, "t/", Clock.systemUTC());
      assertThat(before.objects()).isEqualTo(1500);
      assertThat(before.differences()).isEqualTo(3000);
      Bulk.Report copied = Bulk.copy(w.router, rule, "t/p1/", Clock.systemUTC())
          .plus(Bulk.copy(w.router, rule, "t/p0/", Clock.systemUTC()))
          .plus(Bulk.copy(w.router, rule, "t/p2/", Clock.systemUTC()));
      assertThat(copied.outcomes()).containsEntry(Reconciled.COPIED, 3000L);
      assertThat(copied.bytesCopied()).isPositive();
      assertThat(Bulk.verify(w.router, rule, "t/", Clock.systemUTC()).differences()).isZero();
      assertThat(Bulk.copy(w.router, rule, "t/", Clock.systemUTC()).outcomes())
          .containsOnlyKeys(Reconciled.UNCHANGED).containsEntry(Reconciled.UNCHANGED, 3000L);
      assertThat(w.head("dc2", "other/x")).isEmpty();
      w.outside("gcp", "t/p0/o0", "changed at the source");
      assertThat(Bulk.verify(w.router, rule, "t/p0/", Clock.systemUTC()).differences()).isEqualTo(2);
      assertThatThrownBy(() -> Bulk.copy(w.router, SyncConfig.builder(w.options)
          .rule(BUCKET, "t/p0/", List.of(), null, List.of()).build().rules().get(0), "u/", Clock.systemUTC()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("u/");
    }
  }
}
