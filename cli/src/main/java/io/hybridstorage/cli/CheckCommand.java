package io.hybridstorage.cli;

import io.hybridstorage.routing.Difference;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.routing.VerifyReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verify} and {@code repair} over {@code gs://bucket[/prefix]}: the router's {@link
 * RoutingStore#verify}/{@link RoutingStore#repair}, page after page until the last (or {@code
 * --max-pages}, then the token to resume with), with a text or {@code --json} report.
 */
abstract class CheckCommand extends WorldCommand {

  @Parameters(paramLabel = "URL", arity = "1", description = "gs://bucket[/prefix]: the names to compare")
  String url;

  @Option(names = "--page-size", paramLabel = "N", defaultValue = "1000",
      description = "names per page (default ${DEFAULT-VALUE})")
  int pageSize;

  @Option(names = "--page-token", paramLabel = "TOKEN", description = "resume where an earlier run stopped")
  @Nullable String pageToken;

  @Option(names = "--max-pages", paramLabel = "N", description = "stop after N pages and print the token to resume")
  @Nullable Integer maxPages;

  @Option(names = "--json", description = "one JSON document instead of text")
  boolean json;

  /** One difference, as reported. */
  record Item(String kind, String url, String site, long expectedGeneration, long actualGeneration,
      @Nullable String expectedCrc32c, @Nullable String actualCrc32c, boolean repaired, boolean rolledForward) {

    static Item of(Difference d) {
      return new Item(d.kind().name(), GcsUrl.of(d.bucket(), d.name()), d.site(), d.expectedGeneration(),
          d.actualGeneration(), d.expectedCrc32c(), d.actualCrc32c(), d.repaired(), d.rolledForward());
    }
  }

  /** The whole run ({@code --json}). */
  record Report(String command, String bucket, String prefix, int checked, int pages, int differences,
      int repaired, int left, Map<String, Integer> byKind, List<Item> items, @Nullable String nextPageToken,
      boolean clean) {}

  abstract boolean repairs();

  @Override
  int run(World world) {
    String command = repairs() ? "repair" : "verify";
    GcsUrl target = GcsUrl.parse(url);
    if (pageSize < 1) {
      throw new UsageException("--page-size must be at least 1, not " + pageSize);
    }
    RoutingStore router = world.requireRouter(command);
    int checked = 0;
    int pages = 0;
    List<Item> items = new ArrayList<>();
    String token = pageToken;
    try (Progress progress = cli.progress(command, -1, "objects")) {
      do {
        VerifyReport page = repairs() ? router.repair(target.bucket(), target.name(), token, pageSize)
            : router.verify(target.bucket(), target.name(), token, pageSize);
        pages++;
        checked += page.checked();
        page.differences().forEach(d -> items.add(Item.of(d)));
        progress.step(page.checked());
        token = page.nextPageToken();
      } while (token != null && (maxPages == null || pages < maxPages));
    }
    Map<String, Integer> byKind = new TreeMap<>();
    int repaired = 0;
    for (Item item : items) {
      byKind.merge(item.kind(), 1, Integer::sum);
      repaired += item.repaired() ? 1 : 0;
    }
    int left = items.size() - repaired;
    boolean clean = repairs() ? left == 0 : items.isEmpty();
    Report report = new Report(command, target.bucket(), target.name(), checked, pages, items.size(), repaired, left,
        byKind, items, token, clean);
    if (json) {
      Json.print(out(), report);
    } else {
      print(out(), report);
    }
    return clean ? Exits.OK : Exits.DIFFERENCES;
  }

  private void print(PrintWriter out, Report report) {
    out.println(report.command() + " " + GcsUrl.of(report.bucket(), report.prefix()));
    for (Item i : report.items()) {
      String line = String.format("%-9s %s on %s: authority generation %d%s, %s", i.kind(), i.url(), i.site(),
          i.expectedGeneration(), i.expectedCrc32c() == null ? "" : " (crc32c " + i.expectedCrc32c() + ")",
          i.actualGeneration() < 0 ? "none there" : "there " + i.actualGeneration()
              + (i.actualCrc32c() == null ? "" : " (crc32c " + i.actualCrc32c() + ")"));
      if (repairs()) {
        line += i.rolledForward() ? " [rolled forward to the authority]" : i.repaired() ? " [repaired]" : " [left]";
      }
      out.println(line);
    }
    StringBuilder summary = new StringBuilder("checked ").append(report.checked()).append(" objects in ")
        .append(report.pages()).append(report.pages() == 1 ? " page: " : " pages: ")
        .append(report.differences()).append(report.differences() == 1 ? " difference" : " differences");
    if (!report.byKind().isEmpty()) {
      summary.append(" ").append(report.byKind());
    }
    if (repairs()) {
      summary.append(", ").append(report.repaired()).append(" repaired, ").append(report.left()).append(" left");
    }
    out.println(summary);
    if (report.nextPageToken() != null) {
      out.println("more: resume with --page-token " + report.nextPageToken());
    }
  }
}
