package io.hybridstorage.sync;

import static io.hybridstorage.sync.SyncWorld.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.routing.Reconciled;
import java.time.Clock;
import java.util.ArrayList;
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

  @Test
  void partitionsCoverEveryObjectOnceAndAreRunOneByOne() {
    try (SyncWorld w = new SyncWorld(SyncEngineTest.lake(), Clock.systemUTC())) {
      HotSetRule rule = SyncConfig.builder(w.options).rule(BUCKET, "t/", List.of(), null, List.of()).build()
          .rules().get(0);
      for (int i = 0; i < 1200; i++) { // more than one listing page of prefixes and of objects
        w.outside("gcp", "t/q" + (i % 1100) + "/o" + i, "v" + i);
      }
      w.outside("gcp", "t/top-1", "directly under the prefix");
      w.outside("gcp", "t/top-2", "directly under the prefix");
      w.outside("gcp", "t/q5/deeper/x", "two levels down");
      w.outside("gcp", "u/other", "outside the rule");

      List<Bulk.Partition> parts = Bulk.partitions(w.router, rule, "");
      assertThat(parts).hasSize(1101).startsWith(new Bulk.Partition("t/", true))
          .contains(new Bulk.Partition("t/q0/", false), new Bulk.Partition("t/q1099/", false))
          .doesNotHaveDuplicates();
      List<Bulk.Partition> parsed = new ArrayList<>();
      parts.forEach(p -> parsed.add(Bulk.Partition.parse(p.toString())));
      assertThat(parsed).isEqualTo(parts);

      Bulk.Report copied = Bulk.Report.empty();
      for (Bulk.Partition p : parts) {
        copied = copied.plus(Bulk.copy(w.router, rule, p, Clock.systemUTC()));
      }
      assertThat(copied.objects()).isEqualTo(1203);
      assertThat(copied.outcomes()).containsOnlyKeys(Reconciled.COPIED).containsEntry(Reconciled.COPIED, 2406L);
      assertThat(w.read("dc2", "t/top-2")).isEqualTo("directly under the prefix");
      assertThat(w.head("dc1", "u/other")).isEmpty();

      Bulk.Report shallow = Bulk.verify(w.router, rule, parts.get(0), Clock.systemUTC());
      assertThat(shallow.objects()).isEqualTo(2);
      assertThat(shallow.outcomes()).containsOnlyKeys(Reconciled.UNCHANGED).containsEntry(Reconciled.UNCHANGED, 4L);
      w.outside("gcp", "t/top-1", "changed at the source");
      assertThat(Bulk.verify(w.router, rule, parts.get(0), Clock.systemUTC()).differences()).isEqualTo(2);
      assertThat(Bulk.verify(w.router, rule, new Bulk.Partition("t/q5/", false), Clock.systemUTC()).objects())
          .as("o5, o1105 and deeper/x: a deep partition takes every level").isEqualTo(3);
      assertThatThrownBy(() -> Bulk.copy(w.router, rule, new Bulk.Partition("", true), Clock.systemUTC()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shallow partition ''");
    }
  }
}
