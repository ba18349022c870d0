package io.hybridstorage.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import javax.annotation.Nullable;

/**
 * GCS {@code objects.list} semantics over any sorted source of entries: prefix, delimiter (each
 * distinct prefix listed once, sorted together with the items, each counting toward the page
 * size), {@code startOffset}/{@code endOffset}, {@code matchGlob}, versions, and paging. A store
 * supplies only a {@link Source} that can scan its entries in {@link Utf8Order} from a given name;
 * this class decides what a page holds. {@code InMemoryStore} uses it, and any backend whose
 * native listing lacks a feature (glob, offsets, UTF-8 order) can too.
 *
 * <p>Paging: the page token is opaque to callers; it records the last entry emitted (a name and,
 * with versions, its generation; or a rolled-up prefix), and the next page resumes <em>strictly
 * after</em> it. So a page sequence neither skips nor repeats entries that exist throughout,
 * whatever is written or deleted concurrently; a name created behind the token is not seen, one
 * created ahead of it is. A token is returned only when another entry follows (no empty last
 * page). A malformed token is 400.
 *
 * <p>Glob and delimiter, as GCS does them: names are filtered by prefix and offsets, then rolled
 * up at the delimiter, and then the glob is matched against what is left: an object's name, or the
 * rolled-up prefix itself (objects.list: "filter results to objects and prefixes that match this
 * glob"). So with delimiter {@code /}, {@code a/*}{@code /} lists the prefixes {@code a/b/} and
 * {@code a/c/} whatever their objects are called, and {@code a/**.jpg} lists no prefix at all
 * (none ends in {@code .jpg}), only the matching objects at that level. Without a delimiter the
 * glob matches every name.
 */
public final class Listing {

  private static final String ITEM = "i";
  private static final String PREFIX = "p";

  private Listing() {}

  /**
   * A store's entries in listing order: ascending {@link Utf8Order} of name and, for entries of
   * one name (versions), ascending generation. Without versions, one entry per live object.
   */
  @FunctionalInterface
  public interface Source<T> {
    /**
     * The entries whose name is {@code >= from} ({@code null}: from the first), in order. The
     * iterator may be lazy and weakly consistent (a concurrent change may or may not show), and
     * is abandoned as soon as the page is full, so it should fetch no more than it is asked for.
     * {@link Listing} calls this again to jump past a rolled-up prefix.
     */
    Iterator<T> scan(@Nullable String from);
  }

  /**
   * Builds one page of {@code request} from {@code source}.
   *
   * @param name the name of an entry
   * @param generation the generation of an entry (used in tokens only when {@code
   *     request.versions()})
   * @param operation and {@code site}: named in 400 errors (bad token, bad glob)
   */
  public static <T> ListPage<T> page(ListRequest request, Source<T> source, Function<? super T, String> name,
      ToLongFunction<? super T> generation, String operation, @Nullable String site) {
    Glob glob = compileGlob(request, operation, site);
    String prefix = request.prefix() == null ? "" : request.prefix();
    String delimiter = request.delimiter() == null || request.delimiter().isEmpty() ? null : request.delimiter();
    String endOffset = request.endOffset();
    int pageSize = request.effectivePageSize();
    boolean versions = request.versions();

    String from = Utf8Order.max(prefix.isEmpty() ? null : prefix, request.startOffset());
    // what to skip at the resume point: entries of tokenName up to tokenGeneration
    String tokenName = null;
    long tokenGeneration = Long.MAX_VALUE;
    if (request.pageToken() != null) {
      String[] token = decode(request, operation, site);
      if (token[0].equals(PREFIX)) {
        String end = Utf8Order.prefixEnd(token[2]);
        if (end == null) {
          return new ListPage<>(List.of(), List.of(), null);
        }
        from = Utf8Order.max(from, end);
      } else {
        tokenName = token[2];
        tokenGeneration = versions ? Long.parseLong(token[1]) : Long.MAX_VALUE;
        from = Utf8Order.max(from, tokenName);
      }
    }

    List<T> items = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String lastToken = null;
    boolean more = false;
    Iterator<T> it = source.scan(from);
    while (it.hasNext()) {
      T entry = it.next();
      String n = name.apply(entry);
      if (tokenName != null && n.equals(tokenName) && generation.applyAsLong(entry) <= tokenGeneration) {
        continue;
      }
      if (!n.startsWith(prefix)) {
        if (Utf8Order.lessThan(prefix, n)) {
          break; // past the contiguous range of names with the prefix
        }
        continue;
      }
      if (endOffset != null && !Utf8Order.lessThan(n, endOffset)) {
        break;
      }
      if (request.startOffset() != null && Utf8Order.lessThan(n, request.startOffset())) {
        continue;
      }
      int cut = delimiter == null ? -1 : n.indexOf(delimiter, prefix.length());
      String rolledUp = cut < 0 ? null : n.substring(0, cut + delimiter.length());
      if (glob != null && !glob.matches(rolledUp == null ? n : rolledUp)) {
        if (rolledUp != null) {
          // every name under this prefix rolls up to it, and it does not match: skip them all
          String end = Utf8Order.prefixEnd(rolledUp);
          if (end == null) {
            break;
          }
          it = source.scan(end);
          tokenName = null;
        }
        continue;
      }
      if (items.size() + prefixes.size() == pageSize) {
        more = true;
        break;
      }
      if (rolledUp != null) {
        prefixes.add(rolledUp);
        lastToken = encode(PREFIX, 0, rolledUp);
        String end = Utf8Order.prefixEnd(rolledUp);
        if (end == null) {
          break;
        }
        it = source.scan(end);
        tokenName = null;
      } else {
        items.add(entry);
        lastToken = encode(ITEM, generation.applyAsLong(entry), n);
      }
    }
    return new ListPage<>(items, prefixes, more ? lastToken : null);
  }

  @Nullable
  private static Glob compileGlob(ListRequest request, String operation, @Nullable String site) {
    if (request.matchGlob() == null || request.matchGlob().isEmpty()) {
      return null;
    }
    try {
      return Glob.compile(request.matchGlob());
    } catch (IllegalArgumentException e) {
      throw HybridStorageException.invalid(operation, bucketOf(request), null, site,
          "Invalid matchGlob: " + e.getMessage());
    }
  }

  /** The bucket to name in errors; a listing of buckets uses an empty bucket name. */
  @Nullable
  private static String bucketOf(ListRequest request) {
    return request.bucket().isEmpty() ? null : request.bucket();
  }

  private static String encode(String kind, long generation, String name) {
    String raw = kind + ":" + generation + ":" + name;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code [kind, generation, name]} of a token; 400 when it is not one of ours. */
  private static String[] decode(ListRequest request, String operation, @Nullable String site) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(request.pageToken()), StandardCharsets.UTF_8);
      String[] parts = raw.split(":", 3);
      if (parts.length == 3 && (parts[0].equals(ITEM) || parts[0].equals(PREFIX))) {
        Long.parseLong(parts[1]);
        return parts;
      }
    } catch (IllegalArgumentException e) {
      // fall through: NumberFormatException and bad base64 are IllegalArgumentExceptions
    }
    throw HybridStorageException.invalid(operation, bucketOf(request), null, site,
        "Invalid page token: '" + request.pageToken() + "'");
  }
}
