package io.hybridstorage.sync;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.routing.RoutingSettings;
import io.hybridstorage.routing.RoutingStore;
import io.hybridstorage.testkit.fault.FaultInjectingStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Three in-memory sites (gcp authority, dc1, dc2), each behind a fault injector, and a router over them. */
final class SyncWorld implements AutoCloseable {

  static final String BUCKET = "lake";

  /** Each site's own store (below the fault injector): what the site holds. */
  final Map<String, ObjectStore> memory = new LinkedHashMap<>();
  final Map<String, FaultInjectingStore> faults = new LinkedHashMap<>();
  final HybridStorageOptions options;
  final RoutingStore router;
  final Path dir;

  SyncWorld(Placement placement, Clock clock) {
    this(placement, clock, Map.of(), BUCKET);
  }

  final String bucket;

  /** With {@code stores} replacing the in-memory store of the sites they name (a VAST site on S3Mock). */
  SyncWorld(Placement placement, Clock clock, Map<String, ObjectStore> stores, String bucket) {
    this.bucket = bucket;
    try {
      dir = Files.createTempDirectory("sync-world");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    options = HybridStorageOptions.inMemoryThreeSites().clearPlacements().placement(placement).clock(clock)
        .journalDirectory(dir.resolve("journal")).build();
    Map<String, ObjectStore> sites = new LinkedHashMap<>();
    for (String s : options.sites().keySet()) {
      ObjectStore m = stores.containsKey(s) ? stores.get(s) : new InMemoryStore(s, clock);
      FaultInjectingStore f = FaultInjectingStore.wrap(m);
      memory.put(s, m);
      faults.put(s, f);
      sites.put(s, f);
    }
    router = RoutingStore.create(sites, options, RoutingSettings.defaults()
        .withRetry(1, Duration.ZERO).withBreaker(100, 100, 100f, Duration.ofMillis(100))
        .withJournal(512, Duration.ofMillis(20), 2));
    router.createBucket(BucketSpec.of(bucket));
  }

  /** A write straight into a site's store: a BigQuery export into GCS, a job that bypasses the SDK. */
  ObjectInfo outside(String site, String name, String value) {
    byte[] bytes = value.getBytes(UTF_8);
    return memory.get(site).write(WriteRequest.of(bucket, name).withCrc32c(Checksums.crc32c(bytes)),
        new ByteArrayInputStream(bytes));
  }

  Optional<ObjectInfo> head(String site, String name) {
    return memory.get(site).head(ObjectId.of(bucket, name), Conditions.none());
  }

  String read(String site, String name) {
    try (ObjectContent c = memory.get(site).read(ReadRequest.of(ObjectId.of(bucket, name)))) {
      return new String(c.stream().readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    router.close();
    try {
      com.google.common.io.MoreFiles.deleteRecursively(dir);
    } catch (IOException e) {
      // temp files: nothing to do
    }
  }
}
