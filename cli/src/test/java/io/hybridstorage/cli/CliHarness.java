package io.hybridstorage.cli;

import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.spi.StoreDecorator;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Runs the CLI in-process against one in-memory three-site world described by a YAML file in a
 * temporary directory. The CLI loads that file itself (--config); the world it opens is kept
 * across commands (an in-memory site would otherwise start empty at every command), with a
 * fault injector in front of every site.
 */
final class CliHarness implements AutoCloseable {

  /** What one run printed and returned. */
  record Result(int exit, String out, byte[] outBytes, String err) {}

  static final String DEFAULT_ROUTING = "{repairHorizon: 0s, retryAttempts: 1, callTimeout: 2s, "
      + "breakerWindow: 4, breakerMinimumCalls: 2, breakerOpenWait: 1h}";

  final Path config;
  final Map<String, FaultInjectingStore> faults = new LinkedHashMap<>();
  @Nullable private World world;
  private int opened;

  /** A world whose DUAL_WRITE_SYNC placement accepts writes with a replica down (journaled). */
  CliHarness(Path dir) throws IOException {
    this(dir, DEFAULT_ROUTING, false);
  }

  CliHarness(Path dir, String routing, boolean failWritesWhenReplicaDown) throws IOException {
    config = dir.resolve("hybrid.yaml");
    Files.writeString(config, String.join("\n",
        "projectId: cli-test",
        "localSite: dc1",
        "sites:",
        "  - {name: gcp, kind: memory, latency: 20ms}",
        "  - {name: dc1, kind: memory, latency: 1ms}",
        "  - {name: dc2, kind: memory, latency: 30ms}",
        "placements:",
        "  - bucket: \"*\"",
        "    replicas: [gcp, dc1, dc2]",
        "    authority: gcp",
        "    write: DUAL_WRITE_SYNC",
        "    read: NEAREST_VERIFIED",
        "    consistency: STRONG",
        "    failWritesWhenReplicaDown: " + failWritesWhenReplicaDown,
        "routing: " + routing,
        ""));
  }

  /** Runs the CLI with {@code --config} this harness's file, not on a terminal. */
  Result run(String... args) {
    return run(false, args);
  }

  Result run(boolean terminal, String... args) {
    String[] withConfig = new String[args.length + 2];
    withConfig[0] = "--config";
    withConfig[1] = config.toString();
    System.arraycopy(args, 0, withConfig, 2, args.length);
    return runRaw(terminal, withConfig);
  }

  /** Runs the CLI with exactly {@code args}. */
  Result runRaw(boolean terminal, String... args) {
    return runWithInput("", terminal, args);
  }

  /** Runs the CLI with exactly {@code args} and {@code input} as its standard input. */
  Result runWithInput(String input, boolean terminal, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = new HybridStorageCli(this::open, new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
          o, e, terminal).run(args);
    }
    return new Result(exit, out.toString(StandardCharsets.UTF_8), out.toByteArray(),
        err.toString(StandardCharsets.UTF_8));
  }

  /** The shared world (opened by the first command, from the options the CLI loaded). */
  World world() {
    if (world == null) {
      throw new IllegalStateException("no command has run yet");
    }
    return world;
  }

  /** A site's store below the fault injector and the router: what the site really holds. */
  ObjectStore raw(String site) {
    return faults.get(site).delegate();
  }

  int opened() {
    return opened;
  }

  private synchronized World open(HybridStorageOptions options) {
    opened++;
    if (world == null) {
      world = World.open(options.toBuilder().storeDecorator(new StoreDecorator() {
        @Override
        public ObjectStore site(SiteConfig site, ObjectStore store) {
          FaultInjectingStore injector = FaultInjectingStore.builder(store).seed(site.name().hashCode()).build();
          faults.put(site.name(), injector);
          return injector;
        }
      }).build());
    }
    return world.borrowed();
  }

  @Override
  public void close() throws Exception {
    if (world != null) {
      world.close();
    }
  }
}
