package io.hybridstorage.benchmarks.baseline;

import com.google.api.services.storage.model.Buckets;
import com.google.api.services.storage.model.Objects;
import com.google.api.services.storage.model.StorageObject;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.hybridstorage.api.BucketInfo;
import io.hybridstorage.api.BucketListRequest;
import io.hybridstorage.api.BucketPatch;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.ByteRange;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ReadRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves GCS's JSON API (the subset the Java client uses for buckets and objects) over one
 * {@link ObjectStore}: {@code /storage/v1/...} metadata calls, {@code /download/storage/v1/...}
 * media, {@code /upload/storage/v1/...} uploads (see {@link Uploads}). Store errors become GCS
 * error bodies with the same code, reason and message.
 */
final class ApiHandler implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

  private final ObjectStore store;
  private final Uploads uploads;
  private volatile String endpoint = "";

  ApiHandler(ObjectStore store) {
    this.store = store;
    this.uploads = new Uploads(store, this);
  }

  void endpoint(String value) {
    this.endpoint = value;
  }

  String endpoint() {
    return endpoint;
  }

  void abandonUploads() {
    uploads.abandonAll();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String rawPath = exchange.getRequestURI().getRawPath();
    Call call = null;
    try {
      if (rawPath.startsWith("/upload/storage/v1/")) {
        call = new Call(exchange, 3);
        uploads.handle(call);
      } else if (rawPath.startsWith("/download/storage/v1/")) {
        call = new Call(exchange, 3);
        objectCall(call, true);
      } else if (rawPath.startsWith("/storage/v1/")) {
        call = new Call(exchange, 2);
        api(call);
      } else {
        call = new Call(exchange, 0);
        call.error(404, "notFound", "Not Found: " + rawPath);
      }
    } catch (HybridStorageException e) {
      answerError(call, exchange, e.code(), e.reason(), e.getMessage());
    } catch (IllegalArgumentException | IllegalStateException | com.google.gson.JsonParseException e) {
      answerError(call, exchange, 400, "invalid", String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      log.warn("{} {} failed", exchange.getRequestMethod(), rawPath, e);
      answerError(call, exchange, 500, "backendError", e.toString());
    } finally {
      exchange.close();
    }
  }

  private static void answerError(Call call, HttpExchange exchange, int code, String reason, String message)
      throws IOException {
    if (call == null) {
      call = new Call(exchange, 0);
    }
    if (!call.answered()) {
      call.error(code, reason, message);
    }
  }

  // ------------------------------------------------------------------ /storage/v1

  private void api(Call call) throws IOException {
    List<String> p = call.path;
    if (p.size() >= 1 && p.get(0).equals("b")) {
      if (p.size() == 1) {
        buckets(call);
        return;
      }
      if (p.size() == 2) {
        bucket(call, p.get(1));
        return;
      }
      if (p.get(2).equals("o")) {
        if (p.size() == 3) {
          listObjects(call, p.get(1));
          return;
        }
        if (p.size() == 4) {
          objectCall(call, false);
          return;
        }
        if (p.size() == 5 && p.get(4).equals("compose") && call.method.equals("POST")) {
          compose(call, p.get(1), p.get(3));
          return;
        }
        if (p.size() == 9 && (p.get(4).equals("rewriteTo") || p.get(4).equals("copyTo"))
            && call.method.equals("POST")) {
          rewrite(call, p.get(1), p.get(3), p.get(6), p.get(8), p.get(4).equals("rewriteTo"));
          return;
        }
      }
    }
    call.error(501, "notImplemented", call.method + " " + call.exchange.getRequestURI().getRawPath()
        + " is not served by the embedded GCS endpoint");
  }

  private void buckets(Call call) throws IOException {
    switch (call.method) {
      case "POST" -> {
        JsonObject body = JsonApi.parse(call.body());
        String name = JsonApi.string(body, "name");
        Boolean versioning = JsonApi.versioning(body);
        Map<String, String> labels = JsonApi.labels(body);
        BucketInfo created = store.createBucket(new BucketSpec(name == null ? "" : name,
            Boolean.TRUE.equals(versioning), JsonApi.string(body, "location"), JsonApi.string(body, "storageClass"),
            labels));
        ok(call, JsonApi.bucket(created));
      }
      case "GET" -> {
        Long max = call.longParam("maxResults");
        ListPage<BucketInfo> page = store.listBuckets(new BucketListRequest(call.param("prefix"),
            max == null ? 0 : max.intValue(), call.param("pageToken")));
        List<com.google.api.services.storage.model.Bucket> items = new ArrayList<>();
        page.items().forEach(b -> items.add(JsonApi.bucket(b)));
        ok(call, new Buckets().setKind("storage#buckets").setItems(items).setNextPageToken(page.nextPageToken()));
      }
      default -> call.error(405, "methodNotAllowed", call.method + " on /b");
    }
  }

  private void bucket(Call call, String bucket) throws IOException {
    switch (call.method) {
      case "GET" -> {
        BucketInfo info = store.getBucket(bucket).orElseThrow(
            () -> HybridStorageException.bucketNotFound("getBucket", bucket, store.site()));
        ok(call, JsonApi.bucket(info));
      }
      case "PATCH", "PUT" -> {
        JsonObject body = JsonApi.parse(call.body());
        BucketInfo info = store.updateBucket(bucket, new BucketPatch(JsonApi.versioning(body), JsonApi.labels(body)));
        ok(call, JsonApi.bucket(info));
      }
      case "DELETE" -> {
        if (!store.deleteBucket(bucket)) {
          throw HybridStorageException.bucketNotFound("deleteBucket", bucket, store.site());
        }
        call.empty(204);
      }
      default -> call.error(405, "methodNotAllowed", call.method + " on a bucket");
    }
  }

  private void listObjects(Call call, String bucket) throws IOException {
    if (!call.method.equals("GET")) {
      call.error(405, "methodNotAllowed", call.method + " on /o");
      return;
    }
    Long max = call.longParam("maxResults");
    ListRequest request = new ListRequest(bucket, call.param("prefix"), call.param("delimiter"),
        call.param("startOffset"), call.param("endOffset"), call.param("matchGlob"),
        max == null ? 0 : max.intValue(), call.param("pageToken"), "true".equals(call.param("versions")));
    ListPage<ObjectInfo> page = store.list(request);
    List<StorageObject> items = new ArrayList<>();
    page.items().forEach(i -> items.add(JsonApi.object(i, endpoint)));
    Objects body = new Objects().setKind("storage#objects").setNextPageToken(page.nextPageToken());
    if (!items.isEmpty()) {
      body.setItems(items);
    }
    if (!page.prefixes().isEmpty()) {
      body.setPrefixes(page.prefixes());
    }
    ok(call, body);
  }

  // ------------------------------------------------------------------ one object

  private void objectCall(Call call, boolean download) throws IOException {
    List<String> p = call.path;
    if (p.size() != 4 || !p.get(0).equals("b") || !p.get(2).equals("o")) {
      call.error(404, "notFound", "Not Found");
      return;
    }
    ObjectId id = ObjectId.of(p.get(1), p.get(3), call.generation("generation"));
    Conditions conditions = call.conditions("if");
    switch (call.method) {
      case "GET" -> {
        if (download || "media".equals(call.param("alt"))) {
          media(call, id, conditions);
        } else {
          ObjectInfo info = store.head(id, conditions).orElseThrow(
              () -> HybridStorageException.objectNotFound("get", id.bucket(), id.name(), store.site()));
          ok(call, JsonApi.object(info, endpoint));
        }
      }
      case "PATCH", "PUT" -> {
        JsonObject body = JsonApi.parse(call.body());
        ObjectInfo info = store.updateMetadata(id, JsonApi.patch(body), conditions);
        ok(call, JsonApi.object(info, endpoint));
      }
      case "DELETE" -> {
        if (!store.delete(id, conditions)) {
          throw HybridStorageException.objectNotFound("delete", id.bucket(), id.name(), store.site());
        }
        call.empty(204);
      }
      default -> call.error(405, "methodNotAllowed", call.method + " on an object");
    }
  }

  /** {@code alt=media}: the bytes, with GCS's headers; a Range header gives 206 or 416. */
  private void media(Call call, ObjectId id, Conditions conditions) throws IOException {
    ByteRange range = range(call.header("Range"));
    try (ObjectContent content = store.read(new ReadRequest(id, range, conditions))) {
      ObjectInfo info = content.info();
      long start = range.start(info.size());
      long count = range.count(info.size());
      call.setHeader("Content-Type", info.metadata().contentType() != null ? info.metadata().contentType()
          : "application/octet-stream");
      call.setHeader("x-goog-generation", String.valueOf(info.generation()));
      call.setHeader("x-goog-metageneration", String.valueOf(info.metageneration()));
      call.setHeader("x-goog-stored-content-length", String.valueOf(info.size()));
      call.setHeader("x-goog-stored-content-encoding",
          info.metadata().contentEncoding() == null ? "identity" : info.metadata().contentEncoding());
      if (info.etag() != null) {
        call.setHeader("ETag", info.etag());
      }
      StringBuilder hash = new StringBuilder();
      if (info.crc32c() != null) {
        hash.append("crc32c=").append(info.crc32c());
      }
      if (info.md5() != null) {
        hash.append(hash.length() > 0 ? "," : "").append("md5=").append(info.md5());
      }
      if (hash.length() > 0) {
        call.setHeader("x-goog-hash", hash.toString());
      }
      int code = 200;
      if (!range.isAll() && count > 0) {
        code = 206;
        call.setHeader("Content-Range", "bytes " + start + "-" + (start + count - 1) + "/" + info.size());
      }
      try (OutputStream out = call.stream(code, count)) {
        if (count > 0) {
          content.stream().transferTo(out);
        }
      }
    }
  }

  /** A {@code Range: bytes=a-b | a- | -n} header as a {@link ByteRange}; none: all. */
  static ByteRange range(String header) {
    if (header == null || header.isBlank()) {
      return ByteRange.all();
    }
    String h = header.trim();
    if (!h.startsWith("bytes=") || h.contains(",")) {
      throw new IllegalArgumentException("unsupported Range header: " + header);
    }
    String spec = h.substring("bytes=".length()).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      throw new IllegalArgumentException("bad Range header: " + header);
    }
    String first = spec.substring(0, dash).trim();
    String last = spec.substring(dash + 1).trim();
    if (first.isEmpty()) {
      return ByteRange.suffix(Long.parseLong(last));
    }
    long start = Long.parseLong(first);
    if (last.isEmpty()) {
      return ByteRange.from(start);
    }
    return ByteRange.of(start, Long.parseLong(last) - start + 1);
  }

  private void compose(Call call, String bucket, String target) throws IOException {
    JsonObject body = JsonApi.parse(call.body());
    JsonObject destination = body.has("destination") && body.get("destination").isJsonObject()
        ? body.getAsJsonObject("destination") : new JsonObject();
    List<ComposeRequest.Source> sources = new ArrayList<>();
    if (body.has("sourceObjects")) {
      for (JsonElement e : body.getAsJsonArray("sourceObjects")) {
        JsonObject s = e.getAsJsonObject();
        Long generation = JsonApi.number(s, "generation");
        Long match = null;
        if (s.has("objectPreconditions") && s.get("objectPreconditions").isJsonObject()) {
          match = JsonApi.number(s.getAsJsonObject("objectPreconditions"), "ifGenerationMatch");
        }
        sources.add(new ComposeRequest.Source(JsonApi.string(s, "name"), generation == null ? 0 : generation, match));
      }
    }
    ObjectInfo info = store.compose(new ComposeRequest(bucket, sources, target, JsonApi.metadata(destination),
        call.conditions("if")));
    ok(call, JsonApi.object(info, endpoint));
  }

  /** {@code rewriteTo} (done in one call) and the older {@code copyTo}. */
  private void rewrite(Call call, String sourceBucket, String sourceName, String targetBucket, String targetName,
      boolean rewriteResponse) throws IOException {
    JsonObject body = JsonApi.parse(call.body());
    ObjectId source = ObjectId.of(sourceBucket, sourceName, call.generation("sourceGeneration"));
    ObjectInfo info = store.copy(new CopyRequest(source, call.conditions("ifSource"), targetBucket, targetName,
        JsonApi.hasMetadata(body) ? JsonApi.metadata(body) : null, call.conditions("if")));
    StorageObject resource = JsonApi.object(info, endpoint);
    if (!rewriteResponse) {
      ok(call, resource);
      return;
    }
    com.google.api.services.storage.model.RewriteResponse response =
        new com.google.api.services.storage.model.RewriteResponse()
            .setKind("storage#rewriteResponse")
            .setDone(true)
            .setObjectSize(info.size())
            .setTotalBytesRewritten(info.size())
            .setResource(resource);
    ok(call, response);
  }

  /** 200 with {@code model}, cut down to the call's {@code fields} selection (GCS's partial response). */
  private static void ok(Call call, Object model) throws IOException {
    call.json(200, JsonApi.write(model, call.param("fields")));
  }
}
