package io.hybridstorage.routing;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The writer of {@link JournalKillTest}, run in its own JVM: routes AUTHORITY_THEN_ASYNC writes
 * over three directory-backed sites with both replicas cut off (so every replica copy waits in the
 * journal), and prints {@code ACK key generation} after each acknowledgement — until it is killed.
 */
public final class KillChild {

  static HybridStorageOptions options(Path journal) {
    return options(journal, WritePolicy.AUTHORITY_THEN_ASYNC);
  }

  /** The three directory-backed sites' options with {@code policy}'s canonical placement, local dc1. */
  static HybridStorageOptions options(Path journal, WritePolicy policy) {
    return HybridStorageOptions.newBuilder()
        .site(SiteConfig.memory(World.GCP, Duration.ofMillis(20)))
        .site(SiteConfig.memory(World.DC1, Duration.ofMillis(1)))
        .site(SiteConfig.memory(World.DC2, Duration.ofMillis(30)))
        .localSite(World.DC1)
        .journalDirectory(journal)
        .placement(World.placement(policy))
        .build();
  }

  static Map<String, ObjectStore> sites(Path root, boolean cutReplicas) {
    Map<String, ObjectStore> sites = new LinkedHashMap<>();
    for (String s : new String[] {World.GCP, World.DC1, World.DC2}) {
      FaultInjectingStore store = FaultInjectingStore.wrap(new DirectoryStore(s, root.resolve(s)));
      if (cutReplicas && !s.equals(World.GCP)) {
        store.partition();
      }
      sites.put(s, store);
    }
    return sites;
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    Map<String, ObjectStore> sites = sites(root, false);
    RoutingStore router = RoutingStore.create(sites, options(root.resolve("journal")),
        World.testSettings().withJournal(64, Duration.ofSeconds(1), 2));
    router.createBucket(BucketSpec.of("bkt"));
    ((FaultInjectingStore) sites.get(World.DC1)).partition();
    ((FaultInjectingStore) sites.get(World.DC2)).partition();
    out.println("READY");
    for (int i = 0; ; i++) {
      String key = "key-" + i;
      ObjectInfo info = router.write(WriteRequest.of("bkt", key),
          new ByteArrayInputStream(("value-" + i).getBytes(StandardCharsets.UTF_8)));
      out.println("ACK " + key + " " + info.generation());
    }
  }
}
