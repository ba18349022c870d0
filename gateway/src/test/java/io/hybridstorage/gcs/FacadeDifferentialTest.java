package io.hybridstorage.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.paging.Page;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.CopyWriter;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.internal.StorageFacade;
import io.hybridstorage.memory.InMemoryStore;
import io.hybridstorage.gateway.LoopbackGateway;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same {@code Storage} calls through the hybrid facade and through the real GCS client (over
 * HTTP to the JSON API gateway), both over an {@link InMemoryStore}: what user code sees must be
 * the same. Generations and times differ between runs and are left out of the comparison.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FacadeDifferentialTest {

  private LoopbackGateway server;
  private Storage client;
  private Storage facade;
  private static final java.util.concurrent.atomic.AtomicInteger counter = new java.util.concurrent.atomic.AtomicInteger();

  /** The store the gateway serves (the real client's side). */
  ObjectStore gatewayStore() {
    return new InMemoryStore("memory");
  }

  /** The in-process {@code Storage} the real client is compared with. */
  Storage facade() {
    return StorageFacade.over(new InMemoryStore("memory"), null, "test-project");
  }

  @BeforeAll
  void start() {
    server = LoopbackGateway.start(gatewayStore());
    client = server.clientOptions().build().getService();
    facade = facade();
  }

  @AfterAll
  void stop() throws Exception {
    client.close();
    facade.close();
    server.close();
    // JUnit keeps a PER_CLASS instance to the end of the run: let the worlds' bytes go
    client = null;
    facade = null;
    server = null;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** What user code can observe of a blob, without generation and times. */
  private static String describe(BlobInfo b) {
    if (b == null) {
      return "null";
    }
    Map<String, Object> m = new TreeMap<>();
    m.put("name", b.getName());
    m.put("dir", b.isDirectory());
    m.put("size", b.getSize());
    m.put("contentType", b.getContentType());
    m.put("contentEncoding", b.getContentEncoding());
    m.put("contentDisposition", b.getContentDisposition());
    m.put("cacheControl", b.getCacheControl());
    m.put("metadata", b.getMetadata() == null ? null : new TreeMap<>(b.getMetadata()));
    m.put("crc32c", b.getCrc32c());
    m.put("md5", b.getMd5());
    m.put("metageneration", b.getMetageneration());
    m.put("componentCount", b.getComponentCount());
    m.put("deleted", b.getDeleteTimeOffsetDateTime() != null);
    m.put("hasGeneration", b.getGeneration() != null);
    return m.toString();
  }

  private static String names(Page<Blob> page) {
    List<String> out = new ArrayList<>();
    page.getValues().forEach(b -> out.add(b.getName() + (b.isDirectory() ? "(dir)" : "")));
    return out + (page.hasNextPage() ? " +next" : "");
  }

  /** A scenario: given a Storage and a fresh bucket, returns what it observed. */
  @FunctionalInterface
  interface Scenario {
    Object run(Storage s, String bucket) throws Exception;
  }

  private static String outcome(Storage s, Scenario scenario) {
    String bucket = "diff-" + counter.incrementAndGet();
    s.create(BucketInfo.newBuilder(bucket).setVersioningEnabled(true).build());
    try {
      Object result = scenario.run(s, bucket);
      return String.valueOf(result instanceof BlobInfo b ? describe(b) : result);
    } catch (StorageException e) {
      return "StorageException " + e.getCode() + " " + e.getReason();
    } catch (Exception e) {
      return e.getClass().getSimpleName();
    }
  }

  static Stream<Arguments> scenarios() {
    Map<String, Scenario> s = new java.util.LinkedHashMap<>();
    s.put("create without content type", (st, b) -> st.create(BlobInfo.newBuilder(b, "o").build(), bytes("x")));
    s.put("create empty with metadata", (st, b) -> st.create(BlobInfo.newBuilder(b, "o").setContentType("text/plain")
        .setMetadata(Map.of("k", "v")).setCacheControl("no-cache").build()));
    s.put("get missing", (st, b) -> describe(st.get(BlobId.of(b, "nope"))));
    s.put("get missing bucket", (st, b) -> describe(st.get(BlobId.of("no-such-bucket-x", "o"))));
    s.put("doesNotExist twice", (st, b) -> {
      st.create(BlobInfo.newBuilder(b, "o").build(), bytes("1"), BlobTargetOption.doesNotExist());
      return st.create(BlobInfo.newBuilder(b, "o").build(), bytes("2"), BlobTargetOption.doesNotExist());
    });
    s.put("get with failing generationMatch", (st, b) -> {
      st.create(BlobInfo.newBuilder(b, "o").build(), bytes("1"));
      return st.get(BlobId.of(b, "o"), BlobGetOption.generationMatch(1));
    });
    s.put("readAllBytes of a noncurrent generation", (st, b) -> {
      Blob first = st.create(BlobInfo.newBuilder(b, "o").build(), bytes("one"));
      st.create(BlobInfo.newBuilder(b, "o").build(), bytes("two"));
      return new String(st.readAllBytes(first.getBlobId()), StandardCharsets.UTF_8);
    });
    s.put("reader seek and limit", (st, b) -> {
      st.create(BlobInfo.newBuilder(b, "o").build(), bytes("hello world"));
      try (ReadChannel r = st.reader(BlobId.of(b, "o"))) {
        r.seek(2);
        r.limit(7);
        return new String(Channels.newInputStream(r).readAllBytes(), StandardCharsets.UTF_8);
      }
    });
    s.put("reader past the end", (st, b) -> {
      st.create(BlobInfo.newBuilder(b, "o").build(), bytes("abc"));
      try (ReadChannel r = st.reader(BlobId.of(b, "o"))) {
        r.seek(10);
        return new String(Channels.newInputStream(r).readAllBytes(), StandardCharsets.UTF_8);
      }
    });
    s.put("writer with metadata", (st, b) -> {
      try (WriteChannel w = st.writer(BlobInfo.newBuilder(b, "w").setContentType("a/b").build(),
          BlobWriteOption.doesNotExist())) {
        w.write(ByteBuffer.wrap(bytes("streamed")));
      }
      return st.get(BlobId.of(b, "w"));
    });
    s.put("list with delimiter and prefix", (st, b) -> {
      for (String n : List.of("a/1", "a/b/2", "c", "a/3")) {
        st.create(BlobInfo.newBuilder(b, n).build(), bytes(n));
      }
      return names(st.list(b, BlobListOption.delimiter("/"))) + " "
          + names(st.list(b, BlobListOption.prefix("a/"), BlobListOption.delimiter("/")))
          + " " + names(st.list(b, BlobListOption.currentDirectory(), BlobListOption.prefix("a/")));
    });
    s.put("list pages", (st, b) -> {
      for (String n : List.of("p1", "p2", "p3")) {
        st.create(BlobInfo.newBuilder(b, n).build(), bytes(n));
      }
      Page<Blob> first = st.list(b, BlobListOption.pageSize(2));
      return names(first) + " " + names(first.getNextPage());
    });
    s.put("list versions", (st, b) -> {
      st.create(BlobInfo.newBuilder(b, "v").build(), bytes("1"));
      st.create(BlobInfo.newBuilder(b, "v").build(), bytes("2"));
      st.delete(BlobId.of(b, "v"));
      List<String> out = new ArrayList<>();
      st.list(b, BlobListOption.versions(true)).iterateAll().forEach(x -> out.add(describe(x)));
      return out;
    });
    s.put("update metadata and remove a key", (st, b) -> {
      st.create(BlobInfo.newBuilder(b, "o").setMetadata(Map.of("a", "1", "b", "2")).build(), bytes("x"));
      Map<String, String> patch = new java.util.HashMap<>();
      patch.put("a", null);
      patch.put("c", "3");
      return st.update(BlobInfo.newBuilder(b, "o").setMetadata(patch).setContentType("x/y").build());
    });
    s.put("update through a stale blob patches the live version", (st, b) -> {
      Blob first = st.create(BlobInfo.newBuilder(b, "o").build(), bytes("1"));
      st.create(BlobInfo.newBuilder(b, "o").build(), bytes("2"));
      Blob updated = st.update(first.toBuilder().setContentType("x/y").build());
      return describe(updated) + " live=" + st.get(BlobId.of(b, "o")).getContentType() + " same-generation="
          + updated.getGeneration().equals(st.get(BlobId.of(b, "o")).getGeneration());
    });
    s.put("update with stale metageneration", (st, b) -> {
      st.create(BlobInfo.newBuilder(b, "o").build(), bytes("x"));
      return st.update(BlobInfo.newBuilder(b, "o").setContentType("x/y").build(),
          BlobTargetOption.metagenerationMatch(7));
    });
    s.put("copy keeps metadata", (st, b) -> {
      st.create(BlobInfo.newBuilder(b, "src").setContentType("q/r").setMetadata(Map.of("k", "v")).build(), bytes("x"));
      CopyWriter w = st.copy(Storage.CopyRequest.of(b, "src", "dst"));
      return w.getResult();
    });
    s.put("copy missing source", (st, b) -> st.copy(Storage.CopyRequest.of(b, "ghost", "dst")).getResult());
    s.put("compose", (st, b) -> {
      st.create(BlobInfo.newBuilder(b, "x").build(), bytes("ab"));
      st.create(BlobInfo.newBuilder(b, "y").build(), bytes("cd"));
      Blob c = st.compose(Storage.ComposeRequest.newBuilder().addSource("x", "y")
          .setTarget(BlobInfo.newBuilder(b, "z").setContentType("t/t").build()).build());
      return describe(c) + " " + new String(st.readAllBytes(c.getBlobId()), StandardCharsets.UTF_8);
    });
    s.put("delete missing and with stale generation", (st, b) -> {
      st.create(BlobInfo.newBuilder(b, "o").build(), bytes("x"));
      boolean missing = st.delete(BlobId.of(b, "nope"));
      try {
        st.delete(BlobId.of(b, "o"), BlobSourceOption.generationMatch(3));
        return missing + " deleted";
      } catch (StorageException e) {
        return missing + " " + e.getCode();
      }
    });
    s.put("bucket get update delete", (st, b) -> {
      Bucket bucket = st.get(b);
      Bucket updated = st.update(BucketInfo.newBuilder(b).setLabels(Map.of("l", "1")).build());
      boolean gone = st.delete(b);
      return bucket.versioningEnabled() + " " + updated.getLabels() + " " + updated.getMetageneration() + " " + gone
          + " " + st.delete(b) + " " + st.get(b);
    });
    s.put("blob bound to its storage", (st, b) -> {
      Blob blob = st.create(BlobInfo.newBuilder(b, "o").build(), bytes("content"));
      String content = new String(blob.getContent(), StandardCharsets.UTF_8);
      boolean exists = blob.exists();
      boolean deleted = blob.delete();
      return content + " " + exists + " " + deleted + " " + blob.exists();
    });
    s.put("writer of 64 MiB and a byte (resumable, 16 MiB chunks)", (st, b) -> {
      byte[] chunk = new byte[1 << 20];
      new java.util.Random(64).nextBytes(chunk);
      try (WriteChannel w = st.writer(BlobInfo.newBuilder(b, "big").setContentType("application/x-big").build())) {
        w.setChunkSize(16 << 20);
        for (int i = 0; i < 64; i++) {
          w.write(ByteBuffer.wrap(chunk));
        }
        w.write(ByteBuffer.wrap(new byte[] {7}));
      }
      Blob big = st.get(b, "big");
      try (ReadChannel r = st.reader(big.getBlobId())) {
        r.seek((63L << 20) + 5);
        ByteBuffer tail = ByteBuffer.allocate(32);
        int n = r.read(tail);
        return describe(big) + " tail " + n + " " + java.util.Arrays.hashCode(java.util.Arrays.copyOf(tail.array(), n));
      }
    });
    s.put("ranged reads", (st, b) -> {
      byte[] data = new byte[1000];
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) i;
      }
      st.create(BlobInfo.newBuilder(b, "r").build(), data);
      List<String> out = new ArrayList<>();
      for (long[] range : new long[][] {{0, 10}, {990, 1000}, {500, 700}, {999, 5000}, {1000, 2000}}) {
        try (ReadChannel r = st.reader(BlobId.of(b, "r"))) {
          r.seek(range[0]);
          r.limit(range[1]);
          out.add(java.util.Arrays.toString(Channels.newInputStream(r).readAllBytes()).hashCode() + "");
        }
      }
      return out;
    });
    s.put("create with failing preconditions", (st, b) -> {
      Blob first = st.create(BlobInfo.newBuilder(b, "p").build(), bytes("1"));
      List<String> out = new ArrayList<>();
      for (BlobTargetOption option : List.of(BlobTargetOption.doesNotExist(),
          BlobTargetOption.generationMatch(first.getGeneration() + 1), BlobTargetOption.metagenerationMatch(9))) {
        try {
          st.create(BlobInfo.newBuilder(BlobId.of(b, "p", first.getGeneration())).build(), bytes("2"), option);
          out.add("written");
        } catch (StorageException e) {
          out.add(e.getCode() + "");
        }
      }
      return out + " " + new String(st.readAllBytes(BlobId.of(b, "p")), StandardCharsets.UTF_8);
    });
    s.put("batch delete and get", (st, b) -> {
      st.create(BlobInfo.newBuilder(b, "a").build(), bytes("a"));
      st.create(BlobInfo.newBuilder(b, "c").build(), bytes("c"));
      com.google.cloud.storage.StorageBatch batch = st.batch();
      var a = batch.delete(BlobId.of(b, "a"));
      var missing = batch.delete(BlobId.of(b, "missing"));
      var c = batch.get(BlobId.of(b, "c"));
      batch.submit();
      return a.get() + " " + missing.get() + " " + describe(c.get()) + " " + st.get(BlobId.of(b, "a"));
    });
    s.put("rewrite into another bucket with new metadata", (st, b) -> {
      st.create(BucketInfo.of(b + "-to"));
      st.create(BlobInfo.newBuilder(b, "src").setContentType("a/b").build(), bytes("payload"));
      CopyWriter w = st.copy(Storage.CopyRequest.newBuilder().setSource(BlobId.of(b, "src"))
          .setTarget(BlobInfo.newBuilder(b + "-to", "dst").setContentType("c/d").setMetadata(Map.of("m", "1")).build())
          .build());
      Blob result = w.getResult();
      return w.isDone() + " " + w.getTotalBytesCopied() + " " + describe(result) + " "
          + new String(st.readAllBytes(result.getBlobId()), StandardCharsets.UTF_8);
    });
    return s.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void facadeAndRealClientAgree(String name, Scenario scenario) {
    String real = outcome(client, scenario);
    String hybrid = outcome(facade, scenario);

    assertThat(hybrid).as("%s through the facade vs the real client", name).isEqualTo(real);
  }
}
