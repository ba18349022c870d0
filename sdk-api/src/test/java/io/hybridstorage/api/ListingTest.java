package io.hybridstorage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ListingTest {

  private final ConcurrentSkipListSet<String> names = new ConcurrentSkipListSet<>(Utf8Order.INSTANCE);
  private final AtomicInteger scans = new AtomicInteger();

  private ListPage<String> page(ListRequest request) {
    return Listing.page(request, from -> {
      scans.incrementAndGet();
      return (from == null ? names : names.tailSet(from, true)).iterator();
    }, n -> n, n -> 0, "list", "test");
  }

  private List<String> all(ListRequest request) {
    List<String> out = new ArrayList<>();
    String token = null;
    do {
      ListPage<String> page = page(request.withPageToken(token));
      assertThat(page.items().size() + page.prefixes().size()).isLessThanOrEqualTo(request.effectivePageSize());
      List<String> entries = new ArrayList<>(page.items());
      entries.addAll(page.prefixes());
      entries.sort(Utf8Order.INSTANCE);
      out.addAll(entries);
      token = page.nextPageToken();
    } while (token != null);
    return out;
  }

  @Test
  void delimiterRollsUpOncePerPrefixAndJumpsPastIt() {
    names.addAll(List.of("a/1", "a/2", "a/3", "b", "c/x/1", "c/y", "d"));
    ListPage<String> page = page(ListRequest.of("bk").withDelimiter("/"));
    assertThat(page.items()).containsExactly("b", "d");
    assertThat(page.prefixes()).containsExactly("a/", "c/");
    assertThat(page.nextPageToken()).isNull();
    assertThat(scans.get()).as("one scan plus one jump per prefix").isEqualTo(3);
    assertThat(all(ListRequest.of("bk").withDelimiter("/").withPageSize(1))).containsExactly("a/", "b", "c/", "d");
    assertThat(all(ListRequest.of("bk").withPrefix("c/").withDelimiter("/").withPageSize(1))).containsExactly("c/x/", "c/y");
  }

  /**
   * GCS rolls up at the delimiter, then matches the glob against objects and the prefixes
   * themselves (objects.list {@code matchGlob}); a prefix that does not match is jumped over
   * whole, however many names it holds, and never leaves an empty last page behind.
   */
  @Test
  void withADelimiterTheGlobMatchesTheRolledUpPrefixAndSkipsThoseThatDoNot() {
    names.addAll(List.of("a/1.csv", "a/2.csv", "a/3.csv", "b.csv", "c/x.txt", "d/1.csv", "e.txt"));
    ListPage<String> page = page(ListRequest.of("bk").withDelimiter("/").withMatchGlob("[ac]/"));
    assertThat(page.prefixes()).containsExactly("a/", "c/");
    assertThat(page.items()).isEmpty();
    assertThat(page.nextPageToken()).isNull();
    assertThat(scans.get()).as("one scan plus one jump per prefix, matched or not").isEqualTo(4);

    assertThat(all(ListRequest.of("bk").withDelimiter("/").withMatchGlob("*.csv"))).containsExactly("b.csv");
    assertThat(all(ListRequest.of("bk").withDelimiter("/").withMatchGlob("{a/,*.csv}").withPageSize(1)))
        .containsExactly("a/", "b.csv");
    ListPage<String> last = page(ListRequest.of("bk").withDelimiter("/").withMatchGlob("{a/,*.csv}").withPageSize(2));
    assertThat(last.nextPageToken()).as("only non-matching prefixes follow: no empty last page").isNull();
  }

  @Test
  void offsetsPrefixAndGlobFilterBeforePaging() {
    names.addAll(List.of("a", "b", "c", "d", "e", "x/1.txt", "x/2.bin"));
    assertThat(all(ListRequest.of("bk").withOffsets("b", "e").withPageSize(2))).containsExactly("b", "c", "d");
    assertThat(all(ListRequest.of("bk").withMatchGlob("x/*.txt").withPageSize(1))).containsExactly("x/1.txt");
    assertThat(all(ListRequest.of("bk").withPrefix("x/").withOffsets("a", "x/2"))).containsExactly("x/1.txt");
  }

  @Test
  void lastPageHasNoTokenAndTokensResumeStrictlyAfter() {
    names.addAll(List.of("a", "b", "c", "d"));
    ListPage<String> first = page(ListRequest.of("bk").withPageSize(2));
    assertThat(first.items()).containsExactly("a", "b");
    names.add("a0"); // behind the token
    names.add("b0"); // ahead of it
    ListPage<String> second = page(ListRequest.of("bk").withPageSize(3).withPageToken(first.nextPageToken()));
    assertThat(second.items()).containsExactly("b0", "c", "d");
    assertThat(second.nextPageToken()).isNull();
  }

  @Test
  void badTokenAndBadGlobAre400() {
    HybridStorageException e = catchThrowableOfType(HybridStorageException.class,
        () -> page(ListRequest.of("bk").withPageToken("%%%")));
    assertThat(e.code()).isEqualTo(400);
    assertThat(e.getMessage()).contains("list gs://bk on test").contains("Invalid page token");
    e = catchThrowableOfType(HybridStorageException.class, () -> page(ListRequest.of("bk").withMatchGlob("[a")));
    assertThat(e.code()).isEqualTo(400);
    assertThat(e.getMessage()).contains("Invalid matchGlob").contains("unclosed '['");
  }
}
