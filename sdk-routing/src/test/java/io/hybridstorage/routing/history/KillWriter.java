package io.hybridstorage.routing.history;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.testkit.fault.Fault;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import io.hybridstorage.testkit.fault.FaultRule;
import io.hybridstorage.testkit.fault.Operation;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The writer process of the SIGKILL runs ({@link SigkillRun}): a router over the file-backed sites
 * of {@code root}, journaling to {@code root/journal}, whose client threads overwrite, create and
 * delete a few objects until the process is killed. Its links get faults drawn from the seed (a
 * replica's writes cut for the whole life of the process, lost acknowledgements at the primary,
 * 503s). It prints each call before making it and its outcome after, one line each, flushed:
 *
 * <pre>
 * I id kind object text      invoked (text "-" for a delete)
 * O id generation            acknowledged ("-" for a delete)
 * F id code message          refused (4xx but 408/429)
 * U id message               failed otherwise: outcome unknown
 * </pre>
 *
 * Arguments: root, write policy, seed, incarnation, objects, client threads.
 */
public final class KillWriter {

  private KillWriter() {}

  static final String LOCAL = Cluster.DC1;

  static HybridStorageOptions options(WritePolicy policy, Path journal, long seed) {
    Placement placement = Cluster.placement(policy);
    return HybridStorageOptions.newBuilder()
        .site(SiteConfig.memory(Cluster.GCP, Duration.ofMillis(20)))
        .site(SiteConfig.memory(Cluster.DC1, Duration.ofMillis(1)))
        .site(SiteConfig.memory(Cluster.DC2, Duration.ofMillis(30)))
        .localSite(LOCAL)
        .seed(seed)
        .journalDirectory(journal)
        .placement(placement)
        .build();
  }

  static Map<String, FileSite> sites(Path root) {
    Map<String, FileSite> sites = new LinkedHashMap<>();
    for (String s : Cluster.SITES) {
      sites.put(s, new FileSite(s, root.resolve("sites").resolve(s)));
    }
    return sites;
  }

  /** The site whose writes are decided first: the authority, or the local site under LOCAL_THEN_ASYNC. */
  static String primary(WritePolicy policy) {
    return policy == WritePolicy.LOCAL_THEN_ASYNC ? LOCAL : Cluster.GCP;
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    WritePolicy policy = WritePolicy.valueOf(args[1]);
    long seed = Long.parseLong(args[2]);
    int incarnation = Integer.parseInt(args[3]);
    int objects = Integer.parseInt(args[4]);
    int threads = Integer.parseInt(args[5]);
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, ObjectStore> links = new LinkedHashMap<>();
    List<String> replicas = Cluster.SITES.stream().filter(s -> !s.equals(primary(policy))).toList();
    String cut = random.nextInt(10) < 6 ? replicas.get(random.nextInt(replicas.size())) : null;
    int s = 0;
    for (Map.Entry<String, FileSite> e : sites(root).entrySet()) {
      FaultInjectingStore link = FaultInjectingStore.builder(e.getValue()).seed(seed + (++s)).build();
      if (e.getKey().equals(primary(policy))) {
        link.addRule(FaultRule.on(Operation.WRITE, Operation.DELETE).withProbability(0.05)
            .inject(Fault.failAfterCommit(503)));
      }
      link.addRule(FaultRule.onAny().withProbability(0.03).inject(Fault.failBeforeCall(503)));
      if (e.getKey().equals(cut)) {
        link.partitionWrites();
      }
      links.put(e.getKey(), link);
    }
    RoutingStore router = RoutingStore.create(links, options(policy, root.resolve("journal"), seed),
        Cluster.settings());
    out.println("READY cut=" + cut);
    AtomicLong ids = new AtomicLong((long) incarnation * 1_000_000);
    for (int t = 0; t < threads; t++) {
      String client = "k" + incarnation + "t" + t;
      SplittableRandom mine = random.split();
      Thread writer = new Thread(() -> {
        for (int n = 0; ; n++) {
          String object = "obj/" + mine.nextInt(objects);
          int dice = mine.nextInt(10);
          long id = ids.incrementAndGet();
          try {
            if (dice == 0) {
              out.println("I " + id + " DELETE " + object + " -");
              router.delete(ObjectId.of(Cluster.BUCKET, object), Conditions.none());
              out.println("O " + id + " -");
            } else {
              String kind = dice == 1 ? "CREATE" : "OVERWRITE";
              String text = object + "=" + client + "#" + n;
              out.println("I " + id + " " + kind + " " + object + " " + text);
              ObjectInfo info = router.write(WriteRequest.of(Cluster.BUCKET, object)
                  .withConditions(dice == 1 ? Conditions.doesNotExist() : Conditions.none()),
                  new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
              out.println("O " + id + " " + info.generation());
            }
          } catch (HybridStorageException e) {
            boolean refused = e.code() >= 400 && e.code() < 500 && e.code() != 408 && e.code() != 429;
            out.println((refused ? "F " : "U ") + id + " " + oneLine(e));
          } catch (RuntimeException e) {
            out.println("U " + id + " " + oneLine(e));
          }
        }
      }, client);
      writer.setDaemon(false);
      writer.start();
    }
  }

  private static String oneLine(Exception e) {
    String m = (e instanceof HybridStorageException h ? h.code() + " " + h.reason() : e.getClass().getSimpleName())
        + ": " + e.getMessage();
    m = m.replace('\n', ' ');
    return m.length() > 300 ? m.substring(0, 300) : m;
  }
}
