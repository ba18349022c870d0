package io.hybridstorage.api;

import java.util.List;
import javax.annotation.Nullable;

/**
 * One page of a listing: items and (with a delimiter) prefixes, and the token of the next page,
 * {@code null} on the last page.
 */
public record ListPage<T>(List<T> items, List<String> prefixes, @Nullable String nextPageToken) {

  public ListPage {
    items = List.copyOf(items);
    prefixes = List.copyOf(prefixes);
  }

  public static <T> ListPage<T> of(List<T> items, @Nullable String nextPageToken) {
    return new ListPage<>(items, List.of(), nextPageToken);
  }

  public boolean hasNextPage() {
    return nextPageToken != null;
  }
}
