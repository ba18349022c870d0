package io.hybridstorage.testkit.tck;

import static io.hybridstorage.testkit.tck.Tck.assertNames;
import static io.hybridstorage.testkit.tck.Tck.expect;
import static io.hybridstorage.testkit.tck.Tck.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.ByteRange;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ReadRequest;
import org.junit.jupiter.api.Test;

/** Ranged reads: offset and length, open-ended, suffix; 416 past the end. */
public interface RangeReadTester extends StoreTester {

  private String readRange(String bucket, String name, ByteRange range) {
    return Tck.text(Tck.readBytes(store(), ReadRequest.of(ObjectId.of(bucket, name)).withRange(range)));
  }

  private String digits() {
    String bucket = newBucket();
    put(store(), bucket, "digits", "0123456789");
    return bucket;
  }

  @Test
  default void rangeWithOffsetAndLengthReadsExactlyThoseBytes() {
    String bucket = digits();
    assertThat(readRange(bucket, "digits", ByteRange.of(2, 3))).isEqualTo("234");
    assertThat(readRange(bucket, "digits", ByteRange.of(0, 1))).isEqualTo("0");
    assertThat(readRange(bucket, "digits", ByteRange.of(9, 1))).isEqualTo("9");
  }

  @Test
  default void rangeFromAnOffsetReadsToTheEnd() {
    String bucket = digits();
    assertThat(readRange(bucket, "digits", ByteRange.from(7))).isEqualTo("789");
  }

  @Test
  default void suffixRangeReadsTheLastBytes() {
    String bucket = digits();
    assertThat(readRange(bucket, "digits", ByteRange.suffix(4))).isEqualTo("6789");
  }

  @Test
  default void suffixLongerThanTheObjectReadsItAll() {
    String bucket = digits();
    assertThat(readRange(bucket, "digits", ByteRange.suffix(100))).isEqualTo("0123456789");
  }

  @Test
  default void lengthPastTheEndIsTruncated() {
    String bucket = digits();
    assertThat(readRange(bucket, "digits", ByteRange.of(8, 100))).isEqualTo("89");
  }

  @Test
  default void rangeStartingAtTheEndIs416() {
    String bucket = digits();
    HybridStorageException e = expect(416, () -> readRange(bucket, "digits", ByteRange.from(10)));
    assertNames(e, store(), bucket, "digits");
    assertThat(e.getMessage()).contains("10");
  }

  @Test
  default void rangeStartingPastTheEndIs416() {
    String bucket = digits();
    HybridStorageException e = expect(416, () -> readRange(bucket, "digits", ByteRange.of(25, 5)));
    assertNames(e, store(), bucket, "digits");
    assertThat(e.getMessage()).contains("25");
  }

  @Test
  default void rangeAtZeroOfAnEmptyObjectReadsNothing() {
    String bucket = newBucket();
    put(store(), bucket, "empty", "");
    assertThat(readRange(bucket, "empty", ByteRange.all())).isEmpty();
    assertThat(readRange(bucket, "empty", ByteRange.from(0))).isEmpty();
  }

  @Test
  default void rangedReadReportsTheWholeObject() throws Exception {
    String bucket = digits();
    try (ObjectContent content = store().read(ReadRequest.of(ObjectId.of(bucket, "digits"))
        .withRange(ByteRange.of(3, 2)))) {
      assertThat(content.info().size()).as("the object's size, not the range's").isEqualTo(10);
      assertThat(Tck.text(content.stream().readAllBytes())).isEqualTo("34");
    }
  }

  /**
   * A body written in pieces of odd sizes reads back whole and in ranges that start, end and span
   * anywhere (a store may keep the pieces as written: an in-memory store keeps chunks).
   */
  @Test
  default void rangesOfABodyWrittenInOddPiecesReadTheRightBytes() throws Exception {
    String bucket = newBucket();
    byte[] data = Tck.pattern(3 * 1024 * 1024 + 17);
    try (io.hybridstorage.api.ObjectWriter w = store().openWrite(io.hybridstorage.api.WriteRequest.of(bucket, "pieces"))) {
      int at = 0;
      int piece = 1;
      while (at < data.length) {
        int n = Math.min(piece, data.length - at);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(data, at, n);
        while (b.hasRemaining()) {
          w.write(b);
        }
        at += n;
        piece = piece * 3 + 7; // 1, 10, 37, ... past 1 MiB
      }
      w.commit();
    }
    assertThat(Tck.readBytes(store(), ReadRequest.of(ObjectId.of(bucket, "pieces")))).isEqualTo(data);
    long[][] ranges = {{0, 1}, {1, 9}, {1_048_575, 2}, {1_048_000, 2_090_000}, {data.length - 5, 5}, {777_777, 1}};
    for (long[] r : ranges) {
      byte[] got = Tck.readBytes(store(), ReadRequest.of(ObjectId.of(bucket, "pieces")).withRange(ByteRange.of(r[0], r[1])));
      assertThat(got).as("bytes %d+%d", r[0], r[1])
          .isEqualTo(java.util.Arrays.copyOfRange(data, (int) r[0], (int) (r[0] + r[1])));
    }
  }
}
