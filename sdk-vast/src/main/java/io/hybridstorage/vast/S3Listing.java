package io.hybridstorage.vast;

import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.Listing;
import io.hybridstorage.api.Names;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.Utf8Order;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import javax.annotation.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * GCS {@code objects.list} over ListObjectsV2: the page is cut by the shared {@link Listing}
 * (so prefixes, offsets, glob and tokens mean exactly what they mean for every store), fed by a
 * lazy scan of ListObjectsV2 pages. S3 lists in UTF-8 byte order already. Without glob and
 * offsets the scan passes the delimiter to S3, whose common prefixes come back as one entry each
 * (a wide "directory" costs no extra request); otherwise it lists names and {@link Listing} rolls
 * them up after filtering. Each listed object is then HEADed (in parallel): S3 lists carry no user
 * metadata, so no generation.
 */
final class S3Listing {

  private static final String OP = "list";

  /** A listed key, or (when {@code prefix}) one of S3's common prefixes. */
  /** A listed key (with what the listing says of it) or common prefix ({@code object} null). */
  private record Entry(String name, boolean prefix, @Nullable S3Object object) {}

  private final VastStore store;
  private final ExecutorService headExecutor;

  S3Listing(VastStore store, ExecutorService headExecutor) {
    this.store = store;
    this.headExecutor = headExecutor;
  }

  ListPage<ObjectInfo> page(ListRequest request) {
    if (request.versions()) {
      throw HybridStorageException.unsupported("list versions", request.bucket(), null, store.site());
    }
    boolean s3Delimiter = request.delimiter() != null && !request.delimiter().isEmpty()
        && request.matchGlob() == null && request.startOffset() == null && request.endOffset() == null;
    int fetch = Math.min(1000, request.effectivePageSize() + 1);
    Scan[] last = new Scan[1];
    Listing.Source<Entry> source = from -> {
      // after a common prefix, Listing asks to scan past it: S3 already skipped what it holds,
      // so the scan in progress continues (no request per prefix)
      if (s3Delimiter && last[0] != null && last[0].canContinueFrom(from)) {
        last[0].floor = from;
        return last[0];
      }
      last[0] = new Scan(request, s3Delimiter ? request.delimiter() : null, from, fetch);
      return last[0];
    };
    ListPage<Entry> page = Listing.page(request, source, Entry::name, e -> 0L, OP, store.site());
    return new ListPage<>(headAll(request.bucket(), page.items()), page.prefixes(), page.nextPageToken());
  }

  /** A lazy scan of keys {@code >= from}, one ListObjectsV2 call per {@code fetch} entries. */
  private final class Scan implements Iterator<Entry> {
    private final ListRequest request;
    @Nullable private final String delimiter;
    private final int fetch;
    private final Deque<Entry> buffered = new ArrayDeque<>();
    @Nullable private String startAfter;
    @Nullable private String continuation;
    private boolean done;
    private boolean first = true;

    Scan(ListRequest request, @Nullable String delimiter, @Nullable String from, int fetch) {
      this.request = request;
      this.delimiter = delimiter;
      this.fetch = fetch;
      this.startAfter = from == null ? null : predecessor(from);
    }

    /** Entries below it are skipped (set when the scan continues past a common prefix). */
    @Nullable String floor;
    @Nullable private String lastReturned;

    boolean canContinueFrom(@Nullable String from) {
      return from != null && lastReturned != null && Utf8Order.INSTANCE.compare(from, lastReturned) > 0;
    }

    @Override
    public boolean hasNext() {
      while (true) {
        while (buffered.isEmpty() && !done) {
          fetchMore();
        }
        if (buffered.isEmpty()) {
          return false;
        }
        if (floor == null || Utf8Order.INSTANCE.compare(buffered.peekFirst().name(), floor) >= 0) {
          return true;
        }
        buffered.removeFirst();
      }
    }

    @Override
    public Entry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Entry e = buffered.removeFirst();
      lastReturned = e.name();
      return e;
    }

    private void fetchMore() {
      int maxKeys = first ? fetch : 1000;
      first = false;
      ListObjectsV2Response r;
      try {
        r = store.s3.listObjectsV2(b -> b.bucket(request.bucket()).prefix(emptyToNull(request.prefix()))
            .delimiter(delimiter).maxKeys(maxKeys)
            .startAfter(continuation == null ? startAfter : null).continuationToken(continuation));
      } catch (SdkException e) {
        throw store.errors.map(e, OP, request.bucket(), null);
      }
      // S3 returns keys and common prefixes apart, each sorted: merge them into one order
      List<Entry> merged = new ArrayList<>(r.contents().size() + r.commonPrefixes().size());
      for (S3Object o : r.contents()) {
        merged.add(new Entry(o.key(), false, o));
      }
      for (CommonPrefix p : r.commonPrefixes()) {
        merged.add(new Entry(p.prefix(), true, null));
      }
      merged.sort((a, b) -> Utf8Order.INSTANCE.compare(a.name(), b.name()));
      buffered.addAll(merged);
      continuation = r.nextContinuationToken();
      done = !Boolean.TRUE.equals(r.isTruncated()) || continuation == null;
    }
  }

  @Nullable
  private static String emptyToNull(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /**
   * A string just below {@code s}, for S3's exclusive {@code start-after} (a scan from {@code s}
   * is inclusive): {@code s} with its last code point lowered by one and padded with U+10FFFF,
   * so only names no one writes fall between. Null (scan from the start) when there is none.
   */
  @Nullable
  static String predecessor(String s) {
    if (s.isEmpty()) {
      return null;
    }
    int last = s.codePointBefore(s.length());
    if (last == 0) {
      return s.substring(0, s.length() - 1).isEmpty() ? null : s.substring(0, s.length() - 1);
    }
    int lower = last - 1;
    if (lower >= Character.MIN_SURROGATE && lower <= Character.MAX_SURROGATE) {
      lower = Character.MIN_SURROGATE - 1;
    }
    StringBuilder sb = new StringBuilder(s.length() + 8)
        .append(s, 0, s.length() - Character.charCount(last)).appendCodePoint(lower);
    for (int i = 0; i < 4; i++) {
      sb.appendCodePoint(Character.MAX_CODE_POINT);
    }
    return sb.toString();
  }

  /**
   * HEADs listed names in parallel; a name deleted since the listing is left out. A key with a
   * {@code .} or {@code ..} segment (written by a plain S3 tool) is not HEADed — a server that
   * resolves the path would describe another object — but described as a foreign object from the
   * listing itself (size, ETag, time).
   */
  private List<ObjectInfo> headAll(String bucket, List<Entry> entries) {
    List<Future<Optional<Current>>> futures = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      String name = entry.name();
      if (Names.hasDotSegment(name) && entry.object() != null) {
        S3Object o = entry.object();
        ObjectInfo listed = HsMetadata.decode(bucket, name, new HsMetadata.S3Headers(Map.of(), null, null, null,
            null, null, o.size() == null ? 0 : o.size(), o.eTag(), o.lastModified()));
        futures.add(java.util.concurrent.CompletableFuture.completedFuture(Optional.of(new Current(listed,
            o.eTag()))));
      } else {
        futures.add(headExecutor.submit(() -> store.headCurrent(OP, bucket, name, false)));
      }
    }
    List<ObjectInfo> out = new ArrayList<>(entries.size());
    try {
      for (Future<Optional<Current>> f : futures) {
        f.get().ifPresent(c -> out.add(c.info()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      futures.forEach(f -> f.cancel(true));
      throw store.errors.unavailable(OP, bucket, null, "interrupted", e);
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      if (e.getCause() instanceof HybridStorageException h) {
        throw h;
      }
      throw store.errors.unavailable(OP, bucket, null, String.valueOf(e.getCause()), e.getCause());
    }
    return out;
  }
}
