package io.hybridstorage.gateway.internal;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.cache.RemovalCause;
import com.google.gson.JsonObject;
import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.Nullable;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /upload/storage/v1/b/{bucket}/o}: {@code uploadType=media} (bytes only, name in the
 * query), {@code multipart} (a {@code multipart/related} body: metadata, then bytes) and {@code
 * resumable} (a session: started by POST, fed by PUTs with {@code Content-Range}, answered 308
 * until the last byte, queried with {@code bytes *}{@code /…}, cancelled by DELETE). Every upload
 * streams into one {@link ObjectWriter} of the store and is committed with its last byte: nothing
 * is visible before, and a body that breaks off publishes nothing.
 */
final class Uploads {

  private static final Logger log = LoggerFactory.getLogger(Uploads.class);
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (?:\\*|(\\d{1,19})-(\\d{1,19}))/(\\*|\\d{1,19})");
  /**
   * A multipart boundary parameter: quoted (as RFC 2046 says, or with the single quotes Python's
   * email package writes) or not.
   */
  private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]+)\"|'([^']+)'|([^\";\\s]+))");
  private static final SecureRandom IDS = new SecureRandom();
  private static final int BUFFER = 64 * 1024;

  private final Cache<String, Session> sessions;

  Uploads(Duration idle) {
    this.sessions = CacheBuilder.newBuilder()
        .expireAfterAccess(idle)
        .removalListener((com.google.common.cache.RemovalNotification<String, Session> n) -> {
          if (n.getCause() != RemovalCause.REPLACED && n.getValue() != null) {
            n.getValue().abandon("upload session " + n.getKey() + " " + n.getCause());
          }
        })
        .build();
  }

  /** The boundary of a {@code type…; boundary=…} Content-Type; null when it is another type or has none. */
  @Nullable
  static String boundary(@Nullable String contentType, String type) {
    if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith(type)) {
      return null;
    }
    Matcher m = BOUNDARY.matcher(contentType);
    if (!m.find()) {
      return null;
    }
    return m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
  }

  /** An open resumable upload: one writer, fed by one request at a time. */
  private static final class Session {
    final String tenant;
    final ObjectWriter writer;
    final WriteRequest request;
    final Checksums checksums = new Checksums();
    final ReentrantLock writing = new ReentrantLock();
    volatile long persisted;
    /** The total size, once a request declared it. */
    @Nullable volatile Long total;
    @Nullable volatile ObjectInfo result;
    volatile boolean cancelled;

    Session(String tenant, ObjectWriter writer, WriteRequest request) {
      this.tenant = tenant;
      this.writer = writer;
      this.request = request;
    }

    void abandon(String why) {
      if (result == null && !cancelled) {
        cancelled = true;
        log.debug("abandoning gs://{}/{}: {}", request.bucket(), request.name(), why);
        writer.close();
      }
    }
  }

  void handle(Call call, Tenants.Tenant tenant) throws IOException {
    if (call.path.size() != 3 || !call.path.get(0).equals("b") || !call.path.get(2).equals("o")) {
      throw ApiException.notFound("Not Found: " + Call.printable(call.exchange.rawPath()));
    }
    String bucket = call.path.get(1);
    String uploadId = call.param("upload_id");
    if (uploadId != null) {
      chunk(call, tenant, uploadId);
      return;
    }
    String type = call.param("uploadType");
    if (!call.method.equals("POST")) {
      throw new ApiException(405, "methodNotAllowed", call.method + " on an upload without an upload_id");
    }
    if ("media".equals(type)) {
      media(call, tenant.store(), bucket);
    } else if ("multipart".equals(type)) {
      multipart(call, tenant.store(), bucket);
    } else if ("resumable".equals(type)) {
      start(call, tenant, bucket);
    } else {
      throw ApiException.invalid("Invalid uploadType '" + Call.printable(String.valueOf(type))
          + "' (media, multipart and resumable are)");
    }
  }

  private static WriteRequest request(Call call, String bucket, JsonObject resource, @Nullable String mediaType,
      long expectedSize) {
    String name = JsonApi.string(resource, "name");
    if (name == null) {
      name = call.param("name");
    }
    if (name == null || name.isEmpty()) {
      throw ApiException.required("Required parameter: the object name (the resource's name or ?name=)");
    }
    ObjectMetadata metadata = JsonApi.metadata(resource);
    if (metadata.contentType() == null && mediaType != null && !mediaType.startsWith("multipart/")) {
      metadata = metadata.withContentType(mediaType);
    }
    String[] hash = hashes(call.header("x-goog-hash"));
    String crc32c = JsonApi.string(resource, "crc32c");
    String md5 = JsonApi.string(resource, "md5Hash");
    return new WriteRequest(bucket, name, metadata, call.conditions("if"), crc32c != null ? crc32c : hash[0],
        md5 != null ? md5 : hash[1], 0, expectedSize);
  }

  /** {@code x-goog-hash: crc32c=…,md5=…} as {crc32c, md5}, either null when absent. */
  static String[] hashes(@Nullable String header) {
    String[] out = new String[2];
    if (header == null) {
      return out;
    }
    for (String part : header.split(",")) {
      String p = part.trim();
      if (p.startsWith("crc32c=")) {
        out[0] = p.substring("crc32c=".length());
      } else if (p.startsWith("md5=")) {
        out[1] = p.substring("md5=".length());
      }
    }
    return out;
  }

  private static void answerObject(Call call, ObjectInfo info) throws IOException {
    ApiHandler.ok(call, JsonApi.object(info, call.exchange.origin()));
  }

  // ------------------------------------------------------------------ media

  private static void media(Call call, ObjectStore store, String bucket) throws IOException {
    long declared = call.identityBody() ? call.exchange.contentLength() : WriteRequest.UNKNOWN_SIZE;
    WriteRequest request = request(call, bucket, new JsonObject(), call.header("Content-Type"), declared);
    ObjectInfo info;
    try (InputStream in = call.bodyStream()) {
      info = store.write(request, in);
    }
    answerObject(call, info);
  }

  // ------------------------------------------------------------------ multipart/related, streamed

  private static void multipart(Call call, ObjectStore store, String bucket) throws IOException {
    String boundary = boundary(call.header("Content-Type"), "multipart/");
    if (boundary == null) {
      throw ApiException.invalid("A multipart upload needs Content-Type: multipart/related; boundary=…");
    }
    RelatedParts parts = new RelatedParts(call, store, bucket);
    MultiPart.Parser parser = new MultiPart.Parser(boundary, parts);
    parser.setMaxParts(3);
    parser.setPartHeadersMaxLength(8 * 1024);
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = call.bodyStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0 && !parts.done()) {
        if (n > 0) {
          parser.parse(Content.Chunk.from(ByteBuffer.wrap(buffer, 0, n), false));
          parts.rethrow();
        }
      }
      if (!parts.done()) {
        parser.parse(Content.Chunk.EOF);
        parts.rethrow();
      }
      answerObject(call, parts.commit());
    } finally {
      parts.close();
    }
  }

  /**
   * The two parts of a multipart upload as the parser pushes them: the metadata (JSON, at most
   * {@link Call#MAX_JSON_BODY} bytes) and the media, written through as it arrives. A failure in a
   * callback is kept and rethrown after the parser returns.
   */
  private static final class RelatedParts implements MultiPart.Parser.Listener {
    private final Call call;
    private final ObjectStore store;
    private final String bucket;
    private final ByteArrayOutputStream metadata = new ByteArrayOutputStream();
    private int part;
    @Nullable private String partType;
    @Nullable private ObjectWriter writer;
    @Nullable private RuntimeException failure;
    private boolean mediaEnded;
    private boolean complete;

    RelatedParts(Call call, ObjectStore store, String bucket) {
      this.call = call;
      this.store = store;
      this.bucket = bucket;
    }

    boolean done() {
      return complete || failure != null;
    }

    void rethrow() {
      if (failure != null) {
        throw failure;
      }
    }

    @Override
    public void onPartBegin() {
      part++;
      partType = null;
      if (part > 2 && failure == null) {
        failure = ApiException.invalid("A multipart upload has two parts (metadata, media), this one has more");
      }
    }

    @Override
    public void onPartHeader(String name, String value) {
      if (name.equalsIgnoreCase("Content-Type")) {
        partType = value;
      }
    }

    @Override
    public void onPartHeaders() {
      if (part == 2 && failure == null) {
        try {
          JsonObject resource = JsonApi.parse(metadata.toByteArray());
          writer = store.openWrite(request(call, bucket, resource, partType, WriteRequest.UNKNOWN_SIZE));
        } catch (RuntimeException e) {
          failure = e;
        }
      }
    }

    @Override
    public void onPartContent(Content.Chunk chunk) {
      try {
        if (failure != null) {
          return;
        }
        ByteBuffer bytes = chunk.getByteBuffer();
        if (part == 1) {
          if (metadata.size() + bytes.remaining() > Call.MAX_JSON_BODY) {
            failure = new ApiException(413, "uploadTooLarge", "The metadata part is larger than "
                + Call.MAX_JSON_BODY + " bytes");
            return;
          }
          byte[] copy = new byte[bytes.remaining()];
          bytes.get(copy);
          metadata.writeBytes(copy);
        } else if (part == 2 && writer != null) {
          while (bytes.hasRemaining()) {
            writer.write(bytes);
          }
        }
      } catch (IOException e) {
        failure = HybridStorageException.io("write", bucket, "(multipart upload)", store.site(), e);
      } catch (RuntimeException e) {
        failure = e;
      }
      // not released here: the parser owns the chunk (Jetty 12.1: retain only what outlives this call)
    }

    @Override
    public void onPartEnd() {
      if (part == 2) {
        mediaEnded = true;
      }
    }

    @Override
    public void onComplete() {
      complete = true;
    }

    @Override
    public void onFailure(Throwable cause) {
      if (failure == null) {
        failure = ApiException.invalid("Malformed multipart body: " + cause.getMessage());
      }
    }

    ObjectInfo commit() throws IOException {
      rethrow();
      if (!complete || writer == null || !mediaEnded) {
        throw ApiException.invalid("A multipart upload needs a metadata part and a media part, and the body "
            + "ends before its closing boundary");
      }
      return writer.commit();
    }

    void close() {
      if (writer != null) {
        writer.close();
      }
    }
  }

  // ------------------------------------------------------------------ resumable

  private void start(Call call, Tenants.Tenant tenant, String bucket) throws IOException {
    JsonObject resource = JsonApi.parse(call.jsonBody());
    long declared = WriteRequest.UNKNOWN_SIZE;
    String length = call.header("X-Upload-Content-Length");
    if (length != null && !length.isBlank()) {
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw ApiException.invalid("Invalid X-Upload-Content-Length '" + Call.printable(length) + "'");
      }
      if (declared < 0) {
        throw ApiException.invalid("Invalid X-Upload-Content-Length " + declared);
      }
    }
    WriteRequest request = request(call, bucket, resource, call.header("X-Upload-Content-Type"), declared);
    sessions.cleanUp();
    ObjectWriter writer = tenant.store().openWrite(request);
    byte[] random = new byte[24];
    IDS.nextBytes(random);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    sessions.put(id, new Session(tenant.name(), writer, request));
    call.setHeader("Location", call.exchange.origin() + "/upload/storage/v1/b/" + JsonApi.segment(bucket)
        + "/o?uploadType=resumable&upload_id=" + id);
    call.setHeader("X-GUploader-UploadID", id);
    call.empty(200);
  }

  private void chunk(Call call, Tenants.Tenant tenant, String id) throws IOException {
    Session session = sessions.getIfPresent(id);
    if (session == null || !session.tenant.equals(tenant.name())) {
      throw ApiException.notFound("No such upload session: " + Call.printable(id));
    }
    if (call.method.equals("DELETE")) {
      if (session.result != null) {
        throw new ApiException(400, "invalid", "The upload session finished; there is nothing to cancel");
      }
      session.abandon("cancelled by the client");
      call.empty(499);
      return;
    }
    if (!call.method.equals("PUT") && !call.method.equals("POST")) {
      throw new ApiException(405, "methodNotAllowed", call.method + " on an upload session");
    }
    if (session.cancelled) {
      throw new ApiException(499, "clientClosedRequest", "The upload session was cancelled");
    }
    ObjectInfo finished = session.result;
    if (finished != null) {
      answerObject(call, finished); // a retried last chunk or status query of a finished upload: GCS's 200
      return;
    }
    Range range = Range.parse(call.header("Content-Range"), call);
    if (!session.writing.tryLock()) {
      if (range.first < 0 && !range.none) {
        // a status query while a chunk is still arriving: what is persisted so far, without waiting
        answerIncomplete(call, session);
        return;
      }
      throw new ApiException(503, "backendError", "Another request is writing to upload session "
          + Call.printable(id) + "; retry after it ends");
    }
    try {
      if (session.cancelled) {
        throw new ApiException(499, "clientClosedRequest", "The upload session was cancelled");
      }
      if (session.result != null) {
        answerObject(call, session.result);
        return;
      }
      if (range.total != null) {
        if (session.total != null && !session.total.equals(range.total)) {
          throw ApiException.invalid("Content-Range declares a total of " + range.total + " bytes, but an earlier "
              + "request declared " + session.total);
        }
        if (range.total < session.persisted) {
          throw ApiException.invalid("Content-Range declares a total of " + range.total + " bytes, but "
              + session.persisted + " were received already");
        }
      }
      if (range.first >= 0) {
        if (range.first > session.persisted) {
          throw ApiException.invalid("The chunk starts at byte " + range.first + " but " + session.persisted
              + " bytes were received: query the session (Content-Range: bytes */*) and resume from there");
        }
        long declared = call.exchange.contentLength();
        if (declared >= 0 && call.identityBody() && declared != range.length()) {
          throw ApiException.invalid("Content-Range covers " + range.length() + " bytes but Content-Length is "
              + declared);
        }
        append(call, session, range.first, range.length());
      } else if (range.none) {
        // no Content-Range: the whole object in this one request
        append(call, session, session.persisted, -1);
        session.total = session.persisted;
      }
      if (range.total != null) {
        session.total = range.total;
      }
      Long total = session.total;
      if (total != null && session.persisted == total) {
        finish(call, session);
        return;
      }
      answerIncomplete(call, session);
    } finally {
      session.writing.unlock();
    }
  }

  /** 308 with the bytes persisted so far ({@code Range: bytes=0-n}, none when nothing is). */
  private static void answerIncomplete(Call call, Session session) throws IOException {
    long persisted = session.persisted;
    if (persisted > 0) {
      call.setHeader("Range", "bytes=0-" + (persisted - 1));
    }
    call.empty(308);
  }

  /**
   * Appends the chunk that starts at {@code first} ({@code length} bytes; -1: to the end of the
   * body), skipping what the session holds already. More bytes than the range covers is a 400
   * after the range's own bytes are kept; a body that breaks off keeps what arrived.
   */
  private static void append(Call call, Session session, long first, long length) throws IOException {
    long skip = session.persisted - first;
    long remaining = length < 0 ? Long.MAX_VALUE : length;
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = call.bodyStream()) {
      while (remaining > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (n < 0) {
          break;
        }
        remaining -= n;
        int drop = (int) Math.min(skip, n);
        skip -= drop;
        if (drop == n) {
          continue;
        }
        ByteBuffer b = ByteBuffer.wrap(buffer, drop, n - drop);
        session.checksums.update(b.duplicate());
        while (b.hasRemaining()) {
          session.writer.write(b);
        }
        session.persisted += n - drop;
      }
      if (length >= 0 && remaining == 0 && in.read() >= 0) {
        throw ApiException.invalid("The request body is longer than its Content-Range (" + length + " bytes)");
      }
    }
  }

  private static void finish(Call call, Session session) throws IOException {
    String[] expected = hashes(call.header("x-goog-hash"));
    String[] actual = session.checksums.finish();
    WriteRequest r = session.request;
    try {
      Checksums.verify(expected[0], expected[1], actual[0], actual[1], "write", r.bucket(), r.name(), "gateway");
      session.writer.precomputedChecksums(actual[0], actual[1]);
      ObjectInfo info = session.writer.commit();
      session.result = info;
      session.writer.close();
      answerObject(call, info);
    } catch (HybridStorageException e) {
      if (e.code() == 412 || e.code() == 400) {
        session.abandon("finished with " + e.code()); // GCS: a failed finalize ends the session
      }
      throw e;
    }
  }

  /** A resumable request's {@code Content-Range}: {@code bytes first-last/total}, {@code bytes *}{@code /total}. */
  private record Range(long first, long last, @Nullable Long total, boolean none) {

    long length() {
      return last - first + 1;
    }

    static Range parse(@Nullable String header, Call call) {
      if (header == null || header.isBlank()) {
        return new Range(-1, -1, null, true);
      }
      Matcher m = CONTENT_RANGE.matcher(header.trim());
      if (!m.matches()) {
        throw ApiException.invalid("Invalid Content-Range '" + Call.printable(header) + "'");
      }
      Long total;
      try {
        total = m.group(3).equals("*") ? null : Long.parseLong(m.group(3));
      } catch (NumberFormatException e) {
        throw ApiException.invalid("Invalid Content-Range '" + Call.printable(header) + "'");
      }
      if (m.group(1) == null) {
        return new Range(-1, -1, total, false);
      }
      long first;
      long last;
      try {
        first = Long.parseLong(m.group(1));
        last = Long.parseLong(m.group(2));
      } catch (NumberFormatException e) {
        throw ApiException.invalid("Invalid Content-Range '" + Call.printable(header) + "'");
      }
      if (last < first) {
        throw ApiException.invalid("Invalid Content-Range '" + Call.printable(header) + "': the last byte is before "
            + "the first");
      }
      if (total != null && last >= total) {
        throw ApiException.invalid("Invalid Content-Range '" + Call.printable(header) + "': the range ends past the "
            + "declared total");
      }
      return new Range(first, last, total, false);
    }
  }

  void abandonAll() {
    sessions.asMap().values().forEach(s -> s.abandon("the gateway stops"));
    sessions.invalidateAll();
  }
}
