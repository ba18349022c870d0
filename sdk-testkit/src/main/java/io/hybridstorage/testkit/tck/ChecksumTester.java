package io.hybridstorage.testkit.tck;

import static io.hybridstorage.testkit.tck.Tck.assertNames;
import static io.hybridstorage.testkit.tck.Tck.bytes;
import static io.hybridstorage.testkit.tck.Tck.expect;
import static io.hybridstorage.testkit.tck.Tck.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ListRequest;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.WriteRequest;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * CRC32C and MD5 as GCS reports them (base64, big-endian CRC), checked against the JDK's own
 * implementations and known vectors; a write whose client checksum mismatches is 400 and leaves
 * nothing behind.
 */
public interface ChecksumTester extends StoreTester {

  private static String jdkCrc32c(byte[] data) {
    return Tck.crc32c(data);
  }

  private static String jdkMd5(byte[] data) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
  }

  @Test
  default void checksumsMatchKnownVectors() {
    String bucket = newBucket();
    ObjectInfo info = put(store(), bucket, "vector", "123456789");
    assertThat(info.crc32c()).isEqualTo("4waSgw=="); // 0xE3069283
    assertThat(info.md5()).isEqualTo("JfnnlDI7RTiF9RgfG2JNCw==");
    assertThat(store().head(ObjectId.of(bucket, "vector"), Conditions.none())).hasValueSatisfying(h -> {
      assertThat(h.crc32c()).isEqualTo("4waSgw==");
      assertThat(h.md5()).isEqualTo("JfnnlDI7RTiF9RgfG2JNCw==");
    });
  }

  @Test
  default void checksumsOfAnEmptyObject() {
    String bucket = newBucket();
    ObjectInfo info = put(store(), bucket, "empty", "");
    assertThat(info.crc32c()).isEqualTo("AAAAAA==");
    assertThat(info.md5()).isEqualTo("1B2M2Y8AsgTpgAmY7PhCfg==");
  }

  @Test
  default void checksumsOfALargeObjectMatchTheJdk() throws Exception {
    String bucket = newBucket();
    byte[] data = Tck.pattern(1024 * 1024 + 3);
    ObjectInfo info = put(store(), WriteRequest.of(bucket, "large"), data);
    assertThat(info.crc32c()).isEqualTo(jdkCrc32c(data));
    assertThat(info.md5()).isEqualTo(jdkMd5(data));
  }

  /**
   * {@code ObjectWriter.precomputedChecksums} with the true sums of the bytes written (what a
   * router hands each site) changes nothing a reader sees: the object reports exactly those sums,
   * whether the store took them or computed its own.
   */
  @Test
  default void precomputedChecksumsOfTheBytesWrittenAreTheObjectsChecksums() throws Exception {
    String bucket = newBucket();
    byte[] data = Tck.pattern(200_003);
    String crc32c = jdkCrc32c(data);
    String md5 = jdkMd5(data);
    ObjectInfo info;
    try (io.hybridstorage.api.ObjectWriter w = store().openWrite(WriteRequest.of(bucket, "handed"))) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(data);
      while (b.hasRemaining()) {
        w.write(b);
      }
      w.precomputedChecksums(crc32c, md5);
      info = w.commit();
    }
    assertThat(info.crc32c()).isEqualTo(crc32c);
    assertThat(info.md5()).isEqualTo(md5);
    assertThat(Tck.readBytes(store(), io.hybridstorage.api.ReadRequest.of(ObjectId.of(bucket, "handed")))).isEqualTo(data);
    assertThat(store().head(ObjectId.of(bucket, "handed"), Conditions.none())).hasValueSatisfying(h -> {
      assertThat(h.crc32c()).isEqualTo(crc32c);
      assertThat(h.md5()).isEqualTo(md5);
    });
  }

  @Test
  default void correctClientChecksumsAreAccepted() throws Exception {
    String bucket = newBucket();
    byte[] data = bytes("verified content");
    ObjectInfo info = put(store(), WriteRequest.of(bucket, "ok").withCrc32c(jdkCrc32c(data)).withMd5(jdkMd5(data)), data);
    assertThat(info.crc32c()).isEqualTo(jdkCrc32c(data));
    assertThat(Tck.read(store(), bucket, "ok")).isEqualTo("verified content");
  }

  @Test
  default void wrongCrc32cIs400AndLeavesNothing() {
    String bucket = newBucket();
    String wrong = jdkCrc32c(bytes("something else"));
    HybridStorageException e = expect(400, () -> put(store(),
        WriteRequest.of(bucket, "bad-crc").withCrc32c(wrong), bytes("actual content")));
    assertNames(e, store(), bucket, "bad-crc");
    assertThat(e.getMessage()).contains("CRC32C").contains(wrong).contains(jdkCrc32c(bytes("actual content")));
    assertThat(store().head(ObjectId.of(bucket, "bad-crc"), Conditions.none())).isEmpty();
    assertThat(store().list(ListRequest.of(bucket)).items()).isEmpty();
  }

  @Test
  default void wrongMd5Is400AndLeavesNothing() throws Exception {
    String bucket = newBucket();
    String wrong = jdkMd5(bytes("something else"));
    HybridStorageException e = expect(400, () -> put(store(),
        WriteRequest.of(bucket, "bad-md5").withMd5(wrong), bytes("actual content")));
    assertNames(e, store(), bucket, "bad-md5");
    assertThat(e.getMessage()).contains("MD5").contains(wrong);
    assertThat(store().head(ObjectId.of(bucket, "bad-md5"), Conditions.none())).isEmpty();
  }

  @Test
  default void wrongChecksumOnAnOverwriteKeepsThePreviousVersion() {
    String bucket = newBucket();
    ObjectInfo original = put(store(), bucket, "o", "original");
    expect(400, () -> put(store(), WriteRequest.of(bucket, "o").withCrc32c(jdkCrc32c(bytes("x"))), bytes("corrupt")));
    assertThat(store().head(ObjectId.of(bucket, "o"), Conditions.none()))
        .hasValueSatisfying(h -> assertThat(h.generation()).isEqualTo(original.generation()));
    assertThat(Tck.read(store(), bucket, "o")).isEqualTo("original");
  }
}
