package io.hybridstorage.routing;

import java.util.List;
import javax.annotation.Nullable;

/**
 * One page of a verify (or repair) run over a bucket/prefix.
 *
 * @param checked object names compared on this page
 * @param differences what differed, per replica site (with {@code repaired} set by a repair run)
 * @param nextPageToken where the next page starts ({@code null}: done); resumable across processes
 */
public record VerifyReport(int checked, List<Difference> differences, @Nullable String nextPageToken) {

  public VerifyReport {
    differences = List.copyOf(differences);
  }

  public boolean isClean() {
    return differences.isEmpty();
  }

  public boolean hasNextPage() {
    return nextPageToken != null;
  }
}
