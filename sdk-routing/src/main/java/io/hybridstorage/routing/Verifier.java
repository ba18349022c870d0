package io.hybridstorage.routing;

import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.routing.internal.Replicator;
import io.hybridstorage.routing.internal.RoutingContext;
import io.hybridstorage.routing.internal.SiteHandle;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * Compares one page of a bucket/prefix between the authority and each replica (names,
 * generations, CRC32C) and optionally repairs toward the authority. A page is a range of the
 * authority's listing; each replica is listed over the same name range, so the page token (the
 * last name compared) resumes anywhere, and disjoint prefixes can be verified in parallel by
 * separate processes (e.g. one Spark task per prefix).
 */
final class Verifier {

  private final RoutingContext ctx;

  Verifier(RoutingContext ctx) {
    this.ctx = ctx;
  }

  VerifyReport run(Placement placement, String bucket, String prefix, @Nullable String pageToken, int pageSize,
      boolean repair) {
    SiteHandle authority = ctx.authority(placement);
    String start = pageToken == null ? null : new String(Base64.getUrlDecoder().decode(pageToken),
        StandardCharsets.UTF_8);
    ListPage<ObjectInfo> page = authority.store().list(ListRequest.of(bucket).withPrefix(prefix)
        .withOffsets(start == null ? null : start + "\0", null).withPageSize(pageSize));
    Map<String, ObjectInfo> truth = new TreeMap<>(Verifier::compareUtf8);
    for (ObjectInfo i : page.items()) {
      truth.put(i.name(), i);
    }
    String end = page.hasNextPage() && !page.items().isEmpty()
        ? page.items().get(page.items().size() - 1).name() + "\0" : null;
    List<Difference> differences = new ArrayList<>();
    for (String siteName : placement.replicas()) {
      if (siteName.equals(authority.name())) {
        continue;
      }
      SiteHandle site = ctx.site(siteName);
      Map<String, ObjectInfo> copies = listRange(site, bucket, prefix, start == null ? null : start + "\0", end);
      for (ObjectInfo want : truth.values()) {
        ObjectInfo have = copies.remove(want.name());
        Difference d = compare(want, have, site, authority);
        if (d != null) {
          differences.add(repair ? fix(d, authority, site) : d);
        }
      }
      for (ObjectInfo extra : copies.values()) {
        if (!placement.covers(bucket, extra.name())) {
          continue;
        }
        Difference d = new Difference(Difference.Kind.EXTRA, bucket, extra.name(), siteName, 0,
            extra.generation(), null, extra.crc32c(), false);
        differences.add(repair ? fix(d, authority, site) : d);
      }
    }
    String next = page.hasNextPage() && end != null
        ? Base64.getUrlEncoder().encodeToString(end.substring(0, end.length() - 1).getBytes(StandardCharsets.UTF_8))
        : null;
    return new VerifyReport(truth.size(), differences, next);
  }

  private Map<String, ObjectInfo> listRange(SiteHandle site, String bucket, String prefix, @Nullable String start,
      @Nullable String end) {
    Map<String, ObjectInfo> result = new TreeMap<>(Verifier::compareUtf8);
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
  private static String crcOf(ObjectInfo info, SiteHandle site) {
    if (info.crc32c() != null) {
      return info.crc32c();
    }
    Checksums sums = new Checksums();
    try (ObjectContent c = site.store().read(ReadRequest.of(info.id()));
         InputStream in = c.stream()) {
      byte[] chunk = new byte[64 * 1024];
      for (int r; (r = in.read(chunk)) >= 0; ) {
        sums.update(chunk, 0, r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sums.finish()[0];
  }

  private Difference fix(Difference d, SiteHandle authority, SiteHandle site) {
    Replicator r = ctx.replicator();
    switch (d.kind()) {
      // CORRUPTED: the replica holds this generation with other bytes; the copy replaces them
      // (generation g with ifGenerationMatch g) — a delete would leave a tombstone refusing g
      case MISSING, STALE, CORRUPTED -> r.copy(d.bucket(), d.name(), d.expectedGeneration(), authority, site, true);
      case FOREIGN -> {
        // the replica holds a foreign copy (generation 0): remove it, then copy the authority's
        site.store().delete(ObjectId.of(d.bucket(), d.name()), d.actualGeneration() == 0
            ? Conditions.none() : Conditions.generationMatch(d.actualGeneration()));
        r.copy(d.bucket(), d.name(), d.expectedGeneration(), authority, site, true);
      }
      case EXTRA -> {
        // only if the authority still has nothing (a write may have arrived since the listing)
        if (authority.store().head(ObjectId.of(d.bucket(), d.name()), Conditions.none()).isEmpty()) {
          r.deleteUpTo(d.bucket(), d.name(), d.actualGeneration(), site);
        } else {
          return d;
        }
      }
      case NEWER -> {
        return d;
      }
    }
    return d.asRepaired();
  }

  static int compareUtf8(String a, String b) {
    return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
