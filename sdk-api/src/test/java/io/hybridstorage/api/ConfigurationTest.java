package io.hybridstorage.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationTest {

  static final String FULL = """
      projectId: acme-lake
      localSite: dc1
      seed: 42
      journalDirectory: journal
      sites:
        - name: gcp
          kind: gcs
          credentialsRef: /etc/hybrid/gcp-service-account.json
          latency: 20ms
        - name: dc1
          kind: vast
          endpoint: https://vast-dc1.example:443
          credentialsRef: DC1_S3_KEYS
          latency: 1ms
          properties: {region: us-east-1, partSizeMiB: 16}
        - {name: dc2, kind: memory, latency: PT0.03S}
      placements:
        - bucket: sales
          replicas: [gcp, dc1, dc2]
          authority: gcp
          write: dual-write-sync
          read: nearest-verified
          consistency: STRONG
        - bucket: sales/tmp/
          replicas: [dc1, dc2]
          authority: dc1
          writeQuorum: 1
          read: HEDGED
          hedgeDelay: 5ms
          consistency: EVENTUAL
          stalenessBound: 1.5s
        - bucket: "*"
          replicas: [gcp, dc1]
          write: DUAL_WRITE_SYNC
          read: NEAREST
          consistency: SESSION
          failWritesWhenReplicaDown: true
      profiles:
        bu-sales:
          buckets: [sales, shared/sales/]
          placements: [sales/tmp/]
        bu-ops:
          buckets: [ops]
      routing: {callTimeout: 10s, retryAttempts: 4, breakerFailureRate: 12.5, teeBufferBytes: 8MiB,
                parallelTee: false, callTimout: 1s}
      """;

  @TempDir Path dir;
  final Map<String, String> props = new HashMap<>();
  final Map<String, String> env = new HashMap<>();

  Path write(String yaml) throws IOException {
    Path file = dir.resolve("hybrid.yaml");
    Files.writeString(file, yaml);
    env.put("HYBRID_STORAGE_CONFIG", file.toString());
    return file;
  }

  HybridStorageOptions load() {
    return HybridStorageOptions.fromEnvironment(Settings.of(props, env));
  }

  HybridStorageConfigException loadFails() {
    try {
      load();
    } catch (HybridStorageConfigException e) {
      return e;
    }
    throw new AssertionError("expected the configuration to be rejected");
  }

  @Test
  void noConfigurationGivesTheEmbeddedThreeSiteWorld() {
    HybridStorageOptions options = load();
    assertThat(options.sites().keySet()).containsExactly("gcp", "dc1", "dc2");
    assertThat(options.sites().values()).allSatisfy(s -> assertThat(s.kind()).isEqualTo("memory"));
    assertThat(options.localSite()).contains("dc1");
    assertThat(options.placementFor("anything", "x")).get().extracting(Placement::writePolicy)
        .isEqualTo(WritePolicy.DUAL_WRITE_SYNC);
    assertThat(options.activeProfile()).isEmpty();
  }

  @Test
  void readsEveryFieldOfAFullFile() throws IOException {
    Path file = write(FULL);
    HybridStorageOptions o = load();
    assertThat(o.projectId()).isEqualTo("acme-lake");
    assertThat(o.localSite()).contains("dc1");
    assertThat(o.seed()).isEqualTo(42);
    assertThat(o.journalDirectory()).contains(file.getParent().resolve("journal").toAbsolutePath());
    SiteConfig dc1 = o.sites().get("dc1");
    assertThat(dc1).isEqualTo(new SiteConfig("dc1", "vast", "https://vast-dc1.example:443", "DC1_S3_KEYS",
        Duration.ofMillis(1), Map.of("region", "us-east-1", "partSizeMiB", "16")));
    assertThat(o.sites().get("gcp").credentialsRef()).isEqualTo("/etc/hybrid/gcp-service-account.json");
    assertThat(o.sites().get("dc2").latency()).isEqualTo(Duration.ofMillis(30));
    assertThat(o.placements()).hasSize(3);
    Placement sales = o.placementFor("sales", "2026/a.csv").orElseThrow();
    assertThat(sales.id()).isEqualTo("sales");
    assertThat(sales.replicas()).containsExactly("gcp", "dc1", "dc2");
    assertThat(sales.writePolicy()).isEqualTo(WritePolicy.DUAL_WRITE_SYNC);
    assertThat(sales.readPolicy()).isEqualTo(ReadPolicy.NEAREST_VERIFIED);
    assertThat(o.placementFor("other", "x")).get().extracting(Placement::consistency).isEqualTo(Consistency.SESSION);
    Placement tmp = o.placementFor("sales", "tmp/x").orElseThrow();
    assertThat(tmp.prefix()).isEqualTo("tmp/");
    assertThat(tmp.authority()).isEqualTo("dc1");
    assertThat(tmp.writePolicy()).isEqualTo(WritePolicy.QUORUM);
    assertThat(tmp.writeQuorum()).isEqualTo(1);
    assertThat(tmp.readPolicy()).isEqualTo(ReadPolicy.HEDGED);
    assertThat(tmp.hedgeDelay()).isEqualTo(Duration.ofMillis(5));
    assertThat(tmp.stalenessBound()).isEqualTo(Duration.ofMillis(1500));
    assertThat(o.placementFor("other", "x")).get().extracting(Placement::bucket).isEqualTo("*");
    assertThat(o.profiles().get("bu-sales"))
        .isEqualTo(new Profile("bu-sales", java.util.List.of("sales", "shared/sales/"), java.util.List.of("sales/tmp/")));
    assertThat(o.activeProfile()).isEmpty();
    // kept as written, in file order; the keys are the router's to check (callTimout included)
    assertThat(o.routing().values()).containsExactly(Map.entry("callTimeout", "10s"), Map.entry("retryAttempts", "4"),
        Map.entry("breakerFailureRate", "12.5"), Map.entry("teeBufferBytes", "8MiB"),
        Map.entry("parallelTee", "false"), Map.entry("callTimout", "1s"));
    assertThat(o.routing().name()).isEqualTo("routing");
    assertThat(o.routing().origin()).contains(file.toAbsolutePath().toString())
        .contains("environment variable HYBRID_STORAGE_CONFIG");
    assertThat(o.routing().size("teeBufferBytes", 0)).isEqualTo(8L << 20);
    assertThat(o.toBuilder().build().routing()).isEqualTo(o.routing());
  }

  @Test
  void withoutARoutingSectionTheRouterKeepsItsDefaults() throws IOException {
    write("sites: [{name: gcp, kind: memory}, {name: dc1, kind: memory}]\nplacements: [{bucket: '*', "
        + "replicas: [gcp, dc1]}]\n");
    assertThat(load().routing().isEmpty()).isTrue();
    assertThat(load().routing().duration("callTimeout", Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void routingMustBeAMappingOfSingleValues() throws IOException {
    write("""
        sites: [{name: gcp, kind: memory}, {name: dc1, kind: memory}]
        placements: [{bucket: '*', replicas: [gcp, dc1]}]
        routing: [callTimeout, 10s]
        """);
    assertThat(loadFails().problems()).containsExactly(
        "routing: must be a mapping of single values, e.g. routing: {callTimeout: 10s}");
    write("""
        sites: [{name: gcp, kind: memory}, {name: dc1, kind: memory}]
        placements: [{bucket: '*', replicas: [gcp, dc1]}]
        routing: {callTimeout: {seconds: 10}, retryWait: [1s], bulkheadMaxWait: ' ', sessionCapacity: ~, authToken: x}
        """);
    HybridStorageConfigException e = loadFails();
    assertThat(e.problems()).containsExactly(
        "routing.callTimeout: must be a single value (text, number or boolean)",
        "routing.retryWait: must be a single value (text, number or boolean)",
        "routing.bulkheadMaxWait: is empty; give a value or remove the key",
        "routing.sessionCapacity: must be a single value (text, number or boolean)",
        "routing.authToken: looks like a secret; configuration holds no secrets: put it in an environment variable "
            + "or file and name that in credentialsRef");
  }

  @Test
  void aRoutingSectionNeedsSeveralSites() throws IOException {
    write("sites: [{name: dc1, kind: memory}]\nrouting: {callTimeout: 10s}\n");
    assertThat(loadFails().problems()).containsExactly("routing: tunes the router, which only runs with several "
        + "sites, but 1 site is configured [dc1]; remove the routing section or add sites");
  }

  @Test
  void signedUrlEndpointsAddToTheSitesOwnAndMustBeEndpoints() throws IOException {
    write("""
        sites:
          - {name: gcp, kind: gcs}
          - {name: dc1, kind: vast, endpoint: "https://vast-dc1.example:443", credentialsRef: DC1_S3}
        placements: [{bucket: '*', replicas: [gcp, dc1]}]
        signedUrlEndpoints: ["https://gateway.example.com", "http://10.0.0.7:8080/"]
        """);
    HybridStorageOptions options = load();
    assertThat(options.signedUrlEndpoints()).containsExactly("https://gateway.example.com", "http://10.0.0.7:8080/");
    assertThat(options.toBuilder().build().signedUrlEndpoints()).isEqualTo(options.signedUrlEndpoints());
    assertThat(ServiceAssembly.signedUrlEndpoints(options)).containsExactly("https://storage.googleapis.com",
        "https://vast-dc1.example:443", "https://gateway.example.com", "http://10.0.0.7:8080/");
    write("""
        sites: [{name: dc1, kind: memory}]
        signedUrlEndpoints: ["ftp://files.example", "https://gw.example/upload", "https://user:pw@gw.example", gw]
        """);
    assertThat(loadFails().problems()).containsExactly(
        "signedUrlEndpoints[0]: 'ftp://files.example' is not an http or https URL; write scheme://host[:port], "
            + "e.g. https://gateway.example.com",
        "signedUrlEndpoints[1]: 'https://gw.example/upload' has a path or query; an endpoint is scheme, host and "
            + "port only; write scheme://host[:port], e.g. https://gateway.example.com",
        "signedUrlEndpoints[2]: a URL with user info (not shown) is not an endpoint; credentials never go in the "
            + "configuration; write scheme://host[:port], e.g. https://gateway.example.com",
        "signedUrlEndpoints[3]: 'gw' is not an http or https URL; write scheme://host[:port], e.g. "
            + "https://gateway.example.com");
    write("sites: [{name: dc1, kind: memory}]\nsignedUrlEndpoints: https://gw.example\n");
    assertThat(loadFails().problems()).singleElement().asString().startsWith("signedUrlEndpoints: must be a list");
  }

  @Test
  void fromFileReadsWithoutTheEnvironment() throws IOException {
    Path file = write(FULL);
    env.clear();
    assertThat(HybridStorageOptions.fromFile(file).projectId()).isEqualTo("acme-lake");
  }

  @Test
  void systemPropertyWinsOverEnvironmentVariable() throws IOException {
    write("sites: [{name: only, kind: memory}]\n");
    Path other = dir.resolve("other.yaml");
    Files.writeString(other, "sites: [{name: other, kind: memory}]\n");
    props.put("hybrid.storage.config", other.toString());
    assertThat(load().sites().keySet()).containsExactly("other");
  }

  @Test
  void environmentOverridesSingleKeys() throws IOException {
    write(FULL);
    env.put("HYBRID_STORAGE_LOCAL_SITE", "dc2");
    env.put("HYBRID_STORAGE_PROJECT_ID", "other-project");
    env.put("HYBRID_STORAGE_SEED", "7");
    env.put("HYBRID_STORAGE_JOURNAL_DIRECTORY", "/var/tmp/j");
    env.put("HYBRID_STORAGE_PROFILE", "bu-ops");
    props.put("hybrid.storage.localSite", "gcp");
    HybridStorageOptions o = load();
    assertThat(o.localSite()).contains("gcp");
    assertThat(o.projectId()).isEqualTo("other-project");
    assertThat(o.seed()).isEqualTo(7);
    assertThat(o.journalDirectory()).contains(Path.of("/var/tmp/j"));
    assertThat(o.activeProfile()).get().extracting(Profile::name).isEqualTo("bu-ops");
  }

  @Test
  void overridesApplyToTheEmbeddedDefault() {
    env.put("HYBRID_STORAGE_LOCAL_SITE", "dc2");
    assertThat(load().localSite()).contains("dc2");
  }

  @Test
  void theReadmeExampleIsValid() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("```yaml\n") + "```yaml\n".length();
    assertThat(start).isGreaterThan("```yaml\n".length());
    write(readme.substring(start, readme.indexOf("```", start)));
    env.put("HYBRID_STORAGE_PROFILE", "bu-sales");
    HybridStorageOptions o = load();
    assertThat(o.sites().keySet()).containsExactly("gcp", "dc1", "dc2");
    assertThat(o.placementFor("sales", "tmp/x")).get().extracting(Placement::writePolicy)
        .isEqualTo(WritePolicy.LOCAL_THEN_ASYNC);
    assertThat(o.activeProfile()).get().extracting(Profile::name).isEqualTo("bu-sales");
  }

  // ------------------------------------------------------------ error messages

  @Test
  void missingFileNamesTheFileTheVariableAndTheWayOut() {
    env.put("HYBRID_STORAGE_CONFIG", dir.resolve("nope.yaml").toString());
    HybridStorageConfigException e = loadFails();
    assertThat(e.getMessage())
        .contains(dir.resolve("nope.yaml").toAbsolutePath().toString())
        .contains("named by environment variable HYBRID_STORAGE_CONFIG")
        .contains("does not exist")
        .contains("unset both to use the embedded in-memory three-site world");
  }

  @Test
  void yamlSyntaxErrorNamesLineAndColumn() throws IOException {
    Path file = write("sites:\n  - name: dc1\n    kind: [memory\n");
    HybridStorageConfigException e = loadFails();
    assertThat(e.getMessage()).contains(file.toAbsolutePath().toString()).contains("line ").contains("not valid YAML");
  }

  /**
   * A YAML parser's message quotes the offending line (SnakeYAML prints it with a caret under the
   * column), and that line may hold a secret someone pasted: the problem keeps the line, column and
   * what is wrong, never text of the file.
   */
  @Test
  void yamlSyntaxErrorsNeverQuoteTheFile() throws IOException {
    for (String yaml : List.of(
        "sites: [{name: dc1, kind: memory}]\nsecretAccessKey: \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
        "sites:\n  - {name: dc1, kind: vast, credentialsRef: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
        "sites: [{name: dc1, kind: memory}]\n  token: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY: x\n",
        "sites: [{name: dc1, kind: memory}]\ntoken: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\ntoken: again\n")) {
      write(yaml);
      HybridStorageConfigException e = loadFails();
      assertThat(e.problems()).as(yaml).singleElement().asString().startsWith("line ").contains("not valid YAML");
      assertThat(e.getMessage()).as(yaml).doesNotContain("EXAMPLEKEY").doesNotContain("wJalr").doesNotContain("^");
    }
  }

  /**
   * {@code profile:NAME} (README) names a profile of the AWS shared credentials and config files,
   * for a vast site; the loader accepts it, with a name of the characters AWS profile names use.
   */
  @Test
  void credentialsRefMayNameAnAwsProfile() throws IOException {
    write("sites: [{name: dc1, kind: vast, endpoint: 'https://v:443', credentialsRef: profile:vast-dc1.admin}]\n");
    assertThat(load().sites().get("dc1").credentialsRef()).isEqualTo("profile:vast-dc1.admin");
    write("sites: [{name: dc1, kind: vast, endpoint: 'https://v:443', credentialsRef: 'profile:'}]\n");
    assertThat(loadFails().problems()).singleElement().asString().startsWith("sites[0].credentialsRef: must say "
        + "where the credentials are").contains("profile:NAME");
  }

  @Test
  void emptyFileSaysWhatIsNeeded() throws IOException {
    write("");
    assertThat(loadFails().getMessage()).contains("the file is empty").contains("'sites'");
  }

  @Test
  void duplicateKeyIsRejected() throws IOException {
    write("projectId: a\nprojectId: b\nsites: [{name: dc1, kind: memory}]\n");
    assertThat(loadFails().getMessage()).contains("not valid YAML").containsIgnoringCase("duplicate").contains("projectId");
  }

  @Test
  void unknownTopLevelKeyListsTheValidOnes() throws IOException {
    Path file = write("sites: [{name: dc1, kind: memory}]\nlocalsite: dc1\n");
    HybridStorageConfigException e = loadFails();
    assertThat(e.source()).contains(file.toAbsolutePath().toString());
    assertThat(e.problems()).containsExactly("localsite: unknown key; valid keys here: projectId, localSite, seed, "
        + "journalDirectory, sites, placements, profiles, routing, signedUrlEndpoints, gateway, sync");
  }

  @Test
  void theSyncSectionIsLeftToTheSyncModule() throws IOException {
    Path file = write("sites: [{name: dc1, kind: memory}]\nsync: {rules: [{placement: lake}], whatever: [1, 2]}\n");
    HybridStorageOptions options = HybridStorageOptions.fromFile(file);
    assertThat(options.sites()).containsOnlyKeys("dc1");
  }

  @Test
  void theGatewaySectionIsReadForTheGatewayAndHoldsNoSecrets() throws IOException {
    Path file = write("sites: [{name: dc1, kind: memory}]\ngateway: {port: 8081, hosts: gw.example}\n");
    HybridStorageOptions options = HybridStorageOptions.fromFile(file);
    assertThat(options.gateway().values()).containsExactly(Map.entry("port", "8081"), Map.entry("hosts", "gw.example"));
    assertThat(options.gateway().origin()).contains(file.toAbsolutePath().toString());
    assertThat(options.toBuilder().gateway(Map.of("port", "9")).build().gateway().origin())
        .contains(file.toAbsolutePath().toString());
    write("sites: [{name: dc1, kind: memory}]\ngateway: {bearerToken: abc}\n");
    assertThat(loadFails().problems()).singleElement().asString().startsWith("gateway.bearerToken: looks like a secret");
  }

  @Test
  void unknownPlacementKeyListsTheValidOnes() throws IOException {
    write("sites: [{name: dc1, kind: memory}]\nplacements: [{bucket: b1x, replicas: [dc1], wrte: QUORUM}]\n");
    assertThat(loadFails().problems()).containsExactly("placements[0].wrte: unknown key; valid keys here: bucket, "
        + "replicas, authority, write, read, consistency, writeQuorum, stalenessBound, hedgeDelay, "
        + "failWritesWhenReplicaDown");
  }

  @Test
  void unknownSiteAndProfileKeysListTheValidOnes() throws IOException {
    write("sites: [{name: dc1, kind: memory, secretKey: x}]\nprofiles: {bu: {bucket: [a]}}\n");
    assertThat(loadFails().problems()).contains(
        "sites[0].secretKey: unknown key; valid keys here: name, kind, endpoint, credentialsRef, latency, properties",
        "profiles.bu.bucket: unknown key; valid keys here: buckets, placements");
  }

  @Test
  void badEnumValuesListTheAllowedOnes() throws IOException {
    write("""
        sites: [{name: dc1, kind: memory}]
        placements:
          - {bucket: b1x, replicas: [dc1], write: DUAL, read: CLOSEST, consistency: LINEARIZABLE}
        """);
    assertThat(loadFails().problems()).containsExactly(
        "placements[0].write: 'DUAL' is not a write policy; allowed: AUTHORITY_ONLY, DUAL_WRITE_SYNC, QUORUM, "
            + "AUTHORITY_THEN_ASYNC, LOCAL_THEN_ASYNC",
        "placements[0].read: 'CLOSEST' is not a read policy; allowed: NEAREST, AUTHORITY, NEAREST_VERIFIED, HEDGED, "
            + "READ_THROUGH",
        "placements[0].consistency: 'LINEARIZABLE' is not a consistency level; allowed: STRONG, SESSION, EVENTUAL");
  }

  @Test
  void badKindListsTheAllowedOnes() throws IOException {
    write("sites: [{name: dc1, kind: s3}]\n");
    assertThat(loadFails().problems()).singleElement().asString()
        .startsWith("sites[0].kind: 's3' is not a known site kind; allowed: ").contains("gcs", "memory", "vast");
  }

  @Test
  void missingRequiredKeysAreNamed() throws IOException {
    write("sites: [{kind: memory}, {name: dc2}]\nplacements: [{replicas: [dc2]}, {bucket: b1x}]\n");
    assertThat(loadFails().problems()).containsExactly(
        "sites[0].name: missing; e.g. name: dc1",
        "sites[1].kind: missing; one of [gcs, memory, vast]",
        "placements[0].bucket: missing; a bucket name, bucket/prefix, or * for every bucket",
        "placements[1].replicas: missing; list the sites holding copies, e.g. replicas: [gcp, dc1]");
  }

  @Test
  void missingSitesIsNamed() throws IOException {
    write("projectId: p\n");
    assertThat(loadFails().problems()).containsExactly(
        "sites: missing; list at least one site, e.g. sites: [{name: dc1, kind: memory}]");
  }

  @Test
  void durationsNeedAUnit() throws IOException {
    write("sites: [{name: dc1, kind: memory, latency: 20}]\n");
    assertThat(loadFails().problems()).containsExactly("sites[0].latency: '20' is not a duration; write a number "
        + "and a unit (250us, 20ms, 1.5s, 5m, 1h, 1d) or ISO-8601 (PT0.02S)");
  }

  @Test
  void negativeDurationIsRejected() throws IOException {
    write("sites: [{name: dc1, kind: memory, latency: PT-1S}]\n");
    assertThat(loadFails().problems()).containsExactly(
        "sites[0].latency: 'PT-1S' is negative; a duration must be zero or more");
  }

  @Test
  void credentialsRefMustBeAReferenceAndIsNeverEchoed() throws IOException {
    write("""
        sites:
          - {name: a1, kind: vast, credentialsRef: AKIAIOSFODNN7EXAMPLE}
          - {name: a2, kind: vast, credentialsRef: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY}
          - {name: a3, kind: gcs, credentialsRef: '{"type": "service_account"}'}
          - {name: ok1, kind: gcs, credentialsRef: none}
          - {name: ok2, kind: vast, credentialsRef: DC1_S3_CREDENTIALS}
          - {name: ok3, kind: vast, credentialsRef: ./dc1.properties}
        """);
    HybridStorageConfigException e = loadFails();
    String rule = "must say where the credentials are, never hold them: the name of an environment variable "
        + "(e.g. DC1_S3_CREDENTIALS), a file path (/etc/hybrid/dc1.json, ./dc1.json), profile:NAME (an AWS "
        + "profile, vast sites) or none; omit it for the backend's default credentials (got a value of ";
    assertThat(e.problems()).containsExactly(
        "sites[0].credentialsRef: " + rule + "20 characters, not shown)",
        "sites[1].credentialsRef: " + rule + "40 characters, not shown)",
        "sites[2].credentialsRef: " + rule + "27 characters, not shown)");
    assertThat(e.getMessage()).doesNotContain("AKIAIOSFODNN7EXAMPLE").doesNotContain("EXAMPLEKEY")
        .doesNotContain("service_account");
  }

  @Test
  void secretLookingPropertiesAreRejected() throws IOException {
    write("sites: [{name: dc1, kind: vast, properties: {secretAccessKey: abc, region: r}}]\n");
    HybridStorageConfigException e = loadFails();
    assertThat(e.problems()).singleElement().asString().startsWith(
        "sites[0].properties.secretAccessKey: looks like a secret; configuration holds no secrets");
    assertThat(e.getMessage()).doesNotContain("abc");
  }

  @Test
  void wrongShapesAreNamed() throws IOException {
    write("""
        seed: forty-two
        sites: {name: dc1}
        placements: [{bucket: b1x, replicas: dc1, writeQuorum: two, failWritesWhenReplicaDown: maybe}]
        profiles: [bu]
        """);
    assertThat(loadFails().problems()).containsExactly(
        "seed: 'forty-two' is not a whole number; write e.g. seed: 42",
        "sites: must be a list of sites, each a mapping with the keys [name, kind, endpoint, credentialsRef, latency, "
            + "properties]",
        "placements[0].replicas: must be a list of the names of the sites holding copies, e.g. replicas: [a, b]",
        "placements[0].replicas: missing; list the sites holding copies, e.g. replicas: [gcp, dc1]",
        "placements[0].writeQuorum: 'two' is not a whole number of replicas",
        "placements[0].failWritesWhenReplicaDown: 'maybe' is not a boolean; write true or false",
        "profiles: must be a mapping from BU name to {buckets: [...], placements: [...]}");
  }

  @Test
  void duplicateSiteNameIsNamed() throws IOException {
    write("sites: [{name: dc1, kind: memory}, {name: dc1, kind: memory}]\n");
    assertThat(loadFails().problems()).containsExactly(
        "sites[1].name: site 'dc1' is configured twice; give each site its own name");
  }

  @Test
  void invalidBucketInPlacementIsNamed() throws IOException {
    write("sites: [{name: dc1, kind: memory}]\nplacements: [{bucket: Sales, replicas: [dc1]}]\n");
    assertThat(loadFails().problems()).singleElement().asString()
        .startsWith("placements[0].bucket: 'Sales' is not a valid bucket name: ");
  }

  @Test
  void policyProblemsFoundAtBuildNameTheFileAndPlacement() throws IOException {
    Path file = write("""
        sites: [{name: gcp, kind: memory}, {name: dc1, kind: memory}]
        placements:
          - {bucket: sales, replicas: [gcp, dc9], write: AUTHORITY_THEN_ASYNC, read: NEAREST, consistency: STRONG}
        """);
    HybridStorageConfigException e = loadFails();
    assertThat(e.source()).contains(file.toAbsolutePath().toString());
    assertThat(e.problems()).contains("placement 'sales': replica 'dc9' is not a configured site [gcp, dc1]");
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(
        "placement 'sales': consistency STRONG is impossible with writePolicy AUTHORITY_THEN_ASYNC"));
  }

  @Test
  void profileNamingAnUnknownPlacementIsNamed() throws IOException {
    write("sites: [{name: dc1, kind: memory}]\nprofiles: {bu-a: {placements: [sales]}}\n");
    assertThat(loadFails().problems()).containsExactly(
        "profile 'bu-a': placement 'sales' is not a configured placement []");
  }

  @Test
  void profileGrantingNothingIsNamed() throws IOException {
    write("sites: [{name: dc1, kind: memory}]\nprofiles: {bu-a: {}}\n");
    assertThat(loadFails().problems()).containsExactly(
        "profiles.bu-a: grants nothing; list buckets: [...] and/or placements: [...] this BU may touch");
  }

  /**
   * {@code scratch/bu-sales} would grant every name starting with {@code bu-sales}, so also
   * {@code scratch/bu-sales-archive/}: a prefix entry must end with '/' (the folder), and it is
   * refused at start-up naming the file, the profile, the entry and the fix. The same holds for a
   * placement a profile grants, and for '.'/'..' segments, which a path would resolve.
   */
  @Test
  void aProfilePrefixWithoutTrailingSlashIsRefusedAtStartUp() throws IOException {
    Path file = write("""
        sites: [{name: dc1, kind: memory}]
        placements: [{bucket: scratch/bu-ops, replicas: [dc1]}, {bucket: shared/ops/, replicas: [dc1]}]
        profiles:
          bu-sales: {buckets: [sales, scratch/bu-sales, scratch/bu-hr/../finance/, logs/]}
          bu-ops: {placements: [scratch/bu-ops, shared/ops/]}
        """);
    HybridStorageConfigException e = loadFails();
    assertThat(e.source()).contains(file.toAbsolutePath().toString());
    assertThat(e.problems()).containsExactly(
        "profile 'bu-sales': bucket entry 'scratch/bu-sales' would also grant every other name starting with "
            + "'bu-sales' (e.g. scratch/bu-sales-archive/); write 'scratch/bu-sales/' to grant that folder",
        "profile 'bu-sales': bucket entry 'scratch/bu-hr/../finance/' has a '.' or '..' segment; write the folder "
            + "it means without them",
        "profile 'bu-ops': placement 'scratch/bu-ops' has a prefix without a trailing '/', so granting it would "
            + "also grant every other name starting with 'bu-ops' (e.g. scratch/bu-ops-archive/); grant a placement "
            + "whose prefix ends with '/' (e.g. bucket: scratch/bu-ops/)");
  }

  @Test
  void unknownProfileInEnvironmentListsTheConfiguredOnes() throws IOException {
    write(FULL);
    env.put("HYBRID_STORAGE_PROFILE", "bu-hr");
    assertThat(loadFails().problems()).containsExactly("environment variable HYBRID_STORAGE_PROFILE: profile "
        + "'bu-hr' is not configured; configured profiles: [bu-sales, bu-ops] (add it under 'profiles:' or unset "
        + "HYBRID_STORAGE_PROFILE)");
  }

  @Test
  void badOverridesAreNamedWithTheirVariable() {
    env.put("HYBRID_STORAGE_LOCAL_SITE", "dc7");
    props.put("hybrid.storage.seed", "x");
    HybridStorageConfigException e = loadFails();
    assertThat(e.source()).contains("embedded in-memory three-site default");
    assertThat(e.problems()).containsExactly(
        "system property hybrid.storage.seed: 'x' is not a whole number; set e.g. 42 or unset it",
        "environment variable HYBRID_STORAGE_LOCAL_SITE: local site 'dc7' is not a configured site [gcp, dc1, dc2]");
  }

  @Test
  void everyProblemOfAFileIsReportedAtOnce() throws IOException {
    write("sites: [{name: dc1, kind: s3, latency: fast}]\nplacements: [{bucket: b1x, replicas: [dc1], read: X}]\n");
    assertThat(loadFails().problems()).hasSize(3);
  }
}
