package io.hybridstorage.testkit.tck;

import static io.hybridstorage.testkit.tck.Tck.assertNames;
import static io.hybridstorage.testkit.tck.Tck.expect;
import static io.hybridstorage.testkit.tck.Tck.names;
import static io.hybridstorage.testkit.tck.Tck.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.Capability;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Paging: every entry exactly once, in order, at most {@code pageSize} entries per page, and a
 * token that resumes strictly after the last entry returned, whatever changed in between.
 */
public interface PagingTester extends StoreTester {

  private String bucketWith(List<String> names) {
    String bucket = newBucket();
    for (String name : names) {
      put(store(), bucket, name, name);
    }
    return bucket;
  }

  private static List<String> numbered(String prefix, int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(String.format("%s%02d", prefix, i));
    }
    return names;
  }

  @Test
  default void pagesCoverEveryObjectExactlyOnceInOrder() {
    List<String> all = numbered("obj-", 10);
    String bucket = bucketWith(all);
    List<ListPage<ObjectInfo>> pages = Tck.pages(store(), ListRequest.of(bucket).withPageSize(3));
    List<String> seen = new ArrayList<>();
    pages.forEach(p -> p.items().forEach(i -> seen.add(i.name())));
    assertThat(seen).containsExactlyElementsOf(all);
    assertThat(pages).hasSizeGreaterThanOrEqualTo(4);
    assertThat(pages.get(0).items()).hasSize(3);
  }

  @Test
  default void onlyTheLastPageHasNoToken() {
    String bucket = bucketWith(numbered("o", 6));
    ListPage<ObjectInfo> first = store().list(ListRequest.of(bucket).withPageSize(3));
    assertThat(first.items()).hasSize(3);
    assertThat(first.nextPageToken()).isNotNull();
    List<ListPage<ObjectInfo>> pages = Tck.pages(store(), ListRequest.of(bucket).withPageSize(3));
    assertThat(pages.get(pages.size() - 1).nextPageToken()).isNull();
    for (int i = 0; i < pages.size() - 1; i++) {
      assertThat(pages.get(i).nextPageToken()).isNotNull();
    }
  }

  @Test
  default void pageSizeLargerThanTheListingGivesOnePage() {
    String bucket = bucketWith(numbered("o", 4));
    ListPage<ObjectInfo> page = store().list(ListRequest.of(bucket).withPageSize(50));
    assertThat(page.items()).hasSize(4);
    assertThat(page.nextPageToken()).isNull();
  }

  @Test
  default void tokenResumesStrictlyAfterTheLastNameReturned() {
    String bucket = bucketWith(List.of("a", "b", "c", "d"));
    ListPage<ObjectInfo> first = store().list(ListRequest.of(bucket).withPageSize(2));
    assertThat(first.items()).extracting(ObjectInfo::name).containsExactly("a", "b");
    put(store(), bucket, "a0", "behind the token");
    put(store(), bucket, "b0", "ahead of the token");
    put(store(), bucket, "b", "overwritten, already listed");
    List<String> rest = names(store(), ListRequest.of(bucket).withPageSize(2).withPageToken(first.nextPageToken()));
    assertThat(rest).containsExactly("b0", "c", "d");
  }

  @Test
  default void deletingBetweenPagesNeitherSkipsNorRepeats() {
    String bucket = bucketWith(numbered("k", 6));
    ListPage<ObjectInfo> first = store().list(ListRequest.of(bucket).withPageSize(3));
    assertThat(first.items()).extracting(ObjectInfo::name).containsExactly("k00", "k01", "k02");
    store().delete(ObjectId.of(bucket, "k02"), Conditions.none()); // the token's own name
    store().delete(ObjectId.of(bucket, "k00"), Conditions.none());
    List<String> rest = names(store(), ListRequest.of(bucket).withPageSize(3).withPageToken(first.nextPageToken()));
    assertThat(rest).containsExactly("k03", "k04", "k05");
  }

  @Test
  default void prefixesAreNotRepeatedAcrossPages() {
    String bucket = bucketWith(List.of("a/1", "a/2", "a/3", "b", "c/1", "c/2", "d"));
    List<String> entries = new ArrayList<>();
    for (ListPage<ObjectInfo> page : Tck.pages(store(), ListRequest.of(bucket).withDelimiter("/").withPageSize(1))) {
      entries.addAll(Tck.entries(page));
    }
    assertThat(entries).containsExactly("a/", "b", "c/", "d");
  }

  @Test
  default void invalidPageTokenIs400() {
    String bucket = bucketWith(List.of("a"));
    HybridStorageException e = expect(400,
        () -> store().list(ListRequest.of(bucket).withPageToken("not-a-token-of-this-store!")));
    assertNames(e, store(), bucket, null);
    assertThat(e.getMessage()).containsIgnoringCase("token");
  }

  @Test
  @Requires(Capability.OBJECT_VERSIONING)
  default void versionsArePagedWithoutSkippingOrRepeating() {
    String bucket = newBucket(true);
    List<Long> expected = new ArrayList<>();
    for (String name : List.of("x", "y")) {
      for (int i = 0; i < 3; i++) {
        expected.add(put(store(), bucket, name, name + i).generation());
      }
    }
    List<Long> seen = new ArrayList<>();
    List<String> seenNames = new ArrayList<>();
    for (ListPage<ObjectInfo> page : Tck.pages(store(), ListRequest.of(bucket).withVersions(true).withPageSize(2))) {
      page.items().forEach(i -> {
        seen.add(i.generation());
        seenNames.add(i.name());
      });
    }
    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(seenNames).containsExactly("x", "x", "x", "y", "y", "y");
  }
}
