package io.hybridstorage.routing;

import io.hybridstorage.api.HybridStorageOptions;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.Listing;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.Placement;
import io.hybridstorage.api.Utf8Order;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;
import javax.annotation.Nullable;

/**
 * The placements that own the names under one {@code bucket/prefix}. A name belongs to its most
 * specific placement ({@link HybridStorageOptions#placementFor}) and to no other: with {@code bkt}
 * and {@code bkt/tmp/}, {@code tmp/t0} is the nested placement's even though {@code bkt} covers it
 * too. Listings and verify/repair work per owner: each placement's names come from that
 * placement's own site (its primary for a listing, its authority for a verify), only the names it
 * owns (a stale copy of a {@code tmp/} name on a site of {@code bkt} is not one), merged in {@link
 * Utf8Order}.
 *
 * <p>The owners of {@code prefix} are the placement covering {@code prefix} itself and every placement
 * nested below it (its prefix starts with {@code prefix}) that is the most specific for its own
 * prefix. Any name under {@code prefix} belongs to one of them.
 */
final class PlacementScope {

  /** Listing order: name in UTF-8 order, then generation (versions). */
  static final Comparator<ObjectInfo> ORDER = Comparator.comparing(ObjectInfo::name, Utf8Order.INSTANCE)
      .thenComparingLong(ObjectInfo::generation);

  private final HybridStorageOptions options;
  private final String bucket;
  private final String prefix;
  private final List<Placement> owners;

  private PlacementScope(HybridStorageOptions options, String bucket, String prefix, List<Placement> owners) {
    this.options = options;
    this.bucket = bucket;
    this.prefix = prefix;
    this.owners = owners;
  }

  static PlacementScope of(HybridStorageOptions options, String bucket, @Nullable String prefix) {
    String p = prefix == null ? "" : prefix;
    List<Placement> owners = new ArrayList<>();
    options.placementFor(bucket, p).ifPresent(owners::add);
    for (Placement nested : options.placements()) {
      if ((nested.bucket().equals(bucket) || nested.bucket().equals(Placement.ANY_BUCKET))
          && nested.prefix().length() > p.length() && nested.prefix().startsWith(p)
          && nested.equals(options.placementFor(bucket, nested.prefix()).orElse(null))
          && !owners.contains(nested)) {
        owners.add(nested);
      }
    }
    return new PlacementScope(options, bucket, p, List.copyOf(owners));
  }

  /** The owning placements: the one covering the prefix (if any) first, then the nested ones. */
  List<Placement> placements() {
    return owners;
  }

  boolean isEmpty() {
    return owners.isEmpty();
  }

  /** Whether one placement owns every name under the prefix (so one site can answer for all). */
  boolean isSingle() {
    return owners.size() == 1;
  }

  /** The placement owning {@code name}, or null when none covers it. */
  @Nullable
  Placement owner(String name) {
    return options.placementFor(bucket, name).orElse(null);
  }

  /**
   * Entries of {@code request}'s bucket for {@link Listing#page}: each owner's names read from {@code
   * site.apply(owner)} (lazily, page by page, from the scan's start to the request's end offset;
   * versions as the request asks), only the names that owner owns, merged in {@link #ORDER}.
   */
  Listing.Source<ObjectInfo> source(Function<Placement, ObjectStore> site, ListRequest request) {
    return from -> {
      List<PeekingIterator> parts = new ArrayList<>(owners.size());
      for (Placement p : owners) {
        parts.add(new PeekingIterator(new OwnedIterator(p, site.apply(p), request, from)));
      }
      return merge(parts);
    };
  }

  private static Iterator<ObjectInfo> merge(List<PeekingIterator> parts) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return parts.stream().anyMatch(PeekingIterator::hasNext);
      }

      @Override
      public ObjectInfo next() {
        PeekingIterator least = null;
        for (PeekingIterator part : parts) {
          if (part.hasNext() && (least == null || ORDER.compare(part.peek(), least.peek()) < 0)) {
            least = part;
          }
        }
        if (least == null) {
          throw new NoSuchElementException();
        }
        return least.next();
      }
    };
  }

  /**
   * One owner's entries from one site: listed under the longer of the scope's prefix and the
   * placement's, skipping every name another placement owns (a whole nested prefix at once).
   */
  private final class OwnedIterator implements Iterator<ObjectInfo> {
    private final Placement placement;
    private final ObjectStore site;
    private final ListRequest request;
    private final String listPrefix;
    @Nullable private String start;
    @Nullable private String token;
    private Iterator<ObjectInfo> page = List.<ObjectInfo>of().iterator();
    private boolean exhausted;
    @Nullable private ObjectInfo next;

    OwnedIterator(Placement placement, ObjectStore site, ListRequest request, @Nullable String from) {
      this.placement = placement;
      this.site = site;
      this.request = request;
      this.listPrefix = placement.prefix().length() > prefix.length() ? placement.prefix() : prefix;
      this.start = Utf8Order.max(from, request.startOffset());
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (!page.hasNext()) {
          if (exhausted) {
            return false;
          }
          fetch();
          continue;
        }
        ObjectInfo candidate = page.next();
        Placement owner = owner(candidate.name());
        if (placement.equals(owner)) {
          next = candidate;
        } else if (owner != null && owner.prefix().length() > placement.prefix().length()) {
          // a placement nested in this one owns every name under its prefix: jump past them
          String end = Utf8Order.prefixEnd(owner.prefix());
          if (end == null) {
            exhausted = true;
            page = List.<ObjectInfo>of().iterator();
          } else {
            restartAt(end);
          }
        }
      }
      return true;
    }

    @Override
    public ObjectInfo next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      ObjectInfo result = next;
      next = null;
      return result;
    }

    private void restartAt(String from) {
      start = Utf8Order.max(start, from);
      token = null;
      page = List.<ObjectInfo>of().iterator();
      exhausted = false;
    }

    private void fetch() {
      if (request.endOffset() != null && start != null && !Utf8Order.lessThan(start, request.endOffset())) {
        exhausted = true;
        return;
      }
      ListPage<ObjectInfo> result = site.list(ListRequest.of(bucket).withPrefix(listPrefix.isEmpty() ? null : listPrefix)
          .withOffsets(start, request.endOffset()).withVersions(request.versions())
          .withPageSize(request.effectivePageSize()).withPageToken(token));
      page = result.items().iterator();
      token = result.nextPageToken();
      exhausted = token == null;
    }
  }

  private static final class PeekingIterator implements Iterator<ObjectInfo> {
    private final Iterator<ObjectInfo> delegate;
    @Nullable private ObjectInfo head;

    PeekingIterator(Iterator<ObjectInfo> delegate) {
      this.delegate = delegate;
    }

    @Override
    public boolean hasNext() {
      return head != null || delegate.hasNext();
    }

    ObjectInfo peek() {
      if (head == null) {
        head = delegate.next();
      }
      return head;
    }

    @Override
    public ObjectInfo next() {
      ObjectInfo result = peek();
      head = null;
      return Objects.requireNonNull(result);
    }
  }
}
