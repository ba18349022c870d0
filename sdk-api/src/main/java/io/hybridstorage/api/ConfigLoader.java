package io.hybridstorage.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.annotation.Nullable;

/**
 * Reads the YAML configuration into a {@link HybridStorageOptions.Builder}. Every problem found
 * is collected (not only the first) and reported in one {@link HybridStorageConfigException}
 * naming the file, the key path ({@code placements[0].write}) and what to change: unknown keys
 * list the valid ones, enum values list the allowed ones.
 *
 * <p>The format (README.md has an example):
 *
 * <pre>
 * projectId: my-project          # reported by Storage.getOptions()
 * localSite: dc1                 # the site this process is closest to
 * seed: 42                       # seeds every random choice
 * journalDirectory: /var/lib/x   # relative paths are resolved against the file's folder
 * sites:
 *   - {name: gcp, kind: gcs, latency: 20ms}            # no credentialsRef: default credentials
 *   - {name: dc1, kind: vast, endpoint: https://vast1:443, credentialsRef: DC1_S3, latency: 1ms,
 *      properties: {region: us-east-1}}
 * placements:
 *   - {bucket: sales, replicas: [gcp, dc1], authority: gcp, write: DUAL_WRITE_SYNC, read: NEAREST}
 *   - {bucket: sales/tmp/, replicas: [dc1], write: AUTHORITY_ONLY, read: AUTHORITY}
 * profiles:
 *   bu-sales: {buckets: [sales, shared/sales/], placements: [sales]}
 * routing: {callTimeout: 10s, retryAttempts: 4, teeBufferBytes: 8MiB}   # the router's tuning
 * signedUrlEndpoints: [https://gateway.example.com]   # writer(URL) may upload there too
 * </pre>
 *
 * <p>{@code routing} and a site's {@code properties} are read here as text ({@link
 * ConfigSection}): this loader checks that each is a mapping of single values; their keys and
 * values are checked by the component they belong to (the router, the site's backend) when {@link
 * HybridStorageOptions#getService()} opens it, so that sdk-api depends on neither.
 *
 * Durations are written {@code 250us}, {@code 20ms}, {@code 1.5s}, {@code 5m}, {@code 1h}, {@code
 * 1d} or ISO-8601 ({@code PT0.02S}). Enum values are case-insensitive and accept {@code -} for
 * {@code _}.
 */
final class ConfigLoader {

  static final List<String> TOP_KEYS =
      List.of("projectId", "localSite", "seed", "journalDirectory", "sites", "placements", "profiles", "routing",
          "signedUrlEndpoints", "gateway", "sync");
  static final List<String> SITE_KEYS =
      List.of("name", "kind", "endpoint", "credentialsRef", "latency", "properties");
  static final List<String> PLACEMENT_KEYS = List.of("bucket", "replicas", "authority", "write", "read",
      "consistency", "writeQuorum", "stalenessBound", "hedgeDelay", "failWritesWhenReplicaDown");
  static final List<String> PROFILE_KEYS = List.of("buckets", "placements");
  /** The kinds the project ships providers for; providers on the classpath add theirs. */
  static final List<String> STANDARD_KINDS = List.of("gcs", "memory", "vast");

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|m|h|d)");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** {@code profile:NAME}, NAME as AWS profile names are written in the shared files. */
  private static final Pattern PROFILE_REF = Pattern.compile("profile:[A-Za-z0-9_][A-Za-z0-9_.@+-]*");
  /** An AWS / S3 access key id: looks like a variable name, but is a credential. */
  private static final Pattern ACCESS_KEY_ID = Pattern.compile("(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}");
  private static final Pattern SECRET_PROPERTY =
      Pattern.compile("(?i).*(secret|password|passwd|private_?key|token).*");
  private static final String DURATION_FORMS = "write a number and a unit (250us, 20ms, 1.5s, 5m, 1h, 1d) "
      + "or ISO-8601 (PT0.02S)";

  private final Path file;
  private final String source;
  private final Set<String> kinds;
  private final List<String> problems = new ArrayList<>();

  private ConfigLoader(Path file, String source, Set<String> kinds) {
    this.file = file;
    this.source = source;
    this.kinds = kinds;
  }

  /**
   * Reads {@code file}. {@code origin} says who named it (e.g. {@code environment variable
   * HYBRID_STORAGE_CONFIG}); {@code kinds} are the site kinds accepted.
   *
   * @throws HybridStorageConfigException listing every problem of the file
   */
  static HybridStorageOptions.Builder load(Path file, String origin, Set<String> kinds) {
    ConfigLoader loader = new ConfigLoader(file, describe(file, origin), kinds);
    return loader.read();
  }

  /** How errors name a file: {@code /abs/path.yaml (named by environment variable X)}. */
  static String describe(Path file, String origin) {
    return file.toAbsolutePath() + " (named by " + origin + ")";
  }

  private HybridStorageOptions.Builder read() {
    JsonNode root;
    String text = null;
    try {
      YAMLMapper mapper = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
      text = Files.readString(file);
      root = mapper.readTree(text);
    } catch (NoSuchFileException e) {
      throw new HybridStorageConfigException(source, List.of("the file does not exist; create it, or point "
          + Settings.CONFIG.variable() + " / -D" + Settings.CONFIG.property() + " at a readable YAML file, "
          + "or unset both to use the embedded in-memory three-site world"));
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      throw new HybridStorageConfigException(source, List.of(where + "not valid YAML: " + syntaxProblem(e, text)));
    } catch (IOException e) {
      throw new HybridStorageConfigException(source, List.of("cannot read the file: " + e));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new HybridStorageConfigException(source,
          List.of("the file is empty; it needs at least 'sites' (and 'placements' for more than one site)"));
    }
    HybridStorageOptions.Builder builder = HybridStorageOptions.newBuilder();
    if (!root.isObject()) {
      fail("", "the top level must be a mapping with the keys " + TOP_KEYS);
    } else {
      readTop(root, builder);
    }
    if (!problems.isEmpty()) {
      throw new HybridStorageConfigException(source, problems);
    }
    return builder;
  }

  /**
   * What the YAML parser says is wrong, without the file's text. SnakeYAML's messages quote the
   * offending lines under a caret, and such a line may hold a secret someone pasted: only its
   * context and problem are kept, and any line of the message that repeats text of the file (a
   * quoted line, possibly cut short with " ... ") is dropped, as is a caret line.
   */
  static String syntaxProblem(JacksonException e, @Nullable String text) {
    String message = e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked
        ? (marked.getContext() == null ? "" : marked.getContext() + ": ") + marked.getProblem()
        : String.valueOf(e.getOriginalMessage());
    List<String> kept = new ArrayList<>();
    for (String line : message.split("\n")) {
      String quoted = line.strip();
      if (quoted.endsWith("...")) {
        quoted = quoted.substring(0, quoted.length() - 3).strip();
      }
      boolean fromFile = quoted.length() >= 3 && text != null && text.contains(quoted);
      if (!quoted.isEmpty() && !quoted.chars().allMatch(c -> c == '^' || c == ' ') && !fromFile
          && !quoted.startsWith("in 'reader'")) {
        kept.add(line.strip());
      }
    }
    return kept.isEmpty() ? "the parser's description is not shown (it quotes the file)" : String.join(" ", kept);
  }

  /** Wraps validation problems found by {@code build()} so they name this file too. */
  static HybridStorageOptions build(HybridStorageOptions.Builder builder, String source) {
    try {
      return builder.build();
    } catch (HybridStorageConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      List<String> lines = Arrays.stream(e.getMessage().split("\n"))
          .map(String::strip)
          .filter(l -> l.startsWith("- "))
          .map(l -> l.substring(2))
          .collect(Collectors.toCollection(ArrayList::new));
      if (lines.isEmpty()) {
        lines.add(e.getMessage());
      }
      throw new HybridStorageConfigException(source, lines);
    }
  }

  private void readTop(JsonNode root, HybridStorageOptions.Builder builder) {
    checkKeys(root, "", TOP_KEYS);
    String projectId = text(root, "", "projectId");
    if (projectId != null) {
      builder.projectId(projectId);
    }
    builder.localSite(text(root, "", "localSite"));
    JsonNode seed = root.get("seed");
    if (seed != null) {
      if (seed.isIntegralNumber() && seed.canConvertToLong()) {
        builder.seed(seed.longValue());
      } else {
        fail("seed", "'" + seed.asText() + "' is not a whole number; write e.g. seed: 42");
      }
    }
    String journal = text(root, "", "journalDirectory");
    if (journal != null) {
      Path dir = Path.of(journal);
      Path base = file.toAbsolutePath().getParent();
      builder.journalDirectory(dir.isAbsolute() || base == null ? dir : base.resolve(dir).normalize());
    }
    JsonNode sites = root.get("sites");
    if (sites == null || sites.isNull()) {
      fail("sites", "missing; list at least one site, e.g. sites: [{name: dc1, kind: memory}]");
    } else if (!sites.isArray()) {
      fail("sites", "must be a list of sites, each a mapping with the keys " + SITE_KEYS);
    } else {
      Set<String> names = new java.util.HashSet<>();
      for (int i = 0; i < sites.size(); i++) {
        SiteConfig site = readSite(sites.get(i), "sites[" + i + "]");
        if (site != null && !names.add(site.name())) {
          fail("sites[" + i + "].name", "site '" + site.name() + "' is configured twice; give each site its own name");
        } else if (site != null) {
          builder.site(site);
        }
      }
    }
    JsonNode placements = root.get("placements");
    if (placements != null && !placements.isNull()) {
      if (!placements.isArray()) {
        fail("placements", "must be a list of placements, each a mapping with the keys " + PLACEMENT_KEYS);
      } else {
        for (int i = 0; i < placements.size(); i++) {
          Placement p = readPlacement(placements.get(i), "placements[" + i + "]");
          if (p != null) {
            builder.placement(p);
          }
        }
      }
    }
    Map<String, String> gateway = values(root.get("gateway"), "gateway", "gateway: {port: 8080}");
    if (!gateway.isEmpty()) {
      builder.gateway(new ConfigSection(HybridStorageOptions.GATEWAY, source, gateway));
    }
    Map<String, String> routing = values(root.get("routing"), "routing", "routing: {callTimeout: 10s}");
    if (!routing.isEmpty()) {
      builder.routing(new ConfigSection(HybridStorageOptions.ROUTING, source, routing));
    }
    List<String> endpoints = stringList(root, "", "signedUrlEndpoints",
        "endpoints (https://host[:port]) writer(URL) may upload to besides the sites'");
    if (endpoints != null) {
      endpoints.forEach(builder::signedUrlEndpoint);
    }
    JsonNode profiles = root.get("profiles");
    if (profiles != null && !profiles.isNull()) {
      if (!profiles.isObject()) {
        fail("profiles", "must be a mapping from BU name to {buckets: [...], placements: [...]}");
      } else {
        for (Iterator<Map.Entry<String, JsonNode>> it = profiles.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          Profile p = readProfile(e.getKey(), e.getValue(), "profiles." + e.getKey());
          if (p != null) {
            builder.profile(p);
          }
        }
      }
    }
  }

  @Nullable
  private SiteConfig readSite(JsonNode node, String path) {
    if (!node.isObject()) {
      fail(path, "a site must be a mapping with the keys " + SITE_KEYS);
      return null;
    }
    int before = problems.size();
    checkKeys(node, path, SITE_KEYS);
    String name = required(node, path, "name", "e.g. name: dc1");
    String kind = required(node, path, "kind", "one of " + kinds);
    if (kind != null && !kinds.contains(kind)) {
      fail(path + ".kind", "'" + kind + "' is not a known site kind; allowed: " + String.join(", ", kinds));
    }
    String endpoint = text(node, path, "endpoint");
    String credentialsRef = text(node, path, "credentialsRef");
    if (credentialsRef != null) {
      checkCredentialsRef(path + ".credentialsRef", credentialsRef);
    }
    Duration latency = duration(node, path, "latency");
    Map<String, String> properties = values(node.get("properties"), path + ".properties",
        "properties: {region: us-east-1}");
    if (problems.size() > before) {
      return null;
    }
    try {
      return new SiteConfig(name, kind, endpoint, credentialsRef, latency == null ? Duration.ZERO : latency,
          properties);
    } catch (IllegalArgumentException e) {
      fail(path, e.getMessage());
      return null;
    }
  }

  /**
   * A credentials reference is {@code none}, the name of an environment variable, a file path
   * (absolute, or starting with {@code ./}, {@code ../} or {@code ~/}), or {@code profile:NAME} (a
   * profile of the AWS shared credentials and config files, for vast sites); omitted, the backend
   * uses its default chain. Anything else may be a secret pasted in: rejected without echoing it.
   * (Backends print a reference only when it is a path or names something that exists.)
   */
  private void checkCredentialsRef(String key, String ref) {
    boolean path = ref.startsWith("/") || ref.startsWith("./") || ref.startsWith("../") || ref.startsWith("~/");
    boolean variable = ENV_NAME.matcher(ref).matches() && !ACCESS_KEY_ID.matcher(ref).matches();
    boolean profile = PROFILE_REF.matcher(ref).matches();
    if (!(ref.equals("none") || path || variable || profile)) {
      fail(key, "must say where the credentials are, never hold them: the name of an environment variable "
          + "(e.g. DC1_S3_CREDENTIALS), a file path (/etc/hybrid/dc1.json, ./dc1.json), profile:NAME (an AWS "
          + "profile, vast sites) or none; omit it for the backend's default credentials (got a value of "
          + ref.length() + " characters, not shown)");
    }
  }

  @Nullable
  private Placement readPlacement(JsonNode node, String path) {
    if (!node.isObject()) {
      fail(path, "a placement must be a mapping with the keys " + PLACEMENT_KEYS);
      return null;
    }
    int before = problems.size();
    checkKeys(node, path, PLACEMENT_KEYS);
    String target = required(node, path, "bucket", "a bucket name, bucket/prefix, or * for every bucket");
    Placement.Builder b = Placement.builder("*");
    if (target != null) {
      int slash = target.indexOf('/');
      String bucket = slash < 0 ? target : target.substring(0, slash);
      if (!bucket.equals(Placement.ANY_BUCKET) && Names.bucketProblem(bucket) != null) {
        fail(path + ".bucket", "'" + bucket + "' is not a valid bucket name: " + Names.bucketProblem(bucket));
      }
      b = Placement.builder(bucket).prefix(slash < 0 ? "" : target.substring(slash + 1));
    }
    List<String> replicas = stringList(node, path, "replicas", "the names of the sites holding copies");
    if (replicas == null) {
      fail(path + ".replicas", "missing; list the sites holding copies, e.g. replicas: [gcp, dc1]");
    } else {
      b.replicas(replicas);
    }
    String authority = text(node, path, "authority");
    if (authority != null) {
      b.authority(authority);
    }
    WritePolicy write = enumValue(node, path, "write", WritePolicy.class, "write policy");
    if (write != null) {
      b.write(write);
    }
    ReadPolicy read = enumValue(node, path, "read", ReadPolicy.class, "read policy");
    if (read != null) {
      b.read(read);
    }
    Consistency consistency = enumValue(node, path, "consistency", Consistency.class, "consistency level");
    if (consistency != null) {
      b.consistency(consistency);
    }
    JsonNode quorum = node.get("writeQuorum");
    if (quorum != null && !quorum.isNull()) {
      if (quorum.isInt()) {
        b.quorum(quorum.intValue());
        if (write != null && write != WritePolicy.QUORUM) {
          b.write(write);
        }
      } else {
        fail(path + ".writeQuorum", "'" + quorum.asText() + "' is not a whole number of replicas");
      }
    }
    Duration staleness = duration(node, path, "stalenessBound");
    if (staleness != null) {
      b.stalenessBound(staleness);
    }
    Duration hedge = duration(node, path, "hedgeDelay");
    if (hedge != null) {
      b.hedgeDelay(hedge);
    }
    JsonNode failWrites = node.get("failWritesWhenReplicaDown");
    if (failWrites != null && !failWrites.isNull()) {
      if (failWrites.isBoolean()) {
        b.failWritesWhenReplicaDown(failWrites.booleanValue());
      } else {
        fail(path + ".failWritesWhenReplicaDown", "'" + failWrites.asText() + "' is not a boolean; write true or false");
      }
    }
    return problems.size() > before ? null : b.build();
  }

  @Nullable
  private Profile readProfile(String name, JsonNode node, String path) {
    if (!node.isObject()) {
      fail(path, "a profile must be a mapping with the keys " + PROFILE_KEYS);
      return null;
    }
    int before = problems.size();
    checkKeys(node, path, PROFILE_KEYS);
    List<String> buckets = stringList(node, path, "buckets", "bucket or bucket/prefix entries");
    List<String> placements = stringList(node, path, "placements", "placement ids (bucket or bucket/prefix)");
    if (buckets == null && placements == null) {
      fail(path, "grants nothing; list buckets: [...] and/or placements: [...] this BU may touch");
    }
    if (problems.size() > before) {
      return null;
    }
    return new Profile(name, buckets == null ? List.of() : buckets, placements == null ? List.of() : placements);
  }

  // ---------------------------------------------------------------- value helpers

  /**
   * A section read as text ({@link ConfigSection}): a mapping of single values, none of which may
   * look like a secret. Empty when {@code node} is absent or null.
   */
  private Map<String, String> values(@Nullable JsonNode node, String path, String example) {
    Map<String, String> values = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return values;
    }
    if (!node.isObject()) {
      fail(path, "must be a mapping of single values, e.g. " + example);
      return values;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = path + "." + e.getKey();
      if (SECRET_PROPERTY.matcher(e.getKey()).matches()) {
        fail(key, "looks like a secret; configuration holds no secrets: put it in an environment variable "
            + "or file and name that in credentialsRef");
      } else if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        fail(key, "must be a single value (text, number or boolean)");
      } else if (e.getValue().asText().isBlank()) {
        fail(key, "is empty; give a value or remove the key");
      } else {
        values.put(e.getKey(), e.getValue().asText());
      }
    }
    return values;
  }

  private void checkKeys(JsonNode node, String path, List<String> valid) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!valid.contains(key)) {
        fail(join(path, key), "unknown key; valid keys here: " + String.join(", ", valid));
      }
    }
  }

  @Nullable
  private String text(JsonNode node, String path, String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isValueNode()) {
      fail(join(path, key), "must be a single value, not a " + (value.isArray() ? "list" : "mapping"));
      return null;
    }
    String text = value.asText().trim();
    if (text.isEmpty()) {
      fail(join(path, key), "is empty; give a value or remove the key");
      return null;
    }
    return text;
  }

  @Nullable
  private String required(JsonNode node, String path, String key, String hint) {
    if (node.get(key) == null || node.get(key).isNull()) {
      fail(join(path, key), "missing; " + hint);
      return null;
    }
    return text(node, path, key);
  }

  @Nullable
  private List<String> stringList(JsonNode node, String path, String key, String what) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      fail(join(path, key), "must be a list of " + what + ", e.g. " + key + ": [a, b]");
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      if (!item.isValueNode() || item.isNull() || item.asText().isBlank()) {
        fail(join(path, key) + "[" + i + "]", "must be a single non-empty value (" + what + ")");
      } else {
        out.add(item.asText().trim());
      }
    }
    return out;
  }

  @Nullable
  private <E extends Enum<E>> E enumValue(JsonNode node, String path, String key, Class<E> type, String what) {
    String text = text(node, path, key);
    if (text == null) {
      return null;
    }
    String wanted = text.toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(wanted)) {
        return e;
      }
    }
    fail(join(path, key), "'" + text + "' is not a " + what + "; allowed: "
        + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ")));
    return null;
  }

  @Nullable
  private Duration duration(JsonNode node, String path, String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    String text = value.asText().trim();
    Duration d = parseDuration(text);
    if (d == null) {
      fail(join(path, key), "'" + text + "' is not a duration; " + DURATION_FORMS);
    } else if (d.isNegative()) {
      fail(join(path, key), "'" + text + "' is negative; a duration must be zero or more");
      return null;
    }
    return d;
  }

  /** {@code 20ms}, {@code 1.5s}, … or ISO-8601; {@code null} when {@code text} is neither. */
  @Nullable
  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text);
    if (m.matches()) {
      java.math.BigDecimal amount = new java.math.BigDecimal(m.group(1));
      long nanosPerUnit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "h" -> 3_600_000_000_000L;
        default -> 86_400_000_000_000L;
      };
      return Duration.ofNanos(amount.multiply(java.math.BigDecimal.valueOf(nanosPerUnit)).longValue());
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private void fail(String key, String what) {
    problems.add(key.isEmpty() ? what : key + ": " + what);
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
