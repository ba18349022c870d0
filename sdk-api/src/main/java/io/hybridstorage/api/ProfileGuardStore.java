package io.hybridstorage.api;

import java.io.InputStream;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * Bounds every call by a BU {@link Profile}: a call outside it fails with 403 naming the BU, the
 * operation and the bucket (and object), before the store below is touched. Bucket listings are
 * filtered to the buckets the BU may see. The innermost decision is {@link Profile}'s; this class
 * only maps each {@link ObjectStore} method to the access it needs.
 */
final class ProfileGuardStore extends ForwardingObjectStore {

  /** The headers that make a signed PUT a server-side copy of the object they name (S3; GCS's XML API). */
  private static final Set<String> COPY_SOURCE = Set.of("x-amz-copy-source", "x-goog-copy-source");

  private final Profile profile;
  private final List<Placement> placements;

  ProfileGuardStore(ObjectStore delegate, Profile profile, List<Placement> placements) {
    super(delegate);
    this.profile = profile;
    this.placements = List.copyOf(placements);
  }

  /** A guard only checks names: it adds no waiting, so it keeps {@link Capability#IN_PROCESS}. */
  @Override
  public java.util.Set<Capability> capabilities() {
    return delegateCapabilities();
  }

  @Override
  public BucketInfo createBucket(BucketSpec spec) {
    requireWholeBucket("createBucket", spec.name());
    return super.createBucket(spec);
  }

  @Override
  public Optional<BucketInfo> getBucket(String bucket) {
    if (!profile.allowsAnyOf(bucket, placements)) {
      throw forbidden("getBucket", bucket, null, "bucket '" + bucket + "'");
    }
    return super.getBucket(bucket);
  }

  @Override
  public ListPage<BucketInfo> listBuckets(BucketListRequest request) {
    ListPage<BucketInfo> page = super.listBuckets(request);
    List<BucketInfo> visible = page.items().stream().filter(b -> profile.allowsAnyOf(b.name(), placements)).toList();
    return visible.size() == page.items().size() ? page : new ListPage<>(visible, page.prefixes(), page.nextPageToken());
  }

  @Override
  public BucketInfo updateBucket(String bucket, BucketPatch patch) {
    requireWholeBucket("updateBucket", bucket);
    return super.updateBucket(bucket, patch);
  }

  @Override
  public boolean deleteBucket(String bucket) {
    requireWholeBucket("deleteBucket", bucket);
    return super.deleteBucket(bucket);
  }

  @Override
  public Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
    requireObject("head", id.bucket(), id.name());
    return super.head(id, conditions);
  }

  @Override
  public ObjectContent read(ReadRequest request) {
    requireObject("read", request.id().bucket(), request.id().name());
    return super.read(request);
  }

  @Override
  public ObjectWriter openWrite(WriteRequest request) {
    requireObject("write", request.bucket(), request.name());
    return super.openWrite(request);
  }

  @Override
  public ObjectInfo write(WriteRequest request, InputStream data) {
    requireObject("write", request.bucket(), request.name());
    return super.write(request, data);
  }

  @Override
  public boolean delete(ObjectId id, Conditions conditions) {
    requireObject("delete", id.bucket(), id.name());
    return super.delete(id, conditions);
  }

  @Override
  public ListPage<ObjectInfo> list(ListRequest request) {
    if (!profile.allowsListing(request.bucket(), request.prefix(), placements)) {
      throw forbidden("list", request.bucket(), null, "gs://" + request.bucket() + "/"
          + (request.prefix() == null ? "" : request.prefix()) + "*" + dotSegmentHint(request.prefix()));
    }
    return super.list(request);
  }

  @Override
  public ObjectInfo copy(CopyRequest request) {
    requireObject("copy", request.source().bucket(), request.source().name());
    requireObject("copy", request.targetBucket(), request.targetName());
    return super.copy(request);
  }

  @Override
  public ObjectInfo compose(ComposeRequest request) {
    for (ComposeRequest.Source source : request.sources()) {
      requireObject("compose", request.bucket(), source.name());
    }
    requireObject("compose", request.bucket(), request.targetName());
    return super.compose(request);
  }

  @Override
  public ObjectInfo updateMetadata(ObjectId id, MetadataPatch patch, Conditions conditions) {
    requireObject("updateMetadata", id.bucket(), id.name());
    return super.updateMetadata(id, patch, conditions);
  }

  /**
   * The object, and any object a copy-source header names (the URL's holder would read it with
   * our credentials), must lie inside the profile. Stores refuse copy sources anyway ({@link
   * SignUrlRequest#checkHeaders}); this bound does not depend on that.
   */
  @Override
  public URL signUrl(SignUrlRequest request) {
    requireObject("signUrl", request.bucket(), request.name());
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      if (COPY_SOURCE.contains(header.getKey().strip().toLowerCase(Locale.ROOT))) {
        String[] source = copySource(header.getValue());
        if (source == null) {
          throw forbidden("signUrl", request.bucket(), request.name(), "an object named by header '"
              + header.getKey() + "' in a form it cannot check");
        }
        requireObject("signUrl", source[0], source[1]);
      }
    }
    return super.signUrl(request);
  }

  /**
   * {@code [bucket, object]} of a copy-source value ({@code [/]bucket/object[?versionId=…]},
   * percent-encoded, as S3 and GCS's XML API take it); an ARN yields a "bucket" no profile grants;
   * {@code null} when the value is not valid percent-encoding.
   */
  @Nullable
  private static String[] copySource(String value) {
    String path = value.strip();
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    int slash = path.indexOf('/');
    String bucket = slash < 0 ? path : path.substring(0, slash);
    String object = slash < 0 ? "" : path.substring(slash + 1);
    try {
      return new String[] {decode(bucket), decode(object)};
    } catch (IllegalArgumentException e) {
      return null; // not valid percent-encoding
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private void requireObject(String op, String bucket, String name) {
    if (!profile.allowsObject(bucket, name, placements)) {
      throw forbidden(op, bucket, name, "gs://" + bucket + "/" + name + dotSegmentHint(name));
    }
  }

  /** Why a name that starts with a granted prefix may still be refused. */
  private static String dotSegmentHint(@Nullable String name) {
    return name != null && Names.hasDotSegment(name)
        ? " ('.' and '..' segments count as a path resolves them, and so resolved the name leaves what is granted)"
        : "";
  }

  private void requireWholeBucket(String op, String bucket) {
    if (!profile.allowsWholeBucket(bucket, placements)) {
      throw forbidden(op, bucket, null, "the whole bucket '" + bucket + "'");
    }
  }

  private HybridStorageException forbidden(String op, String bucket, @Nullable String object, String what) {
    return new HybridStorageException(403, "forbidden", op, bucket, object, null,
        "BU '" + profile.name() + "' may not touch " + what
            + "; its profile grants buckets " + profile.buckets() + " and placements " + profile.placements()
            + " (extend profiles." + profile.name() + " in the configuration to allow it)", null);
  }
}
