package io.hybridstorage.testkit.tck;

import static io.hybridstorage.testkit.tck.Tck.assertNames;
import static io.hybridstorage.testkit.tck.Tck.bytes;
import static io.hybridstorage.testkit.tck.Tck.expect;
import static io.hybridstorage.testkit.tck.Tck.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.ReadRequest;
import io.hybridstorage.api.WriteRequest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Writes that declare their size up front ({@link WriteRequest#expectedSize()}, as GCS's {@code
 * object_size}): exactly that many bytes publish; one byte more fails the write at once, fewer
 * fail the commit, both with 400 and nothing published. The large cases (2 MiB) cross the
 * single-request size of the stores here, so a store that streams a declared write in one request
 * is held to the same contract as one that buffers it.
 */
public interface DeclaredSizeTester extends StoreTester {

  /** Larger than the single-request buffers of the stores under test (1 MiB on S3). */
  int LARGE = 2 * 1024 * 1024 + 3;

  @Test
  default void declaredSizeWritesRoundTrip() {
    String bucket = newBucket();
    byte[] small = bytes("declared and exact");
    ObjectInfo info = put(store(), WriteRequest.of(bucket, "small").withExpectedSize(small.length), small);
    assertThat(info.size()).isEqualTo(small.length);
    assertThat(Tck.read(store(), bucket, "small")).isEqualTo("declared and exact");

    byte[] large = Tck.pattern(LARGE);
    ObjectInfo big = put(store(),
        WriteRequest.of(bucket, "large").withExpectedSize(LARGE).withCrc32c(Tck.crc32c(large)), large);
    assertThat(big.size()).isEqualTo(LARGE);
    assertThat(big.crc32c()).isEqualTo(Tck.crc32c(large));
    assertThat(Tck.readBytes(store(), ReadRequest.of(ObjectId.of(bucket, "large")))).isEqualTo(large);
    assertThat(store().head(ObjectId.of(bucket, "large"), Conditions.none())).hasValueSatisfying(h -> {
      assertThat(h.size()).isEqualTo(LARGE);
      assertThat(h.generation()).isEqualTo(big.generation());
      assertThat(h.crc32c()).isEqualTo(Tck.crc32c(large));
    });
  }

  @Test
  default void aDeclaredLargeWriteWithoutClientChecksumsStillReportsItsCrc32c() {
    String bucket = newBucket();
    byte[] large = Tck.pattern(LARGE);
    ObjectInfo info = put(store(), WriteRequest.of(bucket, "large").withExpectedSize(LARGE), large);
    assertThat(info.crc32c()).isEqualTo(Tck.crc32c(large));
    assertThat(store().head(ObjectId.of(bucket, "large"), Conditions.none()))
        .hasValueSatisfying(h -> assertThat(h.crc32c()).isEqualTo(Tck.crc32c(large)));
  }

  @Test
  default void anEmptyDeclaredWritePublishesAnEmptyObject() {
    String bucket = newBucket();
    ObjectInfo info = put(store(), WriteRequest.of(bucket, "empty").withExpectedSize(0), new byte[0]);
    assertThat(info.size()).isZero();
    assertThat(Tck.read(store(), bucket, "empty")).isEmpty();
  }

  @Test
  default void writingPastTheDeclaredSizeIs400AtOnceAndLeavesNothing() throws Exception {
    String bucket = newBucket();
    byte[] large = Tck.pattern(LARGE);
    try (ObjectWriter writer = store().openWrite(WriteRequest.of(bucket, "over").withExpectedSize(LARGE - 1))) {
      HybridStorageException e = expect(400, () -> {
        ByteBuffer buffer = ByteBuffer.wrap(large);
        while (buffer.hasRemaining()) {
          writer.write(buffer);
        }
      });
      assertNames(e, store(), bucket, "over");
      assertThat(e.getMessage()).contains("expectedSize").contains(String.valueOf(LARGE - 1));
      // the write is over: it cannot be completed with fewer bytes either
      assertThat(writer.isOpen()).isFalse();
      assertThatThrownBy(writer::commit).isInstanceOfAny(java.io.IOException.class, IllegalStateException.class);
    }
    assertThat(store().head(ObjectId.of(bucket, "over"), Conditions.none())).isEmpty();
    assertThat(store().list(ListRequest.of(bucket)).items()).isEmpty();
  }

  @Test
  default void committingFewerBytesThanDeclaredIs400AndKeepsThePreviousVersion() {
    String bucket = newBucket();
    ObjectInfo original = put(store(), bucket, "o", "original");
    for (int declared : new int[] {100, LARGE}) {
      byte[] shorter = Tck.pattern(declared - 1);
      HybridStorageException e = expect(400, () -> put(store(),
          WriteRequest.of(bucket, "o").withExpectedSize(declared), shorter));
      assertNames(e, store(), bucket, "o");
      assertThat(e.getMessage()).contains("expectedSize").contains(String.valueOf(declared))
          .contains(String.valueOf(declared - 1));
      assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none()))
          .hasValueSatisfying(h -> assertThat(h.generation()).isEqualTo(original.generation()));
      assertThat(Tck.read(store(), bucket, "o")).isEqualTo("original");
    }
  }

  @Test
  default void aDeclaredWriteWithAWrongCrc32cIs400AndKeepsThePreviousVersion() {
    String bucket = newBucket();
    ObjectInfo original = put(store(), bucket, "o", "original");
    byte[] large = Tck.pattern(LARGE);
    byte[] other = Arrays.copyOf(large, LARGE);
    other[LARGE - 1]++;
    HybridStorageException e = expect(400, () -> put(store(),
        WriteRequest.of(bucket, "o").withExpectedSize(LARGE).withCrc32c(Tck.crc32c(other)), large));
    assertThat(e.getMessage()).contains("CRC32C");
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none()))
        .hasValueSatisfying(h -> assertThat(h.generation()).isEqualTo(original.generation()));
    assertThat(Tck.read(store(), bucket, "o")).isEqualTo("original");
  }

  @Test
  default void anAbandonedDeclaredWriteLeavesNothing() throws Exception {
    String bucket = newBucket();
    byte[] large = Tck.pattern(LARGE);
    try (ObjectWriter writer = store().openWrite(WriteRequest.of(bucket, "gone").withExpectedSize(LARGE))) {
      ByteBuffer buffer = ByteBuffer.wrap(large);
      while (buffer.hasRemaining()) {
        writer.write(buffer);
      }
      // every byte written, never committed
    }
    assertThat(store().head(ObjectId.of(bucket, "gone"), Conditions.none())).isEmpty();
    assertThat(store().list(ListRequest.of(bucket)).items()).isEmpty();
  }

  @Test
  default void aDeclaredWriteHonoursPreconditions() {
    String bucket = newBucket();
    ObjectInfo original = put(store(), bucket, "o", "original");
    byte[] large = Tck.pattern(LARGE);
    expect(412, () -> put(store(), WriteRequest.of(bucket, "o").withExpectedSize(LARGE)
        .withConditions(Conditions.doesNotExist()), large));
    expect(412, () -> put(store(), WriteRequest.of(bucket, "o").withExpectedSize(LARGE)
        .withConditions(Conditions.generationMatch(original.generation() + 1)), large));
    assertThat(Tck.read(store(), bucket, "o")).isEqualTo("original");
    ObjectInfo replaced = put(store(), WriteRequest.of(bucket, "o").withExpectedSize(LARGE)
        .withConditions(Conditions.generationMatch(original.generation())), large);
    assertThat(replaced.generation()).isGreaterThan(original.generation());
    assertThat(Tck.readBytes(store(), ReadRequest.of(ObjectId.of(bucket, "o")))).isEqualTo(large);
  }
}
