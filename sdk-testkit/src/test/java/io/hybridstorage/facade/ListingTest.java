package io.hybridstorage.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.api.gax.paging.Page;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BucketListOption;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.BucketSpec;
import io.hybridstorage.api.Capability;
import io.hybridstorage.api.ForwardingObjectStore;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.memory.InMemoryStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Object and bucket listings: pages, tokens, lazy iteration and every list option. */
class ListingTest {

  private final InMemoryStore memory = new InMemoryStore("mem");
  private final List<String> calls = new ArrayList<>();
  private Storage storage;

  @BeforeEach
  void fill() {
    storage = World.over(Stores.recording(memory, calls));
    memory.createBucket(BucketSpec.of("bkt").withVersioning(true));
    for (int i = 0; i < 25; i++) {
      storage.create(BlobInfo.newBuilder("bkt", String.format("f%02d", i)).build(), World.bytes("x" + i));
    }
    calls.clear();
  }

  private long listCalls() {
    return calls.stream().filter("list"::equals).count();
  }

  private static List<String> names(Iterable<Blob> blobs) {
    return StreamSupport.stream(blobs.spliterator(), false).map(Blob::getName).collect(Collectors.toList());
  }

  private static List<String> expected(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> String.format("f%02d", i)).collect(Collectors.toList());
  }

  @Test
  void iterateAllWalksThreePagesLazily() {
    Page<Blob> first = storage.list("bkt", BlobListOption.pageSize(10));
    assertThat(listCalls()).isEqualTo(1);
    assertThat(names(first.getValues())).isEqualTo(expected(0, 10));
    assertThat(first.hasNextPage()).isTrue();

    Iterator<Blob> all = first.iterateAll().iterator();
    for (int i = 0; i < 10; i++) {
      all.next();
    }
    assertThat(listCalls()).as("nothing fetched while the first page lasts").isEqualTo(1);
    all.next();
    assertThat(listCalls()).as("the second page, when reached").isEqualTo(2);
    assertThat(names(first.iterateAll())).isEqualTo(expected(0, 25));
    assertThat(first.streamAll().count()).isEqualTo(25);
  }

  @Test
  void explicitPageTokensResumeWhereThePageEnded() {
    Page<Blob> page1 = storage.list("bkt", BlobListOption.pageSize(10));
    String token1 = page1.getNextPageToken();
    assertThat(token1).isNotEmpty();
    Page<Blob> page2 = storage.list("bkt", BlobListOption.pageSize(10), BlobListOption.pageToken(token1));
    assertThat(names(page2.getValues())).isEqualTo(expected(10, 20));
    Page<Blob> page3 = storage.list("bkt", BlobListOption.pageSize(10),
        BlobListOption.pageToken(page2.getNextPageToken()));
    assertThat(names(page3.getValues())).isEqualTo(expected(20, 25));
    assertThat(page3.hasNextPage()).isFalse();
    assertThat(page3.getNextPageToken()).isNull();
    assertThat(page3.getNextPage()).isNull();
    assertThat(names(page1.getNextPage().getNextPage().getValues())).isEqualTo(expected(20, 25));
  }

  @Test
  void prefixDelimiterAndOffsets() {
    for (String name : List.of("a/1", "a/2", "a/b/3", "b/4", "top")) {
      storage.create(BlobInfo.newBuilder("bkt", name).build(), World.bytes(name));
    }
    Page<Blob> root = storage.list("bkt", BlobListOption.prefix("a/"), BlobListOption.currentDirectory());
    List<Blob> entries = new ArrayList<>();
    root.iterateAll().forEach(entries::add);
    assertThat(names(entries)).containsExactly("a/1", "a/2", "a/b/");
    assertThat(entries.get(2).isDirectory()).isTrue();
    assertThat(names(storage.list("bkt", BlobListOption.delimiter("/"), BlobListOption.endOffset("c"))
        .iterateAll())).containsExactly("a/", "b/");
    assertThat(names(storage.list("bkt", BlobListOption.startOffset("f20"), BlobListOption.endOffset("f23"))
        .iterateAll())).isEqualTo(expected(20, 23));
    assertThat(names(storage.list("bkt", BlobListOption.matchGlob("a/**")).iterateAll()))
        .containsExactly("a/1", "a/2", "a/b/3");
    assertThat(names(storage.list("bkt", BlobListOption.prefix("f1"), BlobListOption.fields(Storage.BlobField.NAME),
        BlobListOption.userProject("billing")).iterateAll())).isEqualTo(expected(10, 20));
  }

  @Test
  void versionsListsNoncurrentGenerations() {
    storage.create(BlobInfo.newBuilder("bkt", "f00").build(), World.bytes("again"));
    List<Blob> versions = new ArrayList<>();
    storage.list("bkt", BlobListOption.prefix("f00"), BlobListOption.versions(true)).iterateAll()
        .forEach(versions::add);
    assertThat(versions).hasSize(2);
    assertThat(versions.get(0).getGeneration()).isLessThan(versions.get(1).getGeneration());
    assertThat(versions.get(0).getDeleteTimeOffsetDateTime()).as("the noncurrent one").isNotNull();
    assertThat(names(storage.list("bkt", BlobListOption.prefix("f00")).iterateAll())).containsExactly("f00");
  }

  @Test
  void versionsNeedAVersioningStore() {
    ObjectStore plain = new ForwardingObjectStore(memory) {
      @Override
      public String site() {
        return "plain";
      }

      @Override
      public Set<Capability> capabilities() {
        return Set.of(Capability.ATOMIC_PRECONDITIONS);
      }
    };
    StorageException e = catchThrowableOfType(StorageException.class,
        () -> World.over(plain).list("bkt", BlobListOption.versions(true)));
    assertThat(e.getCode()).isEqualTo(501);
    assertThat(e.getMessage()).contains("list", "versions", "plain");
  }

  @Test
  void optionsTheStoreCannotHonourAreRefusedByName() {
    StorageException e = catchThrowableOfType(StorageException.class,
        () -> storage.list("bkt", BlobListOption.includeTrailingDelimiter()));
    assertThat(e.getCode()).isEqualTo(501);
    assertThat(e.getMessage()).contains("includeTrailingDelimiter");
    assertThat(catchThrowableOfType(StorageException.class,
        () -> storage.list("bkt", BlobListOption.softDeleted(true))).getMessage()).contains("softDeleted");
    assertThat(storage.list("bkt", BlobListOption.softDeleted(false)).getValues()).hasSize(25);
  }

  @Test
  void bucketsPageToo() {
    for (int i = 0; i < 7; i++) {
      memory.createBucket(BucketSpec.of("more-" + i));
    }
    Page<Bucket> page = storage.list(BucketListOption.pageSize(3), BucketListOption.prefix("more-"));
    assertThat(page.getValues()).hasSize(3);
    List<String> all = new ArrayList<>();
    page.iterateAll().forEach(b -> {
      assertThat(b.getStorage()).isSameAs(storage);
      all.add(b.getName());
    });
    assertThat(all).containsExactly("more-0", "more-1", "more-2", "more-3", "more-4", "more-5", "more-6");
    Page<Bucket> third = storage.list(BucketListOption.pageSize(3), BucketListOption.prefix("more-"),
        BucketListOption.pageToken(page.getNextPage().getNextPageToken()));
    assertThat(third.getValues()).extracting(Bucket::getName).containsExactly("more-6");
  }
}
