package io.hybridstorage.gateway.internal;

import com.google.api.client.json.JsonFactory;
import com.google.api.client.util.DateTime;
import com.google.api.services.storage.model.Bucket;
import com.google.api.services.storage.model.StorageObject;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hybridstorage.api.BucketInfo;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.NotificationConfig;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.internal.ObjectResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * The JSON of GCS's JSON API: responses are written with the API's own model classes and JSON
 * factory (what the client parses), request bodies are read as JSON trees so that an explicit
 * {@code null} (PATCH: clear the field) is told apart from an absent field.
 */
final class JsonApi {

  static final JsonFactory FACTORY = ObjectResources.FACTORY;
  private static final String[] HEADER_FIELDS = {
      "contentType", "contentEncoding", "contentDisposition", "contentLanguage", "cacheControl"};

  private JsonApi() {}

  /** {@code model} as UTF-8 JSON bytes. */
  static byte[] bytes(Object model) {
    try {
      return FACTORY.toByteArray(model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String write(Object model) {
    try {
      return FACTORY.toString(model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code model} as JSON, cut down to {@code fields} when given: GCS's partial response (the
   * standard {@code fields} query parameter, https://cloud.google.com/storage/docs/json_api#partial-response):
   * a comma-separated list of field paths, {@code a/b} selecting {@code b} within {@code a} and
   * {@code a(b,c)} several within it; within an array the selection applies to each element.
   * The client sends e.g. {@code bucket,name,size} and {@code nextPageToken,prefixes,items/name}.
   */
  static String write(Object model, @Nullable String fields) {
    String json = write(model);
    if (fields == null || fields.isBlank()) {
      return json;
    }
    return select(JsonParser.parseString(json), selection(fields)).toString();
  }

  /** The parsed {@code fields}: each selected name, and what is selected within it (null: all of it). */
  static Map<String, Object> selection(String fields) {
    Map<String, Object> out = new LinkedHashMap<>();
    int[] at = {0};
    parseList(fields, at, out);
    if (at[0] != fields.length()) {
      throw ApiException.invalid("Invalid field selection " + Call.printable(fields));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void parseList(String s, int[] at, Map<String, Object> into) {
    while (true) {
      Map<String, Object> level = into;
      String name = name(s, at);
      while (at[0] < s.length() && s.charAt(at[0]) == '/') {
        at[0]++;
        if (level.containsKey(name) && level.get(name) == null) {
          level = new LinkedHashMap<>(); // all of name is selected already: parse the rest, keep nothing
        } else {
          level = (Map<String, Object>) level.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
        }
        name = name(s, at);
      }
      if (at[0] < s.length() && s.charAt(at[0]) == '(') {
        at[0]++;
        Map<String, Object> sub = level.get(name) instanceof Map<?, ?> m ? (Map<String, Object>) m
            : new LinkedHashMap<>();
        parseList(s, at, sub);
        if (at[0] >= s.length() || s.charAt(at[0]) != ')') {
          throw ApiException.invalid("Invalid field selection " + Call.printable(s));
        }
        at[0]++;
        if (!level.containsKey(name) || level.get(name) != null) {
          level.put(name, sub); // a selection within name, unless all of it is selected already
        }
      } else {
        level.put(name, null);
      }
      if (at[0] < s.length() && s.charAt(at[0]) == ',') {
        at[0]++;
        continue;
      }
      return;
    }
  }

  private static String name(String s, int[] at) {
    int start = at[0];
    while (at[0] < s.length() && "/(),".indexOf(s.charAt(at[0])) < 0) {
      at[0]++;
    }
    if (at[0] == start) {
      throw ApiException.invalid("Invalid field selection " + Call.printable(s));
    }
    return s.substring(start, at[0]).trim();
  }

  @SuppressWarnings("unchecked")
  private static JsonElement select(JsonElement e, Map<String, Object> selection) {
    if (e.isJsonArray()) {
      JsonArray out = new JsonArray();
      e.getAsJsonArray().forEach(item -> out.add(select(item, selection)));
      return out;
    }
    if (!e.isJsonObject()) {
      return e;
    }
    JsonObject out = new JsonObject();
    for (Map.Entry<String, JsonElement> field : e.getAsJsonObject().entrySet()) {
      if (selection.containsKey(field.getKey())) {
        Object sub = selection.get(field.getKey());
        out.add(field.getKey(), sub == null ? field.getValue() : select(field.getValue(), (Map<String, Object>) sub));
      }
    }
    return out;
  }

  /** A JSON object body; malformed JSON or another JSON type is a 400 naming what was wrong. */
  static JsonObject parse(byte[] body) {
    if (body.length == 0) {
      return new JsonObject();
    }
    JsonElement e;
    try {
      e = JsonParser.parseString(utf8(body));
    } catch (com.google.gson.JsonParseException | IllegalStateException ex) {
      Throwable root = ex;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw ApiException.invalid("Parse Error: the request body is not valid JSON (" + root.getMessage() + ")");
    }
    if (!e.isJsonObject()) {
      throw ApiException.invalid("Parse Error: the request body is not a JSON object");
    }
    return e.getAsJsonObject();
  }

  private static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(body))
          .toString();
    } catch (java.nio.charset.CharacterCodingException ex) {
      throw ApiException.invalid("Parse Error: the request body is not valid UTF-8");
    }
  }

  // ------------------------------------------------------------------ responses

  /** The object resource: {@link ObjectResources#object}, which notification payloads share. */
  static StorageObject object(ObjectInfo info, String endpoint) {
    return ObjectResources.object(info, endpoint);
  }

  static Bucket bucket(BucketInfo info) {
    Bucket b = new Bucket()
        .setKind("storage#bucket")
        .setId(info.name())
        .setName(info.name())
        .setProjectNumber(BigInteger.ONE)
        .setMetageneration(info.metageneration())
        .setLocation(info.location())
        .setStorageClass(info.storageClass())
        .setVersioning(new Bucket.Versioning().setEnabled(info.versioningEnabled()))
        .setTimeCreated(time(info.createTime()))
        .setUpdated(time(info.updateTime()));
    if (!info.labels().isEmpty()) {
      b.setLabels(new LinkedHashMap<>(info.labels()));
    }
    return b;
  }

  /** A notification configuration as the JSON API's {@code storage#notification} resource. */
  static com.google.api.services.storage.model.Notification notification(NotificationConfig c) {
    com.google.api.services.storage.model.Notification n = new com.google.api.services.storage.model.Notification()
        .setKind("storage#notification")
        .setId(c.id())
        .setTopic(c.topic())
        .setPayloadFormat(c.payloadFormat().name())
        .setEtag(c.etag())
        .setSelfLink(c.selfLink());
    if (!c.objectNamePrefix().isEmpty()) {
      n.setObjectNamePrefix(c.objectNamePrefix());
    }
    if (!c.eventTypes().isEmpty()) {
      n.setEventTypes(c.eventTypes().stream().map(Enum::name).toList());
    }
    if (!c.customAttributes().isEmpty()) {
      n.setCustomAttributes(new LinkedHashMap<>(c.customAttributes()));
    }
    return n;
  }

  /**
   * The configuration a {@code notifications.insert} body asks for: {@code topic} required, {@code
   * payload_format} JSON_API_V1 (the default) or NONE, {@code event_types} of GCS's four, {@code
   * object_name_prefix}, {@code custom_attributes}; anything else of the wrong type or value is a
   * 400 naming the field. (The topic's form is the store's to check.)
   */
  static NotificationConfig notificationConfig(JsonObject body) {
    String topic = string(body, "topic");
    if (topic == null || topic.isEmpty()) {
      throw ApiException.required("Required field 'topic' is missing in the notification resource");
    }
    String format = string(body, "payload_format");
    NotificationConfig.PayloadFormat payloadFormat;
    try {
      payloadFormat = format == null ? NotificationConfig.PayloadFormat.JSON_API_V1
          : NotificationConfig.PayloadFormat.valueOf(format);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("Invalid value for field 'payload_format': '" + Call.printable(format)
          + "' (JSON_API_V1 or NONE)");
    }
    java.util.Set<NotificationConfig.EventType> types = java.util.EnumSet.noneOf(NotificationConfig.EventType.class);
    JsonArray events = array(body, "event_types");
    if (events != null) {
      for (JsonElement e : events) {
        String type = string(e, "event_types");
        try {
          types.add(NotificationConfig.EventType.valueOf(String.valueOf(type)));
        } catch (IllegalArgumentException ex) {
          throw ApiException.invalid("Invalid value for field 'event_types': '" + Call.printable(String.valueOf(type))
              + "' (OBJECT_FINALIZE, OBJECT_METADATA_UPDATE, OBJECT_DELETE or OBJECT_ARCHIVE)");
        }
      }
    }
    Map<String, String> custom = stringMap(body, "custom_attributes");
    if (custom != null) {
      custom.values().removeIf(java.util.Objects::isNull);
    }
    return new NotificationConfig(null, topic, payloadFormat, types, string(body, "object_name_prefix"), custom,
        null, null);
  }

  /** GCS's error body; the client reads the code, message and the first reason. */
  static String error(int code, String reason, String message) {
    JsonObject detail = new JsonObject();
    detail.addProperty("message", message);
    detail.addProperty("domain", "global");
    detail.addProperty("reason", reason);
    JsonArray errors = new JsonArray();
    errors.add(detail);
    JsonObject error = new JsonObject();
    error.addProperty("code", code);
    error.addProperty("message", message);
    error.add("errors", errors);
    JsonObject body = new JsonObject();
    body.add("error", error);
    return body.toString();
  }

  @Nullable
  private static DateTime time(@Nullable Instant instant) {
    return ObjectResources.time(instant);
  }

  /** A path segment as the JSON API spells it (every reserved character escaped, space as %20). */
  static String segment(String s) {
    return ObjectResources.segment(s);
  }

  // ------------------------------------------------------------------ requests

  @Nullable
  static String string(JsonObject o, String field) {
    return string(o.get(field), field);
  }

  /** A JSON string (or a number, which GCS also takes for string fields), else a 400 naming the field. */
  @Nullable
  static String string(@Nullable JsonElement e, String field) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonPrimitive() || e.getAsJsonPrimitive().isBoolean()) {
      throw ApiException.invalid("Invalid value for field '" + field + "': expected a string, got " + kind(e));
    }
    return e.getAsString();
  }

  /** A whole number given as a JSON number or a decimal string (GCS writes int64 as strings). */
  @Nullable
  static Long number(JsonObject o, String field) {
    JsonElement e = o.get(field);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (e.isJsonPrimitive() && !e.getAsJsonPrimitive().isBoolean()) {
      try {
        return Long.parseLong(e.getAsString());
      } catch (NumberFormatException ex) {
        // fall through to the error
      }
    }
    throw ApiException.invalid("Invalid value for field '" + field + "': expected a 64-bit integer, got "
        + kind(e));
  }

  @Nullable
  static JsonObject object(JsonObject o, String field) {
    JsonElement e = o.get(field);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonObject()) {
      throw ApiException.invalid("Invalid value for field '" + field + "': expected an object, got " + kind(e));
    }
    return e.getAsJsonObject();
  }

  @Nullable
  static JsonArray array(JsonObject o, String field) {
    JsonElement e = o.get(field);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonArray()) {
      throw ApiException.invalid("Invalid value for field '" + field + "': expected an array, got " + kind(e));
    }
    return e.getAsJsonArray();
  }

  /** An element of an array field that must be an object. */
  static JsonObject element(JsonElement e, String field) {
    if (!e.isJsonObject()) {
      throw ApiException.invalid("Invalid value for field '" + field + "': expected objects, got " + kind(e));
    }
    return e.getAsJsonObject();
  }

  private static String kind(JsonElement e) {
    if (e.isJsonObject()) {
      return "an object";
    }
    if (e.isJsonArray()) {
      return "an array";
    }
    if (e.isJsonNull()) {
      return "null";
    }
    return e.getAsJsonPrimitive().isBoolean() ? "a boolean" : "'" + Call.printable(e.getAsString()) + "'";
  }

  /** A map of string values ({@code metadata}, {@code labels}); a null value stays null (PATCH: remove). */
  @Nullable
  private static Map<String, String> stringMap(JsonObject o, String field) {
    JsonObject m = object(o, field);
    if (m == null) {
      return null;
    }
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, JsonElement> e : m.entrySet()) {
      out.put(e.getKey(), string(e.getValue(), field + "." + e.getKey()));
    }
    return out;
  }

  /** The caller-settable metadata of an object resource (absent fields are unset). */
  static ObjectMetadata metadata(JsonObject o) {
    Map<String, String> custom = stringMap(o, "metadata");
    if (custom != null) {
      custom.values().removeIf(java.util.Objects::isNull);
    }
    return new ObjectMetadata(string(o, "contentType"), string(o, "contentEncoding"),
        string(o, "contentDisposition"), string(o, "contentLanguage"), string(o, "cacheControl"),
        custom == null ? Map.of() : custom);
  }

  /** Whether an object resource sets any caller-settable metadata. */
  static boolean hasMetadata(JsonObject o) {
    for (String field : HEADER_FIELDS) {
      if (o.has(field)) {
        return true;
      }
    }
    return o.has("metadata");
  }

  /** A PATCH body: an absent field is unchanged, a null one cleared, {@code metadata: null} clears all. */
  static MetadataPatch patch(JsonObject o) {
    String[] headers = new String[HEADER_FIELDS.length];
    for (int i = 0; i < HEADER_FIELDS.length; i++) {
      JsonElement e = o.get(HEADER_FIELDS[i]);
      headers[i] = e == null ? null : e.isJsonNull() ? "" : string(e, HEADER_FIELDS[i]);
    }
    JsonElement m = o.get("metadata");
    boolean clear = m != null && m.isJsonNull();
    Map<String, String> custom = clear ? null : stringMap(o, "metadata");
    return new MetadataPatch(headers[0], headers[1], headers[2], headers[3], headers[4], custom, clear);
  }

  /** Labels of a bucket resource, a null value meaning "remove". */
  @Nullable
  static Map<String, String> labels(JsonObject o) {
    return stringMap(o, "labels");
  }

  @Nullable
  static Boolean versioning(JsonObject o) {
    JsonObject v = object(o, "versioning");
    if (v == null || !v.has("enabled") || v.get("enabled").isJsonNull()) {
      return null;
    }
    JsonElement enabled = v.get("enabled");
    if (!enabled.isJsonPrimitive() || !enabled.getAsJsonPrimitive().isBoolean()) {
      throw ApiException.invalid("Invalid value for field 'versioning.enabled': expected a boolean, got "
          + kind(enabled));
    }
    return enabled.getAsBoolean();
  }
}
