package io.hybridstorage.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * Turns JMH's JSON ({@code -rf json -rff results.json}, ideally with {@code -prof gc}) into the
 * Markdown results table of {@code benchmarks/README.md}: a header (machine, JVM, date, load), one
 * row per benchmark and parameter set, then every goal of issue 13 with its ratio and "met" or
 * "not met" (or "not measured" when the run lacks a figure it needs).
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) io.hybridstorage.benchmarks.ResultsTable \
 *     results.json [more.json ...] [--load "0.12 0.30 0.25"] [--date 2026-12-24]
 * </pre>
 *
 * Without {@code --load} the header gives {@code /proc/loadavg} when the table is made (say so);
 * {@code benchmarks/run.sh} passes the load before and after the run. Without {@code --date}, the
 * first JSON file's modification time.
 */
public final class ResultsTable {

  static final double MIB = 1024.0 * 1024.0;

  /** One JMH result: a benchmark method with one set of parameters. */
  record Result(String benchmark, String mode, int threads, Map<String, String> params, double score,
      double error, String unit, @Nullable Double allocPerOp, Map<String, Double> percentiles, String jvm,
      Map<String, Double> secondaryMax) {

    /** {@code Class.method} of {@code io.hybridstorage.benchmarks.Class.method}. */
    String shortName() {
      int method = benchmark.lastIndexOf('.');
      int type = benchmark.lastIndexOf('.', method - 1);
      return benchmark.substring(type + 1);
    }

    boolean is(String classAndMethod, Map<String, String> wanted) {
      if (!shortName().equals(classAndMethod)) {
        return false;
      }
      for (Map.Entry<String, String> e : wanted.entrySet()) {
        if (!e.getValue().equals(params.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }

    /** The score in operations per second, for a throughput result in any time unit. */
    double perSecond() {
      return score * secondsIn(unit.substring(unit.indexOf('/') + 1));
    }

    /** Seconds per operation of a time-per-op result ({@code ms/op}, {@code s/op} …). */
    double secondsPerOp() {
      return score / secondsIn(unit.substring(0, unit.indexOf('/')));
    }

    /** The largest per-iteration value of a secondary result (an {@code @AuxCounters} field), or null. */
    @Nullable
    Double secondary(String name) {
      return secondaryMax.get(name);
    }

    /** A percentile of a sample-time result ({@code 50.0}, {@code 99.0}), in its unit. */
    @Nullable
    Double percentile(double p) {
      return percentiles.get(String.valueOf(p));
    }
  }

  /** One goal of issue 13: what was compared, the ratio, the target and the verdict. */
  record Goal(String goal, String measured, String ratio, String target, String verdict) {}

  private final List<Result> results;

  ResultsTable(List<Result> results) {
    this.results = List.copyOf(results);
  }

  public static void main(String[] args) throws IOException {
    List<Path> files = new ArrayList<>();
    String load = null;
    String date = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--load" -> load = args[++i];
        case "--date" -> date = args[++i];
        default -> files.add(Path.of(args[i]));
      }
    }
    if (files.isEmpty()) {
      System.err.println("usage: ResultsTable results.json [more.json ...] [--load TEXT] [--date TEXT]");
      System.exit(2);
    }
    List<Result> all = new ArrayList<>();
    for (Path f : files) {
      try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        all.addAll(parse(r));
      }
    }
    if (date == null) {
      date = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
          Files.getLastModifiedTime(files.get(0)).toInstant().atOffset(ZoneOffset.UTC).withNano(0)) + "Z";
    }
    if (load == null) {
      load = currentLoad() + " (when the table was made, not during the run)";
    }
    System.out.print(new ResultsTable(all).render(machine(), date, load));
  }

  // ------------------------------------------------------------------ parsing

  static List<Result> parse(Reader json) {
    JsonArray array = JsonParser.parseReader(json).getAsJsonArray();
    List<Result> out = new ArrayList<>();
    for (JsonElement e : array) {
      JsonObject o = e.getAsJsonObject();
      Map<String, String> params = new LinkedHashMap<>();
      if (o.has("params")) {
        for (Map.Entry<String, JsonElement> p : o.getAsJsonObject("params").entrySet()) {
          params.put(p.getKey(), p.getValue().getAsString());
        }
      }
      JsonObject primary = o.getAsJsonObject("primaryMetric");
      Map<String, Double> percentiles = new TreeMap<>();
      // throughput and average-time results carry percentiles over iterations: not a latency distribution
      if (o.get("mode").getAsString().equals("sample") && primary.has("scorePercentiles")) {
        for (Map.Entry<String, JsonElement> p : primary.getAsJsonObject("scorePercentiles").entrySet()) {
          percentiles.put(String.valueOf(Double.parseDouble(p.getKey())), number(p.getValue()));
        }
      }
      Double alloc = null;
      if (o.has("secondaryMetrics") && o.getAsJsonObject("secondaryMetrics").has("gc.alloc.rate.norm")) {
        alloc = number(o.getAsJsonObject("secondaryMetrics").getAsJsonObject("gc.alloc.rate.norm").get("score"));
      }
      // per-iteration values (rawData: forks × iterations); the largest is the worst iteration
      Map<String, Double> secondaryMax = new TreeMap<>();
      if (o.has("secondaryMetrics")) {
        for (Map.Entry<String, JsonElement> m : o.getAsJsonObject("secondaryMetrics").entrySet()) {
          JsonObject metric = m.getValue().getAsJsonObject();
          double max = Double.NaN;
          if (metric.has("rawData")) {
            for (JsonElement fork : metric.getAsJsonArray("rawData")) {
              for (JsonElement v : fork.getAsJsonArray()) {
                double d = number(v);
                max = Double.isNaN(max) ? d : Math.max(max, d);
              }
            }
          }
          secondaryMax.put(m.getKey(), Double.isNaN(max) ? number(metric.get("score")) : max);
        }
      }
      String jvm = (o.has("jdkVersion") ? o.get("jdkVersion").getAsString() : "?")
          + (o.has("vmName") ? ", " + o.get("vmName").getAsString() : "")
          + (o.has("vmVersion") ? " " + o.get("vmVersion").getAsString() : "");
      out.add(new Result(o.get("benchmark").getAsString(), o.get("mode").getAsString(),
          o.has("threads") ? o.get("threads").getAsInt() : 1, params, number(primary.get("score")),
          primary.has("scoreError") ? number(primary.get("scoreError")) : Double.NaN,
          primary.get("scoreUnit").getAsString(), alloc, percentiles, jvm, secondaryMax));
    }
    return out;
  }

  /** JMH writes NaN and infinities as strings. */
  private static double number(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return Double.NaN;
    }
    return e.getAsJsonPrimitive().isString() ? Double.parseDouble(e.getAsString()) : e.getAsDouble();
  }

  // ------------------------------------------------------------------ rendering

  String render(String machine, String date, String load) {
    StringBuilder sb = new StringBuilder();
    String jvm = results.isEmpty() ? "?" : results.get(0).jvm();
    sb.append("Machine: ").append(machine).append("; JVM ").append(jvm).append("; date ").append(date)
        .append("; load average ").append(load).append('\n').append('\n');
    sb.append("| benchmark | params | threads | score ± error | unit | p50 | p99 | alloc/op |\n");
    sb.append("|---|---|---|---|---|---|---|---|\n");
    for (Result r : results) {
      StringBuilder params = new StringBuilder();
      r.params().forEach((k, v) -> params.append(params.length() == 0 ? "" : ", ").append(k).append('=').append(v));
      Double p50 = r.percentile(50.0);
      Double p99 = r.percentile(99.0);
      sb.append("| ").append(r.shortName()).append(" | ").append(params).append(" | ").append(r.threads())
          .append(" | ").append(fmt(r.score())).append(Double.isNaN(r.error()) ? "" : " ± " + fmt(r.error()))
          .append(" | ").append(r.unit())
          .append(" | ").append(p50 == null ? "" : fmt(p50))
          .append(" | ").append(p99 == null ? "" : fmt(p99))
          .append(" | ").append(r.allocPerOp() == null ? "" : bytes(r.allocPerOp())).append(" |\n");
    }
    sb.append('\n');
    sb.append("| goal (issue 13, issue 14 for the gateway) | measured | ratio | target | verdict |\n");
    sb.append("|---|---|---|---|---|\n");
    for (Goal g : goals()) {
      sb.append("| ").append(g.goal()).append(" | ").append(g.measured()).append(" | ").append(g.ratio())
          .append(" | ").append(g.target()).append(" | ").append(g.verdict()).append(" |\n");
    }
    return sb.toString();
  }

  List<Goal> goals() {
    List<Goal> goals = new ArrayList<>();
    embeddedWorld(goals);
    largeWriter(goals);
    routingWrites(goals);
    routingReads(goals);
    gcsGet(goals);
    gateway(goals);
    return goals;
  }

  private void embeddedWorld(List<Goal> goals) {
    String b = "EmbeddedWorldBenchmark.";
    Optional<Result> lsh = find(b + "oneThread", "target", "LSH");
    Optional<Result> three = find(b + "oneThread", "target", "THREE_SITE_WORLD");
    Optional<Result> three2 = find(b + "twoThreads", "target", "THREE_SITE_WORLD");
    Optional<Result> memory = find(b + "oneThread", "target", "MEMORY_SITE");
    Optional<Result> spi = find(b + "oneThread", "target", "SPI");
    goals.add(atLeast("three-site world vs LSH, create+readAllBytes 1 KiB, 1 thread", three, lsh, 2.0,
        "three-site %s vs LSH %s ops/s"));
    goals.add(atLeast("three-site world scaling, 1 → 2 threads", three2, three, 1.8,
        "2 threads %s vs 1 thread %s ops/s"));
    goals.add(atLeast("one memory site vs LSH, 1 thread", memory, lsh, 3.0, "memory site %s vs LSH %s ops/s"));
    if (memory.isPresent() && spi.isPresent()) {
      // time per operation is the inverse of throughput
      double ratio = spi.get().perSecond() / memory.get().perSecond();
      goals.add(new Goal("facade (one memory site) vs the SPI called directly, time per op, 1 thread",
          String.format(Locale.ROOT, "%s vs %s µs/op", fmt(1e6 / memory.get().perSecond()),
              fmt(1e6 / spi.get().perSecond())), ratio(ratio), "≤ 1.3×", ratio <= 1.3 ? "met" : "not met"));
    } else {
      goals.add(missing("facade (one memory site) vs the SPI called directly, time per op, 1 thread", "≤ 1.3×"));
    }
  }

  private void largeWriter(List<Goal> goals) {
    String m = "LargeWriterBenchmark.write";
    Optional<Result> md5 = find(m, "target", "MD5");
    for (String target : List.of("MEMORY_SITE", "THREE_SITE_WORLD", "LSH")) {
      boolean goal = target.equals("MEMORY_SITE");
      String who = target.equals("MEMORY_SITE") ? "one memory site" : target.equals("LSH") ? "LSH"
          : "three-site world (one copy per site)";
      Optional<Result> r = find(m, "target", target);
      String allocGoal = "64 MiB writer() allocation per object, " + who;
      if (r.isPresent() && r.get().allocPerOp() != null) {
        double object = objectBytes(r.get());
        double ratio = r.get().allocPerOp() / object;
        goals.add(new Goal(allocGoal, bytes(r.get().allocPerOp()) + " for " + bytes(object), ratio(ratio),
            goal ? "≤ 1.1×" : "(info)", goal ? (ratio <= 1.1 ? "met" : "not met") : "info"));
      } else {
        goals.add(goal ? missing(allocGoal + " (run with -prof gc)", "≤ 1.1×")
            : new Goal(allocGoal, "not measured", "", "(info)", "info"));
      }
      String rateGoal = "64 MiB writer() throughput vs single-core MD5, " + who;
      if (r.isPresent() && md5.isPresent()) {
        double rate = mibPerSecond(r.get());
        double anchor = mibPerSecond(md5.get());
        double ratio = rate / anchor;
        goals.add(new Goal(rateGoal, fmt(rate) + " vs MD5 " + fmt(anchor) + " MiB/s", ratio(ratio),
            goal ? "≥ 0.9×" : "(info)", goal ? (ratio >= 0.9 ? "met" : "not met") : "info"));
      } else {
        goals.add(goal ? missing(rateGoal, "≥ 0.9×") : new Goal(rateGoal, "not measured", "", "(info)", "info"));
      }
    }
    for (String anchor : List.of("CRC32C", "MD5_CRC32C")) {
      find(m, "target", anchor).ifPresent(r -> goals.add(new Goal("anchor: " + anchor + " over the same bytes",
          fmt(mibPerSecond(r)) + " MiB/s", "", "(info)", "info")));
    }
  }

  /**
   * Each write policy against the slowest replica it waits for, written alone in the same run (p50;
   * p99 shown): AUTHORITY_ONLY and AUTHORITY_THEN_ASYNC wait for gcp, QUORUM(2) for gcp and the
   * fastest other replica (dc1), DUAL_WRITE_SYNC for all three, LOCAL_THEN_ASYNC for dc1. The
   * issue gives no figure; the target is sdk-routing's DUAL_WRITE_SYNC goal, 1.1×, for each.
   */
  private void routingWrites(List<Goal> goals) {
    String m = "RoutingLatencyBenchmark.write";
    Map<String, List<String>> waitsFor = new LinkedHashMap<>();
    waitsFor.put("AUTHORITY_ONLY", List.of("GCP"));
    waitsFor.put("DUAL_WRITE_SYNC", List.of("GCP", "DC1", "DC2"));
    waitsFor.put("QUORUM", List.of("GCP", "DC1"));
    waitsFor.put("AUTHORITY_THEN_ASYNC", List.of("GCP"));
    waitsFor.put("LOCAL_THEN_ASYNC", List.of("DC1"));
    for (Map.Entry<String, List<String>> e : waitsFor.entrySet()) {
      String name = "write " + e.getKey() + (e.getKey().equals("QUORUM") ? "(2)" : "")
          + " vs the slowest replica it waits for, alone (p50)";
      Optional<Result> policy = find(m, "writeCase", e.getKey());
      Result slowest = null;
      for (String site : e.getValue()) {
        Optional<Result> alone = find(m, "writeCase", site + "_ALONE");
        if (alone.isEmpty() || alone.get().percentile(50.0) == null) {
          slowest = null;
          break;
        }
        if (slowest == null || alone.get().percentile(50.0) > slowest.percentile(50.0)) {
          slowest = alone.get();
        }
      }
      if (policy.isEmpty() || slowest == null || policy.get().percentile(50.0) == null) {
        goals.add(missing(name, "≤ 1.1×"));
        continue;
      }
      double ratio = policy.get().percentile(50.0) / slowest.percentile(50.0);
      goals.add(new Goal(name, String.format(Locale.ROOT, "p50 %s vs %s %s ms (p99 %s vs %s)",
          fmt(policy.get().percentile(50.0)), slowest.params().get("writeCase"), fmt(slowest.percentile(50.0)),
          fmt(policy.get().percentile(99.0)), fmt(slowest.percentile(99.0))), ratio(ratio), "≤ 1.1×",
          ratio <= 1.1 ? "met" : "not met"));
    }
  }

  private void routingReads(List<Goal> goals) {
    String m = "RoutingLatencyBenchmark.read";
    for (Result r : results) {
      if (r.shortName().equals(m) && r.percentile(50.0) != null && !r.params().get("readCase").endsWith("_ALONE")
          && !r.params().get("readCase").contains("TAIL")) {
        goals.add(new Goal("read " + r.params().get("readCase") + " p50 / p99",
            fmt(r.percentile(50.0)) + " / " + fmt(r.percentile(99.0)) + " ms", "", "(info)", "info"));
      }
    }
    // the hedge goes to gcp or dc2 (tied latency hints): the healthy site is the faster of the two alone
    Optional<Result> hedged = find(m, "readCase", "HEDGED_DC1_TAIL");
    Optional<Result> gcp = find(m, "readCase", "GCP_ALONE");
    Optional<Result> dc2 = find(m, "readCase", "DC2_ALONE");
    String name = "HEDGED p99, dc1 with a 200 ms tail on 10 % of reads, vs the healthy site's p50 alone";
    if (hedged.isEmpty() || gcp.isEmpty() || dc2.isEmpty() || hedged.get().percentile(99.0) == null) {
      goals.add(missing(name, "≤ 1.2×"));
      return;
    }
    Result healthy = gcp.get().percentile(50.0) <= dc2.get().percentile(50.0) ? gcp.get() : dc2.get();
    double ratio = hedged.get().percentile(99.0) / healthy.percentile(50.0);
    String tail = find(m, "readCase", "DC1_TAIL_ALONE").map(t -> "; dc1 with the tail alone p99 "
        + fmt(t.percentile(99.0)) + " ms").orElse("");
    goals.add(new Goal(name, String.format(Locale.ROOT, "p99 %s vs %s p50 %s ms (hedge after %s ms)%s",
        fmt(hedged.get().percentile(99.0)), healthy.params().get("readCase"), fmt(healthy.percentile(50.0)),
        hedged.get().params().getOrDefault("hedgeMillis", "?"), tail), ratio(ratio), "≤ 1.2×",
        ratio <= 1.2 ? "met" : "not met"));
  }

  private void gcsGet(List<Goal> goals) {
    for (String method : List.of("get", "readAllBytes")) {
      Optional<Result> raw = find("GcsGetBenchmark." + method, "path", "RAW_CLIENT");
      Optional<Result> facade = find("GcsGetBenchmark." + method, "path", "FACADE_OVER_GCS_STORE");
      if (raw.isPresent() && facade.isPresent()) {
        // average time per operation: lower is better
        goals.add(new Goal("GCS " + method + "(): Storage over GcsStore over the real client vs the raw client",
            fmt(facade.get().score()) + " vs " + fmt(raw.get().score()) + " " + raw.get().unit(),
            ratio(facade.get().score() / raw.get().score()), "(info)", "info"));
      }
    }
  }

  /**
   * Issue 14's goals for the gateway ({@code GatewayBenchmark}), each against the other servers of
   * the same run: 1 GiB upload and download ≥ 0.7× the loopback floor's MiB/s, with the gateway's
   * heap growth during a transfer ≤ 64 MiB (the used-heap peak over the used heap at the start, the
   * worst transfer: an upper bound, garbage included); 1 KiB get and put ≥ 5× the JDK-HttpServer
   * fixture's ops/s at 64 clients. The fixture's and the floor's figures, and p50 / p99 at 1, 16
   * and 64 clients, are listed for information.
   */
  private void gateway(List<Goal> goals) {
    String b = "GatewayBenchmark.";
    for (String op : List.of("download", "upload")) {
      Optional<Result> gw = findMode(b + op, "ss", "server", "GATEWAY");
      Optional<Result> floor = findMode(b + op, "ss", "server", "FLOOR");
      Optional<Result> fixture = findMode(b + op, "ss", "server", "FIXTURE");
      String size = gw.map(r -> r.params().getOrDefault("largeMiB", "?") + " MiB").orElse("1 GiB");
      String name = "gateway " + size + " " + op + " MiB/s vs the loopback floor";
      if (gw.isPresent() && floor.isPresent()) {
        double a = transferMiBs(gw.get());
        double f = transferMiBs(floor.get());
        String fix = fixture.map(r -> String.format(Locale.ROOT, " (fixture %s, %s× the floor)",
            fmt(transferMiBs(r)), fmt(transferMiBs(r) / f))).orElse("");
        goals.add(new Goal(name, "gateway " + fmt(a) + " vs floor " + fmt(f) + " MiB/s" + fix, ratio(a / f),
            "≥ 0.7×", a / f >= 0.7 ? "met" : "not met"));
      } else {
        goals.add(missing(name, "≥ 0.7×"));
      }
      String heapName = "gateway heap growth during a " + size + " " + op;
      Double peak = gw.map(r -> r.secondary("heapPeakGrowthMiB")).orElse(null);
      if (peak != null) {
        Result r = gw.get();
        String fix = fixture.map(x -> x.secondary("heapPeakGrowthMiB")).map(x -> String.format(Locale.ROOT,
            "; fixture %s MiB, live %s MiB", fmt(x), fmt(orNaN(fixture.get().secondary("heapLiveGrowthMiB"))))).orElse("");
        goals.add(new Goal(heapName, String.format(Locale.ROOT,
            "peak used − start %s MiB (worst transfer), live after GC − before %s MiB, GCs %s%s", fmt(peak),
            fmt(orNaN(r.secondary("heapLiveGrowthMiB"))), fmt(orNaN(r.secondary("gcs"))), fix), "",
            "≤ 64 MiB", peak <= 64 ? "met" : "not met"));
      } else {
        goals.add(missing(heapName, "≤ 64 MiB"));
      }
    }
    for (String op : List.of("get", "put")) {
      String name = "gateway 1 KiB " + op + " ops/s vs the JDK-HttpServer fixture, 64 clients";
      Optional<Result> gw = findMode(b + op + "64", "thrpt", "server", "GATEWAY");
      Optional<Result> fixture = findMode(b + op + "64", "thrpt", "server", "FIXTURE");
      Optional<Result> floor = findMode(b + op + "64", "thrpt", "server", "FLOOR");
      String fl = floor.map(f -> "; floor " + fmt(f.perSecond())).orElse("");
      goals.add(atLeast(name, gw, fixture, 5.0, "gateway %s vs fixture %s ops/s" + fl.replace("%", "%%")));
      for (String clients : List.of("1", "16", "64")) {
        StringBuilder m = new StringBuilder();
        for (String server : List.of("GATEWAY", "FIXTURE", "FLOOR")) {
          Optional<Result> t = findMode(b + op + clients, "thrpt", "server", server);
          Optional<Result> s = findMode(b + op + clients, "sample", "server", server);
          if (t.isEmpty() && s.isEmpty()) {
            continue;
          }
          m.append(m.length() == 0 ? "" : "; ").append(server.toLowerCase(Locale.ROOT)).append(' ')
              .append(t.map(x -> fmt(x.perSecond()) + " ops/s").orElse("-"));
          s.filter(x -> x.percentile(50.0) != null).ifPresent(x -> m.append(", p50 / p99 ")
              .append(fmt(x.percentile(50.0))).append(" / ").append(fmt(x.percentile(99.0))).append(' ')
              .append(x.unit().substring(0, x.unit().indexOf('/'))));
        }
        if (m.length() > 0) {
          goals.add(new Goal("1 KiB " + op + ", " + clients + " client" + (clients.equals("1") ? "" : "s"),
              m.toString(), "", "(info)", "info"));
        }
      }
    }
  }

  private static double transferMiBs(Result r) {
    return Double.parseDouble(r.params().getOrDefault("largeMiB", "1024")) / r.secondsPerOp();
  }

  private static double orNaN(@Nullable Double d) {
    return d == null ? Double.NaN : d;
  }

  // ------------------------------------------------------------------ helpers

  private Optional<Result> findMode(String classAndMethod, String mode, String param, String value) {
    return results.stream().filter(r -> r.mode().equals(mode) && r.is(classAndMethod, Map.of(param, value)))
        .findFirst();
  }

  private Optional<Result> find(String classAndMethod, String param, String value) {
    return results.stream().filter(r -> r.is(classAndMethod, Map.of(param, value))).findFirst();
  }

  /** A throughput goal: {@code measured / anchor ≥ target}. */
  private static Goal atLeast(String name, Optional<Result> measured, Optional<Result> anchor, double target,
      String format) {
    String t = "≥ " + fmt(target) + "×";
    if (measured.isEmpty() || anchor.isEmpty()) {
      return missing(name, t);
    }
    double a = measured.get().perSecond();
    double b = anchor.get().perSecond();
    double ratio = a / b;
    return new Goal(name, String.format(Locale.ROOT, format, fmt(a), fmt(b)), ratio(ratio), t,
        ratio >= target ? "met" : "not met");
  }

  private static Goal missing(String name, String target) {
    return new Goal(name, "not measured", "", target, "not measured");
  }

  private static double objectBytes(Result r) {
    return Double.parseDouble(r.params().getOrDefault("objectMiB", "64")) * MIB;
  }

  private static double mibPerSecond(Result r) {
    return r.perSecond() * objectBytes(r) / MIB;
  }

  /** Seconds in one JMH time unit ({@code s}, {@code ms}, {@code us}, {@code ns}, {@code min}). */
  static double secondsIn(String unit) {
    return switch (unit) {
      case "s" -> 1;
      case "ms" -> 1e3;
      case "us" -> 1e6;
      case "ns" -> 1e9;
      case "min" -> 1.0 / 60;
      default -> throw new IllegalArgumentException("not a throughput unit: ops/" + unit);
    };
  }

  static String ratio(double r) {
    return String.format(Locale.ROOT, "%.2f×", r);
  }

  static String fmt(double x) {
    if (Double.isNaN(x)) {
      return "NaN";
    }
    double a = Math.abs(x);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", x);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", x);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", x);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", x);
    }
    return String.format(Locale.ROOT, "%.3g", x);
  }

  static String bytes(double b) {
    if (b < 1024) {
      return String.format(Locale.ROOT, "%.0f B", b);
    }
    if (b < MIB) {
      return String.format(Locale.ROOT, "%.1f KiB", b / 1024);
    }
    return String.format(Locale.ROOT, "%.2f MiB", b / MIB);
  }

  static String machine() {
    String cpu = "";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = ", " + line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the model stays unnamed
    }
    return Runtime.getRuntime().availableProcessors() + " cores" + cpu + ", " + System.getProperty("os.name") + " "
        + System.getProperty("os.arch");
  }

  static String currentLoad() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
