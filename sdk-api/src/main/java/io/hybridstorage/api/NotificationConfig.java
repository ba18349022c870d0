package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * A bucket's notification configuration, as GCS's JSON API {@code notifications} resource has it:
 * which object changes ({@link #eventTypes()}, empty for all; {@link #objectNamePrefix()}) are
 * published to which Pub/Sub {@link #topic()}, with which payload and extra attributes. What a
 * store with the {@link io.hybridstorage.api.spi.Notifications} mixin keeps per bucket.
 *
 * <p>A configuration to create carries no {@link #id()}, {@link #etag()} or {@link #selfLink()}:
 * the store assigns them ({@link io.hybridstorage.api.spi.Notifications#createNotification}).
 *
 * @param id the configuration's id within its bucket (GCS: a decimal number), null before creation
 * @param topic {@code //pubsub.googleapis.com/projects/P/topics/T} as the JSON API returns it; on
 *     creation {@code projects/P/topics/T} is accepted too
 * @param payloadFormat what a message's body holds
 * @param eventTypes the events published; empty: all of them
 * @param objectNamePrefix only names starting with it; empty: every name
 * @param customAttributes added to every message's attributes
 * @param etag set by the store
 * @param selfLink set by the store
 */
public record NotificationConfig(
    @Nullable String id,
    String topic,
    PayloadFormat payloadFormat,
    Set<EventType> eventTypes,
    String objectNamePrefix,
    Map<String, String> customAttributes,
    @Nullable String etag,
    @Nullable String selfLink) {

  /** The {@code topic} prefix of the JSON API's full resource names. */
  public static final String PUBSUB_PREFIX = "//pubsub.googleapis.com/";

  /** The events GCS notifies, by their JSON API names. */
  public enum EventType {
    /** A new object, or a new generation of one (a write, copy, compose, rewrite, restore). */
    OBJECT_FINALIZE,
    /** An object's metadata changed (patch, update). */
    OBJECT_METADATA_UPDATE,
    /** A version was deleted for good: deleted, or replaced, in a bucket without versioning. */
    OBJECT_DELETE,
    /** The live version became noncurrent (deleted or replaced) in a bucket with versioning. */
    OBJECT_ARCHIVE
  }

  /** What a message's body holds. */
  public enum PayloadFormat {
    /** The object resource in the JSON API format, as {@code objects.get} returns it. */
    JSON_API_V1,
    /** Nothing: the attributes only. */
    NONE
  }

  public NotificationConfig {
    requireNonNull(topic, "topic");
    payloadFormat = payloadFormat == null ? PayloadFormat.JSON_API_V1 : payloadFormat;
    eventTypes = eventTypes == null || eventTypes.isEmpty() ? Set.of()
        : java.util.Collections.unmodifiableSet(EnumSet.copyOf(eventTypes));
    objectNamePrefix = objectNamePrefix == null ? "" : objectNamePrefix;
    customAttributes = customAttributes == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(customAttributes));
  }

  /** A configuration to create: every event, every name, {@link PayloadFormat#JSON_API_V1}. */
  public static NotificationConfig of(String topic) {
    return new NotificationConfig(null, topic, PayloadFormat.JSON_API_V1, Set.of(), "", Map.of(), null, null);
  }

  /** Whether an event of {@code type} on object {@code name} is published by this configuration. */
  public boolean matches(EventType type, String name) {
    return (eventTypes.isEmpty() || eventTypes.contains(type)) && name.startsWith(objectNamePrefix);
  }

  /** The topic as Pub/Sub names it, {@code projects/P/topics/T} (without {@link #PUBSUB_PREFIX}). */
  public String topicName() {
    return topic.startsWith(PUBSUB_PREFIX) ? topic.substring(PUBSUB_PREFIX.length()) : topic;
  }

  public NotificationConfig withPayloadFormat(PayloadFormat value) {
    return new NotificationConfig(id, topic, value, eventTypes, objectNamePrefix, customAttributes, etag, selfLink);
  }

  public NotificationConfig withEventTypes(EventType... values) {
    Set<EventType> types = values.length == 0 ? Set.of() : EnumSet.copyOf(java.util.Arrays.asList(values));
    return new NotificationConfig(id, topic, payloadFormat, types, objectNamePrefix, customAttributes, etag, selfLink);
  }

  public NotificationConfig withObjectNamePrefix(String value) {
    return new NotificationConfig(id, topic, payloadFormat, eventTypes, value, customAttributes, etag, selfLink);
  }

  public NotificationConfig withCustomAttributes(Map<String, String> values) {
    return new NotificationConfig(id, topic, payloadFormat, eventTypes, objectNamePrefix, values, etag, selfLink);
  }

  /** This configuration as created: with its id, etag and self link. */
  public NotificationConfig created(String newId, String newEtag, String newSelfLink) {
    return new NotificationConfig(newId, topic, payloadFormat, eventTypes, objectNamePrefix, customAttributes, newEtag,
        newSelfLink);
  }

  /** The same configuration with {@code value} as its topic. */
  public NotificationConfig withTopic(String value) {
    return new NotificationConfig(id, value, payloadFormat, eventTypes, objectNamePrefix, customAttributes, etag,
        selfLink);
  }
}
