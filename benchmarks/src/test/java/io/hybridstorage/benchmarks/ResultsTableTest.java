package io.hybridstorage.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ResultsTable} on a small JMH JSON fixture whose figures meet some goals and miss others. */
class ResultsTableTest {

  private List<ResultsTable.Result> results;
  private Map<String, ResultsTable.Goal> goals;

  @BeforeEach
  void parseFixture() throws IOException {
    try (Reader r = new InputStreamReader(getClass().getResourceAsStream("/jmh-fixture.json"),
        StandardCharsets.UTF_8)) {
      results = ResultsTable.parse(r);
    }
    goals = new ResultsTable(results).goals().stream()
        .collect(Collectors.toMap(ResultsTable.Goal::goal, Function.identity()));
  }

  private ResultsTable.Goal goal(String startsWith) {
    List<ResultsTable.Goal> found = goals.values().stream().filter(g -> g.goal().startsWith(startsWith)).toList();
    assertThat(found).as("goals starting with '%s'", startsWith).hasSize(1);
    return found.get(0);
  }

  @Test
  void parsesScoresParamsPercentilesAndAllocation() {
    assertThat(results).hasSize(19);
    ResultsTable.Result lsh = results.get(0);
    assertThat(lsh.shortName()).isEqualTo("EmbeddedWorldBenchmark.oneThread");
    assertThat(lsh.params()).containsEntry("target", "LSH");
    assertThat(lsh.score()).isEqualTo(100000.0);
    assertThat(lsh.error()).isEqualTo(2500.0);
    assertThat(lsh.allocPerOp()).isEqualTo(14336.0);
    assertThat(lsh.percentile(50.0)).as("throughput carries no latency percentiles").isNull();
    ResultsTable.Result hedged = results.stream()
        .filter(r -> "HEDGED_DC1_TAIL".equals(r.params().get("readCase"))).findFirst().orElseThrow();
    assertThat(hedged.percentile(99.0)).isEqualTo(40.0);
    assertThat(hedged.allocPerOp()).isNull();
    assertThat(results.get(3).error()).as("JMH's \"NaN\" string").isNaN();
  }

  @Test
  void throughputGoals() {
    assertThat(goal("three-site world vs LSH")).extracting(ResultsTable.Goal::ratio, ResultsTable.Goal::verdict)
        .containsExactly("0.50×", "not met");
    assertThat(goal("three-site world scaling")).extracting(ResultsTable.Goal::ratio, ResultsTable.Goal::verdict)
        .containsExactly("1.90×", "met");
    assertThat(goal("one memory site vs LSH")).extracting(ResultsTable.Goal::ratio, ResultsTable.Goal::verdict)
        .containsExactly("3.50×", "met");
    // SPI in ops/ms: 400,000 ops/s against the facade's 350,000
    assertThat(goal("facade (one memory site) vs the SPI")).extracting(ResultsTable.Goal::ratio,
        ResultsTable.Goal::verdict).containsExactly("1.14×", "met");
  }

  @Test
  void largeWriterGoals() {
    assertThat(goal("64 MiB writer() allocation per object, one memory site"))
        .extracting(ResultsTable.Goal::ratio, ResultsTable.Goal::verdict).containsExactly("3.00×", "not met");
    ResultsTable.Goal rate = goal("64 MiB writer() throughput vs single-core MD5, one memory site");
    assertThat(rate.verdict()).isEqualTo("met");
    assertThat(rate.ratio()).isEqualTo("0.95×");
    assertThat(rate.measured()).isEqualTo("608 vs MD5 640 MiB/s");
    assertThat(goal("64 MiB writer() allocation per object, three-site").verdict()).isEqualTo("info");
  }

  @Test
  void routingGoals() {
    ResultsTable.Goal dual = goal("write DUAL_WRITE_SYNC");
    assertThat(dual.verdict()).isEqualTo("met");
    assertThat(dual.ratio()).isEqualTo("1.02×");
    assertThat(dual.measured()).contains("GCP_ALONE 30.5");
    assertThat(goal("write LOCAL_THEN_ASYNC")).extracting(ResultsTable.Goal::ratio, ResultsTable.Goal::verdict)
        .containsExactly("4.55×", "not met");
    assertThat(goal("write QUORUM(2)").verdict()).isEqualTo("not measured");
    ResultsTable.Goal hedged = goal("HEDGED p99");
    assertThat(hedged.verdict()).isEqualTo("not met");
    assertThat(hedged.ratio()).isEqualTo("1.32×");
    assertThat(hedged.measured()).contains("GCP_ALONE p50 30.2").contains("tail alone p99 201");
    assertThat(goal("read NEAREST").verdict()).isEqualTo("info");
    assertThat(goal("GCS get()").ratio()).isEqualTo("1.03×");
  }

  @Test
  void rendersMarkdown() {
    String md = new ResultsTable(results).render("2 cores, Linux amd64", "2026-12-24", "0.50 0.40 0.30");
    assertThat(md).startsWith("Machine: 2 cores, Linux amd64; JVM 17.0.15, OpenJDK 64-Bit Server VM "
        + "17.0.15+6-Debian-1deb12u1; date 2026-12-24; load average 0.50 0.40 0.30\n");
    assertThat(md).contains("| benchmark | params | threads | score ± error | unit | p50 | p99 | alloc/op |")
        .contains("| EmbeddedWorldBenchmark.oneThread | bodyBytes=1024, target=LSH | 1 | 100,000 ± 2,500 | ops/s |"
            + "  |  | 14.0 KiB |")
        .contains("| RoutingLatencyBenchmark.read | hedgeMillis=3, readCase=HEDGED_DC1_TAIL | 1 | 4.00 | ms/op | 1.20 "
            + "| 40.0 |  |")
        .contains("| three-site world vs LSH, create+readAllBytes 1 KiB, 1 thread | three-site 50,000 vs LSH 100,000 "
            + "ops/s | 0.50× | ≥ 2.00× | not met |");
  }

  @Test
  void gatewayGoals() throws IOException {
    List<ResultsTable.Result> gateway;
    try (Reader r = new InputStreamReader(getClass().getResourceAsStream("/jmh-gateway-fixture.json"),
        StandardCharsets.UTF_8)) {
      gateway = ResultsTable.parse(r);
    }
    Map<String, ResultsTable.Goal> byName = new ResultsTable(gateway).goals().stream()
        .collect(Collectors.toMap(ResultsTable.Goal::goal, Function.identity()));
    // the floor moves 1024 MiB in 500 ms: 2,048 MiB/s; the gateway's download takes 640 ms, its upload 1,024
    assertThat(byName.get("gateway 1024 MiB download MiB/s vs the loopback floor"))
        .extracting(ResultsTable.Goal::ratio, ResultsTable.Goal::verdict).containsExactly("0.78×", "met");
    assertThat(byName.get("gateway 1024 MiB download MiB/s vs the loopback floor").measured())
        .startsWith("gateway 1,600 vs floor 2,048 MiB/s (fixture 1,463");
    assertThat(byName.get("gateway 1024 MiB upload MiB/s vs the loopback floor"))
        .extracting(ResultsTable.Goal::ratio, ResultsTable.Goal::verdict).containsExactly("0.49×", "not met");
    // heap: the worst iteration (JMH sums an @AuxCounters field over iterations; rawData has each)
    assertThat(byName.get("gateway heap growth during a 1024 MiB download").verdict()).isEqualTo("met");
    ResultsTable.Goal upHeap = byName.get("gateway heap growth during a 1024 MiB upload");
    assertThat(upHeap.verdict()).isEqualTo("not met");
    assertThat(upHeap.measured()).startsWith("peak used − start 80.0 MiB").contains("fixture 2,050 MiB");
    assertThat(byName.get("gateway 1 KiB get ops/s vs the JDK-HttpServer fixture, 64 clients"))
        .extracting(ResultsTable.Goal::ratio, ResultsTable.Goal::verdict).containsExactly("3.00×", "not met");
    assertThat(byName.get("gateway 1 KiB put ops/s vs the JDK-HttpServer fixture, 64 clients").measured())
        .isEqualTo("gateway 30,000 vs fixture 15,000 ops/s; floor 140,000");
    assertThat(byName.get("1 KiB get, 16 clients").measured())
        .startsWith("gateway 60,000 ops/s, p50 / p99 0.240 / 1.07 ms; fixture 20,000 ops/s");
  }

  @Test
  void anEmptyRunMeasuresNothing() {
    List<ResultsTable.Goal> none = new ResultsTable(ResultsTable.parse(new StringReader("[]"))).goals();
    assertThat(none).filteredOn(g -> !g.verdict().equals("info")).isNotEmpty()
        .allSatisfy(g -> assertThat(g.verdict()).isEqualTo("not measured"));
  }
}
