package io.hybridstorage.sync;

import static java.util.Objects.requireNonNull;

import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.routing.Reconciled;
import io.hybridstorage.routing.RoutingStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Bulk work on one prefix of a hot-set rule, without queue or feed: a first load (copy every hot
 * object to the rule's sites) and a verify (compare names, generations and CRC32C). The unit a
 * partitioned job runs per task — one Spark task per prefix (DESIGN.md, "Beyond one machine") — and
 * what the sync process's scans queue, done in place. Idempotent: running it twice copies nothing
 * the second time.
 */
public final class Bulk {

  private Bulk() {}

  /**
   * What a bulk run saw and did.
   *
   * @param objects objects of the authority under the prefix that the rule covers
   * @param hot of those, the ones in the rule's window
   * @param outcomes per outcome, how many (object, site) pairs ended so (copy) or were found so (verify:
   *     {@link Reconciled#UNCHANGED} when equal, {@link Reconciled#COPIED} when a copy is missing or
   *     differs)
   * @param bytesCopied the bytes copied
   */
  public record Report(long objects, long hot, Map<Reconciled, Long> outcomes, long bytesCopied) {

    /** (object, site) pairs that differ: for a verify, the differences; for a copy, what it copied or changed. */
    public long differences() {
      long d = 0;
      for (Map.Entry<Reconciled, Long> e : outcomes.entrySet()) {
        if (e.getKey() != Reconciled.UNCHANGED && e.getKey() != Reconciled.FOREIGN_REPLICA) {
          d += e.getValue();
        }
      }
      return d;
    }

    /** This report and {@code other} added up (a job's partitions). */
    public Report plus(Report other) {
      Map<Reconciled, Long> sum = new EnumMap<>(Reconciled.class);
      sum.putAll(outcomes);
      other.outcomes.forEach((k, v) -> sum.merge(k, v, Long::sum));
      return new Report(objects + other.objects, hot + other.hot, sum, bytesCopied + other.bytesCopied);
    }

    public static Report empty() {
      return new Report(0, 0, new EnumMap<>(Reconciled.class), 0);
    }
  }

  /**
   * One task's share of a partitioned bulk run: every object under {@code prefix} or, when {@code
   * shallow}, only those directly under it (no further {@code /} after the prefix).
   *
   * @param prefix an object-name prefix
   * @param shallow whether names below a further {@code /} are left to other partitions
   */
  public record Partition(String prefix, boolean shallow) {

    public Partition {
      requireNonNull(prefix, "prefix");
    }

    /** {@code prefix} for a deep partition, {@code prefix|shallow} for a shallow one; {@link #parse} reads it. */
    @Override
    public String toString() {
      return shallow ? prefix + SHALLOW : prefix;
    }

    /** The partition {@link #toString()} wrote. */
    public static Partition parse(String text) {
      return text.endsWith(SHALLOW)
          ? new Partition(text.substring(0, text.length() - SHALLOW.length()), true)
          : new Partition(text, false);
    }

    private static final String SHALLOW = "|shallow";
  }

  /**
   * Splits the hot objects of {@code rule} under {@code prefix} into partitions that cover each
   * object exactly once: the authority listed with delimiter {@code /} under the prefix (the
   * rule's own prefix when {@code prefix} is wider); one deep partition per sub-prefix it answers,
   * plus one shallow partition for the objects directly under the prefix (always there, even when
   * the listing found none). A sub-prefix that appears after this listing is in no partition: the
   * sync's scans bring what a bulk run did not see. The driver of a
   * partitioned job calls this once; each task runs {@link #copy(RoutingStore, HotSetRule,
   * Partition, Clock)} or {@link #verify(RoutingStore, HotSetRule, Partition, Clock)} on one.
   *
   * @throws IllegalArgumentException when {@code prefix} is outside the rule's
   */
  public static List<Partition> partitions(RoutingStore router, HotSetRule rule, String prefix) {
    String p = within(rule, prefix);
    ObjectStore authority = router.siteStores().get(rule.authority());
    List<Partition> out = new ArrayList<>();
    out.add(new Partition(p, true));
    String token = null;
    do {
      ListPage<ObjectInfo> page = authority.list(ListRequest.of(rule.bucket()).withPrefix(p).withDelimiter("/")
          .withPageToken(token));
      for (String sub : page.prefixes()) {
        out.add(new Partition(sub, false));
      }
      token = page.nextPageToken();
    } while (token != null);
    return out;
  }

  /** Copies every hot object of {@code rule} under {@code prefix} from the authority to the rule's sites. */
  public static Report copy(RoutingStore router, HotSetRule rule, String prefix, Clock clock) {
    return run(router, rule, new Partition(prefix, false), clock, true);
  }

  /** Compares every hot object of {@code rule} under {@code prefix} between the authority and the rule's sites. */
  public static Report verify(RoutingStore router, HotSetRule rule, String prefix, Clock clock) {
    return run(router, rule, new Partition(prefix, false), clock, false);
  }

  /** {@link #copy(RoutingStore, HotSetRule, String, Clock)} of one partition ({@link #partitions}). */
  public static Report copy(RoutingStore router, HotSetRule rule, Partition partition, Clock clock) {
    return run(router, rule, partition, clock, true);
  }

  /** {@link #verify(RoutingStore, HotSetRule, String, Clock)} of one partition ({@link #partitions}). */
  public static Report verify(RoutingStore router, HotSetRule rule, Partition partition, Clock clock) {
    return run(router, rule, partition, clock, false);
  }

  /** The narrower of {@code prefix} and the rule's prefix; one outside the rule is refused. */
  private static String within(HotSetRule rule, String prefix) {
    requireNonNull(prefix, "prefix");
    if (!prefix.startsWith(rule.prefix()) && !rule.prefix().startsWith(prefix)) {
      throw new IllegalArgumentException("prefix '" + prefix + "' is outside rule " + rule.id());
    }
    return prefix.length() >= rule.prefix().length() ? prefix : rule.prefix();
  }

  private static Report run(RoutingStore router, HotSetRule rule, Partition partition, Clock clock, boolean copy) {
    String p = within(rule, partition.prefix());
    if (partition.shallow() && !p.equals(partition.prefix())) {
      throw new IllegalArgumentException("shallow partition '" + partition.prefix() + "' is wider than rule "
          + rule.id() + " (prefix '" + rule.prefix() + "'): use Bulk.partitions");
    }
    String delimiter = partition.shallow() ? "/" : null;
    ObjectStore authority = router.siteStores().get(rule.authority());
    Instant now = clock.instant();
    long objects = 0;
    long hot = 0;
    long bytes = 0;
    Map<Reconciled, Long> outcomes = new EnumMap<>(Reconciled.class);
    String token = null;
    do {
      ListPage<ObjectInfo> page = authority.list(ListRequest.of(rule.bucket()).withPrefix(p).withDelimiter(delimiter)
          .withPageToken(token));
      Map<String, Map<String, ObjectInfo>> copies = copy ? Map.of() : sitesOver(router, rule, p, delimiter, page);
      for (ObjectInfo i : page.items()) {
        if (!rule.covers(rule.bucket(), i.name())) {
          continue;
        }
        objects++;
        if (!rule.isHot(i.name(), i.updateTime() != null ? i.updateTime() : i.createTime(), now)) {
          continue;
        }
        hot++;
        for (String site : rule.sites()) {
          Reconciled r = copy
              ? router.reconcile(rule.bucket(), i.name(), rule.authority(), site, 0)
              : compare(i, copies.get(site).get(i.name()));
          outcomes.merge(r, 1L, Long::sum);
          if (r == Reconciled.COPIED) {
            bytes += i.size();
          }
        }
      }
      token = page.nextPageToken();
    } while (token != null);
    return new Report(objects, hot, outcomes, bytes);
  }

  /** Each rule site's copies over the name range of {@code page}. */
  private static Map<String, Map<String, ObjectInfo>> sitesOver(RoutingStore router, HotSetRule rule, String prefix,
      @Nullable String delimiter, ListPage<ObjectInfo> page) {
    Map<String, Map<String, ObjectInfo>> out = new HashMap<>();
    for (String s : rule.sites()) {
      out.put(s, page.items().isEmpty() ? Map.of() : Scanner.listRange(router.siteStores().get(s),
          ListRequest.of(rule.bucket()).withPrefix(prefix).withDelimiter(delimiter), page.items().get(0).name(),
          page.items().get(page.items().size() - 1).name() + "\0"));
    }
    return out;
  }


  private static Reconciled compare(ObjectInfo want, @Nullable ObjectInfo have) {
    if (have == null || have.generation() < want.generation()) {
      if (have != null && have.generation() == 0 && Scanner.sameBytes(want, have)) {
        return Reconciled.FOREIGN_REPLICA;
      }
      return Reconciled.COPIED; // would be copied: missing or stale
    }
    if (have.generation() == want.generation() && want.crc32c() != null && have.crc32c() != null
        && !want.crc32c().equals(have.crc32c())) {
      return Reconciled.COPIED; // corrupted: would be replaced
    }
    return Reconciled.UNCHANGED;
  }
}
