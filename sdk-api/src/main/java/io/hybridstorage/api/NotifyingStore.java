package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.Striped;
import io.hybridstorage.api.NotificationConfig.EventType;
import io.hybridstorage.api.NotificationConfig.PayloadFormat;
import io.hybridstorage.api.internal.ObjectResources;
import io.hybridstorage.api.spi.NotificationSink;
import io.hybridstorage.api.spi.Notifications;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A decorator that makes a store emit GCS object-change notifications, as a GCS bucket does to
 * Cloud Pub/Sub: it keeps each bucket's notification configurations ({@link Notifications}) and,
 * after each successful change, publishes one message per matching configuration to a {@link
 * NotificationSink}. What the embedded world's gcp site and the JSON API gateway use to give tests
 * and the sync engine a feed.
 *
 * <pre>{@code
 * InMemoryNotificationSink sink = new InMemoryNotificationSink();
 * NotifyingStore gcp = NotifyingStore.builder(new InMemoryStore("gcp"), sink).build();
 * gcp.createNotification("bkt", NotificationConfig.of("projects/p/topics/changes"));
 * }</pre>
 *
 * <p>The messages, per change (GCS's format: attributes {@code notificationConfig}, {@code
 * eventType}, {@code payloadFormat}, {@code bucketId}, {@code objectId}, {@code objectGeneration},
 * {@code eventTime} (RFC 3339, UTC) and the configuration's custom attributes; the payload is the
 * object resource exactly as the gateway's {@code objects.get} renders it ({@link
 * ObjectResources}), or empty with {@code NONE}):
 *
 * <ul>
 *   <li>a write, copy or compose: {@code OBJECT_FINALIZE} of the new version; when it replaced a
 *       live version, with {@code overwroteGeneration}, followed by {@code OBJECT_DELETE} of the
 *       replaced version ({@code OBJECT_ARCHIVE} when the bucket keeps it as noncurrent) with
 *       {@code overwrittenByGeneration};
 *   <li>a delete (or a replicated {@code deleteUpTo} that removed a live version): {@code
 *       OBJECT_DELETE}, or {@code OBJECT_ARCHIVE} when the version stays as noncurrent;
 *   <li>a metadata patch: {@code OBJECT_METADATA_UPDATE} with the new resource.
 * </ul>
 *
 * <p>Only changes made through this store are seen; another writer of the same backend is not
 * (GCS sees every writer; a decorator cannot). To know which version a change replaced, a change
 * to a name some configuration watches reads the name before and after, holding a lock of that
 * name (striped) so that changes through this store are told in their order; a name nothing
 * watches costs nothing more than a map lookup. Messages are published on the caller's thread
 * before the call returns, after the change: a sink failure is logged and never fails the change
 * (GCS, too, delivers notifications apart from the change, at least once).
 *
 * <p>The configurations are kept <em>in memory</em>, for the life of this store: a restarted
 * process starts without any (unlike GCS, where they are the bucket's). Deleting a bucket deletes
 * its configurations. Thread-safe.
 */
public final class NotifyingStore extends ForwardingObjectStore implements Notifications {

  private static final Logger log = LoggerFactory.getLogger(NotifyingStore.class);
  /** GCS's limit of configurations per bucket. */
  static final int MAX_CONFIGURATIONS = 100;
  /** Where GCS serves the JSON API: the default base of self links. */
  public static final String DEFAULT_ENDPOINT = "https://storage.googleapis.com";
  private static final Pattern TOPIC = Pattern.compile("projects/[^/]+/topics/[^/]+");
  private static final byte[] NO_PAYLOAD = new byte[0];

  private final NotificationSink sink;
  private final Supplier<String> endpoint;
  private final Clock clock;
  /** bucket → id → configuration, in creation order; a bucket's map is guarded by itself. */
  private final Map<String, Map<String, NotificationConfig>> configs = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final Striped<Lock> locks = Striped.lock(64);

  private NotifyingStore(Builder b) {
    super(b.delegate);
    this.sink = b.sink;
    this.endpoint = b.endpoint;
    this.clock = b.clock;
  }

  /** A notifying store over {@code delegate} publishing to {@code sink}; closing it closes {@code delegate}. */
  public static Builder builder(ObjectStore delegate, NotificationSink sink) {
    return new Builder(requireNonNull(delegate, "delegate"), requireNonNull(sink, "sink"));
  }

  /**
   * Keeps {@link Capability#IN_PROCESS} when the delegate has it: the only waits this adds are a
   * name's lock, held for one change of that name, and the sink, which must not block (its
   * contract).
   */
  @Override
  public Set<Capability> capabilities() {
    return delegateCapabilities();
  }

  // ------------------------------------------------------------------ configurations

  @Override
  public NotificationConfig createNotification(String bucket, NotificationConfig config) {
    requireNonNull(config, "config");
    requireBucket("createNotification", bucket);
    String topic = config.topic().startsWith(NotificationConfig.PUBSUB_PREFIX)
        ? config.topic().substring(NotificationConfig.PUBSUB_PREFIX.length()) : config.topic();
    if (!TOPIC.matcher(topic).matches()) {
      throw HybridStorageException.invalid("createNotification", bucket, null, site(), "Invalid topic '"
          + config.topic() + "': a notification's topic is projects/PROJECT/topics/TOPIC (or "
          + NotificationConfig.PUBSUB_PREFIX + "projects/PROJECT/topics/TOPIC)");
    }
    Map<String, NotificationConfig> ofBucket = configs.computeIfAbsent(bucket, b -> new LinkedHashMap<>());
    synchronized (ofBucket) {
      if (ofBucket.size() >= MAX_CONFIGURATIONS) {
        throw HybridStorageException.invalid("createNotification", bucket, null, site(), "bucket " + bucket
            + " has " + ofBucket.size() + " notification configurations, GCS's limit");
      }
      String id = String.valueOf(ids.incrementAndGet());
      NotificationConfig created = config.withTopic(NotificationConfig.PUBSUB_PREFIX + topic).created(id, id,
          endpoint.get() + "/storage/v1/b/" + ObjectResources.segment(bucket) + "/notificationConfigs/" + id);
      ofBucket.put(id, created);
      log.debug("notification configuration {} of bucket {} on {}: {}", id, bucket, site(), created);
      return created;
    }
  }

  @Override
  public Optional<NotificationConfig> getNotification(String bucket, String id) {
    requireBucket("getNotification", bucket);
    Map<String, NotificationConfig> ofBucket = configs.get(bucket);
    if (ofBucket == null) {
      return Optional.empty();
    }
    synchronized (ofBucket) {
      return Optional.ofNullable(ofBucket.get(id));
    }
  }

  @Override
  public List<NotificationConfig> listNotifications(String bucket) {
    requireBucket("listNotifications", bucket);
    return configurations(bucket);
  }

  @Override
  public boolean deleteNotification(String bucket, String id) {
    requireBucket("deleteNotification", bucket);
    Map<String, NotificationConfig> ofBucket = configs.get(bucket);
    if (ofBucket == null) {
      return false;
    }
    synchronized (ofBucket) {
      return ofBucket.remove(id) != null;
    }
  }

  private void requireBucket(String op, String bucket) {
    requireNonNull(bucket, "bucket");
    if (delegate().getBucket(bucket).isEmpty()) {
      throw HybridStorageException.bucketNotFound(op, bucket, site());
    }
  }

  private List<NotificationConfig> configurations(String bucket) {
    Map<String, NotificationConfig> ofBucket = configs.get(bucket);
    if (ofBucket == null) {
      return List.of();
    }
    synchronized (ofBucket) {
      return List.copyOf(ofBucket.values());
    }
  }

  /** Whether a configuration of {@code bucket} may publish a change of {@code name}. */
  private boolean watched(String bucket, String name) {
    Map<String, NotificationConfig> ofBucket = configs.get(bucket);
    if (ofBucket == null) {
      return false;
    }
    synchronized (ofBucket) {
      for (NotificationConfig c : ofBucket.values()) {
        if (name.startsWith(c.objectNamePrefix())) {
          return true;
        }
      }
      return false;
    }
  }

  // ------------------------------------------------------------------ changes

  @Override
  public boolean deleteBucket(String bucket) {
    boolean deleted = super.deleteBucket(bucket);
    if (deleted) {
      configs.remove(bucket); // GCS deletes a bucket's configurations with it
    }
    return deleted;
  }

  @Override
  public ObjectWriter openWrite(WriteRequest request) {
    return new NotifyingWriter(delegate().openWrite(request), request.bucket(), request.name());
  }

  /**
   * Forwarded as is to a name nothing watches (the delegate's own write, maybe one request);
   * otherwise written through {@link #openWrite}, whose commit reads the replaced version.
   */
  @Override
  public ObjectInfo write(WriteRequest request, InputStream data) {
    if (!watched(request.bucket(), request.name())) {
      return super.write(request, data);
    }
    return StreamedWrite.write(this, request, data);
  }

  @Override
  public ObjectInfo copy(CopyRequest request) {
    return finalizing(request.targetBucket(), request.targetName(), () -> super.copy(request));
  }

  @Override
  public ObjectInfo compose(ComposeRequest request) {
    return finalizing(request.bucket(), request.targetName(), () -> super.compose(request));
  }

  @Override
  public ObjectInfo updateMetadata(ObjectId id, MetadataPatch patch, Conditions conditions) {
    if (!watched(id.bucket(), id.name())) {
      return super.updateMetadata(id, patch, conditions);
    }
    Lock lock = lock(id.bucket(), id.name());
    lock.lock();
    try {
      ObjectInfo updated = super.updateMetadata(id, patch, conditions);
      publish(EventType.OBJECT_METADATA_UPDATE, updated, 0, 0, orNow(updated.updateTime()));
      return updated;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean delete(ObjectId id, Conditions conditions) {
    if (!watched(id.bucket(), id.name())) {
      return super.delete(id, conditions);
    }
    Lock lock = lock(id.bucket(), id.name());
    lock.lock();
    try {
      Optional<ObjectInfo> before = delegate().head(id, Conditions.none());
      boolean deleted = super.delete(id, conditions);
      if (deleted && before.isPresent()) {
        removed(before.get(), 0);
      }
      return deleted;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean deleteUpTo(String bucket, String name, long generation) {
    if (!watched(bucket, name)) {
      return super.deleteUpTo(bucket, name, generation);
    }
    Lock lock = lock(bucket, name);
    lock.lock();
    try {
      Optional<ObjectInfo> before = delegate().head(ObjectId.of(bucket, name), Conditions.none());
      boolean removed = super.deleteUpTo(bucket, name, generation);
      if (removed && before.isPresent() && before.get().generation() <= generation) {
        removed(before.get(), 0);
      }
      return removed;
    } finally {
      lock.unlock();
    }
  }

  /** A change creating a new version of {@code bucket/name}: FINALIZE, and the replaced version's end. */
  private ObjectInfo finalizing(String bucket, String name, Supplier<ObjectInfo> change) {
    if (!watched(bucket, name)) {
      return change.get();
    }
    Lock lock = lock(bucket, name);
    lock.lock();
    try {
      Optional<ObjectInfo> before = delegate().head(ObjectId.of(bucket, name), Conditions.none());
      ObjectInfo created = change.get();
      finalized(before.orElse(null), created);
      return created;
    } finally {
      lock.unlock();
    }
  }

  private void finalized(@Nullable ObjectInfo replaced, ObjectInfo created) {
    long overwrote = replaced != null && replaced.generation() != created.generation() ? replaced.generation() : 0;
    publish(EventType.OBJECT_FINALIZE, created, overwrote, 0,
        orNow(created.updateTime() != null ? created.updateTime() : created.createTime()));
    if (overwrote != 0) {
      removed(replaced, created.generation());
    }
  }

  /**
   * {@code old} stopped being live ({@code by}: the generation that replaced it, 0 for a delete):
   * ARCHIVE when the store still holds it as noncurrent, else DELETE.
   */
  private void removed(ObjectInfo old, long by) {
    Optional<ObjectInfo> kept;
    try {
      kept = delegate().head(ObjectId.of(old.bucket(), old.name(), old.generation()), Conditions.none());
    } catch (HybridStorageException e) {
      log.warn("notifications: cannot tell whether {} was archived or deleted on {}: {}", old.id(), site(),
          e.getMessage());
      kept = Optional.empty();
    }
    if (kept.isPresent() && !kept.get().isLive()) {
      publish(EventType.OBJECT_ARCHIVE, kept.get(), 0, by, orNow(kept.get().deleteTime()));
    } else {
      publish(EventType.OBJECT_DELETE, old, 0, by, clock.instant());
    }
  }

  private Instant orNow(@Nullable Instant time) {
    return time != null ? time : clock.instant();
  }

  private Lock lock(String bucket, String name) {
    return locks.get(bucket + "\n" + name);
  }

  /** One message per configuration of the bucket that matches; a failing sink is logged. */
  private void publish(EventType type, ObjectInfo info, long overwrote, long overwrittenBy, Instant eventTime) {
    byte[] payload = null;
    for (NotificationConfig c : configurations(info.bucket())) {
      if (!c.matches(type, info.name())) {
        continue;
      }
      Map<String, String> attributes = new LinkedHashMap<>(c.customAttributes());
      attributes.put("notificationConfig", "projects/_/buckets/" + info.bucket() + "/notificationConfigs/" + c.id());
      attributes.put("eventType", type.name());
      attributes.put("payloadFormat", c.payloadFormat().name());
      attributes.put("bucketId", info.bucket());
      attributes.put("objectId", info.name());
      attributes.put("objectGeneration", String.valueOf(info.generation()));
      attributes.put("eventTime", DateTimeFormatter.ISO_INSTANT.format(eventTime));
      if (overwrote != 0) {
        attributes.put("overwroteGeneration", String.valueOf(overwrote));
      }
      if (overwrittenBy != 0) {
        attributes.put("overwrittenByGeneration", String.valueOf(overwrittenBy));
      }
      byte[] body = NO_PAYLOAD;
      if (c.payloadFormat() == PayloadFormat.JSON_API_V1) {
        if (payload == null) {
          payload = ObjectResources.bytes(ObjectResources.object(info, endpoint.get()));
        }
        body = payload.clone();
      }
      try {
        sink.publish(c.topicName(), Collections.unmodifiableMap(attributes), body);
      } catch (RuntimeException e) {
        // the change happened; GCS's delivery is apart from it too. Never the payload in the log.
        log.warn("notifications: publishing {} of {} to {} (configuration {} of bucket {} on {}) failed: {}", type,
            info.id(), c.topicName(), c.id(), info.bucket(), site(), e.toString());
      }
    }
  }

  /** The delegate's writer; its commit reads the replaced version and publishes, under the name's lock. */
  private final class NotifyingWriter implements ObjectWriter {
    private final ObjectWriter writer;
    private final String bucket;
    private final String name;

    NotifyingWriter(ObjectWriter writer, String bucket, String name) {
      this.writer = writer;
      this.bucket = bucket;
      this.name = name;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
      return writer.write(source);
    }

    @Override
    public void precomputedChecksums(String crc32c, @Nullable String md5) {
      writer.precomputedChecksums(crc32c, md5);
    }

    @Override
    public boolean isOpen() {
      return writer.isOpen();
    }

    @Override
    public ObjectInfo commit() throws IOException {
      if (!watched(bucket, name)) {
        return writer.commit();
      }
      Lock lock = lock(bucket, name);
      lock.lock();
      try {
        Optional<ObjectInfo> before = delegate().head(ObjectId.of(bucket, name), Conditions.none());
        ObjectInfo created = writer.commit();
        finalized(before.orElse(null), created);
        return created;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      writer.close();
    }
  }

  /** Settings of a {@link NotifyingStore}. */
  public static final class Builder {
    private final ObjectStore delegate;
    private final NotificationSink sink;
    private Supplier<String> endpoint = () -> DEFAULT_ENDPOINT;
    private Clock clock = Clock.systemUTC();

    private Builder(ObjectStore delegate, NotificationSink sink) {
      this.delegate = delegate;
      this.sink = sink;
    }

    /**
     * The server ({@code scheme://host[:port]}) the payloads' and configurations' self links name:
     * the gateway's endpoint. Default {@value NotifyingStore#DEFAULT_ENDPOINT}.
     */
    public Builder endpoint(String value) {
      requireNonNull(value, "endpoint");
      this.endpoint = () -> value;
      return this;
    }

    /** As {@link #endpoint(String)}, asked at each use (a server that learns its port when it starts). */
    public Builder endpoint(Supplier<String> value) {
      this.endpoint = requireNonNull(value, "endpoint");
      return this;
    }

    /** The clock of the {@code eventTime} of deletes (other events take the object's times). Default: UTC. */
    public Builder clock(Clock value) {
      this.clock = requireNonNull(value, "clock");
      return this;
    }

    public NotifyingStore build() {
      return new NotifyingStore(this);
    }
  }
}
