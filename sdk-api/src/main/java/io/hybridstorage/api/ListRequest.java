package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import javax.annotation.Nullable;

/**
 * A GCS {@code objects.list} call.
 *
 * @param prefix only names starting with it
 * @param delimiter names containing it after the prefix are rolled up into {@link
 *     ListPage#prefixes()}
 * @param startOffset only names {@code >=} it (inclusive), by UTF-8 bytes
 * @param endOffset only names {@code <} it (exclusive)
 * @param matchGlob only names matching this GCS glob ({@code *}, {@code **}, {@code ?}, {@code
 *     [..]}, {@code {a,b}})
 * @param pageSize at most this many items plus prefixes per page; 0 = the store's default (1000)
 * @param pageToken an opaque token from a previous page of the same request
 * @param versions list noncurrent versions too, each name's versions in generation order
 */
public record ListRequest(
    String bucket,
    @Nullable String prefix,
    @Nullable String delimiter,
    @Nullable String startOffset,
    @Nullable String endOffset,
    @Nullable String matchGlob,
    int pageSize,
    @Nullable String pageToken,
    boolean versions) {

  public static final int DEFAULT_PAGE_SIZE = 1000;

  public ListRequest {
    requireNonNull(bucket, "bucket");
    if (pageSize < 0) {
      throw new IllegalArgumentException("pageSize (" + pageSize + ") must be >= 0");
    }
  }

  public static ListRequest of(String bucket) {
    return new ListRequest(bucket, null, null, null, null, null, 0, null, false);
  }

  public ListRequest withPrefix(@Nullable String value) {
    return new ListRequest(bucket, value, delimiter, startOffset, endOffset, matchGlob, pageSize, pageToken, versions);
  }

  public ListRequest withDelimiter(@Nullable String value) {
    return new ListRequest(bucket, prefix, value, startOffset, endOffset, matchGlob, pageSize, pageToken, versions);
  }

  public ListRequest withOffsets(@Nullable String start, @Nullable String end) {
    return new ListRequest(bucket, prefix, delimiter, start, end, matchGlob, pageSize, pageToken, versions);
  }

  public ListRequest withMatchGlob(@Nullable String value) {
    return new ListRequest(bucket, prefix, delimiter, startOffset, endOffset, value, pageSize, pageToken, versions);
  }

  public ListRequest withPageSize(int value) {
    return new ListRequest(bucket, prefix, delimiter, startOffset, endOffset, matchGlob, value, pageToken, versions);
  }

  public ListRequest withPageToken(@Nullable String value) {
    return new ListRequest(bucket, prefix, delimiter, startOffset, endOffset, matchGlob, pageSize, value, versions);
  }

  public ListRequest withVersions(boolean value) {
    return new ListRequest(bucket, prefix, delimiter, startOffset, endOffset, matchGlob, pageSize, pageToken, value);
  }

  /** The page size to use: {@link #pageSize()} or {@link #DEFAULT_PAGE_SIZE}. */
  public int effectivePageSize() {
    return pageSize == 0 ? DEFAULT_PAGE_SIZE : pageSize;
  }
}
