package io.hybridstorage.cli;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.annotation.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sites gs://bucket/object}: which sites hold the object, with their generations, sizes and
 * CRC32C — one {@code head} on each site's store (behind the router's breaker, bypassing
 * placements), next to what the placement covering the name expects. Exit 0 when every replica
 * holds the authority's generation and checksum, 1 when one differs or lacks it (or no site holds
 * the object: 404), 3 when a replica does not answer.
 */
@Command(name = "sites", mixinStandardHelpOptions = true,
    description = "Which sites hold an object: generation, size and CRC32C per site, against its placement.")
final class SitesCommand extends WorldCommand {

  @Parameters(paramLabel = "URL", arity = "1", description = "gs://bucket/object")
  String url;

  @Option(names = "--json", description = "one JSON document instead of the table")
  boolean json;

  /** One site's copy. */
  record Copy(String site, String role, boolean present, @Nullable Long generation, @Nullable Long metageneration,
      @Nullable Long size, @Nullable String crc32c, @Nullable String updated, @Nullable String error,
      boolean matchesAuthority) {}

  /** The whole report ({@code --json}). */
  record Report(String url, @Nullable String placement, @Nullable String authority, List<String> replicas,
      List<Copy> sites, boolean consistent) {}

  @Override
  int run(World world) {
    GcsUrl target = GcsUrl.parseObject(url);
    Optional<Placement> placement = world.options().placementFor(target.bucket(), target.name());
    String authority = placement.map(Placement::authority).orElse(null);
    List<String> replicas = placement.map(Placement::replicas).orElse(List.of());
    Map<String, ObjectStore> stores = world.siteStores();

    ObjectInfo reference = null;
    boolean authorityAnswered = true;
    List<Copy> pending = new ArrayList<>();
    java.util.Map<String, Object> heads = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, ObjectStore> site : stores.entrySet()) {
      try {
        heads.put(site.getKey(), site.getValue().head(ObjectId.of(target.bucket(), target.name()), Conditions.none())
            .orElse(null));
      } catch (RuntimeException e) {
        heads.put(site.getKey(), e);
      }
    }
    if (authority != null && heads.get(authority) instanceof ObjectInfo info) {
      reference = info;
    }
    if (authority != null && heads.get(authority) instanceof RuntimeException) {
      authorityAnswered = false;
    }
    boolean anyPresent = false;
    boolean unreachable = false;
    boolean consistent = authorityAnswered;
    for (Map.Entry<String, Object> head : heads.entrySet()) {
      String site = head.getKey();
      String role = site.equals(authority) ? "authority" : replicas.contains(site) ? "replica" : "-";
      boolean expected = replicas.contains(site);
      if (head.getValue() instanceof RuntimeException e) {
        unreachable |= expected;
        consistent &= !expected;
        pending.add(new Copy(site, role, false, null, null, null, null, null, message(e), false));
      } else if (head.getValue() instanceof ObjectInfo info) {
        anyPresent = true;
        boolean matches = reference != null && info.generation() == reference.generation()
            && Objects.equals(info.crc32c(), reference.crc32c());
        consistent &= matches || !expected;
        pending.add(new Copy(site, role, true, info.generation(), info.metageneration(), info.size(), info.crc32c(),
            info.updateTime() == null ? null : info.updateTime().toString(), null, matches));
      } else {
        consistent &= !expected;
        pending.add(new Copy(site, role, false, null, null, null, null, null, null, false));
      }
    }
    if (!anyPresent && !unreachable) {
      throw HybridStorageException.objectNotFound("sites", target.bucket(), target.name(), null);
    }
    Report report = new Report(target.toString(), placement.map(Placement::id).orElse(null), authority, replicas,
        pending, consistent);
    if (json) {
      Json.print(out(), report);
    } else {
      print(out(), report);
    }
    return unreachable ? Exits.UNREACHABLE : consistent ? Exits.OK : Exits.DIFFERENCES;
  }

  private static void print(PrintWriter out, Report report) {
    out.println(report.url() + "  placement " + (report.placement() == null ? "(none)" : report.placement())
        + ", authority " + report.authority() + ", replicas " + report.replicas());
    Table table = new Table("SITE", "ROLE", "GENERATION", "SIZE", "CRC32C", "UPDATED", "STATE");
    for (Copy c : report.sites()) {
      String state = c.error() != null ? "UNREACHABLE: " + c.error()
          : !c.present() ? (c.role().equals("-") ? "absent" : "MISSING")
          : c.role().equals("authority") ? "holds" : c.matchesAuthority() ? "holds, matches the authority"
          : c.role().equals("-") ? "holds (not a replica)" : "DIFFERS from the authority";
      table.row(c.site(), c.role(), c.generation() == null ? "-" : String.valueOf(c.generation()),
          c.size() == null ? "-" : String.valueOf(c.size()), c.crc32c() == null ? "-" : c.crc32c(),
          c.updated() == null ? "-" : c.updated(), state);
    }
    table.print(out);
    out.println(report.consistent() ? "consistent: every replica holds the authority's generation"
        : "NOT consistent: a replica lacks or differs from the authority's copy");
  }

  private static String message(RuntimeException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
