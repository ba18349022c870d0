package io.hybridstorage.sync.spark.sdk;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.HybridStorage;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.routing.Reconciled;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.sync.Bulk;
import io.hybridstorage.sync.HotSetRule;
import io.hybridstorage.sync.SyncConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK side of the Spark job: runs in the isolated class loader of {@code SdkBridge}, with the
 * SDK's own Jackson, Guava, protobuf and netty, and speaks to the Spark side in JDK types only
 * (strings, lists, maps of longs), so that no class crosses between the two loaders.
 *
 * <p>Each JVM (driver, executor) opens the router of a configuration file once, on first use, and
 * keeps it for every task of that JVM; it is closed when the JVM exits. The file is the SDK's
 * YAML ({@link HybridStorageOptions#fromFile}) with its {@code sync:} section ({@link
 * SyncConfig#load}); it must be readable at the same path on every executor.
 */
public final class BulkTasks {

  private static final Logger LOG = LoggerFactory.getLogger(BulkTasks.class);
  private static final Map<String, Opened> OPEN = new ConcurrentHashMap<>();

  /** One configuration file's router and sync settings. */
  private record Opened(RoutingStore router, SyncConfig config) {}

  private BulkTasks() {}

  /**
   * The rule the job runs: the one with id {@code ruleId}, or the only rule when {@code ruleId} is
   * null; as {@code id, bucket, prefix, authority, sites...}.
   *
   * @throws IllegalArgumentException naming the rule ids when there is no such rule, or several and
   *     none was named
   */
  public static List<String> describe(String configFile, String ruleId) {
    HotSetRule r = rule(open(configFile), ruleId);
    List<String> out = new ArrayList<>(List.of(r.id(), r.bucket(), r.prefix(), r.authority()));
    out.addAll(r.sites());
    return out;
  }

  /** {@link Bulk#partitions} of the rule under {@code prefix} (null: the rule's own), each as {@link Bulk.Partition#toString()}. */
  public static List<String> partitions(String configFile, String ruleId, String prefix) {
    Opened o = open(configFile);
    HotSetRule r = rule(o, ruleId);
    List<String> out = new ArrayList<>();
    for (Bulk.Partition p : Bulk.partitions(o.router(), r, prefix == null ? r.prefix() : prefix)) {
      out.add(p.toString());
    }
    return out;
  }

  /**
   * Creates the rule's bucket on each of the rule's sites that lacks it (a new site's first
   * load); the sites it created it on. The authority must hold it already.
   *
   * @throws io.hybridstorage.api.HybridStorageException 404 when the authority has no such bucket
   */
  public static List<String> createBuckets(String configFile, String ruleId) {
    Opened o = open(configFile);
    HotSetRule r = rule(o, ruleId);
    Map<String, ObjectStore> sites = o.router().siteStores();
    if (sites.get(r.authority()).getBucket(r.bucket()).isEmpty()) {
      throw new HybridStorageException(404, "notFound", "createBuckets", r.bucket(), null, r.authority(),
          "the rule " + r.id() + "'s authority " + r.authority() + " has no bucket " + r.bucket(), null);
    }
    List<String> created = new ArrayList<>();
    for (String site : r.sites()) {
      if (sites.get(site).getBucket(r.bucket()).isEmpty()) {
        sites.get(site).createBucket(BucketSpec.of(r.bucket()));
        LOG.info("created bucket {} on site {} for rule {}", r.bucket(), site, r.id());
        created.add(site);
      }
    }
    return created;
  }

  /** {@link Bulk#copy} of one partition, as {@link #counts}. */
  public static Map<String, Long> copy(String configFile, String ruleId, String partition) {
    Opened o = open(configFile);
    return counts(Bulk.copy(o.router(), rule(o, ruleId), Bulk.Partition.parse(partition), Clock.systemUTC()));
  }

  /** {@link Bulk#verify} of one partition, as {@link #counts}. */
  public static Map<String, Long> verify(String configFile, String ruleId, String partition) {
    Opened o = open(configFile);
    return counts(Bulk.verify(o.router(), rule(o, ruleId), Bulk.Partition.parse(partition), Clock.systemUTC()));
  }

  /**
   * A report as counts that add up across partitions: {@code objects}, {@code hot}, {@code
   * bytesCopied}, {@code differences} and one entry per {@link Reconciled} outcome (0 when none).
   */
  static Map<String, Long> counts(Bulk.Report report) {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("objects", report.objects());
    out.put("hot", report.hot());
    for (Reconciled r : Reconciled.values()) {
      out.put(r.name(), report.outcomes().getOrDefault(r, 0L));
    }
    out.put("bytesCopied", report.bytesCopied());
    out.put("differences", report.differences());
    return out;
  }

  private static HotSetRule rule(Opened o, String ruleId) {
    List<HotSetRule> rules = o.config().rules();
    if (ruleId == null) {
      if (rules.size() != 1) {
        throw new IllegalArgumentException("the configuration has " + rules.size() + " hot-set rules "
            + rules.stream().map(HotSetRule::id).toList() + ": name one with --rule");
      }
      return rules.get(0);
    }
    return rules.stream().filter(r -> r.id().equals(ruleId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no hot-set rule '" + ruleId + "'; the rules are "
            + rules.stream().map(HotSetRule::id).toList()));
  }

  private static Opened open(String configFile) {
    return OPEN.computeIfAbsent(configFile, BulkTasks::openNow);
  }

  private static Opened openNow(String configFile) {
    Path file = Path.of(configFile);
    HybridStorageOptions options = HybridStorageOptions.fromFile(file);
    ObjectStore store = HybridStorage.openStore(options);
    if (!(store instanceof RoutingStore router)) {
      store.close();
      throw new IllegalArgumentException(configFile + " configures " + options.sites().size()
          + " site(s): a bulk copy needs a router over several sites (an authority and the rule's sites)");
    }
    SyncConfig config;
    try {
      config = SyncConfig.load(file, options);
    } catch (RuntimeException e) {
      router.close();
      throw e;
    }
    LOG.info("opened {} for the bulk job: sites {}, rules {}", configFile, options.sites().keySet(),
        config.rules().stream().map(HotSetRule::id).toList());
    Runtime.getRuntime().addShutdownHook(new Thread(router::close, "bulk-tasks-close"));
    return new Opened(router, config);
  }
}
