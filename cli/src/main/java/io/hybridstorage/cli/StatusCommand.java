package io.hybridstorage.cli;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.hybridstorage.api.BucketListRequest;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.routing.RoutingStore;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.annotation.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code status}: each site (kind, endpoint, latency hint, local?), whether it answers (one bucket
 * listing of one entry through the router's breaker), whether its breaker is open, its journal
 * depth and the age of its oldest pending entry (its replication lag), then the placements. Exit 3
 * when a site does not answer or its breaker is open.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Sites (kind, endpoint, breaker, reachable?), journal depth and lag per site, placements.")
final class StatusCommand extends WorldCommand {

  @Option(names = "--json", description = "one JSON document instead of the table")
  boolean json;

  @Option(names = "--no-probe", description = "do not call each site (reachability unknown)")
  boolean noProbe;

  /** One site's line. */
  record SiteStatus(String name, String kind, @Nullable String endpoint, long latencyMillis, boolean local,
      boolean breakerOpen, @Nullable Boolean reachable, @Nullable String error, @Nullable Integer journalDepth,
      @Nullable Long lagMillis) {}

  /** A placement, as configured. */
  record PlacementStatus(String id, List<String> replicas, String authority, String write, String read,
      String consistency) {}

  /** The whole report ({@code --json}). */
  record Report(String configuration, List<SiteStatus> sites, @Nullable Integer journalDepth,
      @Nullable Long journalOldestAgeMillis, @Nullable String journalDirectory, List<PlacementStatus> placements,
      boolean healthy) {}

  @Override
  int run(World world) throws Exception {
    HybridStorageOptions options = world.options();
    RoutingStore router = world.router().orElse(null);
    Map<String, String> probeErrors = noProbe ? Map.of() : probe(world.siteStores());
    List<SiteStatus> sites = new ArrayList<>();
    boolean healthy = true;
    for (SiteConfig site : options.sites().values()) {
      boolean open = router != null && router.isSiteOpen(site.name());
      Boolean reachable = noProbe ? null : !probeErrors.containsKey(site.name());
      healthy &= !open && !Boolean.FALSE.equals(reachable);
      sites.add(new SiteStatus(site.name(), site.kind(), endpoint(site.endpoint()), site.latency().toMillis(),
          options.localSite().map(site.name()::equals).orElse(false), open, reachable, probeErrors.get(site.name()),
          router == null ? null : router.journalDepth(site.name()),
          router == null ? null : router.journalAge(site.name()).toMillis()));
    }
    List<PlacementStatus> placements = options.placements().stream()
        .map(p -> new PlacementStatus(p.id(), p.replicas(), p.authority(), p.writePolicy().name(),
            p.readPolicy().name(), p.consistency().name()))
        .toList();
    Report report = new Report(cli.configurationSource(), sites, router == null ? null : router.journalDepth(),
        router == null ? null : router.journalAge().toMillis(),
        router == null ? null : options.journalDirectory().map(String::valueOf).orElse(null), placements, healthy);
    if (json) {
      Json.print(out(), report);
    } else {
      print(out(), report);
    }
    return healthy ? Exits.OK : Exits.UNREACHABLE;
  }

  private static void print(PrintWriter out, Report report) {
    out.println("configuration: " + report.configuration());
    Table table = new Table("SITE", "KIND", "ENDPOINT", "LATENCY", "LOCAL", "BREAKER", "REACHABLE", "JOURNAL", "LAG");
    for (SiteStatus s : report.sites()) {
      table.row(s.name(), s.kind(), s.endpoint() == null ? "-" : s.endpoint(), s.latencyMillis() + "ms",
          s.local() ? "yes" : "", s.breakerOpen() ? "OPEN" : "closed",
          s.reachable() == null ? "?" : s.reachable() ? "yes" : "NO",
          s.journalDepth() == null ? "-" : String.valueOf(s.journalDepth()),
          s.lagMillis() == null ? "-" : Durations.format(Duration.ofMillis(s.lagMillis())));
    }
    table.print(out);
    for (SiteStatus s : report.sites()) {
      if (s.error() != null) {
        out.println(s.name() + ": " + s.error());
      }
    }
    if (report.journalDepth() != null) {
      out.println("journal: " + report.journalDepth() + " pending, oldest "
          + Durations.format(Duration.ofMillis(report.journalOldestAgeMillis())) + " ("
          + (report.journalDirectory() != null ? report.journalDirectory()
          : "in memory: no journalDirectory configured") + ")");
    } else {
      out.println("journal: none (one site, no router)");
    }
    out.println("placements:");
    for (PlacementStatus p : report.placements()) {
      out.println("  " + p.id() + " -> " + p.replicas() + " authority " + p.authority() + ", " + p.write() + ", "
          + p.read() + ", " + p.consistency());
    }
    out.println(report.healthy() ? "healthy" : "UNHEALTHY: a site does not answer or its breaker is open");
  }

  /** Calls every site at once (one bucket listing of one entry); the error per site that failed. */
  private static Map<String, String> probe(Map<String, ObjectStore> stores) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, stores.size()),
        new ThreadFactoryBuilder().setNameFormat("hybrid-storage-cli-probe-%d").setDaemon(true).build());
    try {
      Map<String, CompletableFuture<String>> calls = new LinkedHashMap<>();
      stores.forEach((name, store) -> calls.put(name, CompletableFuture.supplyAsync(() -> {
        try {
          store.listBuckets(new BucketListRequest(null, 1, null));
          return null;
        } catch (RuntimeException e) {
          return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
      }, pool)));
      Map<String, String> errors = new LinkedHashMap<>();
      calls.forEach((name, call) -> {
        String error = call.join();
        if (error != null) {
          errors.put(name, error);
        }
      });
      return errors;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The endpoint without user information, query or fragment (a URL may carry a secret there). */
  @Nullable
  static String endpoint(@Nullable String endpoint) {
    if (endpoint == null || endpoint.isBlank()) {
      return null;
    }
    try {
      URI uri = URI.create(endpoint);
      if (uri.getHost() == null) {
        return "(not a URL)";
      }
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
          + (uri.getRawPath() == null ? "" : uri.getRawPath());
    } catch (IllegalArgumentException e) {
      return "(not a URL)";
    }
  }
}
