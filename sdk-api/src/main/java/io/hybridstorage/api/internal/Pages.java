package io.hybridstorage.api.internal;

import static com.google.cloud.storage.spi.v1.StorageRpc.Option.DELIMITER;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.END_OFF_SET;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.FIELDS;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.MATCH_GLOB;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.MAX_RESULTS;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.PAGE_TOKEN;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.PREFIX;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.START_OFF_SET;
import static com.google.cloud.storage.spi.v1.StorageRpc.Option.VERSIONS;

import com.google.api.gax.paging.Page;
import com.google.cloud.PageImpl;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.HybridBridge;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BucketListOption;
import io.hybridstorage.api.BucketListRequest;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.annotation.Nullable;

/**
 * {@code list} of objects and of buckets as the client's {@link Page}s: one store page per
 * {@code Page}, fetched when asked for ({@code getNextPage()}, or lazily by {@code iterateAll()},
 * which walks the store's page tokens). An object listing returns the objects of a page, then its
 * prefixes as directory blobs ({@code isDirectory()}), as the client does. {@code pageSize},
 * {@code pageToken}, {@code prefix}, {@code delimiter} / {@code currentDirectory}, {@code
 * startOffset}, {@code endOffset}, {@code matchGlob} and {@code versions} are honoured ({@code
 * versions(true)} needs {@link Capability#OBJECT_VERSIONING}; 501 otherwise). With {@code
 * fields(...)} each listed object or bucket has only the fields asked for, as GCS returns them.
 */
final class Pages {

  private final ObjectStore store;
  private final Values values;

  Pages(ObjectStore store, Values values) {
    this.store = store;
    this.values = values;
  }

  Page<Blob> objects(String bucket, BlobListOption... options) {
    String site = store.site();
    OptionValues opts = new OptionValues(HybridBridge.options(options))
        .require(OptionValues.OBJECT_LIST, "list", bucket, null, site);
    boolean versions = opts.flag(VERSIONS);
    if (versions && !store.capabilities().contains(Capability.OBJECT_VERSIONING)) {
      throw Errors.unsupported("list", bucket, null, site,
          "option versions=true needs object versioning, which the backend of site " + site + " lacks");
    }
    ListRequest request = new ListRequest(bucket, opts.string(PREFIX), opts.string(DELIMITER),
        opts.string(START_OFF_SET), opts.string(END_OFF_SET), opts.string(MATCH_GLOB), pageSize(opts, bucket, site),
        opts.string(PAGE_TOKEN), versions);
    return objectPage(request, FieldSelection.ofItems(opts.string(FIELDS)));
  }

  Page<Bucket> buckets(BucketListOption... options) {
    OptionValues opts = new OptionValues(HybridBridge.options(options))
        .require(OptionValues.BUCKET_LIST, "list", null, null, store.site());
    return bucketPage(new BucketListRequest(opts.string(PREFIX), pageSize(opts, null, store.site()),
        opts.string(PAGE_TOKEN)),
        FieldSelection.ofItems(opts.string(FIELDS)));
  }

  private Page<Blob> objectPage(ListRequest request, FieldSelection fields) {
    ListPage<ObjectInfo> page = Errors.call(() -> store.list(request));
    List<Blob> blobs = new ArrayList<>(page.items().size() + page.prefixes().size());
    page.items().forEach(o -> blobs.add(values.blob(o, fields)));
    page.prefixes().forEach(p -> blobs.add(values.directory(request.bucket(), p)));
    return page(page.nextPageToken(), blobs, token -> objectPage(request.withPageToken(token), fields));
  }

  private Page<Bucket> bucketPage(BucketListRequest request, FieldSelection fields) {
    ListPage<io.hybridstorage.api.BucketInfo> page = Errors.call(() -> store.listBuckets(request));
    List<Bucket> buckets = new ArrayList<>(page.items().size());
    page.items().forEach(b -> buckets.add(values.bucket(b, fields)));
    return page(page.nextPageToken(), buckets, token ->
        bucketPage(new BucketListRequest(request.prefix(), request.pageSize(), token), fields));
  }

  private static <T> Page<T> page(@Nullable String next, List<T> items, Function<String, Page<T>> fetch) {
    String cursor = next == null || next.isEmpty() ? null : next;
    PageImpl.NextPageFetcher<T> fetcher = cursor == null ? null : new Fetcher<>(cursor, fetch);
    return new PageImpl<>(fetcher, cursor, items);
  }

  /**
   * {@code pageSize} (the JSON API's {@code maxResults}, an unsigned integer): 0 when unset (the
   * store's default); a negative one is 400, as GCS answers the {@code maxResults=-1} the client
   * sends on.
   */
  private static int pageSize(OptionValues opts, @Nullable String bucket, String site) {
    Long size = opts.number(MAX_RESULTS);
    if (size == null) {
      return 0;
    }
    if (size < 0) {
      throw Errors.invalid("list", bucket, null, site, "Invalid pageSize (maxResults) " + size
          + ": it must not be negative");
    }
    return (int) Math.min(Integer.MAX_VALUE, size);
  }

  /** Fetches the page after {@code cursor} when asked; not meant to be serialized (holds the store). */
  private static final class Fetcher<T> implements PageImpl.NextPageFetcher<T> {
    private static final long serialVersionUID = 1L;
    private final String cursor;
    private final transient Function<String, Page<T>> fetch;

    Fetcher(String cursor, Function<String, Page<T>> fetch) {
      this.cursor = cursor;
      this.fetch = fetch;
    }

    @Override
    public Page<T> getNextPage() {
      return fetch.apply(cursor);
    }
  }
}
