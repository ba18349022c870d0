package io.hybridstorage.testkit.tck;

import static io.hybridstorage.testkit.tck.Tck.assertNames;
import static io.hybridstorage.testkit.tck.Tck.expect;
import static io.hybridstorage.testkit.tck.Tck.names;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListPage;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Listing: UTF-8 byte order, prefix, delimiter, offsets, GCS globs. Paging has its own tester.
 */
public interface ListingTester extends StoreTester {

  /** A bucket holding {@code names}, each object's content its own name. */
  private String bucketWith(String... names) {
    String bucket = newBucket();
    Tck.putAll(store(), bucket, List.of(names));
    return bucket;
  }

  @Test
  default void listOrdersNamesByUtf8BytesNotJavaStringOrder() {
    // by UTF-8 bytes: B(42) a(61) ~(7E) é(C3 A9) U+E000(EE 80 80) U+FFFD(EF BF BD) 😀(F0 9F 98 80)
    List<String> expected = List.of("B", "a", "~", "\u00E9", "\uE000", "\uFFFD", "\uD83D\uDE00");
    String bucket = bucketWith("\uD83D\uDE00", "\uFFFD", "a", "\u00E9", "\uE000", "~", "B");
    assertThat(names(store(), ListRequest.of(bucket))).containsExactlyElementsOf(expected);
    assertThat(names(store(), ListRequest.of(bucket).withPageSize(2))).as("paged").containsExactlyElementsOf(expected);
  }

  @Test
  default void listFiltersByPrefix() {
    String bucket = bucketWith("logs/a", "logs/b/c", "logsx", "other");
    assertThat(names(store(), ListRequest.of(bucket).withPrefix("logs/"))).containsExactly("logs/a", "logs/b/c");
    assertThat(names(store(), ListRequest.of(bucket).withPrefix("nothing"))).isEmpty();
  }

  @Test
  default void delimiterRollsUpNamesIntoPrefixes() {
    String bucket = bucketWith("a/b", "a/c", "d", "e", "e/f", "e/g/h");
    ListPage<ObjectInfo> page = store().list(ListRequest.of(bucket).withDelimiter("/"));
    assertThat(page.items()).extracting(ObjectInfo::name).containsExactly("d", "e");
    assertThat(page.prefixes()).containsExactly("a/", "e/");
    assertThat(page.nextPageToken()).isNull();
  }

  @Test
  default void delimiterWithPrefixListsOneLevel() {
    String bucket = bucketWith("a/b", "a/c", "d", "e", "e/f", "e/g/h");
    ListPage<ObjectInfo> page = store().list(ListRequest.of(bucket).withPrefix("e/").withDelimiter("/"));
    assertThat(page.items()).extracting(ObjectInfo::name).containsExactly("e/f");
    assertThat(page.prefixes()).containsExactly("e/g/");
  }

  @Test
  default void multiCharacterDelimiter() {
    String bucket = bucketWith("x--1", "x--2", "y-z", "y--z--w");
    ListPage<ObjectInfo> page = store().list(ListRequest.of(bucket).withDelimiter("--"));
    assertThat(page.items()).extracting(ObjectInfo::name).containsExactly("y-z");
    assertThat(page.prefixes()).containsExactly("x--", "y--");
  }

  @Test
  default void prefixesAndItemsShareOnePageSortedTogether() {
    String bucket = bucketWith("a/1", "a/2", "b", "c/1", "d");
    ListPage<ObjectInfo> first = store().list(ListRequest.of(bucket).withDelimiter("/").withPageSize(2));
    assertThat(Tck.entries(first)).as("a prefix counts toward the page size").containsExactly("a/", "b");
    ListPage<ObjectInfo> second = store().list(ListRequest.of(bucket).withDelimiter("/").withPageSize(2)
        .withPageToken(first.nextPageToken()));
    assertThat(Tck.entries(second)).containsExactly("c/", "d");
    assertThat(second.nextPageToken()).isNull();
  }

  @Test
  default void startOffsetIsInclusiveAndEndOffsetExclusive() {
    String bucket = bucketWith("a", "b", "c", "d", "e");
    assertThat(names(store(), ListRequest.of(bucket).withOffsets("b", "d"))).containsExactly("b", "c");
    assertThat(names(store(), ListRequest.of(bucket).withOffsets("bb", null))).containsExactly("c", "d", "e");
    assertThat(names(store(), ListRequest.of(bucket).withOffsets(null, "b"))).containsExactly("a");
  }

  @Test
  default void offsetsCombineWithPrefixAndDelimiter() {
    String bucket = bucketWith("p/a", "p/b/1", "p/c", "p/d", "q");
    ListPage<ObjectInfo> page = store().list(ListRequest.of(bucket).withPrefix("p/").withDelimiter("/")
        .withOffsets("p/b", "p/d"));
    assertThat(page.items()).extracting(ObjectInfo::name).containsExactly("p/c");
    assertThat(page.prefixes()).containsExactly("p/b/");
  }

  @Test
  default void matchGlobStarStaysWithinOneLevel() {
    String bucket = bucketWith("a/x.txt", "a/y.txt", "a/b/z.txt", "a/x.bin", "x.txt");
    assertThat(names(store(), ListRequest.of(bucket).withMatchGlob("a/*.txt"))).containsExactly("a/x.txt", "a/y.txt");
    assertThat(names(store(), ListRequest.of(bucket).withMatchGlob("*.txt"))).containsExactly("x.txt");
  }

  @Test
  default void matchGlobDoubleStarCrossesLevels() {
    String bucket = bucketWith("a/x.txt", "a/b/z.txt", "a/b/c/w.txt", "a/x.bin", "b/q.txt");
    assertThat(names(store(), ListRequest.of(bucket).withMatchGlob("a/**.txt")))
        .containsExactly("a/b/c/w.txt", "a/b/z.txt", "a/x.txt");
    assertThat(names(store(), ListRequest.of(bucket).withMatchGlob("**/z.txt"))).containsExactly("a/b/z.txt");
  }

  @Test
  default void matchGlobQuestionMarkAndCharacterClasses() {
    String bucket = bucketWith("f1.txt", "f2.txt", "f10.txt", "g1.txt", "f/.txt");
    assertThat(names(store(), ListRequest.of(bucket).withMatchGlob("f?.txt"))).containsExactly("f1.txt", "f2.txt");
    assertThat(names(store(), ListRequest.of(bucket).withMatchGlob("[fg]1.txt"))).containsExactly("f1.txt", "g1.txt");
    assertThat(names(store(), ListRequest.of(bucket).withMatchGlob("f[!1].txt"))).containsExactly("f2.txt");
    assertThat(names(store(), ListRequest.of(bucket).withMatchGlob("[a-f]*.txt")))
        .containsExactly("f1.txt", "f10.txt", "f2.txt");
  }

  @Test
  default void matchGlobBracesListAnyAlternative() {
    String bucket = bucketWith("img/a.png", "img/b.jpg", "img/c.gif", "doc/d.png");
    assertThat(names(store(), ListRequest.of(bucket).withMatchGlob("img/*.{png,jpg}")))
        .containsExactly("img/a.png", "img/b.jpg");
    assertThat(names(store(), ListRequest.of(bucket).withMatchGlob("{img,doc}/*.png")))
        .containsExactly("doc/d.png", "img/a.png");
  }

  /**
   * With a delimiter, GCS rolls names up first and matches the glob against objects <em>and</em>
   * against the rolled-up prefixes themselves (objects.list, {@code matchGlob}: "filter results to
   * objects and prefixes that match this glob"; its "list prefixes only" example is {@code
   * path/**}{@code /} with delimiter {@code /}). Probed on GCS with this very fixture
   * (fsouza/fake-gcs-server#2328): {@code img/*}{@code /} lists the three prefixes, the empty-dir
   * one included though none of its objects matches; {@code img/**.jpg} lists no prefix, though
   * objects under two of them match.
   */
  @Test
  default void matchGlobWithADelimiterMatchesObjectsAndTheRolledUpPrefixes() {
    String bucket = bucketWith("img/brand.jpg", "img/empty-dir/readme.txt", "img/hi-res/deep/party-09.jpg",
        "img/hi-res/party-01.jpg", "img/hi-res/party-02.jpg", "img/low-res/party-01.jpg");
    ListRequest directories = ListRequest.of(bucket).withPrefix("img/").withDelimiter("/");

    List<ListPage<ObjectInfo>> dirs = Tck.pages(store(), directories.withMatchGlob("img/*/"));
    assertThat(dirs).flatExtracting(ListPage::prefixes)
        .containsExactly("img/empty-dir/", "img/hi-res/", "img/low-res/");
    assertThat(dirs).flatExtracting(ListPage::items).isEmpty();
    List<ListPage<ObjectInfo>> paged = Tck.pages(store(), directories.withMatchGlob("img/*/").withPageSize(1));
    assertThat(paged).as("one prefix a page").flatExtracting(ListPage::prefixes)
        .containsExactly("img/empty-dir/", "img/hi-res/", "img/low-res/");

    List<ListPage<ObjectInfo>> jpgs = Tck.pages(store(), directories.withMatchGlob("img/**.jpg"));
    assertThat(jpgs).flatExtracting(ListPage::items).extracting(ObjectInfo::name).containsExactly("img/brand.jpg");
    assertThat(jpgs).flatExtracting(ListPage::prefixes).as("no prefix string ends in .jpg").isEmpty();

    List<ListPage<ObjectInfo>> hiRes = Tck.pages(store(), directories.withMatchGlob("img/h*/"));
    assertThat(hiRes).flatExtracting(ListPage::prefixes).containsExactly("img/hi-res/");
    assertThat(names(store(), ListRequest.of(bucket).withMatchGlob("img/**.jpg"))).as("without a delimiter")
        .containsExactly("img/brand.jpg", "img/hi-res/deep/party-09.jpg", "img/hi-res/party-01.jpg",
            "img/hi-res/party-02.jpg", "img/low-res/party-01.jpg");
  }

  @Test
  default void invalidMatchGlobIs400() {
    String bucket = bucketWith("a");
    HybridStorageException e = expect(400, () -> store().list(ListRequest.of(bucket).withMatchGlob("a[bc")));
    assertNames(e, store(), bucket, null);
    assertThat(e.getMessage()).contains("matchGlob").contains("a[bc");
  }

  @Test
  default void listOfAnEmptyBucketIsEmptyWithoutToken() {
    String bucket = newBucket();
    ListPage<ObjectInfo> page = store().list(ListRequest.of(bucket).withDelimiter("/"));
    assertThat(page.items()).isEmpty();
    assertThat(page.prefixes()).isEmpty();
    assertThat(page.nextPageToken()).isNull();
  }

  @Test
  default void listedItemsCarryWhatHeadReports() {
    String bucket = bucketWith("one", "two");
    for (ObjectInfo listed : store().list(ListRequest.of(bucket)).items()) {
      ObjectInfo head = store().head(ObjectId.of(bucket, listed.name()), Conditions.none()).orElseThrow();
      assertThat(listed.generation()).isEqualTo(head.generation());
      assertThat(listed.metageneration()).isEqualTo(head.metageneration());
      assertThat(listed.size()).isEqualTo(head.size()).isEqualTo(listed.name().length());
      assertThat(listed.crc32c()).isEqualTo(head.crc32c());
      assertThat(listed.bucket()).isEqualTo(bucket);
      assertThat(listed.isLive()).isTrue();
    }
  }

  @Test
  default void listDoesNotShowDeletedObjects() {
    String bucket = bucketWith("keep", "drop");
    store().delete(ObjectId.of(bucket, "drop"), Conditions.none());
    assertThat(names(store(), ListRequest.of(bucket))).containsExactly("keep");
  }
}
