package io.hybridstorage.routing;

import io.hybridstorage.api.BucketInfo;
import io.hybridstorage.api.BucketListRequest;
import io.hybridstorage.api.BucketPatch;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.Placement;
import io.hybridstorage.routing.internal.RoutingContext;
import io.hybridstorage.routing.internal.SiteHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * The bucket calls of {@link RoutingStore}: a bucket exists on every site named by a placement
 * that may cover it, and its authority (the authority of the placement owning its root) speaks
 * for it.
 *
 * <ul>
 *   <li>Changes ({@link #createBucket}, {@link #updateBucket}, {@link #deleteBucket}) go to the
 *       authority first — its answer (409, 404) is the answer — then to the other sites. A bucket
 *       is deleted only when no site holds an object version in it, after this router replayed
 *       what it still has journaled for it.
 *   <li>{@link #getBucket} asks the authority.
 *   <li>{@link #listBuckets} merges every site's buckets by name (UTF-8 order, the routers' own
 *       watermark bucket left out), shows the authority's view of each, and pages the merged
 *       listing itself: its page tokens are the last name of a page, so they are not any site's.
 * </ul>
 *
 * <p>Errors are the sites' own; {@link RoutingStore} re-issues them as its own. Thread-safe.
 */
final class BucketRouter {

  private final HybridStorageOptions options;
  private final RoutingSettings settings;
  private final Map<String, SiteHandle> sites;
  private final RoutingContext ctx;
  private final JournalControl journalControl;

  /** {@code journalControl}: how {@link #deleteBucket} replays before it checks that the sites are empty. */
  BucketRouter(RoutingContext ctx, JournalControl journalControl) {
    this.options = ctx.options();
    this.settings = ctx.settings();
    this.sites = ctx.sites();
    this.ctx = ctx;
    this.journalControl = journalControl;
  }

  private SiteHandle site(String name) {
    return ctx.site(name);
  }

  /** The sites holding a bucket: every replica of every placement that may cover it. */
  private List<SiteHandle> bucketSites(String bucket) {
    Set<String> names = new LinkedHashSet<>();
    Placement own = bucketPlacement(bucket);
    if (own != null) {
      names.add(own.authority());
    }
    for (Placement p : options.placements()) {
      if (p.bucket().equals(bucket) || p.bucket().equals(Placement.ANY_BUCKET)) {
        names.addAll(p.replicas());
      }
    }
    List<SiteHandle> result = new ArrayList<>();
    for (String n : names) {
      result.add(site(n));
    }
    return result;
  }

  @Nullable
  private Placement bucketPlacement(String bucket) {
    return options.placementFor(bucket, "").orElseGet(() -> options.placements().stream()
        .filter(p -> p.bucket().equals(bucket)).findFirst().orElse(null));
  }

  private SiteHandle bucketAuthority(String op, String bucket) {
    Placement p = bucketPlacement(bucket);
    if (p == null) {
      throw HybridStorageException.invalid(op, bucket, null, null,
          "no placement covers bucket " + bucket + "; configure one (bucket '*' for a default)");
    }
    return site(p.authority());
  }

  BucketInfo createBucket(BucketSpec spec) {
    SiteHandle authority = bucketAuthority("createBucket", spec.name());
    BucketInfo info = authority.store().createBucket(spec);
    for (SiteHandle s : bucketSites(spec.name())) {
      if (s != authority) {
        try {
          s.store().createBucket(spec);
        } catch (HybridStorageException e) {
          if (e.code() != 409) {
            throw e;
          }
        }
      }
    }
    return info;
  }

  Optional<BucketInfo> getBucket(String bucket) {
    return bucketAuthority("getBucket", bucket).store().getBucket(bucket);
  }

  /** Buckets of every site, merged by name (the authority's view of each), paged by name. */
  ListPage<BucketInfo> listBuckets(BucketListRequest request) {
    TreeMap<String, BucketInfo> all = new TreeMap<>(Verifier::compareUtf8);
    for (SiteHandle s : sites.values()) {
      String token = null;
      do {
        ListPage<BucketInfo> page = s.store().listBuckets(new BucketListRequest(request.prefix(), 0, token));
        for (BucketInfo b : page.items()) {
          if (!b.name().equals(settings.watermarkBucket())) { // the routers' own (replication watermarks)
            all.putIfAbsent(b.name(), b);
          }
        }
        token = page.nextPageToken();
      } while (token != null);
    }
    String after = request.pageToken() == null ? null
        : new String(Base64.getUrlDecoder().decode(request.pageToken()), StandardCharsets.UTF_8);
    int size = request.pageSize() == 0 ? ListRequest.DEFAULT_PAGE_SIZE : request.pageSize();
    List<BucketInfo> items = new ArrayList<>();
    String next = null;
    for (BucketInfo b : (after == null ? all : all.tailMap(after, false)).values()) {
      if (items.size() == size) {
        next = Base64.getUrlEncoder().encodeToString(items.get(size - 1).name().getBytes(StandardCharsets.UTF_8));
        break;
      }
      Placement p = bucketPlacement(b.name());
      if (p != null && sites.containsKey(p.authority())) {
        b = site(p.authority()).store().getBucket(b.name()).orElse(b);
      }
      items.add(b);
    }
    return ListPage.of(items, next);
  }

  BucketInfo updateBucket(String bucket, BucketPatch patch) {
    SiteHandle authority = bucketAuthority("updateBucket", bucket);
    BucketInfo info = authority.store().updateBucket(bucket, patch);
    for (SiteHandle s : bucketSites(bucket)) {
      if (s != authority) {
        s.store().updateBucket(bucket, patch);
      }
    }
    return info;
  }

  boolean deleteBucket(String bucket) {
    SiteHandle authority = bucketAuthority("deleteBucket", bucket);
    // every site must be empty first: under async policies a replica may hold objects the
    // authority does not have yet, and a half-deleted bucket would lose them. Replicate what this
    // router still has pending for the bucket, so its own deletes have reached every site — its
    // best-effort appends (acknowledged before their fsync) included, once they are durable.
    journalControl.awaitAppendsDurable();
    for (int pass = 0; pass < 5 && ctx.journal().hasPending(bucket); pass++) {
      journalControl.replayPass();
    }
    for (SiteHandle s : bucketSites(bucket)) {
      if (s.store().getBucket(bucket).isPresent()
          && !s.store().list(ListRequest.of(bucket).withVersions(true).withPageSize(1)).items().isEmpty()) {
        throw HybridStorageException.conflict("deleteBucket", bucket, null, s.name(),
            "The bucket you tried to delete is not empty (site " + s.name() + " still holds object versions).");
      }
    }
    boolean deleted = authority.store().deleteBucket(bucket);
    for (SiteHandle s : bucketSites(bucket)) {
      if (s != authority) {
        deleted |= s.store().deleteBucket(bucket);
      }
    }
    return deleted;
  }
}
