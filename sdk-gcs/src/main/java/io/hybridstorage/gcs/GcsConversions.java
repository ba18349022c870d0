package io.hybridstorage.gcs;

import com.google.api.client.util.Data;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import io.hybridstorage.api.BucketInfo;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import javax.annotation.Nullable;

/** Maps between the SPI's value types and the GCS client's. Stateless. */
final class GcsConversions {

  private GcsConversions() {}

  // ------------------------------------------------------------------ ids and infos

  static BlobId blobId(ObjectId id) {
    return id.generation() == 0 ? BlobId.of(id.bucket(), id.name()) : BlobId.of(id.bucket(), id.name(), id.generation());
  }

  /** A {@code BlobInfo} carrying {@code metadata} (content headers and custom keys). */
  static BlobInfo.Builder blobInfo(BlobId id, ObjectMetadata metadata) {
    BlobInfo.Builder b = BlobInfo.newBuilder(id);
    if (metadata.contentType() != null) {
      b.setContentType(metadata.contentType());
    }
    if (metadata.contentEncoding() != null) {
      b.setContentEncoding(metadata.contentEncoding());
    }
    if (metadata.contentDisposition() != null) {
      b.setContentDisposition(metadata.contentDisposition());
    }
    if (metadata.contentLanguage() != null) {
      b.setContentLanguage(metadata.contentLanguage());
    }
    if (metadata.cacheControl() != null) {
      b.setCacheControl(metadata.cacheControl());
    }
    if (!metadata.custom().isEmpty()) {
      b.setMetadata(metadata.custom());
    }
    return b;
  }

  static ObjectInfo objectInfo(BlobInfo b) {
    ObjectMetadata metadata = new ObjectMetadata(
        str(b.getContentType()),
        str(b.getContentEncoding()),
        str(b.getContentDisposition()),
        str(b.getContentLanguage()),
        str(b.getCacheControl()),
        custom(b.getMetadata()));
    return new ObjectInfo(
        b.getBucket(),
        b.getName(),
        orZero(b.getGeneration()),
        orZero(b.getMetageneration()),
        orZero(b.getSize()),
        str(b.getCrc32c()),
        str(b.getMd5()),
        str(b.getEtag()),
        metadata,
        instant(b.getCreateTimeOffsetDateTime()),
        instant(b.getUpdateTimeOffsetDateTime()),
        instant(b.getDeleteTimeOffsetDateTime()),
        b.getComponentCount() == null ? 0 : b.getComponentCount());
  }

  static BucketInfo bucketInfo(Bucket b) {
    return new BucketInfo(
        b.getName(),
        Boolean.TRUE.equals(b.versioningEnabled()),
        str(b.getLocation()),
        b.getStorageClass() == null ? null : b.getStorageClass().name(),
        custom(b.getLabels()),
        orZero(b.getMetageneration()),
        instant(b.getCreateTimeOffsetDateTime()),
        instant(b.getUpdateTimeOffsetDateTime()));
  }

  /** A copy without {@code null} values (GCS's client marks removed keys with them). */
  static Map<String, String> custom(@Nullable Map<String, String> map) {
    Map<String, String> out = new TreeMap<>();
    if (map != null) {
      map.forEach((k, v) -> {
        if (k != null && v != null && !Data.isNull(v)) {
          out.put(k, v);
        }
      });
    }
    return out;
  }

  @Nullable
  private static String str(@Nullable String s) {
    return s == null || Data.isNull(s) ? null : s;
  }

  private static long orZero(@Nullable Long value) {
    return value == null ? 0 : value;
  }

  @Nullable
  private static Instant instant(@Nullable OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  // ------------------------------------------------------------------ preconditions

  static BlobGetOption[] getOptions(Conditions c) {
    return options(c, BlobGetOption::generationMatch, BlobGetOption::generationNotMatch,
        BlobGetOption::metagenerationMatch, BlobGetOption::metagenerationNotMatch, BlobGetOption[]::new);
  }

  static BlobSourceOption[] sourceOptions(Conditions c) {
    return options(c, BlobSourceOption::generationMatch, BlobSourceOption::generationNotMatch,
        BlobSourceOption::metagenerationMatch, BlobSourceOption::metagenerationNotMatch, BlobSourceOption[]::new);
  }

  static BlobTargetOption[] targetOptions(Conditions c, BlobTargetOption... extra) {
    BlobTargetOption[] conditions = options(c, BlobTargetOption::generationMatch, BlobTargetOption::generationNotMatch,
        BlobTargetOption::metagenerationMatch, BlobTargetOption::metagenerationNotMatch, BlobTargetOption[]::new);
    return concat(conditions, extra, () -> new BlobTargetOption[conditions.length + extra.length]);
  }

  static BlobWriteOption[] writeOptions(Conditions c, BlobWriteOption... extra) {
    BlobWriteOption[] conditions = options(c, BlobWriteOption::generationMatch, BlobWriteOption::generationNotMatch,
        BlobWriteOption::metagenerationMatch, BlobWriteOption::metagenerationNotMatch, BlobWriteOption[]::new);
    return concat(conditions, extra, () -> new BlobWriteOption[conditions.length + extra.length]);
  }

  /**
   * The four GCS preconditions as options of one kind. {@code ifGenerationMatch=0} is passed as
   * is: GCS reads it as "does not exist", exactly like {@code doesNotExist()}.
   */
  private static <T> T[] options(Conditions c, LongFunction<T> generationMatch, LongFunction<T> generationNotMatch,
      LongFunction<T> metagenerationMatch, LongFunction<T> metagenerationNotMatch,
      java.util.function.IntFunction<T[]> array) {
    List<T> out = new ArrayList<>(4);
    if (c.ifGenerationMatch() != null) {
      out.add(generationMatch.apply(c.ifGenerationMatch()));
    }
    if (c.ifGenerationNotMatch() != null) {
      out.add(generationNotMatch.apply(c.ifGenerationNotMatch()));
    }
    if (c.ifMetagenerationMatch() != null) {
      out.add(metagenerationMatch.apply(c.ifMetagenerationMatch()));
    }
    if (c.ifMetagenerationNotMatch() != null) {
      out.add(metagenerationNotMatch.apply(c.ifMetagenerationNotMatch()));
    }
    return out.toArray(array.apply(0));
  }

  private static <T> T[] concat(T[] first, T[] second, Supplier<T[]> target) {
    if (second.length == 0) {
      return first;
    }
    T[] out = target.get();
    System.arraycopy(first, 0, out, 0, first.length);
    System.arraycopy(second, 0, out, first.length, second.length);
    return out;
  }
}
