package io.hybridstorage.sync.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The bulk initial copy and bulk verify of a hot-set rule's prefix as a Spark job (issue 15,
 * "Beyond one machine"): the driver splits the prefix at the rule's authority ({@code
 * Bulk.partitions}: one partition per sub-prefix, by delimiter {@code /}, plus one for the objects
 * directly under it), each partition is one Spark task that runs {@code Bulk.copy} — then, in a
 * second pass, {@code Bulk.verify} — through the SDK in the executor, and the driver adds the
 * tasks' counts up. It prints one JSON line on standard output:
 *
 * <pre>
 * {"job":"hybrid-storage-sync-bulk","master":"local[2]","parallelism":2,"rule":"lake/bulk/","bucket":"lake",
 *  "prefix":"bulk/","authority":"gcp","sites":["dc1","dc2"],"partitions":65,
 *  "copy":{"objects":10000,"hot":10000,"COPIED":20000,"UNCHANGED":0,...,"bytesCopied":...,"differences":20000,
 *          "seconds":41.2,"objectsPerSecond":242.7},
 *  "verify":{...,"differences":0,"seconds":3.1,"objectsPerSecond":3225.8}}
 * </pre>
 *
 * <p>Exit status: 0 when done (and, with a verify, nothing differs), 3 when the verify found
 * differences, 1 on a failure (its stack trace on standard error), 2 on a usage error. Spark's
 * own log goes to standard error.
 *
 * <p>Run it with {@code spark-submit --class io.hybridstorage.sync.spark.SyncBulkJob} on this
 * module's jar (and picocli), passing {@code --sdk-classpath} (the SDK's jars: a directory, or a
 * file listing them, present at that path on every node) and {@code --config} (the SDK's YAML with
 * its {@code sync:} section, readable on every node; credentials by reference, as always). The
 * SDK runs in an isolated class loader ({@link SdkBridge}); nothing of it needs to be on Spark's
 * classpath, and nothing needs shading. {@code --master} is for a run without spark-submit;
 * other Spark settings come from {@code spark.*} system properties.
 */
@Command(name = "sync-bulk", mixinStandardHelpOptions = true,
    description = "Copies a hot-set rule's prefix from its authority to the rule's sites, then verifies it, "
        + "one Spark task per partition of the prefix; prints one JSON line.")
public final class SyncBulkJob implements Callable<Integer> {

  /** What the job does. */
  enum Mode { COPY, VERIFY, COPY_AND_VERIFY }

  /** The exit status when the verify found (object, site) pairs that differ. */
  static final int DIFFERENCES = 3;

  @Option(names = "--config", required = true, description = "the SDK's YAML configuration with a sync: section")
  Path config;

  @Option(names = "--sdk-classpath", required = true,
      description = "the SDK's jars: a directory of them, or a file listing them (path-separator separated)")
  Path sdkClasspath;

  @Option(names = "--rule", description = "the hot-set rule's id (default: the configuration's only rule)")
  String rule;

  @Option(names = "--prefix", description = "a prefix within the rule's (default: the rule's prefix)")
  String prefix;

  @Option(names = "--mode", defaultValue = "COPY_AND_VERIFY",
      description = "COPY, VERIFY or COPY_AND_VERIFY (default: ${DEFAULT-VALUE})")
  Mode mode;

  @Option(names = "--create-buckets",
      description = "create the rule's bucket on the rule's sites that lack it (a new site's first load)")
  boolean createBuckets;

  @Option(names = "--master", description = "Spark's master, e.g. local[2] (default: spark-submit's)")
  String master;

  @Option(names = "--exit-when-stdin-ends", hidden = true,
      description = "exit as soon as standard input ends (a test's parent JVM died)")
  boolean exitWhenStdinEnds;

  /**
   * log4j's default context selector gives each class loader a context of its own, so the SDK's
   * loggers (in {@link SdkBridge}'s loader) would get log4j's default configuration (errors only)
   * instead of Spark's; one context for the whole JVM keeps them in Spark's log.
   */
  static final String ONE_LOG4J_CONTEXT =
      "-Dlog4j2.contextSelector=org.apache.logging.log4j.core.selector.BasicContextSelector";

  public static void main(String[] args) {
    // before anything logs: the driver's JVM (and local[N]'s executors, which run in it)
    if (System.getProperty("log4j2.contextSelector") == null) {
      System.setProperty("log4j2.contextSelector", ONE_LOG4J_CONTEXT.substring(ONE_LOG4J_CONTEXT.indexOf('=') + 1));
    }
    System.exit(new CommandLine(new SyncBulkJob()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    if (exitWhenStdinEnds) {
      exitWhenStdinEnds();
    }
    SparkConf conf = new SparkConf().setAppName("hybrid-storage-sync-bulk");
    if (master != null) {
      conf.setMaster(master);
    }
    // the executors' JVMs on a cluster: the same single log4j context, unless their options are set
    conf.setIfMissing("spark.executor.extraJavaOptions", ONE_LOG4J_CONTEXT);
    // only strings cross into the tasks' closures
    final String cfg = config.toAbsolutePath().toString();
    final String sdk = sdkClasspath.toAbsolutePath().toString();
    ObjectMapper json = new ObjectMapper();
    ObjectNode out = json.createObjectNode();
    long differences = 0;
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      SdkBridge bridge = SdkBridge.get(sdk);
      List<String> described = bridge.describe(cfg, rule);
      final String ruleId = described.get(0);
      List<String> parts = bridge.partitions(cfg, ruleId, prefix);
      out.put("job", "hybrid-storage-sync-bulk");
      out.put("master", sc.master());
      out.put("parallelism", sc.defaultParallelism());
      out.put("rule", ruleId);
      out.put("bucket", described.get(1));
      out.put("prefix", prefix != null ? prefix : described.get(2));
      out.put("authority", described.get(3));
      described.subList(4, described.size()).forEach(out.putArray("sites")::add);
      out.put("partitions", parts.size());
      if (createBuckets && mode != Mode.VERIFY) {
        bridge.createBuckets(cfg, ruleId).forEach(out.putArray("bucketCreatedOn")::add);
      }
      if (mode != Mode.VERIFY) {
        long start = System.nanoTime();
        List<Map<String, Long>> each = sc.parallelize(parts, parts.size())
            .map(p -> SdkBridge.get(sdk).copy(cfg, ruleId, p)).collect();
        stage(out.putObject("copy"), each, System.nanoTime() - start);
      }
      if (mode != Mode.COPY) {
        long start = System.nanoTime();
        List<Map<String, Long>> each = sc.parallelize(parts, parts.size())
            .map(p -> SdkBridge.get(sdk).verify(cfg, ruleId, p)).collect();
        differences = stage(out.putObject("verify"), each, System.nanoTime() - start).get("differences");
      }
    }
    System.out.println(json.writeValueAsString(out));
    System.out.flush();
    return differences > 0 ? DIFFERENCES : 0;
  }

  /** The tasks' counts added up into {@code node}, with the stage's seconds and objects per second. */
  static Map<String, Long> stage(ObjectNode node, List<Map<String, Long>> tasks, long nanos) {
    Map<String, Long> sum = new LinkedHashMap<>();
    for (Map<String, Long> t : tasks) {
      t.forEach((k, v) -> sum.merge(k, v, Long::sum));
    }
    sum.forEach(node::put);
    double seconds = nanos / 1e9;
    node.put("seconds", Math.round(seconds * 1000) / 1000.0);
    node.put("objectsPerSecond", Math.round(sum.getOrDefault("objects", 0L) / seconds * 10) / 10.0);
    return sum;
  }

  /** The test that started this process holds its standard input open; when it ends, so does the job. */
  private static void exitWhenStdinEnds() {
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // nothing is sent; only the end matters
        }
      } catch (IOException e) {
        // the same: the parent is gone
      }
      System.err.println("SyncBulkJob: standard input ended (the parent is gone); exiting");
      Runtime.getRuntime().halt(4);
    }, "exit-when-stdin-ends");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
