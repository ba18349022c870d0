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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same {@code Storage} calls through the hybrid facade and through the real GCS client (over
 * HTTP to the JSON API gateway), both over an {@link InMemoryStore}: what user code sees must be
 * the same. Generations and times differ between runs and are left out of the comparison.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FacadeDifferentialTest {

  private static LoopbackGateway server;
  private static Storage client;
  private static Storage facade;
  private static int counter;

  @BeforeAll
  static void start() {
    server = LoopbackGateway.start(new InMemoryStore("memory"));
    client = server.clientOptions().build().getService();
    facade = StorageFacade.over(new InMemoryStore("memory"), null, "test-project");
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
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
    String bucket = "diff-" + (++counter);
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
