package io.hybridstorage.benchmarks.baseline;

import com.google.gson.JsonObject;
import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * {@code /upload/storage/v1/b/{bucket}/o}: {@code uploadType=multipart} (metadata and bytes in one
 * {@code multipart/related} body), {@code uploadType=media} (bytes only, name in the query) and
 * {@code uploadType=resumable} (a session: started by POST, fed by PUTs with {@code
 * Content-Range}, answered 308 until the last chunk, cancelled by DELETE). Every upload is one
 * {@link ObjectWriter} of the store, committed with the last byte: nothing is visible before.
 */
final class Uploads {

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\*|(\\d+)-(\\d+))/(\\*|\\d+)");
  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");

  private final ObjectStore store;
  private final ApiHandler api;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  Uploads(ObjectStore store, ApiHandler api) {
    this.store = store;
    this.api = api;
  }

  /** An open resumable upload. Its chunks arrive one after another. */
  private static final class Session {
    final ObjectWriter writer;
    final WriteRequest request;
    final Checksums checksums = new Checksums();
    long persisted;

    Session(ObjectWriter writer, WriteRequest request) {
      this.writer = writer;
      this.request = request;
    }
  }

  void handle(Call call) throws IOException {
    if (call.path.size() != 3 || !call.path.get(0).equals("b") || !call.path.get(2).equals("o")) {
      call.error(404, "notFound", "Not Found");
      return;
    }
    String bucket = call.path.get(1);
    String uploadId = call.param("upload_id");
    if (uploadId != null) {
      chunk(call, uploadId);
      return;
    }
    String type = call.param("uploadType");
    if (!call.method.equals("POST")) {
      call.error(405, "methodNotAllowed", call.method + " without an upload_id");
    } else if ("multipart".equals(type)) {
      multipart(call, bucket);
    } else if ("media".equals(type)) {
      byte[] data = call.body();
      WriteRequest request = request(call, bucket, new JsonObject(), call.header("Content-Type"));
      answerObject(call, write(request, data));
    } else if ("resumable".equals(type)) {
      start(call, bucket);
    } else {
      call.error(400, "invalid", "unsupported uploadType: " + type);
    }
  }

  private WriteRequest request(Call call, String bucket, JsonObject resource, @Nullable String mediaType) {
    String name = JsonApi.string(resource, "name");
    if (name == null) {
      name = call.param("name");
    }
    if (name == null) {
      throw new IllegalArgumentException("an upload needs an object name (resource name or ?name=)");
    }
    ObjectMetadata metadata = JsonApi.metadata(resource);
    if (metadata.contentType() == null && mediaType != null && !mediaType.startsWith("multipart/")) {
      metadata = metadata.withContentType(mediaType);
    }
    return new WriteRequest(bucket, name, metadata, call.conditions("if"), JsonApi.string(resource, "crc32c"),
        JsonApi.string(resource, "md5Hash"), 0, WriteRequest.UNKNOWN_SIZE);
  }

  private ObjectInfo write(WriteRequest request, byte[] data) throws IOException {
    try (ObjectWriter writer = store.openWrite(request)) {
      ByteBuffer buffer = ByteBuffer.wrap(data);
      while (buffer.hasRemaining()) {
        writer.write(buffer);
      }
      return writer.commit();
    }
  }

  private void answerObject(Call call, ObjectInfo info) throws IOException {
    call.json(200, JsonApi.write(JsonApi.object(info, api.endpoint())));
  }

  // ------------------------------------------------------------------ multipart/related

  private void multipart(Call call, String bucket) throws IOException {
    String contentType = call.header("Content-Type");
    Matcher m = contentType == null ? null : BOUNDARY.matcher(contentType);
    if (m == null || !m.find()) {
      throw new IllegalArgumentException("a multipart upload needs a multipart/related Content-Type with a boundary");
    }
    byte[] body = call.body();
    byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
    Part metadata = null;
    Part media = null;
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int partStart = at + delimiter.length;
      if (partStart + 1 < body.length && body[partStart] == '-' && body[partStart + 1] == '-') {
        break; // closing delimiter
      }
      partStart = skipLineBreak(body, partStart);
      int next = indexOf(body, delimiter, partStart);
      if (next < 0) {
        throw new IllegalArgumentException("multipart body without a closing boundary");
      }
      int partEnd = next;
      if (partEnd >= 2 && body[partEnd - 2] == '\r' && body[partEnd - 1] == '\n') {
        partEnd -= 2;
      } else if (partEnd >= 1 && body[partEnd - 1] == '\n') {
        partEnd -= 1;
      }
      Part part = Part.parse(body, partStart, partEnd);
      if (metadata == null) {
        metadata = part;
      } else if (media == null) {
        media = part;
      }
      at = next;
    }
    if (metadata == null || media == null) {
      throw new IllegalArgumentException("a multipart upload needs a metadata part and a media part");
    }
    JsonObject resource = JsonApi.parse(metadata.content);
    answerObject(call, write(request(call, bucket, resource, media.contentType), media.content));
  }

  /** One part of a multipart body: its Content-Type and content. */
  private record Part(@Nullable String contentType, byte[] content) {
    static Part parse(byte[] body, int start, int end) {
      String contentType = null;
      int at = start;
      while (at < end) {
        int eol = indexOf(body, new byte[] {'\n'}, at);
        if (eol < 0 || eol > end) {
          eol = end;
        }
        String line = new String(body, at, eol - at, StandardCharsets.ISO_8859_1).trim();
        at = eol + 1;
        if (line.isEmpty()) {
          break;
        }
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Type")) {
          contentType = line.substring(colon + 1).trim();
        }
      }
      byte[] content = at >= end ? new byte[0] : java.util.Arrays.copyOfRange(body, at, end);
      return new Part(contentType, content);
    }
  }

  private static int skipLineBreak(byte[] b, int at) {
    if (at < b.length && b[at] == '\r') {
      at++;
    }
    if (at < b.length && b[at] == '\n') {
      at++;
    }
    return at;
  }

  static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  // ------------------------------------------------------------------ resumable

  private void start(Call call, String bucket) throws IOException {
    JsonObject resource = JsonApi.parse(call.body());
    WriteRequest request = request(call, bucket, resource, call.header("X-Upload-Content-Type"));
    ObjectWriter writer = store.openWrite(request);
    String id = UUID.randomUUID().toString();
    sessions.put(id, new Session(writer, request));
    call.setHeader("Location", api.endpoint() + "/upload/storage/v1/b/" + JsonApi.segment(bucket)
        + "/o?uploadType=resumable&upload_id=" + id);
    call.setHeader("X-GUploader-UploadID", id);
    call.empty(200);
  }

  private void chunk(Call call, String id) throws IOException {
    Session session = sessions.get(id);
    if (session == null) {
      call.error(404, "notFound", "No such upload session: " + id);
      return;
    }
    if (call.method.equals("DELETE")) {
      sessions.remove(id);
      session.writer.close();
      call.empty(499);
      return;
    }
    String header = call.header("Content-Range");
    long start = session.persisted;
    Long total = null;
    boolean hasBytes = true;
    if (header != null) {
      Matcher m = CONTENT_RANGE.matcher(header.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException("bad Content-Range: " + header);
      }
      if (m.group(1).equals("*")) {
        hasBytes = false;
      } else {
        start = Long.parseLong(m.group(2));
      }
      total = m.group(4).equals("*") ? null : Long.parseLong(m.group(4));
    }
    synchronized (session) {
      try {
        if (hasBytes) {
          if (start > session.persisted) {
            throw new IllegalArgumentException("chunk starts at " + start + " but " + session.persisted
                + " bytes were persisted");
          }
          copy(call.bodyStream(), session, session.persisted - start);
        }
        if (header == null) {
          total = session.persisted;
        }
        if (total == null) {
          if (session.persisted > 0) {
            call.setHeader("Range", "bytes=0-" + (session.persisted - 1));
          }
          call.empty(308);
          return;
        }
        if (total != session.persisted) {
          if (total < session.persisted) {
            throw new IllegalArgumentException("the upload declared " + total + " bytes but sent "
                + session.persisted);
          }
          call.setHeader("Range", "bytes=0-" + (session.persisted - 1));
          call.empty(308);
          return;
        }
        verifyHash(call.header("x-goog-hash"), session);
        sessions.remove(id);
        ObjectInfo info = session.writer.commit();
        session.writer.close();
        answerObject(call, info);
      } catch (HybridStorageException | IllegalArgumentException | IOException e) {
        if (!call.answered()) {
          sessions.remove(id);
          session.writer.close();
        }
        throw e;
      }
    }
  }

  /** Appends the chunk to the session, skipping {@code skip} bytes already persisted. */
  private static void copy(InputStream in, Session session, long skip) throws IOException {
    try (in) {
      byte[] buffer = new byte[64 * 1024];
      long toSkip = skip;
      int n;
      while ((n = in.read(buffer)) > 0) {
        // Read and drop what was persisted already (the JDK server's body stream must not be
        // skip()ped: its skip can wait for bytes past the end of the body).
        int drop = (int) Math.min(toSkip, n);
        toSkip -= drop;
        if (drop == n) {
          continue;
        }
        ByteBuffer b = ByteBuffer.wrap(buffer, drop, n - drop);
        session.checksums.update(b);
        while (b.hasRemaining()) {
          session.writer.write(b);
        }
        session.persisted += n - drop;
      }
    }
  }

  /**
   * GCS checks the {@code x-goog-hash} a client sends with the last chunk against the bytes it
   * received (400, nothing published); so does this endpoint.
   */
  private void verifyHash(@Nullable String header, Session session) {
    if (header == null) {
      return;
    }
    String crc32c = null;
    String md5 = null;
    for (String part : header.split(",")) {
      String p = part.trim();
      if (p.startsWith("crc32c=")) {
        crc32c = p.substring("crc32c=".length());
      } else if (p.startsWith("md5=")) {
        md5 = p.substring("md5=".length());
      }
    }
    String[] actual = session.checksums.finish();
    WriteRequest r = session.request;
    Checksums.verify(crc32c, md5, actual[0], actual[1], "write", r.bucket(), r.name(), store.site());
  }

  void abandonAll() {
    sessions.values().forEach(s -> s.writer.close());
    sessions.clear();
  }
}
