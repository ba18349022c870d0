package io.hybridstorage.vast;

import com.google.common.hash.Hashing;
import io.hybridstorage.api.HybridStorageException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The highest generation deleted under each key of a {@link VastStore}, kept for {@link
 * VastStoreConfig#tombstoneRetention()}, so an assigned generation at or below it is refused and
 * the store's own generations stay above it ({@code Capability.ASSIGNED_GENERATIONS}). S3 forgets
 * a deleted key entirely; this remembers it.
 *
 * <p>With a {@link VastStoreConfig#tombstoneBucket()}: one empty marker object per deleted key in
 * that bucket (never in the user's bucket, so an S3 or NFS listing of it shows nothing), keyed
 * {@code k/<bucket>/<name>} — or {@code h/<bucket>/<SHA-256 of name>} when that would exceed S3's
 * 1,024 bytes — whose user metadata holds the generation ({@code hs-deleted-generation}) and when
 * it was deleted ({@code hs-deleted-at}, this store's clock). Every process writing to the site
 * sees the same markers. A marker is written <em>before</em> the live object is removed, under the
 * key's lock, and only raised (a lower generation never replaces a higher one; with native
 * conditional requests the marker's own PUT carries If-Match / If-None-Match, so two processes
 * raising it at once cannot lower it). A marker older than the retention is ignored, and deleted
 * when met; the bucket should also carry an S3 lifecycle rule expiring objects after the
 * retention plus a day, which bounds it to the keys deleted within the retention.
 *
 * <p>Without one: the markers live in this process's memory, at most {@value #MEMORY_CAPACITY}
 * keys (the oldest are forgotten first), for the life of the store — enough for a single router
 * process in tests, not across processes or restarts (the store logs this at start).
 */
abstract class Tombstones {

  static final String GENERATION = "hs-deleted-generation";
  static final String DELETED_AT = "hs-deleted-at";
  static final int MEMORY_CAPACITY = 100_000;
  private static final int MAX_KEY_BYTES = 1024;

  final Duration retention;
  final Clock clock;

  Tombstones(Duration retention, Clock clock) {
    this.retention = retention;
    this.clock = clock;
  }

  static Tombstones create(VastStore store) {
    VastStoreConfig config = store.config;
    if (config.tombstoneBucket() == null) {
      return new InMemory(config.tombstoneRetention(), store.clock);
    }
    return new InBucket(store, config.tombstoneBucket());
  }

  /** The highest generation deleted under {@code bucket/name} within the retention, or 0. */
  abstract long deleted(String op, String bucket, String name);

  /**
   * Records that generation {@code generation} of {@code bucket/name} is being deleted (by a
   * delete, or by a replicated {@code deleteUpTo}, which records it also when nothing is live): to
   * be called under the key's lock before the object is removed; a failure must stop the delete.
   */
  abstract void record(String op, String bucket, String name, long generation);

  boolean expired(Instant deletedAt) {
    return deletedAt.plus(retention).isBefore(clock.instant());
  }

  /** The marker's key in the tombstone bucket. */
  static String markerKey(String bucket, String name) {
    String plain = "k/" + bucket + "/" + name;
    if (plain.getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES) {
      return plain;
    }
    return "h/" + bucket + "/" + Hashing.sha256().hashString(name, StandardCharsets.UTF_8);
  }

  /** Process-local tombstones (no tombstone bucket configured). */
  static final class InMemory extends Tombstones {
    private record Mark(long generation, Instant deletedAt) {}

    private final Map<String, Mark> marks = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Mark> eldest) {
        return size() > MEMORY_CAPACITY;
      }
    };

    InMemory(Duration retention, Clock clock) {
      super(retention, clock);
    }

    @Override
    synchronized long deleted(String op, String bucket, String name) {
      Mark m = marks.get(markerKey(bucket, name));
      return m == null || expired(m.deletedAt()) ? 0 : m.generation();
    }

    @Override
    synchronized void record(String op, String bucket, String name, long generation) {
      String key = markerKey(bucket, name);
      Mark m = marks.get(key);
      if (m == null || expired(m.deletedAt()) || m.generation() < generation) {
        marks.remove(key); // re-inserted last: the newest are forgotten last
        marks.put(key, new Mark(generation, clock.instant()));
      }
    }
  }

  /** Marker objects in the tombstone bucket. */
  static final class InBucket extends Tombstones {
    private static final Logger LOG = LoggerFactory.getLogger(InBucket.class);

    private final VastStore store;
    private final String bucket;

    InBucket(VastStore store, String bucket) {
      super(store.config.tombstoneRetention(), store.clock);
      this.store = store;
      this.bucket = bucket;
    }

    /** A marker as read: its generation, when it was set, and its ETag (for a guarded PUT). */
    private record Marker(long generation, Instant deletedAt, String etag) {}

    @Nullable
    private Marker read(String op, String userBucket, String name, String key) {
      HeadObjectResponse r;
      try {
        r = store.s3.headObject(b -> b.bucket(bucket).key(key));
      } catch (SdkException e) {
        if (S3Errors.isNotFound(e)) {
          return null;
        }
        throw unavailable(op, userBucket, name, "reading its tombstone failed: " + e.getMessage(), e);
      }
      Map<String, String> user = r.metadata();
      try {
        return new Marker(Long.parseLong(user.getOrDefault(GENERATION, "0")),
            Instant.parse(user.getOrDefault(DELETED_AT, Instant.EPOCH.toString())), r.eTag());
      } catch (NumberFormatException | DateTimeParseException e) {
        LOG.warn("tombstone {}/{} on {} is unreadable ({}); ignoring it", bucket, key, store.site(), e.toString());
        return null;
      }
    }

    @Override
    long deleted(String op, String userBucket, String name) {
      String key = markerKey(userBucket, name);
      Marker m = read(op, userBucket, name, key);
      if (m == null) {
        return 0;
      }
      if (expired(m.deletedAt())) {
        removeExpired(key, m);
        return 0;
      }
      return m.generation();
    }

    @Override
    void record(String op, String userBucket, String name, long generation) {
      String key = markerKey(userBucket, name);
      for (int attempt = 1; ; attempt++) {
        Marker m = read(op, userBucket, name, key);
        if (m != null && !expired(m.deletedAt()) && m.generation() >= generation) {
          return; // a higher (or the same) deletion is already remembered
        }
        Map<String, String> user = Map.of(GENERATION, Long.toString(generation),
            DELETED_AT, clock.instant().toString());
        try {
          store.s3.putObject(b -> {
            b.bucket(bucket).key(key).metadata(user).contentLength(0L);
            if (store.nativeConditions()) {
              if (m == null) {
                b.ifNoneMatch("*");
              } else {
                b.ifMatch(m.etag());
              }
            }
          }, RequestBody.empty());
          return;
        } catch (SdkException e) {
          if (store.nativeConditions() && S3Errors.isPreconditionFailed(e) && attempt < VastStore.PUBLISH_ATTEMPTS) {
            continue; // another process moved the marker: read it again
          }
          throw unavailable(op, userBucket, name, "recording its tombstone in bucket " + bucket
              + " failed, so nothing was deleted: " + e.getMessage(), e);
        }
      }
    }

    /** Best effort: a marker past the retention is only clutter (a lifecycle rule removes the rest). */
    private void removeExpired(String key, Marker m) {
      try {
        store.s3.deleteObject(b -> {
          b.bucket(bucket).key(key);
          if (store.nativeConditions()) {
            b.ifMatch(m.etag());
          }
        });
      } catch (SdkException e) {
        LOG.debug("could not remove the expired tombstone {}/{} on {}: {}", bucket, key, store.site(), e.toString());
      }
    }

    private HybridStorageException unavailable(String op, String userBucket, String name, String detail,
        SdkException cause) {
      return store.errors.unavailable(op, userBucket, name, detail, cause);
    }
  }
}
