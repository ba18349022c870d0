package io.hybridstorage.routing;

import static io.hybridstorage.routing.World.BUCKET;
import static io.hybridstorage.routing.World.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.SiteConfig;
import io.hybridstorage.api.WritePolicy;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.memory.InMemoryStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A replica store may decide a write's preconditions when its first bytes arrive rather than at
 * commit, and report a 412 from {@code write} (VastStore's streamed PUT of a declared size does:
 * the request starts, under the key's lock, at the first write). The router must read that 412
 * as it reads one from {@code commit}: the replica already holds this generation or newer.
 */
class EarlyPreconditionTest {

  /** Decides the assigned-generation check at the first write, as a streamed PUT does. */
  static final class DecidesAtFirstWrite extends ForwardingObjectStore {
    DecidesAtFirstWrite(ObjectStore delegate) {
      super(delegate);
    }

    @Override
    public ObjectWriter openWrite(WriteRequest request) {
      ObjectWriter writer = delegate().openWrite(request);
      return new ObjectWriter() {
        private boolean started;

        @Override
        public int write(ByteBuffer source) throws IOException {
          if (!started) {
            started = true;
            Optional<ObjectInfo> live = delegate().head(ObjectId.of(request.bucket(), request.name()), Conditions.none());
            if (request.generation() != 0 && live.isPresent() && live.get().generation() >= request.generation()) {
              writer.close();
              throw HybridStorageException.preconditionFailed("write", request.bucket(), request.name(), site(),
                  "assigned generation " + request.generation() + " is not newer than the live generation "
                      + live.get().generation());
            }
          }
          return writer.write(source);
        }

        @Override
        public ObjectInfo commit() throws IOException {
          return writer.commit();
        }

        @Override
        public boolean isOpen() {
          return writer.isOpen();
        }

        @Override
        public void close() {
          writer.close();
        }
      };
    }
  }

  /** Three in-memory sites, {@code early} deciding at the first write, under DUAL_WRITE_SYNC. */
  private static RoutingStore router(Map<String, InMemoryStore> memory, String early, Path dir) {
    Map<String, ObjectStore> sites = new LinkedHashMap<>();
    for (String site : new String[] {World.GCP, World.DC1, World.DC2}) {
      InMemoryStore store = new InMemoryStore(site);
      memory.put(site, store);
      sites.put(site, site.equals(early) ? new DecidesAtFirstWrite(store) : store);
    }
    HybridStorageOptions options = HybridStorageOptions.newBuilder()
        .site(SiteConfig.memory(World.GCP, Duration.ofMillis(20)))
        .site(SiteConfig.memory(World.DC1, Duration.ofMillis(1)))
        .site(SiteConfig.memory(World.DC2, Duration.ofMillis(30)))
        .localSite(World.DC1)
        .journalDirectory(dir)
        .placement(World.placement(WritePolicy.DUAL_WRITE_SYNC))
        .build();
    return RoutingStore.create(sites, options, World.testSettings());
  }

  /** Puts "newer" as generation {@code newer} at {@code site}, then writes "routed" through the router. */
  private static ObjectInfo routedWriteOver(RoutingStore router, InMemoryStore site, long newer) {
    router.createBucket(BucketSpec.of(BUCKET));
    site.write(WriteRequest.of(BUCKET, "o").withGeneration(newer),
        new ByteArrayInputStream("newer".getBytes(StandardCharsets.UTF_8)));
    return router.write(WriteRequest.of(BUCKET, "o"),
        new ByteArrayInputStream("routed".getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest(name = "replica decides at first write: {0}")
  @ValueSource(booleans = {false, true})
  void aReplicaHoldingANewerGenerationIsSkippedWhereverItsPreconditionIsDecided(boolean early, @TempDir Path dir)
      throws Exception {
    Map<String, InMemoryStore> memory = new LinkedHashMap<>();
    try (RoutingStore router = router(memory, early ? World.DC2 : null, dir)) {
      // dc2 already holds a newer generation (a concurrent writer's, say, that reached it first)
      long newer = Long.MAX_VALUE / 2;
      ObjectInfo written = routedWriteOver(router, memory.get(World.DC2), newer);

      assertThat(written.generation()).isLessThan(newer);
      assertThat(get(memory.get(World.GCP), "o")).isEqualTo("routed");
      assertThat(get(memory.get(World.DC1), "o")).isEqualTo("routed");
      assertThat(get(memory.get(World.DC2), "o")).isEqualTo("newer");
    }
  }

  /**
   * The authority already holds a newer generation than the one the router issued (another
   * writer's, that went live in between): an unconditional write must still succeed, as on GCS,
   * again with a newer generation, whether the authority refuses at commit or at the first write.
   */
  @ParameterizedTest(name = "authority decides at first write: {0}")
  @ValueSource(booleans = {false, true})
  void anUnconditionalWriteThatLostTheRaceAtTheAuthorityIsRetriedWhereverItIsDecided(boolean early,
      @TempDir Path dir) throws Exception {
    Map<String, InMemoryStore> memory = new LinkedHashMap<>();
    try (RoutingStore router = router(memory, early ? World.GCP : null, dir)) {
      long newer = Long.MAX_VALUE / 4;
      ObjectInfo written = routedWriteOver(router, memory.get(World.GCP), newer);

      assertThat(written.generation()).isGreaterThan(newer);
      for (String site : new String[] {World.GCP, World.DC1, World.DC2}) {
        assertThat(get(memory.get(site), "o")).as(site).isEqualTo("routed");
        assertThat(memory.get(site).head(ObjectId.of(BUCKET, "o"), Conditions.none()).orElseThrow().generation())
            .as(site).isEqualTo(written.generation());
      }
    }
  }
}
