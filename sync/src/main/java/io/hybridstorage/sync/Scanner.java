package io.hybridstorage.sync;

import com.google.common.hash.Hashing;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Utf8Order;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.sync.internal.SyncQueue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scan feed: for sources without notifications (VAST), a missed notification, a first load.
 * Lists each rule's authority and sites page by page over the same name range and queues a change
 * for every difference — a copy missing, older, or with other bytes; a copy of an object that left
 * the window; a copy the authority no longer has (a delete, once the copy is older than the
 * router's repair horizon, so a write still on its way to the authority is never taken for one); a
 * copy without generation at a site (written there outside the SDK).
 *
 * <p>A rule is split into units: its prefix's first level ({@code prefix/x/}, listed with {@code /}
 * as delimiter) and the names directly under the prefix. Several processes share the scans by
 * unit: a process takes the units whose hash, modulo {@link SyncConfig#partitions()}, is its {@link
 * SyncConfig#partition()}. The last name finished in each unit is kept durably, so a killed scan
 * resumes there.
 */
final class Scanner {

  private static final Logger log = LoggerFactory.getLogger(Scanner.class);
  private static final int PAGE = 1000;

  private final RoutingStore router;
  private final SyncConfig config;
  private final SyncQueue queue;
  private final Clock clock;

  Scanner(RoutingStore router, SyncConfig config, SyncQueue queue, Clock clock) {
    this.router = router;
    this.config = config;
    this.queue = queue;
    this.clock = clock;
  }

  /** Scans this process's units of every rule; returns the changes queued. One scan at a time. */
  synchronized int scanAll() {
    int queued = 0;
    for (HotSetRule rule : config.rules()) {
      for (String unit : units(rule)) {
        if (mine(rule, unit)) {
          queued += scanUnit(rule, unit);
        }
      }
    }
    return queued;
  }

  private boolean mine(HotSetRule rule, String unit) {
    if (config.partitions() == 1) {
      return true;
    }
    int h = Hashing.murmur3_32_fixed().hashString(rule.id() + "\n" + unit, StandardCharsets.UTF_8).asInt();
    return Math.floorMod(h, config.partitions()) == config.partition();
  }

  /**
   * The rule's units: each first-level prefix under the rule's prefix at the authority or any of
   * its sites, and {@code ""} for the names directly under it.
   */
  private List<String> units(HotSetRule rule) {
    java.util.TreeSet<String> prefixes = new java.util.TreeSet<>(Utf8Order.INSTANCE);
    List<String> sites = new ArrayList<>(rule.sites());
    sites.add(rule.authority());
    for (String s : sites) {
      String token = null;
      do {
        ListPage<ObjectInfo> page = site(s).list(ListRequest.of(rule.bucket()).withPrefix(rule.prefix())
            .withDelimiter("/").withPageSize(PAGE).withPageToken(token));
        prefixes.addAll(page.prefixes());
        token = page.nextPageToken();
      } while (token != null);
    }
    List<String> units = new ArrayList<>();
    units.add("");
    units.addAll(prefixes);
    return units;
  }

  private int scanUnit(HotSetRule rule, String unit) {
    String cursorKey = rule.id() + "\n" + unit;
    String from = queue.cursor(cursorKey);
    boolean direct = unit.isEmpty();
    String prefix = direct ? rule.prefix() : unit;
    int queued = 0;
    while (true) {
      // one page of the authority's names, then every site over the same range
      Map<String, ObjectInfo> truth = new TreeMap<>(Utf8Order.INSTANCE);
      String last = null;
      ListRequest base = ListRequest.of(rule.bucket()).withPrefix(prefix).withPageSize(PAGE);
      if (direct) {
        base = base.withDelimiter("/");
      }
      ListPage<ObjectInfo> page = site(rule.authority()).list(base.withOffsets(after(from), null));
      for (ObjectInfo i : page.items()) {
        truth.put(i.name(), i);
        last = i.name();
      }
      boolean more = page.nextPageToken() != null;
      String end = more ? last + "\0" : null;
      List<Change> changes = new ArrayList<>();
      Instant now = clock.instant();
      java.util.LinkedHashSet<String> sites = new java.util.LinkedHashSet<>(rule.sites());
      sites.addAll(rule.writers());
      for (String site : sites) {
        boolean target = rule.sites().contains(site);
        boolean writer = rule.writers().contains(site);
        Map<String, ObjectInfo> copies = listRange(site(site), base, after(from), end);
        for (ObjectInfo want : truth.values()) {
          ObjectInfo have = copies.remove(want.name());
          if (!rule.covers(rule.bucket(), want.name())) {
            continue;
          }
          Change c = target ? judge(rule, want, have, now)
              : writer && have != null && have.generation() == 0 && !sameBytes(want, have)
                  ? foreignAt(site, have, now) : null;
          if (c != null) {
            changes.add(c);
          }
        }
        for (ObjectInfo extra : copies.values()) {
          if (!rule.covers(rule.bucket(), extra.name())) {
            continue;
          }
          Change c = judgeExtra(rule, site, target, writer, extra, now);
          if (c != null) {
            changes.add(c);
          }
        }
      }
      queue.put(changes);
      queued += changes.size();
      if (!more) {
        queue.cursor(cursorKey, null);
        log.debug("scan of {} unit '{}' done: {} change(s) queued", rule.id(), unit, queued);
        return queued;
      }
      from = last;
      queue.cursor(cursorKey, from);
    }
  }

  @Nullable
  private static String after(@Nullable String name) {
    return name == null ? null : name + "\0";
  }

  @Nullable
  private Change judge(HotSetRule rule, ObjectInfo want, @Nullable ObjectInfo have, Instant now) {
    Instant updated = want.updateTime() != null ? want.updateTime() : want.createTime();
    boolean hot = rule.isHot(want.name(), updated, now);
    boolean differs;
    if (!hot) {
      differs = have != null; // left the window: the apply evicts the copy
    } else if (have == null || have.generation() < want.generation()) {
      differs = have == null || have.generation() != 0 || !sameBytes(want, have);
    } else if (have.generation() == want.generation()) {
      differs = (want.crc32c() != null && have.crc32c() != null && !want.crc32c().equals(have.crc32c()))
          || !want.metadata().equals(have.metadata());
    } else {
      differs = false; // newer at the site: a write on its way to the authority, not ours to judge
    }
    if (!differs) {
      return null;
    }
    return new Change(Change.Kind.FINALIZE, rule.authority(), want.bucket(), want.name(), want.generation(), 0,
        want.size(), want.crc32c(), updated == null ? now : updated, "scan");
  }

  /**
   * A copy at {@code site} of a name the authority does not hold: at a writer site, a copy without
   * generation is a write made there outside the SDK (the apply brings it to the authority if it is
   * hot); at a target, a copy with a generation is a delete that did not reach it — once it is older
   * than the router's repair horizon (a younger one may be a write still on its way to the authority).
   */
  @Nullable
  private Change judgeExtra(HotSetRule rule, String site, boolean target, boolean writer, ObjectInfo extra,
      Instant now) {
    Instant written = extra.updateTime() != null ? extra.updateTime() : extra.createTime();
    if (extra.generation() == 0) {
      return writer && rule.isHot(extra.name(), written, now) ? foreignAt(site, extra, now) : null;
    }
    if (!target || (written != null && written.plus(router.settings().repairHorizon()).isAfter(now))) {
      return null;
    }
    return new Change(Change.Kind.DELETE, rule.authority(), extra.bucket(), extra.name(), extra.generation(), 0,
        -1, null, now, "scan");
  }

  /** A change at {@code site}: a copy there written outside the SDK. */
  private static Change foreignAt(String site, ObjectInfo copy, Instant now) {
    Instant written = copy.updateTime() != null ? copy.updateTime() : copy.createTime();
    return new Change(Change.Kind.FINALIZE, site, copy.bucket(), copy.name(), 0, 0, copy.size(), copy.crc32c(),
        written == null ? now : written, "scan");
  }

  /** Same size and CRC32C, both known. */
  static boolean sameBytes(ObjectInfo a, ObjectInfo b) {
    return a.size() == b.size() && a.crc32c() != null && a.crc32c().equals(b.crc32c());
  }

  /** Every object {@code site} lists for {@code base} in [{@code start}, {@code end}), all pages, by name. */
  static Map<String, ObjectInfo> listRange(ObjectStore site, ListRequest base, @Nullable String start,
      @Nullable String end) {
    Map<String, ObjectInfo> result = new TreeMap<>(Utf8Order.INSTANCE);
    String token = null;
    do {
      ListPage<ObjectInfo> page = site.list(base.withOffsets(start, end).withPageToken(token));
      for (ObjectInfo i : page.items()) {
        result.put(i.name(), i);
      }
      token = page.nextPageToken();
    } while (token != null);
    return result;
  }

  private ObjectStore site(String name) {
    return router.siteStores().get(name);
  }

  @Override
  public String toString() {
    return "Scanner" + config.rules().stream().map(HotSetRule::id).toList();
  }
}
