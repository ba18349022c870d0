package io.hybridstorage.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * Reads GCS object-change notifications (Cloud Pub/Sub notifications for Cloud Storage, payload
 * format {@code JSON_API_V1} or {@code NONE}) into {@link Change}s. The attributes carry the
 * identity ({@code bucketId}, {@code objectId}, {@code objectGeneration}, {@code eventType},
 * {@code eventTime}, {@code overwroteGeneration}); the JSON payload, when present, adds {@code
 * size} and {@code crc32c}.
 */
public final class GcsNotifications {

  private static final ObjectMapper JSON = new ObjectMapper();

  private GcsNotifications() {}

  /**
   * The change a notification reports, or empty when the message is not an object notification
   * (no {@code eventType}, an unknown one such as a {@code TEST_NOTIFICATION}, no bucket/object).
   *
   * @param site the site whose bucket sent it (the GCS site of the configuration)
   * @param origin the feed, for {@link Change#origin()}
   * @throws IllegalArgumentException when an attribute or the payload is malformed (a generation
   *     that is not a number, a payload that is not JSON): the message is poison, not a change
   */
  public static Optional<Change> toChange(String site, Map<String, String> attributes, byte[] payload,
      String origin) {
    String type = attributes.get("eventType");
    String bucket = attributes.get("bucketId");
    String name = attributes.get("objectId");
    if (type == null || bucket == null || name == null) {
      return Optional.empty();
    }
    Change.Kind kind = switch (type) {
      case "OBJECT_FINALIZE" -> Change.Kind.FINALIZE;
      case "OBJECT_DELETE" -> Change.Kind.DELETE;
      case "OBJECT_ARCHIVE" -> Change.Kind.ARCHIVE;
      case "OBJECT_METADATA_UPDATE" -> Change.Kind.METADATA_UPDATE;
      default -> null;
    };
    if (kind == null) {
      return Optional.empty();
    }
    long generation = number(attributes, "objectGeneration", 0);
    long overwrote = number(attributes, "overwroteGeneration", 0);
    Instant eventTime = time(attributes.get("eventTime"));
    long size = -1;
    String crc32c = null;
    if (payload != null && payload.length > 0 && !"NONE".equals(attributes.get("payloadFormat"))) {
      JsonNode object;
      try {
        object = JSON.readTree(payload);
      } catch (IOException e) {
        throw new IllegalArgumentException("notification for gs://" + bucket + "/" + name
            + ": the payload is not JSON: " + e.getMessage(), e);
      }
      if (object.hasNonNull("size")) {
        size = parse("size", object.get("size").asText());
      }
      if (object.hasNonNull("crc32c")) {
        crc32c = object.get("crc32c").asText();
      }
      if (generation == 0 && object.hasNonNull("generation")) {
        generation = parse("generation", object.get("generation").asText());
      }
      if (eventTime == null && object.hasNonNull("updated")) {
        eventTime = time(object.get("updated").asText());
      }
    }
    return Optional.of(new Change(kind, site, bucket, name, generation, overwrote, size, crc32c,
        eventTime == null ? Instant.now() : eventTime, origin));
  }

  private static long number(Map<String, String> attributes, String key, long absent) {
    String v = attributes.get(key);
    return v == null || v.isEmpty() ? absent : parse(key, v);
  }

  private static long parse(String key, String value) {
    try {
      long n = Long.parseLong(value);
      if (n < 0) {
        throw new IllegalArgumentException(key + " must not be negative: " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not a number: '" + value + "'", e);
    }
  }

  @Nullable
  private static Instant time(@Nullable String rfc3339) {
    if (rfc3339 == null || rfc3339.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(rfc3339);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("eventTime is not an RFC 3339 time: '" + rfc3339 + "'", e);
    }
  }
}
