package io.hybridstorage.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridstorage.api.ConfigSection;
import io.hybridstorage.api.HybridStorageConfigException;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.routing.RoutedWorld;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.sync.pubsub.PubSubFeed;
import io.hybridstorage.sync.pubsub.PubSubTransport;
import io.hybridstorage.sync.pubsub.PushEndpoint;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.annotation.Nullable;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The sync as a process: {@code java -jar hybrid-storage-sync.jar --config hybrid.yaml}. Opens the
 * world the file configures (its sites and placements), reads its {@code sync:} section, and runs
 * a {@link SyncEngine} with the feeds configured there — a Pub/Sub subscription ({@code pubsub:}),
 * a push endpoint ({@code push: {port: …}}), periodic scans — until it is stopped (SIGTERM, or
 * stdin closing with {@code --stop-on-stdin-eof}). With {@code --once}: one scan, applied, a JSON
 * report on standard output, exit 0 (nothing left) or 1 (changes left pending).
 *
 * <p>Standard output carries this command's own lines (the {@code SYNC-READY} line, the report);
 * logs go through SLF4J.
 */
@Command(name = "hybrid-sync", mixinStandardHelpOptions = true,
    description = "Brings objects written outside the SDK to the sites their hot-set rules name.")
public final class SyncMain implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(SyncMain.class);

  @Option(names = "--config", description = "the SDK's configuration file with a sync: section "
      + "(default: $HYBRID_STORAGE_CONFIG)")
  @Nullable Path config;

  @Option(names = "--state", description = "the durable queue's directory (overrides sync.state)")
  @Nullable Path state;

  @Option(names = "--partition", description = "this process's share of the scans (overrides sync.partition)")
  @Nullable Integer partition;

  @Option(names = "--partitions", description = "how many processes share the scans (overrides sync.partitions)")
  @Nullable Integer partitions;

  @Option(names = "--once", description = "scan once, apply, print a JSON report and exit")
  boolean once;

  @Option(names = "--timeout", defaultValue = "10m", converter = DurationConverter.class,
      description = "with --once: how long to wait for the changes to be applied (default ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--stop-on-stdin-eof", description = "stop when standard input closes (a parent process's child)")
  boolean stopOnStdinEof;

  private final PrintWriter out;

  SyncMain(PrintWriter out) {
    this.out = out;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    System.exit(command(out).execute(args));
  }

  /**
   * The command line: exit 0 done, 1 changes left pending ({@code --once}) or a site refused a call,
   * 2 usage or a bad configuration (the file and key named), 3 a site unreachable.
   */
  static CommandLine command(PrintWriter out) {
    CommandLine cl = new CommandLine(new SyncMain(out));
    cl.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      commandLine.getErr().println("hybrid-sync: " + e.getMessage());
      if (e instanceof IllegalArgumentException) {
        return 2; // a bad configuration (HybridStorageConfigException) or argument
      }
      if (e instanceof io.hybridstorage.api.HybridStorageException h) {
        return h.code() == 503 || h.code() == 502 || h.code() == 504 ? 3 : 1;
      }
      log.error("hybrid-sync failed", e);
      return 1;
    });
    return cl;
  }

  @Override
  public Integer call() throws Exception {
    Path file = config != null ? config : envConfig();
    HybridStorageOptions options = HybridStorageOptions.fromFile(file);
    SyncConfig read = SyncConfig.load(file, options);
    SyncConfig c = new SyncConfig(read.rules(), state != null ? state : read.stateDirectory(), read.workers(),
        read.scanInterval(), partition != null ? partition : read.partition(),
        partitions != null ? partitions : read.partitions(), read.pubsub(), read.push());
    try (RoutedWorld world = RoutedWorld.open(options)) {
      RoutingStore router = world.router().orElseThrow(() -> new HybridStorageConfigException(file.toString(),
          List.of("sites: the sync needs several sites (a router); this file configures " + options.sites().keySet())));
      SyncEngine.Builder b = SyncEngine.builder(router, once ? withoutPeriodicScan(c) : c);
      if (!once && !c.pubsub().isEmpty()) {
        b.feed(pubsub(c.pubsub()));
      }
      try (SyncEngine engine = b.build().start()) {
        return once ? runOnce(engine) : serve(engine, c);
      }
    }
  }

  private static SyncConfig withoutPeriodicScan(SyncConfig c) {
    return new SyncConfig(c.rules(), c.stateDirectory(), c.workers(), Duration.ZERO, c.partition(), c.partitions(),
        c.pubsub(), c.push());
  }

  private static Path envConfig() {
    String env = System.getenv("HYBRID_STORAGE_CONFIG");
    if (env == null || env.isBlank()) {
      throw new CommandLine.ParameterException(new CommandLine(SyncMain.class),
          "no configuration: pass --config FILE or set HYBRID_STORAGE_CONFIG");
    }
    return Path.of(env);
  }

  private static PubSubFeed pubsub(ConfigSection s) {
    s.requireNoProblems(new java.util.ArrayList<>(s.unknownKeys(List.of("project", "subscription", "site",
        "endpoint", "emulator", "maxMessages"))));
    PubSubTransport transport = PubSubTransport.cloud();
    String emulator = s.text("emulator", null);
    String endpoint = s.text("endpoint", null);
    if (emulator != null) {
      transport = PubSubTransport.emulator(emulator);
    } else if (endpoint != null) {
      transport = transport.withEndpoint(endpoint);
    }
    String subscription = s.text("subscription", null);
    String project = s.text("project", null);
    if (subscription == null) {
      throw new HybridStorageConfigException(s.origin(), List.of("sync.pubsub.subscription: missing; name the"
          + " subscription of the bucket's notifications (projects/P/subscriptions/S, or S with project: P)"));
    }
    if (project == null && subscription.startsWith("projects/")) {
      project = subscription.split("/")[1];
    }
    if (project == null) {
      throw new HybridStorageConfigException(s.origin(), List.of("sync.pubsub.project: missing; name the project"
          + " of subscription " + subscription + " (or write it as projects/P/subscriptions/S)"));
    }
    return PubSubFeed.builder().project(project).subscription(subscription)
        .site(s.text("site", "gcp")).maxMessages(s.wholeNumber("maxMessages", 1000)).transport(transport).build();
  }

  private int runOnce(SyncEngine engine) throws InterruptedException {
    int queued = engine.scanNow();
    boolean idle = engine.awaitIdle(timeout);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("queued", queued);
    report.put("applied", engine.applied());
    report.put("pending", engine.pending());
    report.put("lag", engine.staleness().snapshot().stream().map(SyncMain::lag).toList());
    out.println(json(report));
    return idle ? 0 : 1;
  }

  private int serve(SyncEngine engine, SyncConfig c) throws Exception {
    Server push = null;
    if (!c.push().isEmpty()) {
      push = new Server();
      ServerConnector connector = new ServerConnector(push);
      connector.setHost(c.push().text("host", "0.0.0.0"));
      connector.setPort(c.push().wholeNumber("port", 8085));
      push.addConnector(connector);
      push.setHandler(PushEndpoint.builder().queue(engine.queue()).site(c.push().text("site", "gcp")).build());
      push.start();
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "hybrid-sync-stop"));
    if (stopOnStdinEof) {
      Thread watcher = new Thread(() -> {
        try {
          while (System.in.read() >= 0) {
            // drain
          }
        } catch (java.io.IOException e) {
          // closed
        }
        stop.countDown();
      }, "hybrid-sync-stdin");
      watcher.setDaemon(true);
      watcher.start();
    }
    int port = push == null ? 0 : ((ServerConnector) push.getConnectors()[0]).getLocalPort();
    out.println("SYNC-READY push=" + port + " pending=" + engine.pending());
    while (!stop.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
      for (Lag l : engine.staleness().snapshot()) {
        log.info("lag {} at {}: p50 {} ms, p99 {} ms, max {} ms over {} change(s); {} pending", l.rule(), l.site(),
            l.p50().toMillis(), l.p99().toMillis(), l.max().toMillis(), l.count(), engine.pending());
      }
    }
    if (push != null) {
      push.stop();
    }
    return 0;
  }

  private static Map<String, Object> lag(Lag l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rule", l.rule());
    m.put("site", l.site());
    m.put("count", l.count());
    m.put("p50Millis", l.p50().toMillis());
    m.put("p99Millis", l.p99().toMillis());
    m.put("maxMillis", l.max().toMillis());
    return m;
  }

  private static String json(Object o) {
    try {
      return new ObjectMapper().writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads {@code 250ms}, {@code 10s}, {@code 5m} as the configuration file writes durations. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = new ConfigSection("--timeout", "the command line", Map.of("d", value)).duration("d", null);
      if (d == null) {
        throw new CommandLine.TypeConversionException("not a duration: " + value);
      }
      return d;
    }
  }
}
