package com.google.cloud.storage;

import com.google.cloud.storage.Storage.SignUrlOption;
import com.google.cloud.storage.UnifiedOpts.NamedField;
import com.google.cloud.storage.UnifiedOpts.Opt;
import com.google.cloud.storage.UnifiedOpts.Opts;
import com.google.cloud.storage.spi.v1.StorageRpc;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.annotation.Nullable;

/**
 * The Hybrid Storage SDK's only door into the package-private parts of the GCS client: it builds
 * {@link Blob}, {@link Bucket}, {@link Notification}, {@link CopyWriter} and {@link StorageBatch} bound to another
 * {@link Storage}, and reads the values of option objects. Nothing else.
 *
 * <p>Why it exists: the GCS client keeps those constructors and the option getters
 * package-private, yet a drop-in {@code Storage} must return bound {@code Blob}s and honour every
 * option. Why it is tiny: a client upgrade can break it. It is pinned by libraries-bom in the
 * parent POM and every method here is exercised by {@code HybridBridgeTest} against that version;
 * when that test fails after an upgrade, fix this class and nothing else.
 *
 * <p>Not part of the SDK's public API (it is public only because Java packages force it).
 */
@SuppressWarnings("deprecation") // Option is deprecated, yet every option class of the client extends it
public final class HybridBridge {

  private HybridBridge() {}

  // ------------------------------------------------------------------------------------ options

  /**
   * The values of {@code options} as the client's own RPC layer sees them, keyed by {@link
   * StorageRpc.Option} (e.g. {@code IF_GENERATION_MATCH -> 7L}). Extractor options such as
   * {@code BlobSourceOption.generationMatch()} are resolved against {@code id}, as the client does.
   * Throws {@link IllegalArgumentException} on conflicting options, as the client does.
   */
  public static Map<StorageRpc.Option, Object> options(BlobId id, Option<?>... options) {
    if (options.length == 0) {
      return NO_OPTIONS; // most calls: the client's option machinery costs more than the call
    }
    return values(opts(options).resolveFrom(id));
  }

  /** As {@link #options(BlobId, Option[])}, extractors resolved against {@code info}. */
  public static Map<StorageRpc.Option, Object> options(BlobInfo info, Option<?>... options) {
    if (options.length == 0) {
      return NO_OPTIONS; // most calls: the client's option machinery costs more than the call
    }
    return values(opts(options).resolveFrom(info));
  }

  /** As {@link #options(BlobId, Option[])}, extractors resolved against a bucket. */
  public static Map<StorageRpc.Option, Object> options(BucketInfo info, Option<?>... options) {
    if (options.length == 0) {
      return NO_OPTIONS; // most calls: the client's option machinery costs more than the call
    }
    return values(opts(options).resolveFrom(info));
  }

  /** As {@link #options(BlobId, Option[])}, for options without extractors (lists, bucket gets). */
  public static Map<StorageRpc.Option, Object> options(Option<?>... options) {
    if (options.length == 0) {
      return NO_OPTIONS; // most calls: the client's option machinery costs more than the call
    }
    return values(opts(options));
  }

  /**
   * The object a write creates, as the client computes it: {@code info} with its MD5 and CRC32C
   * cleared, then the write options applied ({@code md5Match()} / {@code crc32cMatch()} restore
   * the caller's checksums as expectations, {@code detectContentType()} sets the content type).
   */
  public static BlobInfo writeTarget(BlobInfo info, Option<?>... options) {
    if (options.length == 0 && info.getMd5() == null && info.getCrc32c() == null) {
      return info; // what the mapper of no options would build again
    }
    Opts<Opt> opts = opts(options).resolveFrom(info);
    return opts.blobInfoMapper().apply(info.toBuilder().clearMd5().clearCrc32c()).build();
  }

  /**
   * The JSON names of the fields set on {@code info} since it was built or copied, e.g. {@code
   * contentType} or {@code metadata.key}: what {@code Storage.update} patches.
   */
  public static Set<String> modifiedFields(BlobInfo info) {
    return names(info.getModifiedFields());
  }

  /** As {@link #modifiedFields(BlobInfo)} for a bucket, e.g. {@code versioning}, {@code labels}. */
  public static Set<String> modifiedFields(BucketInfo info) {
    return names(info.getModifiedFields());
  }

  /**
   * The signing options by name ({@code HTTP_METHOD}, {@code EXT_HEADERS}, {@code
   * SIGNATURE_VERSION} …, the client's enum names) and values, in order; a repeated option keeps
   * its last value.
   */
  public static Map<String, Object> signUrlOptions(SignUrlOption... options) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (SignUrlOption option : options) {
      values.put(option.getOption().name(), option.getValue());
    }
    return values;
  }

  // ------------------------------------------------------------------------------------ values

  /**
   * A {@link Blob} bound to {@code storage}: the caller-settable fields from {@code info}, plus the
   * fields only a server sets ({@code null}: not returned, as in a partial response).
   */
  public static Blob blob(Storage storage, BlobInfo.Builder info, @Nullable String generatedId, @Nullable Long size,
      @Nullable Long metageneration, @Nullable String etag, @Nullable Integer componentCount,
      @Nullable OffsetDateTime createTime, @Nullable OffsetDateTime updateTime,
      @Nullable OffsetDateTime deleteTime) {
    BlobInfo built = info.setGeneratedId(generatedId)
        .setSize(size)
        .setMetageneration(metageneration)
        .setEtag(etag)
        .setComponentCount(componentCount)
        .setCreateTimeOffsetDateTime(createTime)
        .setUpdateTimeOffsetDateTime(updateTime)
        .setDeleteTimeOffsetDateTime(deleteTime)
        .build();
    return built.asBlob(storage);
  }

  /** The pseudo-blob a delimited listing returns for a prefix ({@code isDirectory() == true}). */
  public static Blob directory(Storage storage, String bucket, String prefix) {
    return BlobInfo.newBuilder(BlobId.of(bucket, prefix)).setSize(0L).setIsDirectory(true).build()
        .asBlob(storage);
  }

  /**
   * A {@link Bucket} bound to {@code storage}, with the fields only a server sets ({@code null}:
   * not returned, as in a partial response).
   */
  public static Bucket bucket(Storage storage, BucketInfo.Builder info, @Nullable String generatedId,
      @Nullable Long metageneration, @Nullable OffsetDateTime createTime, @Nullable OffsetDateTime updateTime) {
    return info.setGeneratedId(generatedId)
        .setMetageneration(metageneration)
        .setCreateTimeOffsetDateTime(createTime)
        .setUpdateTimeOffsetDateTime(updateTime)
        .build()
        .asBucket(storage);
  }

  /** {@code info} (e.g. a bucket a pass-through call returned) re-bound to {@code storage}. */
  public static Bucket bind(Storage storage, BucketInfo info) {
    return info.asBucket(storage);
  }

  /** {@code info} re-bound to {@code storage}. */
  public static Blob bind(Storage storage, BlobInfo info) {
    return info.asBlob(storage);
  }

  /**
   * A builder of a notification configuration with a server-assigned {@code notificationId} and
   * {@code topic} as the JSON API returns it ({@code //pubsub.googleapis.com/projects/P/topics/T}),
   * which {@link NotificationInfo#newBuilder} would check against its client-side form.
   */
  public static NotificationInfo.Builder notificationBuilder(String notificationId, String topic) {
    return new NotificationInfo.BuilderImpl(topic).setNotificationId(notificationId);
  }

  /** A {@link Notification} bound to {@code storage}. */
  public static Notification bind(Storage storage, NotificationInfo info) {
    return info.asNotification(storage);
  }

  // ------------------------------------------------------------------------------------ classes

  /** {@link CopyWriter} with an accessible constructor. */
  public abstract static class AbstractCopyWriter extends CopyWriter {
    protected AbstractCopyWriter() {}
  }

  /**
   * A {@link StorageBatch} whose {@code get}, {@code update} and {@code delete} calls run on
   * {@code target} at {@link StorageBatch#submit()}, in order, completing each result as the
   * client's batch does (a 404 makes {@code get} succeed with {@code null} and {@code delete}
   * with {@code false}; other failures complete the result exceptionally). As in the client, a
   * call's options are resolved when it is added: conflicting ones (e.g. two {@code
   * generationMatch}) or an extractor without a value throw {@link IllegalArgumentException} right
   * there, and the batch is left as it was, never half run at {@code submit()}.
   *
   * @param options HTTP options (the client's batch is HTTP only); no request is ever sent
   */
  public static StorageBatch batch(StorageOptions options, Storage target) {
    if (!(options instanceof HttpStorageOptions)) {
      throw new IllegalArgumentException("a StorageBatch needs HttpStorageOptions, got " + options.getClass());
    }
    return new DeferredBatch((HttpStorageOptions) options, target);
  }

  private static Opts<Opt> opts(Option<?>... options) {
    return Opts.from(Arrays.stream(options).map(o -> (Opt) o.getOpt()).toArray(Opt[]::new));
  }

  private static final Map<StorageRpc.Option, Object> NO_OPTIONS =
      java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(StorageRpc.Option.class));

  private static Map<StorageRpc.Option, Object> values(Opts<Opt> opts) {
    Map<StorageRpc.Option, Object> values = new java.util.EnumMap<>(StorageRpc.Option.class);
    values.putAll(opts.getRpcOptions());
    return java.util.Collections.unmodifiableMap(values);
  }

  private static Set<String> names(Set<NamedField> fields) {
    Set<String> names = new java.util.LinkedHashSet<>(Math.max(4, fields.size() * 2));
    for (NamedField f : fields) { // a loop: this runs on every create
      names.add(f.getApiaryName());
    }
    return names;
  }

  private static final class DeferredBatch extends StorageBatch {
    private final Storage target;
    private final List<Runnable> calls = new ArrayList<>();

    DeferredBatch(HttpStorageOptions options, Storage target) {
      super(options);
      this.target = target;
    }

    @Override
    public StorageBatchResult<Boolean> delete(String bucket, String blob, Storage.BlobSourceOption... options) {
      return delete(BlobId.of(bucket, blob), options);
    }

    @Override
    public StorageBatchResult<Boolean> delete(BlobId blob, Storage.BlobSourceOption... options) {
      options(blob, options);
      return defer(storage -> storage.delete(blob, options), true, Boolean.FALSE);
    }

    @Override
    public StorageBatchResult<Blob> update(BlobInfo blobInfo, Storage.BlobTargetOption... options) {
      options(blobInfo, options);
      return defer(storage -> storage.update(blobInfo, options), false, null);
    }

    @Override
    public StorageBatchResult<Blob> get(String bucket, String blob, Storage.BlobGetOption... options) {
      return get(BlobId.of(bucket, blob), options);
    }

    @Override
    public StorageBatchResult<Blob> get(BlobId blob, Storage.BlobGetOption... options) {
      options(blob, options);
      return defer(storage -> storage.get(blob, options), true, null);
    }

    @Override
    public void submit() {
      List<Runnable> pending = new ArrayList<>(calls);
      calls.clear();
      pending.forEach(Runnable::run);
    }

    /** When {@code notFoundIsValue}, a 404 completes the result with {@code onNotFound}. */
    private <T> StorageBatchResult<T> defer(Function<Storage, T> call, boolean notFoundIsValue,
        @Nullable T onNotFound) {
      StorageBatchResult<T> result = new StorageBatchResult<>();
      calls.add(() -> {
        T value;
        try {
          value = call.apply(target);
        } catch (StorageException e) {
          if (notFoundIsValue && e.getCode() == 404) {
            result.success(onNotFound);
          } else {
            result.error(e);
          }
          return;
        }
        result.success(value);
      });
      return result;
    }
  }
}
