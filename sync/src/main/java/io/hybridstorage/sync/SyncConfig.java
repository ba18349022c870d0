package io.hybridstorage.sync;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.hybridstorage.api.ConfigSection;
import io.hybridstorage.api.Glob;
import io.hybridstorage.api.HybridStorageConfigException;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.Placement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * The sync's settings: the hot-set rules and how the process runs. Read from the {@code sync:}
 * section of the SDK's configuration file (the same file: sites and placements come from it), or
 * built in code.
 *
 * <pre>
 * sync:
 *   state: /var/lib/hybrid-sync          # durable queue and scan cursors (default: in memory)
 *   workers: 8                           # threads applying changes
 *   scanInterval: 5m                     # a full scan of every rule this often (0: only on demand)
 *   partition: 0                         # this process's share of the scans ...
 *   partitions: 1                        # ... of so many processes (by prefix hash)
 *   rules:
 *     - placement: sales                 # a placement id: bucket or bucket/prefix
 *       prefix: sales/                   # narrower than the placement's (optional)
 *       include: ["sales/dt=*&#47;**"]       # name globs (optional)
 *       window: {partitionKey: dt, format: yyyy-MM-dd, within: 7d}   # or {updatedWithin: 7d}
 *       sites: [dc1, dc2]                # default: the placement's replicas but its authority
 *       writers: [dc1]                   # sites where NFS/S3 writers write outside the SDK (default: none)
 *   pubsub: {project: p, subscription: s, site: gcp, endpoint: pubsub.googleapis.com:443}
 *   push: {port: 8085}
 * </pre>
 *
 * @param rules the hot-set rules, most specific prefix first
 * @param stateDirectory where the durable queue lives; null: in memory (lost on restart)
 * @param workers threads applying changes
 * @param scanInterval how often every rule is scanned (zero: on demand only)
 * @param partition which share of the scans this process takes (0-based)
 * @param partitions how many processes share the scans
 * @param pubsub the {@code pubsub:} settings (empty when none)
 * @param push the {@code push:} settings (empty when none)
 */
public record SyncConfig(
    List<HotSetRule> rules,
    @Nullable Path stateDirectory,
    int workers,
    Duration scanInterval,
    int partition,
    int partitions,
    ConfigSection pubsub,
    ConfigSection push) {

  static final List<String> KEYS = List.of("state", "workers", "scanInterval", "partition", "partitions", "rules",
      "pubsub", "push");
  static final List<String> RULE_KEYS = List.of("id", "placement", "prefix", "include", "window", "sites", "writers");
  static final List<String> WINDOW_KEYS = List.of("partitionKey", "format", "within", "updatedWithin");

  public SyncConfig {
    rules = List.copyOf(rules);
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, not " + workers);
    }
    requireNonNull(scanInterval, "scanInterval");
    if (partitions < 1 || partition < 0 || partition >= partitions) {
      throw new IllegalArgumentException("partition " + partition + " of " + partitions + ": need 0 <= partition < partitions");
    }
    requireNonNull(pubsub, "pubsub");
    requireNonNull(push, "push");
  }

  /** The rule covering {@code bucket/name}: the one with the longest prefix whose globs match. */
  public Optional<HotSetRule> ruleFor(String bucket, String name) {
    HotSetRule best = null;
    for (HotSetRule r : rules) {
      if (r.covers(bucket, name) && (best == null || r.prefix().length() > best.prefix().length())) {
        best = r;
      }
    }
    return Optional.ofNullable(best);
  }

  /** A builder over the sites and placements of {@code options}. */
  public static Builder builder(HybridStorageOptions options) {
    return new Builder(options);
  }

  /**
   * The {@code sync:} section of {@code file}, over the sites and placements {@code options} (read
   * from the same file) defines.
   *
   * @throws HybridStorageConfigException naming the file, each offending key and what to write
   */
  public static SyncConfig load(Path file, HybridStorageOptions options) {
    String source = file.toAbsolutePath().toString();
    JsonNode root;
    try {
      root = YAMLMapper.builder().build().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new HybridStorageConfigException(source, List.of("cannot read the file: " + e.getMessage()));
    }
    JsonNode sync = root == null ? null : root.get("sync");
    if (sync == null || sync.isNull()) {
      throw new HybridStorageConfigException(source, List.of("sync: missing; add a sync: section with rules:"
          + " [{placement: BUCKET, sites: [dc1, dc2]}]"));
    }
    return new Reader(source, options).read(sync);
  }

  /** Builds a {@link SyncConfig} in code; {@link #rule} checks each rule against the options. */
  public static final class Builder {
    private final HybridStorageOptions options;
    private final List<HotSetRule> rules = new ArrayList<>();
    private Path stateDirectory;
    private int workers = 8;
    private Duration scanInterval = Duration.ofMinutes(5);
    private int partition = 0;
    private int partitions = 1;
    private ConfigSection pubsub = ConfigSection.empty("pubsub");
    private ConfigSection push = ConfigSection.empty("push");

    private Builder(HybridStorageOptions options) {
      this.options = requireNonNull(options, "options");
    }

    /**
     * A rule for the placement {@code placementId}: its objects under {@code prefix} (null: the
     * placement's own) matching {@code include} (empty: all), within {@code window} (null: always),
     * held on {@code sites} (empty: the placement's replicas but its authority).
     *
     * @throws IllegalArgumentException naming the problem: no such placement, a placement for
     *     every bucket ({@code *}), a prefix outside the placement's, a site that is not one
     *     of the configuration's
     */
    public Builder rule(String placementId, @Nullable String prefix, List<String> include, @Nullable Window window,
        List<String> sites) {
      return rule(placementId, prefix, include, window, sites, List.of());
    }

    /**
     * As {@link #rule(String, String, List, Window, List)}, with the sites where writers outside the
     * SDK write ({@link HotSetRule#writers()}).
     */
    public Builder rule(String placementId, @Nullable String prefix, List<String> include, @Nullable Window window,
        List<String> sites, List<String> writers) {
      List<String> problems = new ArrayList<>();
      HotSetRule r = makeRule(options, null, placementId, prefix, include, window, sites, writers, "rule", problems);
      if (r == null) {
        throw new IllegalArgumentException(String.join("; ", problems));
      }
      rules.add(r);
      return this;
    }

    public Builder stateDirectory(@Nullable Path dir) {
      this.stateDirectory = dir;
      return this;
    }

    public Builder workers(int n) {
      this.workers = n;
      return this;
    }

    public Builder scanInterval(Duration d) {
      this.scanInterval = d;
      return this;
    }

    public Builder partition(int index, int count) {
      this.partition = index;
      this.partitions = count;
      return this;
    }

    public Builder pubsub(Map<String, String> values) {
      this.pubsub = new ConfigSection("pubsub", "(set by SyncConfig.Builder)", values);
      return this;
    }

    public Builder push(Map<String, String> values) {
      this.push = new ConfigSection("push", "(set by SyncConfig.Builder)", values);
      return this;
    }

    public SyncConfig build() {
      return new SyncConfig(rules, stateDirectory, workers, scanInterval, partition, partitions, pubsub, push);
    }
  }

  @Nullable
  private static HotSetRule makeRule(HybridStorageOptions options, @Nullable String id, String placementId,
      @Nullable String prefix, List<String> include, @Nullable Window window, List<String> sites,
      List<String> writers, String path, List<String> problems) {
    Placement placement = null;
    for (Placement p : options.placements()) {
      if (p.id().equals(placementId)) {
        placement = p;
      }
    }
    if (placement == null) {
      problems.add(path + ".placement: no placement '" + placementId + "'; the configuration's placements are "
          + options.placements().stream().map(Placement::id).toList());
      return null;
    }
    if (placement.bucket().equals(Placement.ANY_BUCKET)) {
      problems.add(path + ".placement: '" + placementId + "' covers every bucket; a hot-set rule needs a placement"
          + " of one bucket (scans list it)");
      return null;
    }
    String p = prefix == null ? placement.prefix() : prefix;
    if (!p.startsWith(placement.prefix())) {
      problems.add(path + ".prefix: '" + p + "' is outside the placement " + placementId + " (prefix '"
          + placement.prefix() + "')");
      return null;
    }
    List<Glob> globs = new ArrayList<>();
    for (String g : include) {
      try {
        globs.add(Glob.compile(g));
      } catch (IllegalArgumentException e) {
        problems.add(path + ".include: '" + g + "' is not a glob: " + e.getMessage());
        return null;
      }
    }
    List<String> targets = new ArrayList<>();
    if (sites.isEmpty()) {
      for (String s : placement.replicas()) {
        if (!s.equals(placement.authority())) {
          targets.add(s);
        }
      }
    } else {
      for (String s : sites) {
        if (!options.sites().containsKey(s)) {
          problems.add(path + ".sites: no site '" + s + "'; the sites are " + options.sites().keySet());
          return null;
        }
        if (!s.equals(placement.authority())) {
          targets.add(s);
        }
      }
    }
    for (String s : writers) {
      if (!options.sites().containsKey(s) || s.equals(placement.authority())) {
        problems.add(path + ".writers: '" + s + "' must be a site other than the authority " + placement.authority()
            + "; the sites are " + options.sites().keySet());
        return null;
      }
    }
    String ruleId = id != null ? id : placement.bucket() + "/" + p;
    return new HotSetRule(ruleId, placement.id(), placement.bucket(), p, globs, window, placement.authority(),
        targets, writers);
  }

  /** Reads the YAML section, collecting every problem before failing. */
  private static final class Reader {
    private final String source;
    private final HybridStorageOptions options;
    private final List<String> problems = new ArrayList<>();

    Reader(String source, HybridStorageOptions options) {
      this.source = source;
      this.options = options;
    }

    SyncConfig read(JsonNode sync) {
      if (!sync.isObject()) {
        throw new HybridStorageConfigException(source, List.of("sync: must be a mapping with the keys " + KEYS));
      }
      unknown(sync, "sync", KEYS);
      Map<String, String> flat = new LinkedHashMap<>();
      for (String k : List.of("state", "workers", "scanInterval", "partition", "partitions")) {
        if (sync.hasNonNull(k)) {
          flat.put(k, sync.get(k).asText());
        }
      }
      ConfigSection top = new ConfigSection("sync", source, flat);
      Builder b = builder(options);
      try {
        String state = top.text("state", null);
        b.stateDirectory(state == null ? null : Path.of(state));
        b.workers(top.wholeNumber("workers", 8));
        b.scanInterval(top.duration("scanInterval", Duration.ofMinutes(5)));
        b.partition(top.wholeNumber("partition", 0), top.wholeNumber("partitions", 1));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
      JsonNode rules = sync.get("rules");
      if (rules == null || !rules.isArray() || rules.isEmpty()) {
        problems.add("sync.rules: must be a list of rules, each a mapping with the keys " + RULE_KEYS);
      } else {
        for (int i = 0; i < rules.size(); i++) {
          HotSetRule r = rule(rules.get(i), "sync.rules[" + i + "]");
          if (r != null) {
            b.rules.add(r);
          }
        }
      }
      b.pubsub = section(sync, "pubsub");
      b.push = section(sync, "push");
      if (!problems.isEmpty()) {
        throw new HybridStorageConfigException(source, problems);
      }
      try {
        return b.build();
      } catch (IllegalArgumentException e) {
        throw new HybridStorageConfigException(source, List.of("sync: " + e.getMessage()));
      }
    }

    private ConfigSection section(JsonNode sync, String key) {
      JsonNode n = sync.get(key);
      Map<String, String> values = new LinkedHashMap<>();
      if (n != null && !n.isNull()) {
        if (!n.isObject()) {
          problems.add("sync." + key + ": must be a mapping of settings");
        } else {
          n.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        }
      }
      return new ConfigSection(key, source, values);
    }

    @Nullable
    private HotSetRule rule(JsonNode node, String path) {
      if (!node.isObject()) {
        problems.add(path + ": must be a mapping with the keys " + RULE_KEYS);
        return null;
      }
      unknown(node, path, RULE_KEYS);
      if (!node.hasNonNull("placement")) {
        problems.add(path + ".placement: missing; name a placement (its bucket, or bucket/prefix)");
        return null;
      }
      Window window = node.hasNonNull("window") ? window(node.get("window"), path + ".window") : null;
      if (node.hasNonNull("window") && window == null) {
        return null;
      }
      return makeRule(options, node.hasNonNull("id") ? node.get("id").asText() : null, node.get("placement").asText(),
          node.hasNonNull("prefix") ? node.get("prefix").asText() : null, strings(node, "include", path),
          window, strings(node, "sites", path), strings(node, "writers", path), path, problems);
    }

    @Nullable
    private Window window(JsonNode node, String path) {
      if (!node.isObject()) {
        problems.add(path + ": must be {partitionKey: dt, format: yyyy-MM-dd, within: 7d} or {updatedWithin: 7d}");
        return null;
      }
      unknown(node, path, WINDOW_KEYS);
      Map<String, String> flat = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> flat.put(e.getKey(), e.getValue().asText()));
      ConfigSection w = new ConfigSection(path, source, flat);
      try {
        if (w.text("updatedWithin", null) != null) {
          if (w.text("partitionKey", null) != null) {
            problems.add(path + ": either partitionKey (with within) or updatedWithin, not both");
            return null;
          }
          return Window.updatedWithin(w.duration("updatedWithin", null));
        }
        String key = w.text("partitionKey", null);
        Duration within = w.duration("within", null);
        if (key == null || within == null) {
          problems.add(path + ": write {partitionKey: dt, within: 7d} (format optional, default yyyy-MM-dd)"
              + " or {updatedWithin: 7d}");
          return null;
        }
        String format = w.text("format", null);
        return Window.partition(key, format == null ? Window.DEFAULT_FORMAT : DateTimeFormatter.ofPattern(format),
            within);
      } catch (IllegalArgumentException e) {
        problems.add(path + ": " + e.getMessage());
        return null;
      }
    }

    private List<String> strings(JsonNode node, String key, String path) {
      JsonNode n = node.get(key);
      List<String> out = new ArrayList<>();
      if (n == null || n.isNull()) {
        return out;
      }
      if (!n.isArray()) {
        problems.add(path + "." + key + ": must be a list");
        return out;
      }
      n.forEach(v -> out.add(v.asText()));
      return out;
    }

    private void unknown(JsonNode node, String path, List<String> known) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!known.contains(k)) {
          problems.add(path + "." + k + ": unknown key; the keys are " + known);
        }
      }
    }
  }
}
