package io.hybridstorage.api.internal;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.CopyWriter;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.HybridBridge;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobRestoreOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.SignUrlOption;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.spi.v1.StorageRpc;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.SignUrlRequest;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Object metadata and server-side operations: {@code get}, {@code update}, {@code delete} (and
 * their batch forms), {@code compose}, {@code copy}, {@code moveBlob}, {@code restore} and {@code
 * signUrl}. As in the client, {@code get} answers {@code null} and {@code delete} {@code false}
 * for any 404 (object or bucket); {@code update} of a missing object is a 404 error.
 */
@SuppressWarnings("deprecation") // Option is deprecated, yet every option class of the client extends it
final class ObjectOps {

  private static final Logger log = LoggerFactory.getLogger(ObjectOps.class);

  private static final Set<StorageRpc.Option> RESTORE = EnumSet.of(StorageRpc.Option.COPY_SOURCE_ACL,
      StorageRpc.Option.IF_GENERATION_MATCH, StorageRpc.Option.IF_GENERATION_NOT_MATCH,
      StorageRpc.Option.IF_METAGENERATION_MATCH, StorageRpc.Option.IF_METAGENERATION_NOT_MATCH);

  /** The longest life of a V4 signed URL (GCS) and of a SigV4 presigned one (S3): 7 days. */
  static final Duration MAX_SIGNED_URL_TTL = Duration.ofDays(7);

  private final ObjectStore store;
  private final Values values;

  ObjectOps(ObjectStore store, Values values) {
    this.store = store;
    this.values = values;
  }

  /**
   * The object, or {@code null} for any 404; with {@code fields(...)}, only the fields asked for
   * are set, as GCS returns only those.
   */
  @Nullable
  Blob get(BlobId id, BlobGetOption... options) {
    OptionValues opts = OptionValues.of(id, options, OptionValues.CONDITIONS, "get", store.site());
    FieldSelection fields = FieldSelection.ofResource(opts.string(StorageRpc.Option.FIELDS));
    try {
      return store.head(Values.id("get", id, store.site()), opts.conditions()).map(o -> values.blob(o, fields))
          .orElse(null);
    } catch (HybridStorageException e) {
      if (Errors.isNotFound(e)) {
        return null;
      }
      throw Errors.translate(e);
    }
  }

  boolean delete(BlobId id, BlobSourceOption... options) {
    Conditions conditions = conditions("delete", id, options);
    try {
      return store.delete(Values.id("delete", id, store.site()), conditions);
    } catch (HybridStorageException e) {
      if (Errors.isNotFound(e)) {
        return false;
      }
      throw Errors.translate(e);
    }
  }

  /**
   * Patches the fields set on {@code info} since it was built (the client sends only those); with
   * none set, answers like {@code get} (as the client does). Like the client, the patch goes to the
   * live version whatever generation {@code info} carries (the client's PATCH sends none; pin a
   * version with {@code BlobTargetOption.generationMatch()}); only the answer-like-get case reads
   * {@code info}'s generation, as the client's GET does.
   */
  @Nullable
  Blob update(BlobInfo info, BlobTargetOption... options) {
    String site = store.site();
    Conditions conditions = OptionValues.of(info, options, OptionValues.CONDITIONS, "update", site).conditions();
    Set<String> modified = HybridBridge.modifiedFields(info);
    Values.checkStorable("update", info, modified, site);
    MetadataPatch patch = Values.patch(info, modified);
    if (Values.isEmpty(patch)) {
      try {
        return store.head(Values.id("update", info.getBlobId(), site), conditions).map(values::blob).orElse(null);
      } catch (HybridStorageException e) {
        if (Errors.isNotFound(e)) {
          return null;
        }
        throw Errors.translate(e);
      }
    }
    ObjectId target = ObjectId.of(info.getBucket(), info.getName());
    return Errors.call(() -> values.blob(store.updateMetadata(target, patch, conditions)));
  }

  /** The batch forms: one call each, in order; a failure answers {@code null}, as in the client. */
  List<Blob> getAll(Iterable<BlobId> ids) {
    return each(ids, this::get);
  }

  List<Blob> updateAll(Iterable<BlobInfo> infos) {
    return each(infos, this::update);
  }

  /** Deletes each; a failure answers {@code false}, as in the client. */
  List<Boolean> deleteAll(Iterable<BlobId> ids) {
    return each(ids, this::delete).stream().map(Boolean.TRUE::equals).toList();
  }

  Blob compose(Storage.ComposeRequest request) {
    BlobInfo target = request.getTarget();
    Conditions conditions = targetConditions("compose", target, request.getTargetOptions());
    checkFields("compose", target);
    List<ComposeRequest.Source> sources = new ArrayList<>();
    for (Storage.ComposeRequest.SourceBlob source : request.getSourceBlobs()) {
      Long generation = source.getGeneration();
      Values.checkGeneration("compose", target.getBucket(), source.getName(), generation, store.site());
      sources.add(new ComposeRequest.Source(source.getName(), generation == null ? 0 : generation, null));
    }
    return Errors.call(() -> values.blob(store.compose(new ComposeRequest(target.getBucket(), sources,
        target.getName(), Values.metadata(target, false), conditions))));
  }

  CopyWriter copy(Storage.CopyRequest request) {
    BlobId source = request.getSource();
    BlobInfo target = request.getTarget();
    Conditions sourceConditions = sourceConditions("copy", source, request.getSourceOptions());
    Conditions targetConditions = targetConditions("copy", target, request.getTargetOptions());
    ObjectMetadata metadata = null;
    if (request.overrideInfo()) {
      checkFields("copy", target);
      metadata = Values.metadata(target, false);
    }
    CopyRequest copy = new CopyRequest(Values.id("copy", source, store.site()), sourceConditions, target.getBucket(),
        target.getName(), metadata, targetConditions);
    return new FinishedCopyWriter(Errors.call(() -> values.blob(store.copy(copy))));
  }

  /**
   * {@code moveBlob}: copies the source version to the target, then deletes exactly that version.
   * Not atomic as on a hierarchical-namespace GCS bucket: if the source is overwritten between
   * the two steps, the new version stays (the move then reads as having happened just before the
   * overwrite) and the copied version is kept as well.
   */
  Blob move(Storage.MoveBlobRequest request) {
    BlobId source = request.getSource();
    BlobId target = request.getTarget();
    String site = store.site();
    Conditions sourceConditions = sourceConditions("moveBlob", source, request.getSourceOptions());
    Conditions targetConditions = targetConditions("moveBlob", BlobInfo.newBuilder(target).build(),
        request.getTargetOptions());
    return Errors.call(() -> {
      ObjectInfo from = store.head(Values.id("moveBlob", source, site), Conditions.none()).orElseThrow(() ->
          HybridStorageException.objectNotFound("moveBlob", source.getBucket(), source.getName(), site));
      // a move changes the source: its preconditions fail with 412, as a write's (not a read's 304)
      sourceConditions.check(from, "moveBlob", source.getBucket(), source.getName(), site);
      ObjectInfo moved = store.copy(new CopyRequest(from.id(), Conditions.none(), target.getBucket(),
          target.getName(), null, targetConditions));
      try {
        store.delete(from.id(), Conditions.generationMatch(from.generation()));
      } catch (HybridStorageException e) {
        if (e.code() != 412) {
          throw e;
        }
        log.debug("moveBlob {}: source overwritten during the move, kept its new version", from.id());
      }
      return values.blob(moved);
    });
  }

  /**
   * {@code restore}: makes a noncurrent generation live again as a new version (GCS restores
   * soft-deleted objects; here, the noncurrent versions of a versioned bucket). The generation is
   * required (400 without it, as GCS); 404 if that generation is missing or is the live one.
   * {@code copySourceAcl} is accepted: there are no object ACLs to copy.
   */
  Blob restore(BlobId id, BlobRestoreOption... options) {
    String site = store.site();
    if (id.getGeneration() == null) {
      throw Errors.invalid("restore", id.getBucket(), id.getName(), site,
          "restore needs the generation of the version to restore");
    }
    Conditions conditions = OptionValues.of(id, options, RESTORE, "restore", site).conditions();
    return Errors.call(() -> {
      ObjectInfo version = store.head(Values.id("restore", id, site), Conditions.none())
          .filter(v -> !v.isLive())
          .orElseThrow(() -> new HybridStorageException(404, "notFound", "restore", id.getBucket(),
              id.getName(), site, "No noncurrent version " + id.getGeneration() + " of "
                  + id.getBucket() + "/" + id.getName(), null));
      return values.blob(store.copy(new CopyRequest(version.id(), Conditions.none(), id.getBucket(),
          id.getName(), null, conditions)));
    });
  }

  /**
   * {@code signUrl} through {@link ObjectStore#signUrl}: the store of the object's authority signs
   * (a GCS site: a GCS V4 URL; a VAST site: a presigned S3 URL for its endpoint, same method and
   * lifetime; the in-memory backend: 501, it has no endpoint). The HTTP method, extension headers
   * and the content-type / MD5 headers are honoured; an extension header that could widen what the
   * URL grants (copy sources, ACLs, the SDK's own metadata: see {@link SignUrlRequest#checkHeaders})
   * is refused with 400; a lifetime over 7 days is the client's {@link IllegalArgumentException}
   * for V4; options that choose how the URL is built (V2 signatures, another signer, host names,
   * URL style, extra query parameters) are refused with 501, since the store builds it.
   */
  URL signUrl(BlobInfo info, long duration, TimeUnit unit, SignUrlOption... options) {
    String site = store.site();
    String method = "GET";
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, Object> option : HybridBridge.signUrlOptions(options).entrySet()) {
      Object value = option.getValue();
      switch (option.getKey()) {
        case "HTTP_METHOD":
          method = ((HttpMethod) value).name();
          break;
        case "EXT_HEADERS":
          @SuppressWarnings("unchecked")
          Map<String, String> extra = (Map<String, String>) value;
          headers.putAll(extra);
          break;
        case "CONTENT_TYPE":
          headers.put("Content-Type", require(info.getContentType(), "content type"));
          break;
        case "MD5":
          headers.put("Content-MD5", require(info.getMd5(), "md5"));
          break;
        case "SIGNATURE_VERSION":
          if (!"V4".equals(String.valueOf(value))) {
            throw Errors.unsupported("signUrl", info.getBucket(), info.getName(), site,
                "only V4 signed URLs are supported, not " + value);
          }
          break;
        case "QUERY_PARAMS":
          if (!((Map<?, ?>) value).isEmpty()) {
            throw Errors.unsupported("signUrl", info.getBucket(), info.getName(), site,
                "extra query parameters in signed URLs are not supported");
          }
          break;
        default:
          throw Errors.unsupported("signUrl", info.getBucket(), info.getName(), site,
              "sign option " + option.getKey() + " is not supported: the store builds the URL");
      }
    }
    Duration ttl = Duration.ofMillis(unit.toMillis(duration));
    if (ttl.compareTo(MAX_SIGNED_URL_TTL) > 0) {
      // the client's own check of a V4 signature (SignatureInfo), which every URL here has
      throw new IllegalArgumentException("Expiration can't be longer than 7 days to use V4 signing");
    }
    SignUrlRequest request = new SignUrlRequest(info.getBucket(), info.getName(), method, ttl, headers);
    return Errors.call(() -> {
      request.checkHeaders(site); // before any store: a copy-source or ACL header would widen the URL
      return store.signUrl(request);
    });
  }

  private Conditions conditions(String method, BlobId id, com.google.cloud.storage.Option<?>[] options) {
    return OptionValues.of(id, options, OptionValues.CONDITIONS, method, store.site()).conditions();
  }

  private Conditions sourceConditions(String method, BlobId source, List<BlobSourceOption> options) {
    return OptionValues.of(source, options.toArray(new BlobSourceOption[0]), OptionValues.CONDITIONS, method,
        store.site()).conditions();
  }

  private Conditions targetConditions(String method, BlobInfo target, List<BlobTargetOption> options) {
    return OptionValues.of(target, options.toArray(new BlobTargetOption[0]), OptionValues.CONDITIONS, method,
        store.site()).conditions();
  }

  private void checkFields(String method, BlobInfo target) {
    Values.checkStorable(method, target, HybridBridge.modifiedFields(target), store.site());
  }

  private static String require(@Nullable String value, String what) {
    if (value == null) {
      // the client's own check
      throw new IllegalArgumentException("Blob is missing a value for " + what);
    }
    return value;
  }

  /** {@code call} on each item, in order; an item whose call fails answers {@code null}. */
  private static <T, R> List<R> each(Iterable<T> items, Function<T, R> call) {
    List<R> results = new ArrayList<>();
    for (T item : items) {
      try {
        results.add(call.apply(item));
      } catch (StorageException e) {
        results.add(null);
      }
    }
    return Collections.unmodifiableList(results);
  }
}
