package io.hybridstorage.api.internal;

import com.google.api.client.json.JsonFactory;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.DateTime;
import com.google.api.services.storage.model.StorageObject;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import javax.annotation.Nullable;

/**
 * The object resource of GCS's JSON API ({@code storage#object}), rendered with the API's own model
 * class and JSON factory: what the gateway's {@code objects.get} returns and what a notification's
 * {@code JSON_API_V1} payload carries ({@code io.hybridstorage.api.NotifyingStore}), from one piece
 * of code so that the two never differ. Not API; public for the gateway module.
 */
public final class ObjectResources {

  /** The JSON API's JSON factory (what the client parses). */
  public static final JsonFactory FACTORY = GsonFactory.getDefaultInstance();

  private ObjectResources() {}

  /**
   * {@code info} as the JSON API's object resource; {@code endpoint} ({@code scheme://host[:port]})
   * is the server its {@code selfLink} and {@code mediaLink} point at.
   */
  public static StorageObject object(ObjectInfo info, String endpoint) {
    ObjectMetadata m = info.metadata();
    String path = "/b/" + segment(info.bucket()) + "/o/" + segment(info.name());
    StorageObject o = new StorageObject()
        .setKind("storage#object")
        .setId(info.bucket() + "/" + info.name() + "/" + info.generation())
        .setSelfLink(endpoint + "/storage/v1" + path)
        .setMediaLink(endpoint + "/download/storage/v1" + path + "?generation=" + info.generation() + "&alt=media")
        .setBucket(info.bucket())
        .setName(info.name())
        .setGeneration(info.generation())
        .setMetageneration(info.metageneration())
        .setSize(BigInteger.valueOf(info.size()))
        .setCrc32c(info.crc32c())
        .setMd5Hash(info.md5())
        .setEtag(info.etag())
        .setContentType(m.contentType())
        .setContentEncoding(m.contentEncoding())
        .setContentDisposition(m.contentDisposition())
        .setContentLanguage(m.contentLanguage())
        .setCacheControl(m.cacheControl())
        .setStorageClass("STANDARD")
        .setTimeCreated(time(info.createTime()))
        .setUpdated(time(info.updateTime()))
        .setTimeDeleted(time(info.deleteTime()));
    if (!m.custom().isEmpty()) {
      o.setMetadata(new LinkedHashMap<>(m.custom()));
    }
    if (info.componentCount() > 0) {
      o.setComponentCount(info.componentCount());
    }
    return o;
  }

  /** {@code model} (an API model object) as UTF-8 JSON bytes. */
  public static byte[] bytes(Object model) {
    try {
      return FACTORY.toByteArray(model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A path segment as the JSON API spells it (every reserved character escaped, space as %20). */
  public static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** An RFC 3339 time in UTC with milliseconds, as the JSON API writes its times; null stays null. */
  @Nullable
  public static DateTime time(@Nullable Instant instant) {
    return instant == null ? null : new DateTime(false, instant.toEpochMilli(), 0);
  }
}
