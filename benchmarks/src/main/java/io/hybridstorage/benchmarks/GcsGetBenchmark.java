package io.hybridstorage.benchmarks;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.HybridStorage;
import io.hybridstorage.gcs.GcsStore;
import io.hybridstorage.memory.InMemoryStore;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.StorageOptions;
import io.hybridstorage.gateway.Gateway;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the SDK adds in front of a GCS site: {@code Storage.get(BlobId)} and {@code
 * Storage.readAllBytes(BlobId)} of a 1 KiB object, through the drop-in {@code Storage} over {@link
 * GcsStore} over the real google-cloud-storage client ({@code FACADE_OVER_GCS_STORE}), against the
 * same real client called directly ({@code RAW_CLIENT}, the anchor). Both talk HTTP to the same
 * kind of local endpoint, the JSON API gateway ({@link Gateway}) over an {@code
 * InMemoryStore}, started per trial in this JVM; the ratio is what matters, not the absolute time,
 * which is mostly the loopback HTTP exchange and the server.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dsun.net.httpserver.nodelay=true"})
public class GcsGetBenchmark {

  @Param({"RAW_CLIENT", "FACADE_OVER_GCS_STORE"})
  public String path;

  private Gateway server;
  private Storage client;
  private Storage storage;
  private BlobId id;

  @Setup
  public void setUp() {
    server = Gateway.builder(new InMemoryStore("gcp")).allowAnonymous().start();
    client = StorageOptions.http()
        .setServiceFactory(new HttpStorageOptions.HttpStorageFactory())
        .setHost(server.endpoint().toString())
        .setProjectId("bench")
        .setCredentials(NoCredentials.getInstance())
        .build()
        .getService();
    byte[] body = new byte[1024];
    new Random(13).nextBytes(body);
    client.create(BucketInfo.of("bench"));
    id = BlobId.of("bench", "o");
    client.create(BlobInfo.newBuilder(id).build(), body);
    storage = switch (path) {
      case "RAW_CLIENT" -> client;
      case "FACADE_OVER_GCS_STORE" -> HybridStorage.over(GcsStore.of("gcp", client));
      default -> throw new IllegalArgumentException("path " + path);
    };
    if (!Arrays.equals(storage.readAllBytes(id), body) || storage.get(id).getSize() != body.length) {
      throw new IllegalStateException(path + ": does not read back what was written");
    }
  }

  @TearDown
  public void tearDown() throws Exception {
    if (storage != client) {
      storage.close(); // closes the GcsStore; the client is closed below
    }
    client.close();
    server.close();
  }

  @Benchmark
  public Blob get() {
    return storage.get(id);
  }

  @Benchmark
  public byte[] readAllBytes() {
    return storage.readAllBytes(id);
  }
}
