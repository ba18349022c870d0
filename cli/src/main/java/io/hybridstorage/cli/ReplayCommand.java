package io.hybridstorage.cli;

import io.hybridstorage.routing.RoutingStore;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code replay}: one replay pass of the replication journal now ({@link RoutingStore#replayNow});
 * {@code --drain}: replay until it is empty or the timeout passed ({@link RoutingStore#drain}).
 * Prints the pending entries per site before and after. Exit 3 when entries are left (their sites
 * did not take them: down, or their breakers open). A journal survives the process only in a
 * configured {@code journalDirectory}: this is how an operator replays what an earlier process left.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Replays the replication journal now (--drain: until empty or --timeout); exit 3 when entries "
        + "are left for sites that did not take them.")
final class ReplayCommand extends WorldCommand {

  @Option(names = "--drain", description = "replay until the journal is empty or --timeout passed")
  boolean drain;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "how long --drain may take: 500ms, 30s, 5m or PT30S (default ${DEFAULT-VALUE})")
  Duration timeout;

  @Override
  int run(World world) {
    RoutingStore router = world.requireRouter("replay");
    Map<String, Integer> before = depths(world, router);
    String outcome;
    if (drain) {
      boolean drained = router.drain(timeout);
      outcome = drained ? "drained" : "not drained within " + Durations.format(timeout);
    } else {
      outcome = "one pass replayed or skipped " + router.replayNow() + " entries";
    }
    Map<String, Integer> after = depths(world, router);
    Table table = new Table("SITE", "PENDING BEFORE", "PENDING AFTER", "LAG", "BREAKER");
    for (String site : after.keySet()) {
      table.row(site, String.valueOf(before.get(site)), String.valueOf(after.get(site)),
          Durations.format(router.journalAge(site)), router.isSiteOpen(site) ? "OPEN" : "closed");
    }
    table.print(out());
    int left = router.journalDepth();
    out().println("replay: " + outcome + "; " + left + " pending");
    return left == 0 ? Exits.OK : Exits.UNREACHABLE;
  }

  private static Map<String, Integer> depths(World world, RoutingStore router) {
    Map<String, Integer> depths = new LinkedHashMap<>();
    for (String site : world.options().sites().keySet()) {
      depths.put(site, router.journalDepth(site));
    }
    return depths;
  }

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT30S}). */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(java.util.Locale.ROOT);
      try {
        if (v.startsWith("pt") || v.startsWith("p")) {
          return Duration.parse(value.trim());
        }
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        long amount = Long.parseLong(v.substring(0, v.length() - 1));
        switch (v.charAt(v.length() - 1)) {
          case 's':
            return Duration.ofSeconds(amount);
          case 'm':
            return Duration.ofMinutes(amount);
          case 'h':
            return Duration.ofHours(amount);
          default:
            break;
        }
      } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
        // falls through to the message below
      }
      throw new IllegalArgumentException("'" + value + "' is not a duration: write 500ms, 30s, 5m, 1h or PT30S");
    }
  }
}
