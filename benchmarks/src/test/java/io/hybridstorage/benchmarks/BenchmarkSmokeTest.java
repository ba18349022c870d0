package io.hybridstorage.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * CI's smoke of the benchmarks: every benchmark class of this module runs for a moment in this JVM
 * (no fork, no warmup, one measurement iteration of 150 ms, one invocation for single-shot ones,
 * {@code -prof gc}) and must give a result for each of its benchmark methods; then {@link
 * ResultsTable} must find every figure a goal needs in what they wrote. The figures mean nothing;
 * the point is that the benchmarks still build, set up, run and feed the table. JMH's output and
 * JSON go to {@code target/jmh-smoke/}.
 *
 * <p>Not run here: {@code VastStoreBenchmark} (256 MiB per operation against S3Mock, minutes even
 * for one iteration); run it by hand (its javadoc).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BenchmarkSmokeTest {

  static final Path OUT = Path.of("target", "jmh-smoke");

  /** Benchmark classes the smoke leaves out, and why. */
  static final Map<String, String> LEFT_OUT = Map.of("io.hybridstorage.vast.VastStoreBenchmark",
      "256 MiB per operation against S3Mock: minutes, not seconds");

  /** Per class, parameters narrowed for the smoke (only where a parameter would make it slow). */
  static final Map<String, Map<String, String>> NARROWED = Map.of(
      "io.hybridstorage.benchmarks.JournalBenchmark", Map.of("lanes", "4", "timeoutSeconds", "0"),
      // 1 GiB per transfer, and the fixture holds an upload twice over: 8 MiB here
      "io.hybridstorage.benchmarks.GatewayBenchmark", Map.of("largeMiB", "8"),
      // a steady rate for 20 s: 1 s here
      "io.hybridstorage.benchmarks.SyncBenchmark", Map.of("seconds", "1"));

  static Stream<String> smoked() {
    return benchmarkClasses().stream().filter(c -> !LEFT_OUT.containsKey(c));
  }

  /** Every class with a benchmark in this module, from the list JMH's annotation processor wrote. */
  static Set<String> benchmarkClasses() {
    Set<BenchmarkListEntry> entries = BenchmarkList.defaultList()
        .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of());
    return entries.stream().map(BenchmarkListEntry::getUserClassQName).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  @Order(0)
  void theSmokeKnowsEveryBenchmarkClass() {
    assertThat(benchmarkClasses()).contains("io.hybridstorage.benchmarks.EmbeddedWorldBenchmark",
        "io.hybridstorage.benchmarks.LargeWriterBenchmark", "io.hybridstorage.benchmarks.RoutingLatencyBenchmark",
        "io.hybridstorage.benchmarks.GcsGetBenchmark", "io.hybridstorage.benchmarks.GatewayBenchmark")
        .containsAll(LEFT_OUT.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("smoked")
  @Order(1)
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void runsBriefly(String className) throws RunnerException, IOException, ClassNotFoundException {
    Files.createDirectories(OUT);
    String simple = className.substring(className.lastIndexOf('.') + 1);
    // another JMH run on this machine (a colleague's measurement) must not fail the build
    System.setProperty("jmh.ignoreLock", "true");
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include("^" + Pattern.quote(className) + "\\.")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(150))
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true)
        .resultFormat(ResultFormatType.JSON)
        .result(OUT.resolve(simple + ".json").toString())
        .output(OUT.resolve(simple + ".log").toString());
    NARROWED.getOrDefault(className, Map.of()).forEach((k, v) -> options.param(k, v));

    Collection<RunResult> results = new Runner(options.build()).run();

    Set<String> methods = Arrays.stream(Class.forName(className).getMethods())
        .filter(m -> m.isAnnotationPresent(Benchmark.class)).map(Method::getName)
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> measured = new TreeSet<>();
    for (RunResult r : results) {
      String label = r.getParams().getBenchmark();
      assertThat(r.getPrimaryResult().getSampleCount()).as("samples of %s %s", label, r.getParams())
          .isPositive();
      assertThat(r.getPrimaryResult().getScore()).as("score of %s", label).isFinite();
      measured.add(label.substring(label.lastIndexOf('.') + 1));
    }
    assertThat(measured).as("benchmark methods of %s with a result", simple).isEqualTo(methods);
  }

  @Test
  @Order(2)
  void theTableFindsEveryGoalInTheSmokeResults() throws IOException {
    List<ResultsTable.Result> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(OUT)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
          all.addAll(ResultsTable.parse(r));
        }
      }
    }
    ResultsTable table = new ResultsTable(all);
    assertThat(table.goals()).isNotEmpty().allSatisfy(g -> assertThat(g.verdict()).as(g.goal())
        .isIn("met", "not met", "info"));
    String markdown = table.render("smoke", "today", "n/a");
    Files.writeString(OUT.resolve("results.md"), markdown);
    assertThat(markdown).contains("EmbeddedWorldBenchmark.oneThread", "LargeWriterBenchmark.write",
        "RoutingLatencyBenchmark.read", "GcsGetBenchmark.get", "GatewayBenchmark.put64", "GatewayBenchmark.upload");
  }
}
