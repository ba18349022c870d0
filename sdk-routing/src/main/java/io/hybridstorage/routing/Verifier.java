package io.hybridstorage.routing;

import io.hybridstorage.api.ByteRange;
import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.Utf8Order;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.internal.Replicator;
import io.hybridstorage.routing.internal.RoutingContext;
import io.hybridstorage.routing.internal.SiteHandle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares one page of a bucket/prefix between the authority and each replica (names,
 * generations, CRC32C) and optionally repairs. A page is a range of the authorities' listing;
 * each replica is listed over the same name range, so the page token (the last name compared)
 * resumes anywhere, and disjoint prefixes can be verified in parallel by separate processes (e.g.
 * one Spark task per prefix).
 *
 * <p>Every name is judged by its own placement, the most specific one ({@link PlacementScope}):
 * with {@code bkt} and {@code bkt/tmp/}, {@code tmp/t0} is compared between the nested
 * placement's authority and replicas, and a site of {@code bkt} is never told to drop it.
 *
 * <p>Repair rolls forward, never back (a replica's copy may be an acknowledged write still on its
 * way to the authority):
 *
 * <ul>
 *   <li>a copy younger than {@link RoutingSettings#repairHorizon()} (by its update time, on the
 *       options' clock) is not deleted, replaced or rolled forward, and nothing is done to an
 *       object this router's journal still has a change of: both are reported {@link
 *       Difference.Kind#PENDING};
 *   <li>missing and stale copies get the authority's generation (a replica that deleted or holds
 *       newer refuses it); a corrupted copy is replaced in place (same generation, {@code
 *       ifGenerationMatch} of it); a foreign one is overwritten with the authority's generation;
 *   <li>an extra or newer copy is copied <em>to the authority</em> with its own generation; only
 *       when the authority refuses it (it holds something newer, or deleted that generation: a
 *       tombstone) is the replica's copy deleted (extra) or brought to the authority's (newer).
 *       An authority that cannot take assigned generations (GCS) never saw a write it lacks — the
 *       replica's extra copy is a delete that did not reach it, and is deleted; a newer copy there
 *       is only reported.
 * </ul>
 */
final class Verifier {

  private static final Logger log = LoggerFactory.getLogger(Verifier.class);

  private final RoutingContext ctx;

  Verifier(RoutingContext ctx) {
    this.ctx = ctx;
  }

  VerifyReport run(String operation, String bucket, @Nullable String prefixOrNull, @Nullable String pageToken,
      int pageSize, boolean repair) {
    String prefix = prefixOrNull == null ? "" : prefixOrNull;
    PlacementScope scope = PlacementScope.of(ctx.options(), bucket, prefix);
    if (scope.isEmpty()) {
      throw HybridStorageException.invalid(operation, bucket, prefix, null, "no placement covers gs://" + bucket
          + "/" + prefix + "; configure one (bucket '*' for a default)");
    }
    String start = pageToken == null ? null : new String(Base64.getUrlDecoder().decode(pageToken),
        StandardCharsets.UTF_8);
    String from = start == null ? null : start + "\0";

    // the truth: each placement's own names from its own authority, merged in name order
    Iterator<ObjectInfo> authorities = scope.source(p -> ctx.authority(p).store(),
        ListRequest.of(bucket).withPrefix(prefix).withPageSize(pageSize)).scan(from);
    Map<String, ObjectInfo> truth = new LinkedHashMap<>();
    String last = null;
    while (truth.size() < pageSize && authorities.hasNext()) {
      ObjectInfo i = authorities.next();
      truth.put(i.name(), i);
      last = i.name();
    }
    boolean more = last != null && authorities.hasNext();
    String end = more ? last + "\0" : null;

    Set<String> replicaSites = new LinkedHashSet<>();
    for (Placement p : scope.placements()) {
      replicaSites.addAll(p.replicas());
    }
    List<Difference> differences = new ArrayList<>();
    for (String siteName : replicaSites) {
      SiteHandle site = ctx.site(siteName);
      Map<String, ObjectInfo> copies = listRange(site, bucket, prefix, from, end);
      for (ObjectInfo want : truth.values()) {
        ObjectInfo have = copies.remove(want.name());
        Placement owner = scope.owner(want.name());
        if (owner == null || !holdsReplica(owner, siteName)) {
          continue;
        }
        Difference d = compare(want, have, site, ctx.authority(owner));
        if (d != null) {
          differences.add(judge(d, owner, have, repair));
        }
      }
      for (ObjectInfo extra : copies.values()) {
        Placement owner = scope.owner(extra.name());
        if (owner == null || !holdsReplica(owner, siteName)) {
          continue; // another placement's name (or a copy on a site outside its placement): not ours to judge
        }
        Difference d = new Difference(Difference.Kind.EXTRA, bucket, extra.name(), siteName, 0,
            extra.generation(), null, extra.crc32c(), false);
        differences.add(judge(d, owner, extra, repair));
      }
    }
    String next = more
        ? Base64.getUrlEncoder().encodeToString(last.getBytes(StandardCharsets.UTF_8))
        : null;
    return new VerifyReport(truth.size(), differences, next);
  }

  /** Whether {@code site} holds a replica of {@code p} that is judged against p's authority. */
  private static boolean holdsReplica(Placement p, String site) {
    return p.replicas().contains(site) && !p.authority().equals(site);
  }

  private Map<String, ObjectInfo> listRange(SiteHandle site, String bucket, String prefix, @Nullable String start,
      @Nullable String end) {
    Map<String, ObjectInfo> result = new TreeMap<>(Utf8Order.INSTANCE);
    String token = null;
    do {
      ListPage<ObjectInfo> page = site.store().list(ListRequest.of(bucket).withPrefix(prefix).withOffsets(start, end)
          .withPageToken(token));
      for (ObjectInfo i : page.items()) {
        result.put(i.name(), i);
      }
      token = page.nextPageToken();
    } while (token != null);
    return result;
  }

  @Nullable
  private Difference compare(ObjectInfo want, @Nullable ObjectInfo have, SiteHandle site, SiteHandle authority) {
    String b = want.bucket();
    String n = want.name();
    if (have == null) {
      return new Difference(Difference.Kind.MISSING, b, n, site.name(), want.generation(), -1, want.crc32c(), null,
          false);
    }
    Difference.Kind kind = null;
    if (have.generation() == 0) {
      kind = Difference.Kind.FOREIGN;
    } else if (have.generation() < want.generation()) {
      kind = Difference.Kind.STALE;
    } else if (have.generation() > want.generation()) {
      kind = Difference.Kind.NEWER;
    } else if (!crcOf(want, authority).equals(crcOf(have, site))) {
      kind = Difference.Kind.CORRUPTED;
    }
    return kind == null ? null : new Difference(kind, b, n, site.name(), want.generation(), have.generation(),
        want.crc32c(), have.crc32c(), false);
  }

  /** The reported CRC32C, or one computed by reading the bytes when the store does not report it. */
  static String crcOf(ObjectInfo info, SiteHandle site) {
    return Checksums.crc32c(site.store(), info);
  }


  /** PENDING when the difference must be left alone for now; else repaired (or not) as the run asks. */
  private Difference judge(Difference d, Placement owner, @Nullable ObjectInfo have, boolean repair) {
    String why = pendingReason(d, owner, have);
    if (why != null) {
      log.debug("gs://{}/{} on {}: {} left alone: {}", d.bucket(), d.name(), d.site(), d.kind(), why);
      return d.asPending();
    }
    return repair ? fix(d, owner) : d;
  }

  @Nullable
  private String pendingReason(Difference d, Placement owner, @Nullable ObjectInfo have) {
    for (String site : owner.replicas()) {
      if (ctx.journal().hasPending(site, d.bucket(), d.name())) {
        return "this router's journal still replicates it to " + site;
      }
    }
    if (d.kind() == Difference.Kind.MISSING || d.kind() == Difference.Kind.STALE || have == null) {
      return null; // copying the authority's generation destroys nothing
    }
    Instant written = have.updateTime() != null ? have.updateTime() : have.createTime();
    if (written == null) {
      return null; // no time to go by (a foreign copy): old
    }
    Instant safe = written.plus(ctx.settings().repairHorizon());
    return safe.isAfter(ctx.clock().instant())
        ? "the copy was written at " + written + ", within the repair horizon (" + ctx.settings().repairHorizon() + ")"
        : null;
  }

  private Difference fix(Difference d, Placement owner) {
    Replicator r = ctx.replicator();
    SiteHandle authority = ctx.authority(owner);
    SiteHandle site = ctx.site(d.site());
    String b = d.bucket();
    String n = d.name();
    return switch (d.kind()) {
      case MISSING, STALE, FOREIGN -> // the authority's generation is newer than whatever the replica holds
          r.copy(b, n, d.expectedGeneration(), authority, site, true) == Replicator.Outcome.APPLIED
              ? d.asRepaired() : d;
      case CORRUPTED -> replaceInPlace(d, authority, site) ? d.asRepaired() : d;
      case EXTRA, NEWER -> rollForward(d, authority, site);
      case PENDING -> d;
    };
  }

  /**
   * Writes the authority's bytes of generation g over the replica's damaged g: an assigned write of
   * g with {@code ifGenerationMatch=g}, the one way a site takes a generation it already holds
   * (deleting first would leave a tombstone that refuses g for good).
   */
  private boolean replaceInPlace(Difference d, SiteHandle authority, SiteHandle site) {
    long g = d.expectedGeneration();
    ObjectContent content;
    try {
      content = authority.store().read(new ReadRequest(ObjectId.of(d.bucket(), d.name()), ByteRange.all(),
          Conditions.generationMatch(g)));
    } catch (HybridStorageException e) {
      if (e.code() == 404 || e.code() == 412) {
        return false; // changed at the authority since the listing: judged again next run
      }
      throw e;
    }
    try (content) {
      ObjectInfo info = content.info();
      site.store().write(new WriteRequest(d.bucket(), d.name(), info.metadata(), Conditions.generationMatch(g),
          info.crc32c(), null, g, info.size()), content.stream());
      return true;
    } catch (HybridStorageException e) {
      if (e.code() != 412) {
        throw e;
      }
      log.warn("repair of corrupted gs://{}/{}#{} on {}: the site refused to replace it in place: {}", d.bucket(),
          d.name(), g, site.name(), e.getMessage());
      return false;
    } catch (IOException e) {
      throw HybridStorageException.io("repair", d.bucket(), d.name(), authority.name(), e);
    }
  }

  /**
   * An extra or newer replica copy (generation h) is a write the authority has not received: copy
   * it there. If the authority refuses, it holds a newer generation (bring the replica to it) or
   * deleted h (delete the replica's copy). An authority without assigned generations cannot have
   * missed a write, so an extra copy there is a delete the replica missed.
   */
  private Difference rollForward(Difference d, SiteHandle authority, SiteHandle site) {
    Replicator r = ctx.replicator();
    String b = d.bucket();
    String n = d.name();
    long h = d.actualGeneration();
    ObjectId id = ObjectId.of(b, n);
    if (!authority.assignsGenerations()) {
      if (d.kind() == Difference.Kind.EXTRA && authority.store().head(id, Conditions.none()).isEmpty()) {
        return r.deleteUpTo(b, n, h, site) == Replicator.Outcome.APPLIED ? d.asRepaired() : d;
      }
      return d;
    }
    r.copy(b, n, h, site, authority, false);
    Optional<ObjectInfo> atAuthority = authority.store().head(id, Conditions.none());
    if (atAuthority.isPresent() && atAuthority.get().generation() == h) {
      log.info("repair rolled gs://{}/{}#{} forward from {} to the authority {}", b, n, h, site.name(),
          authority.name());
      return d.asRolledForward();
    }
    Optional<ObjectInfo> atReplica = site.store().head(id, Conditions.none());
    if (atReplica.isEmpty() || atReplica.get().generation() != h) {
      return d; // the replica's copy changed meanwhile: judged again next run
    }
    // the authority refused h
    if (atAuthority.isEmpty()) {
      log.info("repair: the authority {} deleted gs://{}/{}#{}; deleting the copy on {}", authority.name(), b, n, h,
          site.name());
      return r.deleteUpTo(b, n, h, site) == Replicator.Outcome.APPLIED ? d.asRepaired() : d;
    }
    long newer = atAuthority.get().generation();
    if (newer > h) {
      return r.copy(b, n, newer, authority, site, true) == Replicator.Outcome.APPLIED ? d.asRepaired() : d;
    }
    log.warn("repair of gs://{}/{}: the authority {} holds generation {} and refused {} from {}; left alone", b, n,
        authority.name(), newer, h, site.name());
    return d;
  }

  static int compareUtf8(String a, String b) {
    return Utf8Order.INSTANCE.compare(a, b);
  }
}
