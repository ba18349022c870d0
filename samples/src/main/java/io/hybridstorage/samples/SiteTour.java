package io.hybridstorage.samples;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.spi.StoreDecorator;
import io.hybridstorage.routing.RoutingStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.annotation.Nullable;

/**
 * What the first run shows once the job is done: where each object the job left is (each site's
 * generation of it), then an outage — one site taken down, the job's objects read again, a write
 * made, the site brought back and the replication journal drained to zero.
 *
 * <p>Installed as the options' {@link StoreDecorator}: it puts a {@link SiteSwitch} in front of
 * every site's store (the outage) and keeps the {@link RoutingStore} the job's {@code Storage}
 * runs on (its {@link RoutingStore#siteStores() site stores} answer "is it there", its journal
 * says what is still to replicate). With one site there is no router and nothing to show.
 *
 * <p>The site taken down is the local site (the nearest, which serves reads first) unless it
 * decides generations for the bucket, else the first other replica: the authority stays up, since
 * STRONG reads and every write need it.
 */
final class SiteTour implements StoreDecorator {

  /** What the write made during the outage is named after: the next day's first part. */
  static final String OUTAGE_OBJECT = PartitionedSalesJob.partName("2026-11-28", 0);
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, SiteSwitch> switches = new LinkedHashMap<>();
  @Nullable private volatile RoutingStore router;
  /** What each object of the job held before the outage, to compare the outage's reads with. */
  private final Map<String, byte[]> before = new LinkedHashMap<>();

  @Override
  public synchronized ObjectStore site(SiteConfig site, ObjectStore store) {
    SiteSwitch s = new SiteSwitch(store);
    switches.put(site.name(), s);
    return s;
  }

  @Override
  public ObjectStore service(ObjectStore store) {
    if (store instanceof RoutingStore routing) {
      router = routing;
    }
    return store;
  }

  /** The switch in front of {@code site}'s store. */
  synchronized SiteSwitch switchOf(String site) {
    SiteSwitch s = switches.get(site);
    if (s == null) {
      throw new IllegalArgumentException("no site '" + site + "'; the sites are " + switches.keySet());
    }
    return s;
  }

  /** The steps to run after the job, on the {@code Storage} opened with this decorator. */
  List<PartitionedSalesJob.Step> steps(Storage storage, String bucket) {
    RoutingStore routing = router;
    if (routing == null) {
      return List.of(new PartitionedSalesJob.Step("the sites",
          print -> print.accept("  one site, no router: nothing is replicated, so there is nothing to show")));
    }
    HybridStorageOptions options = routing.options();
    Optional<Placement> placement = options.placementFor(bucket, "");
    String authority = placement.map(Placement::authority).orElse(null);
    String victim = placement.flatMap(p -> victim(p, options.localSite().orElse(null))).orElse(null);
    List<PartitionedSalesJob.Step> steps = new ArrayList<>();
    steps.add(new PartitionedSalesJob.Step("where the job's objects are", print -> table(storage, bucket, authority, print)));
    if (victim == null) {
      steps.add(new PartitionedSalesJob.Step("outage",
          print -> print.accept("  the bucket's placement has one replica: no site can be taken down")));
      return steps;
    }
    steps.add(new PartitionedSalesJob.Step("outage: " + victim + " down", print -> outage(storage, bucket, victim, print)));
    steps.add(new PartitionedSalesJob.Step(victim + " back", print -> recovery(bucket, victim, print)));
    return steps;
  }

  private static Optional<String> victim(Placement p, @Nullable String local) {
    if (local != null && p.replicas().contains(local) && !local.equals(p.authority())) {
      return Optional.of(local);
    }
    return p.replicas().stream().filter(s -> !s.equals(p.authority())).findFirst();
  }

  // ------------------------------------------------------------------ the steps

  private void table(Storage storage, String bucket, @Nullable String authority, Consumer<String> print) {
    List<String> names = new ArrayList<>();
    for (Blob b : storage.list(bucket).iterateAll()) {
      names.add(b.getName());
      before.put(b.getName(), storage.readAllBytes(bucket, b.getName()));
    }
    print.accept("  each object's generation on each site (- = not there"
        + (authority == null ? "" : "; " + authority + " decides generations") + "):");
    printRows(bucket, names, true, print);
    int everywhere = 0;
    for (String name : names) {
      if (sameEverywhere(bucket, name)) {
        everywhere++;
      }
    }
    print.accept("  " + everywhere + " of " + names.size() + " object(s) on all " + router().siteStores().size()
        + " sites with one generation");
  }

  private void outage(Storage storage, String bucket, String victim, Consumer<String> print) {
    switchOf(victim).down();
    print.accept("  " + victim + " is down: every call to it fails");
    int same = 0;
    for (Map.Entry<String, byte[]> e : before.entrySet()) {
      if (Arrays.equals(e.getValue(), storage.readAllBytes(bucket, e.getKey()))) {
        same++;
      }
    }
    print.accept("  the job's reads: " + same + " of " + before.size() + " object(s) read, same bytes as before");
    if (same != before.size()) {
      throw new IllegalStateException((before.size() - same) + " object(s) read with other bytes while " + victim
          + " was down");
    }
    byte[] csv = PartitionedSalesJob.rows("2026-11-28", 0, 3).getBytes(StandardCharsets.UTF_8);
    try {
      storage.create(BlobInfo.newBuilder(bucket, OUTAGE_OBJECT).setContentType("text/csv").build(), csv);
      print.accept("  wrote " + OUTAGE_OBJECT + ": now on " + String.join(", ", holders(bucket, OUTAGE_OBJECT)));
    } catch (StorageException e) {
      // a placement may refuse writes while a replica is down (failWritesWhenReplicaDown=true): say so
      print.accept("  a write now is refused: code " + e.getCode() + ", "
          + (e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("")));
    }
    print.accept("  " + victim + "'s circuit breaker: " + (router().isSiteOpen(victim) ? "open" : "closed")
        + "; journal: " + router().journalDepth(victim) + " change(s) waiting for " + victim);
  }

  private void recovery(String bucket, String victim, Consumer<String> print) {
    switchOf(victim).up();
    RoutingStore routing = router();
    int waiting = routing.journalDepth(victim);
    print.accept("  " + victim + " is up; its " + waiting + " journaled change(s) replay once its breaker lets a "
        + "call through (after " + routing.settings().breakerOpenWait().toSeconds() + " s)");
    long start = System.nanoTime();
    boolean drained = routing.drain(DRAIN_TIMEOUT);
    long millis = (System.nanoTime() - start) / 1_000_000;
    int left = routing.journalDepth(victim);
    print.accept(String.format("  journal for %s: %d change(s) left after %.1f s", victim, left, millis / 1000.0));
    if (!drained || left != 0) {
      throw new IllegalStateException("the journal did not drain within " + DRAIN_TIMEOUT.toSeconds() + " s: " + left
          + " change(s) left for " + victim);
    }
    if (!holders(bucket, OUTAGE_OBJECT).isEmpty()) {
      printRows(bucket, List.of(OUTAGE_OBJECT), true, print);
    }
  }

  // ------------------------------------------------------------------ helpers

  private RoutingStore router() {
    RoutingStore routing = router;
    if (routing == null) {
      throw new IllegalStateException("no router: the Storage was not opened with this decorator over several sites");
    }
    return routing;
  }

  /**
   * Each site's cell for {@code bucket/name}, read below the router: the live generation, {@code -}
   * when the site has no live version, {@code down} when it did not answer.
   */
  private Map<String, String> perSite(String bucket, String name) {
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, ObjectStore> site : router().siteStores().entrySet()) {
      String cell;
      try {
        cell = site.getValue().head(ObjectId.of(bucket, name), Conditions.none())
            .map(i -> Long.toString(i.generation())).orElse("-");
      } catch (RuntimeException e) {
        cell = "down";
      }
      result.put(site.getKey(), cell);
    }
    return result;
  }

  /** The sites holding a live version of {@code bucket/name}, with its generation. */
  private List<String> holders(String bucket, String name) {
    List<String> sites = new ArrayList<>();
    perSite(bucket, name).forEach((site, cell) -> {
      if (Character.isDigit(cell.charAt(0))) {
        sites.add(site);
      }
    });
    return sites;
  }

  private boolean sameEverywhere(String bucket, String name) {
    List<String> cells = new ArrayList<>(perSite(bucket, name).values());
    return Character.isDigit(cells.get(0).charAt(0)) && cells.stream().distinct().count() == 1;
  }

  private void printRows(String bucket, List<String> names, boolean header, Consumer<String> print) {
    List<String> sites = new ArrayList<>(router().siteStores().keySet());
    int width = names.stream().mapToInt(String::length).max().orElse(6);
    width = Math.max(width, "object".length());
    StringBuilder row = new StringBuilder();
    if (header) {
      row.append("    ").append(pad("object", width));
      sites.forEach(s -> row.append("  ").append(pad(s, 16)));
      print.accept(row.toString().stripTrailing());
    }
    for (String name : names) {
      row.setLength(0);
      row.append("    ").append(pad(name, width));
      perSite(bucket, name).values().forEach(cell -> row.append("  ").append(pad(cell, 16)));
      print.accept(row.toString().stripTrailing());
    }
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
