package io.hybridstorage.testkit.tck;

import static io.hybridstorage.testkit.tck.Tck.assertNames;
import static io.hybridstorage.testkit.tck.Tck.bytes;
import static io.hybridstorage.testkit.tck.Tck.expect;
import static io.hybridstorage.testkit.tck.Tck.put;
import static io.hybridstorage.testkit.tck.Tck.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Writing, reading, heading and deleting objects; visibility of writes and reads. */
public interface WriteReadTester extends StoreTester {

  @Test
  default void writeThenReadReturnsTheSameBytes() {
    String bucket = newBucket();
    put(store(), bucket, "dir/hello.txt", "hello, world");
    assertThat(read(store(), bucket, "dir/hello.txt")).isEqualTo("hello, world");
  }

  @Test
  default void writeReportsSizeGenerationMetagenerationAndTimes() {
    String bucket = newBucket();
    ObjectInfo info = put(store(), bucket, "o", "12345");
    assertThat(info.bucket()).isEqualTo(bucket);
    assertThat(info.name()).isEqualTo("o");
    assertThat(info.size()).isEqualTo(5);
    assertThat(info.generation()).isPositive();
    assertThat(info.metageneration()).isEqualTo(1);
    assertThat(info.createTime()).isNotNull();
    assertThat(info.deleteTime()).isNull();
    assertThat(info.isLive()).isTrue();
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none())).hasValueSatisfying(head -> {
      assertThat(head.generation()).isEqualTo(info.generation());
      assertThat(head.metageneration()).isEqualTo(1);
      assertThat(head.size()).isEqualTo(5);
      assertThat(head.crc32c()).isEqualTo(info.crc32c());
    });
  }

  @Test
  default void writeKeepsContentHeadersAndCustomMetadata() {
    String bucket = newBucket();
    ObjectMetadata metadata = new ObjectMetadata("text/plain; charset=utf-8", "identity", "attachment; filename=a.txt",
        "en", "no-cache", Map.of("owner", "bu-42", "x-trace", "abc"));
    put(store(), WriteRequest.of(bucket, "m").withMetadata(metadata), bytes("body"));
    ObjectInfo head = store().head(ObjectId.of(bucket, "m"), Conditions.none()).orElseThrow();
    assertThat(head.metadata()).isEqualTo(metadata);
  }

  @Test
  default void emptyObjectHasSizeZeroAndReadsEmpty() {
    String bucket = newBucket();
    ObjectInfo info = put(store(), bucket, "empty", "");
    assertThat(info.size()).isZero();
    assertThat(read(store(), bucket, "empty")).isEmpty();
  }

  @Test
  default void overwriteCreatesAHigherGenerationAndReplacesTheContent() {
    String bucket = newBucket();
    ObjectInfo first = put(store(), bucket, "o", "one");
    ObjectInfo second = put(store(), bucket, "o", "two");
    assertThat(second.generation()).isGreaterThan(first.generation());
    assertThat(read(store(), bucket, "o")).isEqualTo("two");
    assertThat(Tck.names(store(), ListRequest.of(bucket))).containsExactly("o");
  }

  @Test
  default void headOfMissingObjectIsEmpty() {
    String bucket = newBucket();
    assertThat(store().head(ObjectId.of(bucket, "nothing"), Conditions.none())).isEmpty();
  }

  @Test
  default void readOfMissingObjectIs404() {
    String bucket = newBucket();
    HybridStorageException e = expect(404, () -> store().read(ReadRequest.of(ObjectId.of(bucket, "nothing"))));
    assertNames(e, store(), bucket, "nothing");
    assertThat(e.operation()).isEqualTo("read");
  }

  @Test
  default void deleteRemovesTheObjectAndReportsWhetherItExisted() {
    String bucket = newBucket();
    put(store(), bucket, "o", "x");
    assertThat(store().delete(ObjectId.of(bucket, "o"), Conditions.none())).isTrue();
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none())).isEmpty();
    assertThat(store().delete(ObjectId.of(bucket, "o"), Conditions.none())).as("second delete").isFalse();
    assertThat(store().list(ListRequest.of(bucket)).items()).isEmpty();
  }

  @Test
  default void writeIsInvisibleUntilCommit() throws Exception {
    String bucket = newBucket();
    put(store(), bucket, "o", "old");
    try (ObjectWriter writer = store().openWrite(WriteRequest.of(bucket, "o"))) {
      writer.write(ByteBuffer.wrap(bytes("new ")));
      writer.write(ByteBuffer.wrap(bytes("content")));
      assertThat(read(store(), bucket, "o")).as("before commit").isEqualTo("old");
      try (ObjectWriter other = store().openWrite(WriteRequest.of(bucket, "fresh"))) {
        other.write(ByteBuffer.wrap(bytes("x")));
        assertThat(store().head(ObjectId.of(bucket, "fresh"), Conditions.none())).isEmpty();
        other.commit();
      }
      writer.commit();
    }
    assertThat(read(store(), bucket, "o")).isEqualTo("new content");
    assertThat(read(store(), bucket, "fresh")).isEqualTo("x");
  }

  @Test
  default void writeClosedWithoutCommitLeavesNothing() throws Exception {
    String bucket = newBucket();
    try (ObjectWriter writer = store().openWrite(WriteRequest.of(bucket, "abandoned"))) {
      writer.write(ByteBuffer.wrap(bytes("never published")));
    }
    assertThat(store().head(ObjectId.of(bucket, "abandoned"), Conditions.none())).isEmpty();
    assertThat(store().list(ListRequest.of(bucket)).items()).isEmpty();
  }

  @Test
  default void largeObjectWrittenInManyChunksReadsBackIdentically() throws Exception {
    String bucket = newBucket();
    byte[] data = Tck.pattern(3 * 1024 * 1024 + 7);
    ObjectInfo info;
    try (ObjectWriter writer = store().openWrite(WriteRequest.of(bucket, "large"))) {
      for (int at = 0; at < data.length; at += 100_003) {
        ByteBuffer chunk = ByteBuffer.wrap(data, at, Math.min(100_003, data.length - at));
        while (chunk.hasRemaining()) {
          writer.write(chunk);
        }
      }
      info = writer.commit();
    }
    assertThat(info.size()).isEqualTo(data.length);
    assertThat(Tck.readBytes(store(), ReadRequest.of(ObjectId.of(bucket, "large")))).isEqualTo(data);
  }

  @Test
  default void readStreamKeepsTheVersionItOpened() throws Exception {
    String bucket = newBucket();
    ObjectInfo first = put(store(), bucket, "o", "first version");
    try (ObjectContent content = store().read(ReadRequest.of(ObjectId.of(bucket, "o")))) {
      assertThat(content.info().generation()).isEqualTo(first.generation());
      put(store(), bucket, "o", "second version, longer");
      assertThat(Tck.text(content.stream().readAllBytes())).isEqualTo("first version");
    }
    assertThat(read(store(), bucket, "o")).isEqualTo("second version, longer");
  }

  @Test
  default void headAndReadByTheLiveGenerationMatchTheLiveVersion() {
    String bucket = newBucket();
    ObjectInfo info = put(store(), bucket, "o", "v");
    ObjectId exact = ObjectId.of(bucket, "o", info.generation());
    assertThat(store().head(exact, Conditions.none())).hasValueSatisfying(
        h -> assertThat(h.generation()).isEqualTo(info.generation()));
    assertThat(read(store(), exact)).isEqualTo("v");
  }

  @Test
  default void oldGenerationWithoutVersioningIsGone() {
    String bucket = newBucket(false);
    ObjectInfo first = put(store(), bucket, "o", "one");
    put(store(), bucket, "o", "two");
    ObjectId old = ObjectId.of(bucket, "o", first.generation());
    assertThat(store().head(old, Conditions.none())).isEmpty();
    HybridStorageException e = expect(404, () -> store().read(ReadRequest.of(old)));
    assertNames(e, store(), bucket, "o");
  }
}
