package io.hybridstorage.api.internal;

import static java.util.Objects.requireNonNull;

import com.google.api.core.ApiFuture;
import com.google.api.gax.paging.Page;
import com.google.cloud.NoCredentials;
import com.google.cloud.Policy;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Acl;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobAppendableUpload;
import com.google.cloud.storage.BlobAppendableUploadConfig;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BlobReadSession;
import com.google.cloud.storage.BlobWriteSession;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.CopyWriter;
import com.google.cloud.storage.HmacKey;
import com.google.cloud.storage.HmacKey.HmacKeyMetadata;
import com.google.cloud.storage.HmacKey.HmacKeyState;
import com.google.cloud.storage.HybridBridge;
import com.google.cloud.storage.Notification;
import com.google.cloud.storage.NotificationInfo;
import com.google.cloud.storage.PostPolicyV4;
import com.google.cloud.storage.PostPolicyV4.PostConditionsV4;
import com.google.cloud.storage.PostPolicyV4.PostFieldsV4;
import com.google.cloud.storage.ServiceAccount;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageBatch;
import com.google.cloud.storage.StorageOptions;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.spi.Notifications;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole {@link Storage} interface of google-cloud-storage 2.63 translated onto one {@link
 * ObjectStore} (a site, or the routing store spanning sites). This class only delegates, by
 * concern: {@link Uploads}, {@link Downloads}, {@link ObjectOps}, {@link BucketOps}, {@link
 * Pages}, {@link ControlPlane} for the calls only GCS has, and {@link SignedUrlUploads} for
 * {@code writer(URL)}.
 *
 * <p>Contract: every method either does what GCS does, or throws {@code StorageException} 501
 * naming the method and the site — never {@code UnsupportedOperationException}, never a silent
 * default. Store failures surface as {@code StorageException} with GCS's code and reason (see
 * {@link Errors}). Every {@link Blob} and {@link Bucket} returned is bound to this facade: {@code
 * blob.getStorage() == this}, so {@code blob.reload()}, {@code blob.delete()}, {@code
 * bucket.list()} … route here. Which options are honoured, accepted or refused: {@link
 * OptionValues}.
 *
 * <p>Users get it from {@code HybridStorageOptions.getService()}; it is not API. Thread-safe as
 * the store is; the channels it hands out are single-threaded, like the client's.
 */
public final class StorageFacade implements Storage {

  private static final Logger log = LoggerFactory.getLogger(StorageFacade.class);

  private final ObjectStore store;
  private final StorageOptions options;
  private final ControlPlane control;
  private final SignedUrlUploads signedUploads;
  private final Uploads uploads;
  private final Downloads downloads;
  private final ObjectOps objects;
  private final BucketOps buckets;
  private final Pages listing;
  private final NotificationOps notifications;
  private final boolean closesStore;

  private StorageFacade(ObjectStore store, Function<String, Optional<Storage>> nativeForBucket,
      Function<String, Optional<Storage>> nativeForProjectCall,
      Function<String, Optional<Notifications>> notificationsForBucket, Collection<String> signedUrlEndpoints,
      String projectId) {
    this(requireNonNull(store, "store"), new ControlPlane(requireNonNull(nativeForBucket, "nativeForBucket"),
        requireNonNull(nativeForProjectCall, "nativeForProjectCall"),
        requireNonNull(notificationsForBucket, "notificationsForBucket"), store.site()),
        new SignedUrlUploads(signedUrlEndpoints, projectId), projectId, true);
  }

  private StorageFacade(ObjectStore store, ControlPlane control, SignedUrlUploads signedUploads, String projectId,
      boolean closesStore) {
    this.store = store;
    this.control = control;
    this.signedUploads = signedUploads;
    this.closesStore = closesStore;
    this.options = StorageOptions.http()
        .setProjectId(requireNonNull(projectId, "projectId"))
        .setCredentials(NoCredentials.getInstance())
        .setServiceFactory(ignored -> this)
        .build();
    Values values = new Values(this);
    this.uploads = new Uploads(store, values);
    this.downloads = new Downloads(store);
    this.objects = new ObjectOps(store, values);
    this.buckets = new BucketOps(store, values);
    this.listing = new Pages(store, values);
    this.notifications = new NotificationOps(control, this);
  }

  /**
   * A facade over {@code store}. Control-plane calls for any bucket, and project-level ones, go to
   * {@code nativeControlPlane} when given, else fail with 501 — but notification configurations go
   * to {@code store}'s {@link Notifications} mixin (found under its decorators) when it has one.
   * {@code writer(URL)} uploads to no endpoint (403).
   *
   * @param projectId reported by {@link #getOptions()} and the blobs' options
   */
  public static StorageFacade over(ObjectStore store, @Nullable Storage nativeControlPlane, String projectId) {
    Optional<Storage> nativeClient = Optional.ofNullable(nativeControlPlane);
    Optional<Notifications> mixin = Notifications.of(requireNonNull(store, "store"));
    return new StorageFacade(store, bucket -> nativeClient, method -> nativeClient, bucket -> mixin, List.of(),
        projectId);
  }

  /**
   * A facade over {@code store} whose control-plane calls for a bucket go to {@code
   * nativeForBucket.apply(bucket)} (the GCS authority's native client; empty when the bucket has
   * none), and project-level ones (HMAC keys, service account) to {@code
   * nativeForProjectCall.apply(method)}; either lookup may throw a {@code StorageException} to
   * refuse the call (403 under a BU profile). {@code writer(URL)} uploads, without credentials,
   * only to {@code signedUrlEndpoints} ({@code scheme://host[:port]}).
   */
  public static StorageFacade over(ObjectStore store, Function<String, Optional<Storage>> nativeForBucket,
      Function<String, Optional<Storage>> nativeForProjectCall, Collection<String> signedUrlEndpoints,
      String projectId) {
    Optional<Notifications> mixin = Notifications.of(requireNonNull(store, "store"));
    return new StorageFacade(store, nativeForBucket, nativeForProjectCall, bucket -> mixin, signedUrlEndpoints,
        projectId);
  }

  /**
   * As {@link #over(ObjectStore, Function, Function, Collection, String)}, with the store that keeps
   * a bucket's notification configurations when it has no native client: {@code
   * notificationsForBucket.apply(bucket)} (empty: 501).
   */
  public static StorageFacade over(ObjectStore store, Function<String, Optional<Storage>> nativeForBucket,
      Function<String, Optional<Storage>> nativeForProjectCall,
      Function<String, Optional<Notifications>> notificationsForBucket, Collection<String> signedUrlEndpoints,
      String projectId) {
    return new StorageFacade(store, nativeForBucket, nativeForProjectCall, notificationsForBucket,
        signedUrlEndpoints, projectId);
  }

  /**
   * Another facade over the same store and control plane whose {@link #close()} leaves the store
   * open: what the zero-code swap hands out for the process-wide world, which many callers share
   * (like one GCS) and a shutdown hook closes. Its {@code Blob}s and {@code Bucket}s are bound to
   * it, so {@code blob.getStorage()} is the instance the caller holds, and closing that closes
   * nothing shared.
   */
  public StorageFacade sharedView() {
    return new StorageFacade(store, control, signedUploads, options.getProjectId(), false);
  }

  /** Options whose {@code getService()} is this facade (what bound blobs and buckets carry). */
  @Override
  public StorageOptions getOptions() {
    return options;
  }

  /**
   * Closes the store (and so, for a routing store, its sites) and the signed-URL upload client; a
   * {@link #sharedView()} closes nothing.
   */
  @Override
  public void close() {
    if (!closesStore) {
      return;
    }
    try {
      store.close();
    } finally {
      try {
        signedUploads.close();
      } catch (Exception e) {
        log.warn("closing the signed-URL upload client failed", e);
      }
    }
  }

  // ================================================================== buckets

  @Override
  public Bucket create(BucketInfo bucketInfo, BucketTargetOption... options) {
    return buckets.create(bucketInfo, options);
  }

  @Override
  public Bucket get(String bucket, BucketGetOption... options) {
    return buckets.get(bucket, options);
  }

  @Override
  public Page<Bucket> list(BucketListOption... options) {
    return listing.buckets(options);
  }

  @Override
  public Bucket update(BucketInfo bucketInfo, BucketTargetOption... options) {
    return buckets.update(bucketInfo, options);
  }

  @Override
  public boolean delete(String bucket, BucketSourceOption... options) {
    return buckets.delete(bucket, options);
  }

  @Override
  public Bucket lockRetentionPolicy(BucketInfo bucket, BucketTargetOption... options) {
    return HybridBridge.bind(this, control.bucket("lockRetentionPolicy", bucket.getName())
        .lockRetentionPolicy(bucket, options));
  }

  // ================================================================== object writes

  @Override
  public Blob create(BlobInfo blobInfo, BlobTargetOption... options) {
    return uploads.create(blobInfo, new byte[0], 0, 0, options);
  }

  @Override
  public Blob create(BlobInfo blobInfo, byte[] content, BlobTargetOption... options) {
    byte[] bytes = content == null ? new byte[0] : content;
    return uploads.create(blobInfo, bytes, 0, bytes.length, options);
  }

  @Override
  public Blob create(BlobInfo blobInfo, byte[] content, int offset, int length, BlobTargetOption... options) {
    return uploads.create(blobInfo, content, offset, length, options);
  }

  @Deprecated
  @Override
  public Blob create(BlobInfo blobInfo, InputStream content, BlobWriteOption... options) {
    try {
      return uploads.create("create", blobInfo, content, Uploads.DEFAULT_BUFFER_SIZE, options);
    } catch (IOException e) {
      throw Errors.io("create", blobInfo.getBucket(), blobInfo.getName(), store.site(), e);
    }
  }

  @Override
  public Blob createFrom(BlobInfo blobInfo, Path path, BlobWriteOption... options) throws IOException {
    return uploads.createFrom(blobInfo, path, Uploads.DEFAULT_BUFFER_SIZE, options);
  }

  @Override
  public Blob createFrom(BlobInfo blobInfo, Path path, int bufferSize, BlobWriteOption... options)
      throws IOException {
    return uploads.createFrom(blobInfo, path, bufferSize, options);
  }

  @Override
  public Blob createFrom(BlobInfo blobInfo, InputStream content, BlobWriteOption... options) throws IOException {
    return uploads.create("createFrom", blobInfo, content, Uploads.DEFAULT_BUFFER_SIZE, options);
  }

  @Override
  public Blob createFrom(BlobInfo blobInfo, InputStream content, int bufferSize, BlobWriteOption... options)
      throws IOException {
    return uploads.create("createFrom", blobInfo, content, bufferSize, options);
  }

  @Override
  public WriteChannel writer(BlobInfo blobInfo, BlobWriteOption... options) {
    return uploads.writer("writer", blobInfo, options);
  }

  @Override
  public BlobWriteSession blobWriteSession(BlobInfo blobInfo, BlobWriteOption... options) {
    return uploads.session(blobInfo, options);
  }

  /**
   * Uploads to a signed URL (GCS's resumable protocol), carrying no credentials of ours, and only
   * to a configured site's endpoint or one of the configuration's {@code signedUrlEndpoints}: 403
   * for any other host (see {@link SignedUrlUploads}).
   */
  @Override
  public WriteChannel writer(URL signedURL) {
    return signedUploads.writer(signedURL);
  }

  // ================================================================== object reads

  @Override
  public Blob get(String bucket, String blob, BlobGetOption... options) {
    return objects.get(BlobId.of(bucket, blob), options);
  }

  @Override
  public Blob get(BlobId blob, BlobGetOption... options) {
    return objects.get(blob, options);
  }

  @Override
  public Blob get(BlobId blob) {
    return objects.get(blob);
  }

  @Override
  public List<Blob> get(BlobId... blobIds) {
    return objects.getAll(Arrays.asList(blobIds));
  }

  @Override
  public List<Blob> get(Iterable<BlobId> blobIds) {
    return objects.getAll(blobIds);
  }

  @Override
  public Page<Blob> list(String bucket, BlobListOption... options) {
    return listing.objects(bucket, options);
  }

  @Override
  public byte[] readAllBytes(String bucket, String blob, BlobSourceOption... options) {
    return downloads.readAllBytes(BlobId.of(bucket, blob), options);
  }

  @Override
  public byte[] readAllBytes(BlobId blob, BlobSourceOption... options) {
    return downloads.readAllBytes(blob, options);
  }

  @Override
  public ReadChannel reader(String bucket, String blob, BlobSourceOption... options) {
    return downloads.reader(BlobId.of(bucket, blob), options);
  }

  @Override
  public ReadChannel reader(BlobId blob, BlobSourceOption... options) {
    return downloads.reader(blob, options);
  }

  @Override
  public void downloadTo(BlobId blob, Path path, BlobSourceOption... options) {
    downloads.downloadTo(blob, path, options);
  }

  @Override
  public void downloadTo(BlobId blob, OutputStream outputStream, BlobSourceOption... options) {
    downloads.downloadTo(blob, outputStream, options);
  }

  /** gRPC-only in the client (bidirectional read sessions); 501 here. */
  @Override
  public ApiFuture<BlobReadSession> blobReadSession(BlobId id, BlobSourceOption... options) {
    throw Errors.unsupported("blobReadSession", id.getBucket(), id.getName(), store.site(),
        "blobReadSession is a gRPC-only API of the GCS client; use reader() instead");
  }

  /** gRPC-only in the client (appendable objects); 501 here. */
  @Override
  public BlobAppendableUpload blobAppendableUpload(BlobInfo blobInfo, BlobAppendableUploadConfig uploadConfig,
      BlobWriteOption... options) {
    throw Errors.unsupported("blobAppendableUpload", blobInfo.getBucket(), blobInfo.getName(), store.site(),
        "appendable objects are a gRPC-only GCS feature the ObjectStore contract does not have");
  }

  // ================================================================== object changes

  @Override
  public Blob update(BlobInfo blobInfo, BlobTargetOption... options) {
    return objects.update(blobInfo, options);
  }

  @Override
  public Blob update(BlobInfo blobInfo) {
    return objects.update(blobInfo);
  }

  @Override
  public List<Blob> update(BlobInfo... blobInfos) {
    return objects.updateAll(Arrays.asList(blobInfos));
  }

  @Override
  public List<Blob> update(Iterable<BlobInfo> blobInfos) {
    return objects.updateAll(blobInfos);
  }

  @Override
  public boolean delete(String bucket, String blob, BlobSourceOption... options) {
    return objects.delete(BlobId.of(bucket, blob), options);
  }

  @Override
  public boolean delete(BlobId blob, BlobSourceOption... options) {
    return objects.delete(blob, options);
  }

  @Override
  public boolean delete(BlobId blob) {
    return objects.delete(blob);
  }

  @Override
  public List<Boolean> delete(BlobId... blobIds) {
    return objects.deleteAll(Arrays.asList(blobIds));
  }

  @Override
  public List<Boolean> delete(Iterable<BlobId> blobIds) {
    return objects.deleteAll(blobIds);
  }

  @Override
  public Blob compose(ComposeRequest composeRequest) {
    return objects.compose(composeRequest);
  }

  @Override
  public CopyWriter copy(CopyRequest copyRequest) {
    return objects.copy(copyRequest);
  }

  @Override
  public Blob moveBlob(MoveBlobRequest request) {
    return objects.move(request);
  }

  @Override
  public Blob restore(BlobId blob, BlobRestoreOption... options) {
    return objects.restore(blob, options);
  }

  /** A batch whose calls run on this facade at {@code submit()}. */
  @Override
  public StorageBatch batch() {
    return HybridBridge.batch(options, this);
  }

  @Override
  public URL signUrl(BlobInfo blobInfo, long duration, TimeUnit unit, SignUrlOption... options) {
    return objects.signUrl(blobInfo, duration, unit, options);
  }

  // ================================================================== control plane (GCS only)

  @Override
  public PostPolicyV4 generateSignedPostPolicyV4(BlobInfo blobInfo, long duration, TimeUnit unit,
      PostFieldsV4 fields, PostConditionsV4 conditions, PostPolicyV4Option... options) {
    return control.bucket("generateSignedPostPolicyV4", blobInfo.getBucket())
        .generateSignedPostPolicyV4(blobInfo, duration, unit, fields, conditions, options);
  }

  @Override
  public PostPolicyV4 generateSignedPostPolicyV4(BlobInfo blobInfo, long duration, TimeUnit unit,
      PostFieldsV4 fields, PostPolicyV4Option... options) {
    return control.bucket("generateSignedPostPolicyV4", blobInfo.getBucket())
        .generateSignedPostPolicyV4(blobInfo, duration, unit, fields, options);
  }

  @Override
  public PostPolicyV4 generateSignedPostPolicyV4(BlobInfo blobInfo, long duration, TimeUnit unit,
      PostConditionsV4 conditions, PostPolicyV4Option... options) {
    return control.bucket("generateSignedPostPolicyV4", blobInfo.getBucket())
        .generateSignedPostPolicyV4(blobInfo, duration, unit, conditions, options);
  }

  @Override
  public PostPolicyV4 generateSignedPostPolicyV4(BlobInfo blobInfo, long duration, TimeUnit unit,
      PostPolicyV4Option... options) {
    return control.bucket("generateSignedPostPolicyV4", blobInfo.getBucket())
        .generateSignedPostPolicyV4(blobInfo, duration, unit, options);
  }

  @Override
  public Acl getAcl(String bucket, Acl.Entity entity, BucketSourceOption... options) {
    return control.bucket("getAcl", bucket).getAcl(bucket, entity, options);
  }

  @Override
  public Acl getAcl(String bucket, Acl.Entity entity) {
    return control.bucket("getAcl", bucket).getAcl(bucket, entity);
  }

  @Override
  public boolean deleteAcl(String bucket, Acl.Entity entity, BucketSourceOption... options) {
    return control.bucket("deleteAcl", bucket).deleteAcl(bucket, entity, options);
  }

  @Override
  public boolean deleteAcl(String bucket, Acl.Entity entity) {
    return control.bucket("deleteAcl", bucket).deleteAcl(bucket, entity);
  }

  @Override
  public Acl createAcl(String bucket, Acl acl, BucketSourceOption... options) {
    return control.bucket("createAcl", bucket).createAcl(bucket, acl, options);
  }

  @Override
  public Acl createAcl(String bucket, Acl acl) {
    return control.bucket("createAcl", bucket).createAcl(bucket, acl);
  }

  @Override
  public Acl updateAcl(String bucket, Acl acl, BucketSourceOption... options) {
    return control.bucket("updateAcl", bucket).updateAcl(bucket, acl, options);
  }

  @Override
  public Acl updateAcl(String bucket, Acl acl) {
    return control.bucket("updateAcl", bucket).updateAcl(bucket, acl);
  }

  @Override
  public List<Acl> listAcls(String bucket, BucketSourceOption... options) {
    return control.bucket("listAcls", bucket).listAcls(bucket, options);
  }

  @Override
  public List<Acl> listAcls(String bucket) {
    return control.bucket("listAcls", bucket).listAcls(bucket);
  }

  @Override
  public Acl getDefaultAcl(String bucket, Acl.Entity entity) {
    return control.bucket("getDefaultAcl", bucket).getDefaultAcl(bucket, entity);
  }

  @Override
  public boolean deleteDefaultAcl(String bucket, Acl.Entity entity) {
    return control.bucket("deleteDefaultAcl", bucket).deleteDefaultAcl(bucket, entity);
  }

  @Override
  public Acl createDefaultAcl(String bucket, Acl acl) {
    return control.bucket("createDefaultAcl", bucket).createDefaultAcl(bucket, acl);
  }

  @Override
  public Acl updateDefaultAcl(String bucket, Acl acl) {
    return control.bucket("updateDefaultAcl", bucket).updateDefaultAcl(bucket, acl);
  }

  @Override
  public List<Acl> listDefaultAcls(String bucket) {
    return control.bucket("listDefaultAcls", bucket).listDefaultAcls(bucket);
  }

  @Override
  public Acl getAcl(BlobId blob, Acl.Entity entity) {
    return control.bucket("getAcl", blob.getBucket()).getAcl(blob, entity);
  }

  @Override
  public boolean deleteAcl(BlobId blob, Acl.Entity entity) {
    return control.bucket("deleteAcl", blob.getBucket()).deleteAcl(blob, entity);
  }

  @Override
  public Acl createAcl(BlobId blob, Acl acl) {
    return control.bucket("createAcl", blob.getBucket()).createAcl(blob, acl);
  }

  @Override
  public Acl updateAcl(BlobId blob, Acl acl) {
    return control.bucket("updateAcl", blob.getBucket()).updateAcl(blob, acl);
  }

  @Override
  public List<Acl> listAcls(BlobId blob) {
    return control.bucket("listAcls", blob.getBucket()).listAcls(blob);
  }

  @Override
  public HmacKey createHmacKey(ServiceAccount serviceAccount, CreateHmacKeyOption... options) {
    return control.project("createHmacKey").createHmacKey(serviceAccount, options);
  }

  @Override
  public Page<HmacKeyMetadata> listHmacKeys(ListHmacKeysOption... options) {
    return control.project("listHmacKeys").listHmacKeys(options);
  }

  @Override
  public HmacKeyMetadata getHmacKey(String accessId, GetHmacKeyOption... options) {
    return control.project("getHmacKey").getHmacKey(accessId, options);
  }

  @Override
  public void deleteHmacKey(HmacKeyMetadata hmacKeyMetadata, DeleteHmacKeyOption... options) {
    control.project("deleteHmacKey").deleteHmacKey(hmacKeyMetadata, options);
  }

  @Override
  public HmacKeyMetadata updateHmacKeyState(HmacKeyMetadata hmacKeyMetadata, HmacKeyState state,
      UpdateHmacKeyOption... options) {
    return control.project("updateHmacKeyState").updateHmacKeyState(hmacKeyMetadata, state, options);
  }

  @Override
  public Policy getIamPolicy(String bucket, BucketSourceOption... options) {
    return control.bucket("getIamPolicy", bucket).getIamPolicy(bucket, options);
  }

  @Override
  public Policy setIamPolicy(String bucket, Policy policy, BucketSourceOption... options) {
    return control.bucket("setIamPolicy", bucket).setIamPolicy(bucket, policy, options);
  }

  @Override
  public List<Boolean> testIamPermissions(String bucket, List<String> permissions, BucketSourceOption... options) {
    return control.bucket("testIamPermissions", bucket).testIamPermissions(bucket, permissions, options);
  }

  @Override
  public ServiceAccount getServiceAccount(String projectId) {
    return control.project("getServiceAccount").getServiceAccount(projectId);
  }

  @Override
  public Notification createNotification(String bucket, NotificationInfo notificationInfo) {
    return notifications.create(bucket, notificationInfo);
  }

  @Override
  public Notification getNotification(String bucket, String notificationId) {
    return notifications.get(bucket, notificationId);
  }

  @Override
  public List<Notification> listNotifications(String bucket) {
    return notifications.list(bucket);
  }

  @Override
  public boolean deleteNotification(String bucket, String notificationId) {
    return notifications.delete(bucket, notificationId);
  }

  @Override
  public String toString() {
    return "StorageFacade{site=" + store.site() + ", project=" + options.getProjectId() + "}";
  }
}
