package io.hybridstorage.gateway.internal;

import com.google.api.services.storage.model.Buckets;
import com.google.api.services.storage.model.Objects;
import com.google.api.services.storage.model.RewriteResponse;
import com.google.api.services.storage.model.StorageObject;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
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
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves GCS's JSON API over the {@link ObjectStore} a request's credentials select ({@link
 * Tenants}): {@code /storage/v1/...} metadata calls, {@code /download/storage/v1/...} media,
 * {@code /upload/storage/v1/...} uploads ({@link Uploads}), {@code /batch/storage/v1} ({@link
 * Batch}), and {@code /healthz}, {@code /readyz}. Store errors become GCS error bodies with the
 * same code, reason and message; bad input is a 4xx in the same format, never a 500.
 */
public final class ApiHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
  private static final Logger access = LoggerFactory.getLogger("io.hybridstorage.gateway.access");
  /** GCS's largest page. */
  static final int MAX_PAGE = 1000;

  private final Tenants tenants;
  private final SignedUrls signedUrls;
  private final Uploads uploads;
  private final Batch batch;
  private final HostCheck hosts;
  private final java.util.function.BooleanSupplier ready;

  public ApiHandler(Tenants tenants, SignedUrls signedUrls, HostCheck hosts,
      java.util.function.BooleanSupplier ready, java.time.Duration sessionIdle) {
    this.tenants = tenants;
    this.signedUrls = signedUrls;
    this.hosts = hosts;
    this.ready = ready;
    this.uploads = new Uploads(sessionIdle);
    this.batch = new Batch(this);
  }

  /** Abandons every open resumable upload: nothing of them is published. */
  public void abandonUploads() {
    uploads.abandonAll();
  }

  /** Serves one exchange; answers every error it can, and throws only when the response was already cut. */
  void serve(Exchange exchange) throws IOException {
    long start = System.nanoTime();
    Call call = null;
    String who = "-";
    try {
      hosts.check(exchange);
      String rawPath = exchange.rawPath();
      if (rawPath.equals("/healthz") || rawPath.equals("/readyz")) {
        call = new Call(exchange, 0);
        health(call, rawPath.equals("/readyz"));
        return;
      }
      String rawQuery = exchange.rawQuery();
      if (rawQuery != null && rawQuery.contains("X-Goog-Signature=")) {
        call = new Call(exchange, 0);
        Tenants.Tenant signer = signedUrls.verify(call);
        who = "signed/" + signer.name();
        xml(call, signer.store());
        return;
      }
      int prefix = rawPath.startsWith("/storage/v1/") ? 2
          : rawPath.startsWith("/upload/storage/v1/") || rawPath.startsWith("/download/storage/v1/") ? 3
          : rawPath.startsWith("/resumable/upload/storage/v1/") ? 4 // apitools (gcloud, gsutil) uploads here
          : rawPath.equals("/batch/storage/v1") || rawPath.equals("/batch") ? -1 : 0;
      call = new Call(exchange, Math.max(prefix, 0));
      if (prefix == -1) {
        // each request of a batch authenticates itself (the client puts its credentials on the
        // parts); one without its own credentials takes the batch's
        if (exchange.inner()) {
          throw ApiException.invalid("a batch cannot contain a batch");
        }
        who = "(batch)";
        batch.handle(call);
        return;
      }
      Tenants.Tenant tenant = tenants.resolve(call);
      who = tenant.name();
      if (prefix == 0) {
        throw ApiException.notFound("Not Found: " + Call.printable(rawPath));
      } else if (rawPath.startsWith("/upload/") || rawPath.startsWith("/resumable/upload/")) {
        uploads.handle(call, tenant);
      } else if (rawPath.startsWith("/download/")) {
        objectCall(call, tenant.store(), true);
      } else {
        api(call, tenant);
      }
    } catch (ApiException e) {
      answerError(call, exchange, e.code, e.reason, e.getMessage());
    } catch (HybridStorageException e) {
      Call.BodyException body = bodyCause(e);
      if (body == null) {
        answerError(call, exchange, e.code(), e.reason(), e.getMessage());
      } else {
        answerBodyError(call, exchange, body);
      }
    } catch (Call.BodyException e) {
      answerBodyError(call, exchange, e);
    } catch (IOException e) {
      if (exchange.committed()) {
        throw e; // the client went away, or the response was cut: nothing more to say
      }
      log.debug("{} {}: the request body could not be read: {}", exchange.method(), exchange.rawPath(), e.toString());
      answerError(call, exchange, 400, "invalid", "The request body could not be read: " + e.getMessage());
    } catch (RuntimeException e) {
      log.warn("{} {} failed", exchange.method(), exchange.rawPath(), e);
      answerError(call, exchange, 500, "backendError", "Internal error; the gateway's log has the details");
    } finally {
      if (call != null && !exchange.inner()) {
        // never the query: it may carry a signature or a token
        access.info("{} {} {} {} {} in={} out={} {}ms", exchange.remote(), who, exchange.method(),
            exchange.rawPath(), call.status(), call.bytesIn(), call.bytesOut(),
            (System.nanoTime() - start) / 1_000_000);
        if (access.isDebugEnabled() && exchange.rawQuery() != null) {
          access.debug("  query {}", redacted(exchange.rawQuery()));
        }
      }
    }
  }

  /**
   * A raw query for the debug log, with the value of every parameter that can authorize a call
   * (signatures, credentials, tokens, upload session ids) replaced.
   */
  static String redacted(String rawQuery) {
    StringBuilder out = new StringBuilder();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(java.util.Locale.ROOT);
      boolean secret = key.contains("signature") || key.contains("credential") || key.contains("token")
          || key.contains("upload_id") || key.contains("key");
      out.append(out.length() == 0 ? "" : "&").append(secret && eq >= 0 ? pair.substring(0, eq) + "=REDACTED" : pair);
    }
    return out.toString();
  }

  /** A store's failure that was the request body's (a write wraps what its input stream threw). */
  @javax.annotation.Nullable
  private static Call.BodyException bodyCause(Throwable e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof Call.BodyException b) {
        return b;
      }
    }
    return null;
  }

  private static void answerBodyError(Call call, Exchange exchange, Call.BodyException e) throws IOException {
    if (e.badEncoding) {
      answerError(call, exchange, 400, "invalid", "The body is not the gzip data its Content-Encoding says: "
          + e.getMessage());
    } else {
      log.debug("{} {}: the request body broke off: {}", exchange.method(), exchange.rawPath(), e.getMessage());
      answerError(call, exchange, 400, "invalid", "The request body could not be read: " + e.getMessage());
    }
  }

  private static void answerError(Call call, Exchange exchange, int code, String reason, String message)
      throws IOException {
    if (exchange.committed()) {
      throw new IOException("the response was already started when the call failed with " + code + ": " + message);
    }
    Call c = call;
    if (c == null) {
      c = Call.bare(exchange);
    }
    c.error(code, reason, message);
  }

  private void health(Call call, boolean readiness) throws IOException {
    if (!call.method.equals("GET") && !call.method.equals("HEAD")) {
      throw new ApiException(405, "methodNotAllowed", call.method + " on " + call.exchange.rawPath());
    }
    if (readiness && !ready.getAsBoolean()) {
      call.json(503, "{\"status\":\"not ready\"}");
      return;
    }
    call.json(200, "{\"status\":\"ok\"}");
  }

  // ------------------------------------------------------------------ /storage/v1

  void api(Call call, Tenants.Tenant tenant) throws IOException {
    ObjectStore store = tenant.store();
    List<String> p = call.path;
    if (p.size() >= 3 && p.size() <= 4 && p.get(0).equals("b") && p.get(2).equals("notificationConfigs")) {
      notificationConfigs(call, tenant, p.get(1), p.size() == 4 ? p.get(3) : null);
      return;
    }
    if (p.size() >= 1 && p.get(0).equals("b")) {
      if (p.size() == 1) {
        buckets(call, store);
        return;
      }
      if (p.size() == 2) {
        bucket(call, store, p.get(1));
        return;
      }
      if (p.size() == 3 && p.get(2).equals("storageLayout")) {
        storageLayout(call, store, p.get(1));
        return;
      }
      if (p.get(2).equals("o")) {
        if (p.size() == 3) {
          listObjects(call, store, p.get(1));
          return;
        }
        if (p.size() == 4) {
          objectCall(call, store, false);
          return;
        }
        if (p.size() == 5 && p.get(4).equals("compose")) {
          requirePost(call);
          compose(call, store, p.get(1), p.get(3));
          return;
        }
        if (p.size() == 9 && (p.get(4).equals("rewriteTo") || p.get(4).equals("copyTo"))
            && p.get(5).equals("b") && p.get(7).equals("o")) {
          requirePost(call);
          rewrite(call, store, p.get(1), p.get(3), p.get(6), p.get(8), p.get(4).equals("rewriteTo"));
          return;
        }
      }
    }
    throw new ApiException(501, "notImplemented", call.method + " " + Call.printable(call.exchange.rawPath())
        + " is not served by the hybrid storage gateway");
  }

  /**
   * {@code notifications.insert} and {@code list} ({@code /b/{bucket}/notificationConfigs}), {@code
   * get} and {@code delete} ({@code .../notificationConfigs/{id}}), served by the tenant's {@link
   * io.hybridstorage.api.spi.Notifications}; 501 naming the call and the gateway without one.
   */
  private void notificationConfigs(Call call, Tenants.Tenant tenant, String bucket, @javax.annotation.Nullable String id)
      throws IOException {
    String method = id == null ? call.method.equals("POST") ? "notifications.insert" : "notifications.list"
        : call.method.equals("DELETE") ? "notifications.delete" : "notifications.get";
    io.hybridstorage.api.spi.Notifications notifications = tenant.notifications();
    if (notifications == null) {
      throw new ApiException(501, "notImplemented", method + " on bucket " + bucket + " is not served by the hybrid "
          + "storage gateway: its store emits no notifications (start the gateway with a notification sink: "
          + "gateway.notifications.sink, or Gateway.Builder.notificationSink)");
    }
    String site = tenant.store().site();
    if (id == null) {
      switch (call.method) {
        case "POST" -> ok(call, JsonApi.notification(notifications.createNotification(bucket,
            JsonApi.notificationConfig(jsonBody(call)))));
        case "GET" -> {
          List<com.google.api.services.storage.model.Notification> items = new ArrayList<>();
          notifications.listNotifications(bucket).forEach(c -> items.add(JsonApi.notification(c)));
          ok(call, new com.google.api.services.storage.model.Notifications().setKind("storage#notifications")
              .setItems(items));
        }
        default -> throw new ApiException(405, "methodNotAllowed", call.method + " on /b/" + bucket
            + "/notificationConfigs");
      }
      return;
    }
    switch (call.method) {
      case "GET" -> ok(call, JsonApi.notification(notifications.getNotification(bucket, id).orElseThrow(
          () -> new HybridStorageException(404, "notFound", "getNotification", bucket, null, site,
              "No such notification configuration: " + id, null))));
      case "DELETE" -> {
        if (!notifications.deleteNotification(bucket, id)) {
          throw new HybridStorageException(404, "notFound", "deleteNotification", bucket, null, site,
              "No such notification configuration: " + id, null);
        }
        call.empty(204);
      }
      default -> throw new ApiException(405, "methodNotAllowed", call.method + " on a notification configuration");
    }
  }

  private static void requirePost(Call call) {
    if (!call.method.equals("POST")) {
      throw new ApiException(405, "methodNotAllowed", call.method + " on " + Call.printable(call.exchange.rawPath()));
    }
  }

  private void buckets(Call call, ObjectStore store) throws IOException {
    switch (call.method) {
      case "POST" -> {
        JsonObject body = jsonBody(call);
        String name = JsonApi.string(body, "name");
        if (name == null || name.isEmpty()) {
          throw ApiException.required("Required field 'name' is missing in the bucket resource");
        }
        BucketInfo created = store.createBucket(new BucketSpec(name,
            Boolean.TRUE.equals(JsonApi.versioning(body)), JsonApi.string(body, "location"),
            JsonApi.string(body, "storageClass"), JsonApi.labels(body)));
        ok(call, JsonApi.bucket(created));
      }
      case "GET" -> {
        ListPage<BucketInfo> page = store.listBuckets(new BucketListRequest(call.param("prefix"),
            call.pageSize(MAX_PAGE), call.param("pageToken")));
        List<com.google.api.services.storage.model.Bucket> items = new ArrayList<>();
        page.items().forEach(b -> items.add(JsonApi.bucket(b)));
        ok(call, new Buckets().setKind("storage#buckets").setItems(items).setNextPageToken(page.nextPageToken()));
      }
      default -> throw new ApiException(405, "methodNotAllowed", call.method + " on /b");
    }
  }

  private void bucket(Call call, ObjectStore store, String bucket) throws IOException {
    switch (call.method) {
      case "GET" -> {
        BucketInfo info = store.getBucket(bucket).orElseThrow(
            () -> HybridStorageException.bucketNotFound("getBucket", bucket, store.site()));
        ok(call, JsonApi.bucket(info));
      }
      case "PATCH", "PUT" -> {
        JsonObject body = jsonBody(call);
        BucketInfo info = store.updateBucket(bucket, new BucketPatch(JsonApi.versioning(body), JsonApi.labels(body)));
        ok(call, JsonApi.bucket(info));
      }
      case "DELETE" -> {
        if (!store.deleteBucket(bucket)) {
          throw HybridStorageException.bucketNotFound("deleteBucket", bucket, store.site());
        }
        call.empty(204);
      }
      default -> throw new ApiException(405, "methodNotAllowed", call.method + " on a bucket");
    }
  }

  /**
   * {@code buckets.getStorageLayout}: the Hadoop GCS connector asks before deleting a directory
   * whether the bucket has a hierarchical namespace (folders it must delete by the folders API).
   * No bucket here has one: objects only, as in a flat GCS bucket.
   */
  private void storageLayout(Call call, ObjectStore store, String bucket) throws IOException {
    if (!call.method.equals("GET")) {
      throw new ApiException(405, "methodNotAllowed", call.method + " on /b/" + bucket + "/storageLayout");
    }
    BucketInfo info = store.getBucket(bucket).orElseThrow(
        () -> HybridStorageException.bucketNotFound("getStorageLayout", bucket, store.site()));
    ok(call, new com.google.api.services.storage.model.BucketStorageLayout()
        .setKind("storage#storageLayout")
        .setBucket(info.name())
        .setLocation(info.location())
        .setHierarchicalNamespace(new com.google.api.services.storage.model.BucketStorageLayout.HierarchicalNamespace()
            .setEnabled(false)));
  }

  private void listObjects(Call call, ObjectStore store, String bucket) throws IOException {
    if (!call.method.equals("GET")) {
      throw new ApiException(405, "methodNotAllowed", call.method + " on /b/" + bucket + "/o");
    }
    ListRequest request = new ListRequest(bucket, call.param("prefix"), call.param("delimiter"),
        call.param("startOffset"), call.param("endOffset"), call.param("matchGlob"), call.pageSize(MAX_PAGE),
        call.param("pageToken"), "true".equals(call.param("versions")));
    ListPage<ObjectInfo> page = store.list(request);
    String endpoint = call.exchange.origin();
    List<ObjectInfo> listed = new ArrayList<>(page.items());
    if ("true".equals(call.param("includeTrailingDelimiter")) && call.param("delimiter") != null
        && !request.versions()) {
      // GCS: an object whose name ends in the delimiter (a "directory" placeholder such as the
      // Hadoop connector's mkdirs writes) is listed as a prefix and, with this flag, also as an
      // item. The object named exactly the request's prefix is an item only, never a prefix: a
      // prefix equal to the one asked for makes a directory its own child (the connector's
      // listStatus then recurses forever).
      for (String prefix : page.prefixes()) {
        store.head(ObjectId.of(bucket, prefix), Conditions.none()).ifPresent(listed::add);
      }
      // GCS lists in UTF-8 byte order
      listed.sort(java.util.Comparator.comparing(ObjectInfo::name, io.hybridstorage.api.Utf8Order.INSTANCE));
    }
    List<StorageObject> items = new ArrayList<>();
    listed.forEach(i -> items.add(JsonApi.object(i, endpoint)));
    List<String> prefixes = new ArrayList<>(page.prefixes());
    Objects body = new Objects().setKind("storage#objects").setNextPageToken(page.nextPageToken());
    if (!items.isEmpty()) {
      body.setItems(items);
    }
    if (!prefixes.isEmpty()) {
      body.setPrefixes(prefixes);
    }
    ok(call, body);
  }

  // ------------------------------------------------------------------ one object

  private void objectCall(Call call, ObjectStore store, boolean download) throws IOException {
    List<String> p = call.path;
    if (p.size() != 4 || !p.get(0).equals("b") || !p.get(2).equals("o")) {
      throw ApiException.notFound("Not Found: " + Call.printable(call.exchange.rawPath()));
    }
    ObjectId id = ObjectId.of(p.get(1), p.get(3), call.generation("generation"));
    Conditions conditions = call.conditions("if");
    switch (call.method) {
      case "GET" -> {
        if (download || "media".equals(call.param("alt"))) {
          if (call.exchange.inner()) {
            throw ApiException.invalid("media downloads are not served inside a batch");
          }
          media(call, store, id, conditions);
        } else {
          ObjectInfo info = store.head(id, conditions).orElseThrow(
              () -> HybridStorageException.objectNotFound("get", id.bucket(), id.name(), store.site()));
          ok(call, JsonApi.object(info, call.exchange.origin()));
        }
      }
      case "PATCH", "PUT" -> {
        JsonObject body = jsonBody(call);
        ObjectInfo info = store.updateMetadata(id, JsonApi.patch(body), conditions);
        ok(call, JsonApi.object(info, call.exchange.origin()));
      }
      case "DELETE" -> {
        if (!store.delete(id, conditions)) {
          throw HybridStorageException.objectNotFound("delete", id.bucket(), id.name(), store.site());
        }
        call.empty(204);
      }
      default -> throw new ApiException(405, "methodNotAllowed", call.method + " on an object");
    }
  }

  /** {@code alt=media}: the bytes, streamed, with GCS's headers; a Range header gives 206 or 416. */
  private static void media(Call call, ObjectStore store, ObjectId id, Conditions conditions) throws IOException {
    media(call, store, id, conditions, false);
  }

  private static void media(Call call, ObjectStore store, ObjectId id, Conditions conditions, boolean headOnly)
      throws IOException {
    ByteRange range = Ranges.parse(call.header("Range"), id);
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
      String hash = hashHeader(info);
      if (!hash.isEmpty()) {
        call.setHeader("x-goog-hash", hash);
      }
      int code = 200;
      if (!range.isAll() && info.size() > 0) {
        code = 206;
        call.setHeader("Content-Range", "bytes " + start + "-" + (start + count - 1) + "/" + info.size());
      }
      if (headOnly) {
        call.setHeader("Content-Length", String.valueOf(count));
        call.stream(code, -1).close();
        return;
      }
      try (OutputStream out = call.stream(code, count); InputStream in = content.stream()) {
        long copied = copy(in, out, count);
        if (copied != count) {
          // the store gave fewer (or more) bytes than it announced: cut the response, never end it short
          throw new IOException("gs://" + id.bucket() + "/" + id.name() + ": the store gave " + copied
              + " bytes of " + count);
        }
      }
    }
  }

  // ------------------------------------------------------------------ signed URLs (the XML API's paths)

  /**
   * A request a V4 signed URL authorizes: path-style {@code /bucket/object} as the client's
   * {@code signUrl} builds it. GET and HEAD read (ranges too), PUT writes the body as the object
   * ({@code Content-Type} and {@code x-goog-meta-*} headers as its metadata), DELETE deletes.
   */
  private static void xml(Call call, ObjectStore store) throws IOException {
    List<String> p = call.path;
    if (p.size() < 2 || p.get(0).isEmpty() || String.join("/", p.subList(1, p.size())).isEmpty()) {
      throw ApiException.invalid("A signed URL must name an object: /bucket/object");
    }
    String bucket = p.get(0);
    ObjectId id = ObjectId.of(bucket, String.join("/", p.subList(1, p.size())), call.generation("generation"));
    Conditions conditions = xmlConditions(call);
    switch (call.method) {
      case "GET" -> media(call, store, id, conditions, false);
      case "HEAD" -> media(call, store, id, conditions, true);
      case "PUT" -> {
        java.util.Map<String, String> custom = new java.util.LinkedHashMap<>();
        for (String name : call.exchange.headerNames()) {
          if (name.toLowerCase(java.util.Locale.ROOT).startsWith("x-goog-meta-")) {
            custom.put(name.substring("x-goog-meta-".length()), call.header(name));
          }
        }
        io.hybridstorage.api.ObjectMetadata metadata = new io.hybridstorage.api.ObjectMetadata(
            call.header("Content-Type"), null, call.header("Content-Disposition"), null, call.header("Cache-Control"),
            custom);
        long declared = call.identityBody() ? call.exchange.contentLength()
            : io.hybridstorage.api.WriteRequest.UNKNOWN_SIZE;
        String[] hash = Uploads.hashes(call.header("x-goog-hash"));
        io.hybridstorage.api.WriteRequest request = new io.hybridstorage.api.WriteRequest(bucket, id.name(), metadata,
            conditions, hash[0], hash[1], 0, declared);
        ObjectInfo info;
        try (InputStream in = call.bodyStream()) {
          info = store.write(request, in);
        }
        call.setHeader("x-goog-generation", String.valueOf(info.generation()));
        call.setHeader("x-goog-metageneration", String.valueOf(info.metageneration()));
        String hashes = hashHeader(info);
        if (!hashes.isEmpty()) {
          call.setHeader("x-goog-hash", hashes);
        }
        if (info.etag() != null) {
          call.setHeader("ETag", info.etag());
        }
        call.empty(200);
      }
      case "DELETE" -> {
        if (!store.delete(id, conditions)) {
          throw HybridStorageException.objectNotFound("delete", id.bucket(), id.name(), store.site());
        }
        call.empty(204);
      }
      default -> throw new ApiException(501, "notImplemented", call.method + " through a signed URL is not served by "
          + "the hybrid storage gateway (GET, HEAD, PUT and DELETE are)");
    }
  }

  /**
   * The XML API's preconditions, sent as headers ({@code x-goog-if-generation-match}, {@code
   * x-goog-if-metageneration-match}); a malformed value is a 400.
   */
  private static Conditions xmlConditions(Call call) {
    return new Conditions(headerLong(call, "x-goog-if-generation-match"), null,
        headerLong(call, "x-goog-if-metageneration-match"), null);
  }

  @javax.annotation.Nullable
  private static Long headerLong(Call call, String name) {
    String v = call.header(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw ApiException.invalid("Invalid " + name + " '" + Call.printable(v) + "'");
    }
  }

  /**
   * Copies in writes of up to 64 KiB (InputStream.transferTo's 8 KiB means eight times the
   * blocking writes into Jetty for a large object), with a buffer no larger than the {@code
   * expected} bytes (a 1 KiB read allocates 1 KiB, not 64).
   */
  private static long copy(InputStream in, OutputStream out, long expected) throws IOException {
    byte[] buffer = new byte[(int) Math.max(1, Math.min(64 * 1024, expected))];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      out.write(buffer, 0, n);
      total += n;
    }
    return total;
  }

  /** {@code x-goog-hash}: the object's whole-content checksums (GCS sends them on ranged reads too). */
  static String hashHeader(ObjectInfo info) {
    StringBuilder hash = new StringBuilder();
    if (info.crc32c() != null) {
      hash.append("crc32c=").append(info.crc32c());
    }
    if (info.md5() != null) {
      hash.append(hash.length() > 0 ? "," : "").append("md5=").append(info.md5());
    }
    return hash.toString();
  }

  private void compose(Call call, ObjectStore store, String bucket, String target) throws IOException {
    JsonObject body = jsonBody(call);
    JsonObject destination = JsonApi.object(body, "destination");
    JsonArray sourceObjects = JsonApi.array(body, "sourceObjects");
    if (sourceObjects == null || sourceObjects.isEmpty()) {
      throw ApiException.required("Required field 'sourceObjects' is missing or empty");
    }
    if (sourceObjects.size() > 32) {
      throw ApiException.invalid("The number of source components provided (" + sourceObjects.size()
          + ") exceeds the maximum (32)");
    }
    List<ComposeRequest.Source> sources = new ArrayList<>();
    for (JsonElement e : sourceObjects) {
      JsonObject s = JsonApi.element(e, "sourceObjects");
      String name = JsonApi.string(s, "name");
      if (name == null || name.isEmpty()) {
        throw ApiException.required("Required field 'sourceObjects[].name' is missing");
      }
      Long generation = JsonApi.number(s, "generation");
      JsonObject preconditions = JsonApi.object(s, "objectPreconditions");
      Long match = preconditions == null ? null : JsonApi.number(preconditions, "ifGenerationMatch");
      sources.add(new ComposeRequest.Source(name, generation == null ? 0 : generation, match));
    }
    ObjectInfo info = store.compose(new ComposeRequest(bucket, sources, target,
        JsonApi.metadata(destination == null ? new JsonObject() : destination), call.conditions("if")));
    ok(call, JsonApi.object(info, call.exchange.origin()));
  }

  /**
   * {@code rewriteTo} and the older {@code copyTo}. The store copies in one call (server-side
   * where the sites allow), so a rewrite is always {@code done} with no token: the client's
   * token loop ends after its first turn. A {@code rewriteToken} from elsewhere is refused.
   */
  private void rewrite(Call call, ObjectStore store, String sourceBucket, String sourceName, String targetBucket,
      String targetName, boolean rewriteResponse) throws IOException {
    if (call.param("rewriteToken") != null && !call.param("rewriteToken").isEmpty()) {
      throw ApiException.invalid("Invalid rewriteToken: this gateway finishes every rewrite in one call and "
          + "issues no tokens");
    }
    JsonObject body = jsonBody(call);
    ObjectId source = ObjectId.of(sourceBucket, sourceName, call.generation("sourceGeneration"));
    ObjectInfo info = store.copy(new CopyRequest(source, call.conditions("ifSource"), targetBucket, targetName,
        JsonApi.hasMetadata(body) ? JsonApi.metadata(body) : null, call.conditions("if")));
    StorageObject resource = JsonApi.object(info, call.exchange.origin());
    if (!rewriteResponse) {
      ok(call, resource);
      return;
    }
    ok(call, new RewriteResponse()
        .setKind("storage#rewriteResponse")
        .setDone(true)
        .setObjectSize(info.size())
        .setTotalBytesRewritten(info.size())
        .setResource(resource));
  }

  /** A JSON body of a metadata call; a non-JSON media type with a body is refused (no cross-origin form posts). */
  static JsonObject jsonBody(Call call) throws IOException {
    byte[] body = call.jsonBody();
    if (body.length > 0) {
      String type = call.header("Content-Type");
      if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
        throw ApiException.invalid("A JSON request body needs Content-Type: application/json, not '"
            + Call.printable(type) + "'");
      }
    }
    return JsonApi.parse(body);
  }

  /** 200 with {@code model}, cut down to the call's {@code fields} selection (GCS's partial response). */
  static void ok(Call call, Object model) throws IOException {
    String fields = call.param("fields");
    if (fields == null || fields.isBlank()) {
      call.json(200, JsonApi.bytes(model)); // written once, as UTF-8 bytes
    } else {
      call.json(200, JsonApi.write(model, fields));
    }
  }
}
