package io.hybridstorage.routing;

import io.hybridstorage.api.ByteRange;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.CopyRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.Listing;
import io.hybridstorage.api.MetadataPatch;
import io.hybridstorage.api.Names;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.SignUrlRequest;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.internal.RoutingContext;
import io.hybridstorage.routing.internal.SiteHandle;
import io.hybridstorage.routing.internal.policy.ReadCoordinator;
import io.hybridstorage.routing.internal.policy.Route;
import io.hybridstorage.routing.internal.policy.WriteCoordinator;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The object calls of {@link RoutingStore}, each sent where its placement says: finds the {@link
 * Placement} covering the name (400 when none does), resolves it to a {@link Route} (cached per
 * placement), and hands the call to the {@link ReadCoordinator} (reads by read policy and
 * consistency) or the {@link WriteCoordinator} (changes by write policy). A change is refused
 * before any site is touched when a replica cannot hold its name ({@link #changing}).
 *
 * <p>Besides dispatching, it keeps causality: a generation a caller saw in a read, a head or a
 * listing is {@linkplain io.hybridstorage.routing.internal.GenerationClock#observe observed}, so
 * a later write through this router is newer. A copy whose source and target have different
 * primaries cannot be one native call: the source is streamed through the router ({@link
 * #copyAcross}).
 *
 * <p>Errors are the sites' and coordinators' own; {@link RoutingStore} re-issues them as its own.
 * Thread-safe.
 */
final class ObjectRouter {

  private final HybridStorageOptions options;
  private final RoutingContext ctx;
  private final ReadCoordinator reads;
  private final WriteCoordinator writes;
  private final Map<Placement, Route> routes = new ConcurrentHashMap<>();
  /** The router's name, the site of the errors it raises itself. */
  private final String siteName;
  /** The router itself: a copy across placements writes through it, as a caller's write would. */
  private final ObjectStore router;

  ObjectRouter(RoutingContext ctx, ReadCoordinator reads, WriteCoordinator writes, String siteName,
      ObjectStore router) {
    this.options = ctx.options();
    this.ctx = ctx;
    this.reads = reads;
    this.writes = writes;
    this.siteName = siteName;
    this.router = router;
  }

  private SiteHandle site(String name) {
    return ctx.site(name);
  }

  // ------------------------------------------------------------------------ placements and routes

  private Placement placement(String op, String bucket, String name) {
    return options.placementFor(bucket, name).orElseThrow(() -> HybridStorageException.invalid(op, bucket, name, null,
        "no placement covers gs://" + bucket + "/" + name + "; configure one (bucket '*' for a default)"));
  }

  /**
   * The placement of a change (write, copy, compose, metadata update, delete) of {@code
   * bucket/name}: 400 when the name has a {@code .} or {@code ..} segment and a replica cannot
   * hold such names ({@link Capability#DOT_SEGMENT_NAMES}: an S3 site, whose paths would resolve
   * it). Decided before any site is touched, so no site commits a change another one must refuse
   * and the journal never keeps an entry that can never be replayed.
   */
  private Placement changing(String op, String bucket, String name) {
    Placement p = placement(op, bucket, name);
    if (Names.hasDotSegment(name)) {
      for (String replica : p.replicas()) {
        if (!site(replica).store().capabilities().contains(Capability.DOT_SEGMENT_NAMES)) {
          throw HybridStorageException.invalid(op, bucket, name, replica, "Invalid object name for placement '"
              + p.id() + "': it has a '.' or '..' segment, and its replica " + replica + " cannot hold such names "
              + "(an S3 path would resolve them into another object); name the object without '.' and '..' "
              + "segments, or place it on sites that store names literally");
        }
      }
    }
    return p;
  }

  private Route route(Placement p) {
    return routes.computeIfAbsent(p, x -> Route.of(x, ctx));
  }

  // ------------------------------------------------------------------------ reads

  Optional<ObjectInfo> head(ObjectId id, Conditions conditions) {
    Optional<ObjectInfo> info = reads.head(placement("head", id.bucket(), id.name()), id, conditions);
    // a write after this read is newer
    info.ifPresent(i -> ctx.generations().observe(id.bucket(), id.name(), i.generation()));
    return info;
  }

  ObjectContent read(ReadRequest request) {
    ObjectId id = request.id();
    ObjectContent content = reads.read(placement("read", id.bucket(), id.name()), request);
    // a write after this read is newer (causality)
    ctx.generations().observe(id.bucket(), id.name(), content.info().generation());
    return content;
  }

  /**
   * Served by the primary of the placement owning the names (see {@link PlacementScope}): one
   * site when one placement owns every name under the prefix; else each owner's names from its own
   * primary, merged into one listing ({@link Listing}: UTF-8 order, delimiters, offsets, glob,
   * versions, page tokens that resume after the last entry). The caller observes the generations
   * it lists.
   */
  ListPage<ObjectInfo> list(ListRequest request) {
    String prefix = request.prefix() == null ? "" : request.prefix();
    PlacementScope scope = PlacementScope.of(options, request.bucket(), prefix);
    if (scope.isEmpty()) {
      placement("list", request.bucket(), prefix); // throws: no placement covers it
    }
    if (scope.isSingle() && scope.placements().get(0).covers(request.bucket(), prefix)) {
      return route(scope.placements().get(0)).primary().store().list(request);
    }
    return Listing.page(request, scope.source(p -> route(p).primary().store(), request), ObjectInfo::name,
        ObjectInfo::generation, "list", siteName);
  }

  /** Signed by the authority of the object's placement (501 when its backend cannot sign). */
  URL signUrl(SignUrlRequest request) {
    return site(placement("signUrl", request.bucket(), request.name()).authority()).store().signUrl(request);
  }

  // ------------------------------------------------------------------------ changes

  /** The writer of the route's write policy; the caller puts its own error rules around it. */
  ObjectWriter openWrite(WriteRequest request) {
    return writes.openWrite(route(changing("write", request.bucket(), request.name())), request);
  }

  boolean delete(ObjectId id, Conditions conditions) {
    return writes.delete(route(changing("delete", id.bucket(), id.name())), id, conditions);
  }

  /** As {@link RoutingStore#deleteUpTo}, which documents it. */
  boolean deleteUpTo(String bucket, String name, long generation) {
    String op = "deleteUpTo";
    Placement p = changing(op, bucket, name);
    List<SiteHandle> targets = new ArrayList<>();
    for (String replica : p.replicas()) {
      SiteHandle h = site(replica);
      if (!h.assignsGenerations()) {
        throw HybridStorageException.unsupported(op, bucket, name, replica);
      }
      targets.add(h);
    }
    ctx.generations().observe(bucket, name, generation);
    boolean removed = false;
    for (SiteHandle h : targets) {
      removed |= h.store().deleteUpTo(bucket, name, generation);
    }
    return removed;
  }

  /** Natively at the target's primary when the source has the same primary; else {@link #copyAcross}. */
  ObjectInfo copy(CopyRequest request) {
    Placement target = changing("copy", request.targetBucket(), request.targetName());
    Placement source = placement("copy", request.source().bucket(), request.source().name());
    Route route = route(target).forConditions(!request.targetConditions().isEmpty());
    if (!route(source).primary().name().equals(route.primary().name())) {
      return copyAcross(source, request);
    }
    return writes.copy(route, request);
  }

  /**
   * A copy whose source lives elsewhere: streams it through the router — read by the source's
   * read policy, written by the target's write policy, as if the caller had read and written it.
   */
  private ObjectInfo copyAcross(Placement source, CopyRequest request) {
    try (ObjectContent content = reads.read(source, new ReadRequest(request.source(),
        ByteRange.all(), request.sourceConditions()))) {
      ObjectInfo src = content.info();
      WriteRequest w = new WriteRequest(request.targetBucket(), request.targetName(),
          request.metadata() == null ? src.metadata() : request.metadata(), request.targetConditions(),
          src.crc32c(), null, 0, src.size());
      return router.write(w, content.stream());
    } catch (IOException e) {
      throw HybridStorageException.io("copy", request.targetBucket(), request.targetName(), null, e);
    }
  }

  ObjectInfo compose(ComposeRequest request) {
    return writes.compose(route(changing("compose", request.bucket(), request.targetName())), request);
  }

  ObjectInfo updateMetadata(ObjectId id, MetadataPatch patch, Conditions conditions) {
    return writes.updateMetadata(route(changing("updateMetadata", id.bucket(), id.name())), id, patch,
        conditions);
  }
}
