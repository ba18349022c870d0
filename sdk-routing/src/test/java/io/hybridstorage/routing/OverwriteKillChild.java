package io.hybridstorage.routing;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The writer of {@link OverwriteKillTest}, in its own JVM: three threads overwrite 20 keys through
 * a router whose dc2 link is cut, printing {@code ACK key generation} after each acknowledgement,
 * until the test kills the process with SIGKILL. Arguments: the sites' root folder and the write
 * policy.
 */
public final class OverwriteKillChild {

  static final int KEYS = 20;
  static final int THREADS = 3;

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    WritePolicy policy = WritePolicy.valueOf(args[1]);
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    Map<String, ObjectStore> sites = KillChild.sites(root, false);
    RoutingStore router = RoutingStore.create(sites, KillChild.options(root.resolve("journal"), policy),
        World.testSettings());
    if (router.getBucket("bkt").isEmpty()) {
      router.createBucket(BucketSpec.of("bkt"));
    }
    ((FaultInjectingStore) sites.get(World.DC2)).partition();
    out.println("READY");
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Thread writer = new Thread(() -> {
        for (int i = 0; ; i++) {
          String key = "key-" + ((i * THREADS + thread) % KEYS);
          try {
            ObjectInfo info = router.write(WriteRequest.of("bkt", key),
                new ByteArrayInputStream(("t" + thread + "-" + i).getBytes(StandardCharsets.UTF_8)));
            synchronized (out) {
              out.println("ACK " + key + " " + info.generation());
            }
          } catch (HybridStorageException e) {
            synchronized (out) {
              out.println("FAILED " + key + " " + e.code());
            }
          }
        }
      });
      writer.start();
    }
    Thread.currentThread().join(); // until killed
  }
}
