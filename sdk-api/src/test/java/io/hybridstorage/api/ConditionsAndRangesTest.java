package io.hybridstorage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionsAndRangesTest {

  private static ObjectInfo version(long generation, long metageneration) {
    return new ObjectInfo("b", "o", generation, metageneration, 3, null, null, null, ObjectMetadata.empty(),
        Instant.EPOCH, Instant.EPOCH, null, 1);
  }

  @Test
  void doesNotExistHoldsOnlyWithoutALiveVersion() {
    assertThat(Conditions.doesNotExist().test(null)).isTrue();
    assertThat(Conditions.doesNotExist().test(version(7, 1))).isFalse();
  }

  @Test
  void failedConditionIs412NamingOperationObjectSiteAndValues() {
    assertThatThrownBy(() -> Conditions.generationMatch(7).check(version(9, 1), "write", "b", "o", "dc1"))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> {
          assertThat(e.code()).isEqualTo(412);
          assertThat(e.site()).isEqualTo("dc1");
          assertThat(e.operation()).isEqualTo("write");
          assertThat(e.isRetryable()).isFalse();
        })
        .hasMessage("write gs://b/o on dc1: ifGenerationMatch=7 failed, current=9");
  }

  @Test
  void metagenerationConditions() {
    Conditions c = Conditions.none().withMetagenerationMatch(2L);
    assertThat(c.test(version(1, 2))).isTrue();
    assertThat(c.test(version(1, 3))).isFalse();
    assertThat(c.test(null)).isFalse();
    Conditions not = Conditions.none().withMetagenerationNotMatch(2L);
    assertThat(not.test(version(1, 2))).isFalse();
    assertThat(not.test(version(1, 3))).isTrue();
    assertThat(Conditions.none().withGenerationNotMatch(5L).test(version(5, 1))).isFalse();
  }

  @Test
  void rangesAndSuffixes() {
    assertThat(ByteRange.of(2, 3).count(10)).isEqualTo(3);
    assertThat(ByteRange.of(8, 5).count(10)).isEqualTo(2);
    assertThat(ByteRange.suffix(4).start(10)).isEqualTo(6);
    assertThat(ByteRange.suffix(40).start(10)).isZero();
    assertThat(ByteRange.suffix(40).count(10)).isEqualTo(10);
    assertThatThrownBy(() -> ByteRange.from(10).check(10, "read", "b", "o", "gcp"))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(416))
        .hasMessageContaining("read gs://b/o on gcp: range starts at 10 but the object has 10 bytes");
    ByteRange.all().check(0, "read", "b", "o", "gcp");
    assertThatThrownBy(() -> ByteRange.suffix(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void metadataPatchMergesAndRemoves() {
    ObjectMetadata base = new ObjectMetadata("text/plain", null, null, null, "no-cache", Map.of("a", "1", "b", "2"));
    java.util.Map<String, String> custom = new java.util.HashMap<>();
    custom.put("a", null);
    custom.put("c", "3");
    ObjectMetadata patched = base.apply(new MetadataPatch("text/csv", null, null, null, "", custom, false));
    assertThat(patched.contentType()).isEqualTo("text/csv");
    assertThat(patched.cacheControl()).isNull();
    assertThat(patched.custom()).isEqualTo(Map.of("b", "2", "c", "3"));
    assertThat(base.apply(new MetadataPatch(null, null, null, null, null, null, true)).custom()).isEmpty();
  }

  @Test
  void checksumsUseGcsRepresentation() {
    // GCS documents CRC32C of "hello world" as yUR+WQ== ... verify against Guava's known vector instead:
    // CRC32C("123456789") = 0xE3069283 → base64 of the big-endian bytes.
    assertThat(Checksums.crc32c("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .isEqualTo(java.util.Base64.getEncoder().encodeToString(new byte[] {(byte) 0xE3, 0x06, (byte) 0x92, (byte) 0x83}));
    assertThat(Checksums.md5(new byte[0])).isEqualTo("1B2M2Y8AsgTpgAmY7PhCfg==");
    assertThatThrownBy(() -> Checksums.verify("AAAAAA==", null, "BBBBBB==", "x", "write", "b", "o", "dc2"))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessage("write gs://b/o on dc2: Provided CRC32C \"AAAAAA==\" doesn't match calculated CRC32C \"BBBBBB==\".");
  }

  @Test
  void declaredSizeIsCheckedOnWriteAndCommit() {
    WriteRequest unknown = WriteRequest.of("b", "o");
    assertThat(unknown.sizeKnown()).isFalse();
    assertThat(unknown.expectedSize()).isEqualTo(WriteRequest.UNKNOWN_SIZE);
    unknown.checkWritable(Long.MAX_VALUE, "dc1");
    unknown.verify(12345, "x", "y", "dc1");

    WriteRequest ten = unknown.withExpectedSize(10);
    assertThat(ten.sizeKnown()).isTrue();
    ten.checkWritable(10, "dc1");
    assertThatThrownBy(() -> ten.checkWritable(11, "dc1"))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessage("write gs://b/o on dc1: the write declared 10 bytes (expectedSize) and was given 11;"
            + " nothing was written");
    ten.verify(10, "x", "y", "dc1");
    assertThatThrownBy(() -> ten.verify(9, "x", "y", "dc1"))
        .isInstanceOfSatisfying(HybridStorageException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessage("write gs://b/o on dc1: the write declared 10 bytes (expectedSize) but 9 were written;"
            + " nothing was written");
    assertThatThrownBy(() -> ten.withCrc32c("AAAAAA==").verify(10, "BBBBBB==", "y", "dc1"))
        .hasMessageContaining("CRC32C");
    assertThatThrownBy(() -> unknown.withExpectedSize(-2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expectedSize (-2)");
    assertThat(ten.withGeneration(5).withConditions(Conditions.doesNotExist()).expectedSize()).isEqualTo(10);
  }

  @Test
  void checksumsWithoutMd5GiveTheSameCrc32cAndNoMd5() {
    byte[] data = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Checksums both = new Checksums();
    Checksums crcOnly = Checksums.withoutMd5();
    both.update(data, 0, 4);
    both.update(java.nio.ByteBuffer.wrap(data, 4, 5));
    crcOnly.update(data, 0, 4);
    crcOnly.update(java.nio.ByteBuffer.wrap(data, 4, 5));
    assertThat(crcOnly.size()).isEqualTo(both.size()).isEqualTo(9);
    String[] full = both.finish();
    String[] partial = crcOnly.finish();
    assertThat(partial[0]).isEqualTo(full[0]).isEqualTo("4waSgw==");
    assertThat(full[1]).isEqualTo("JfnnlDI7RTiF9RgfG2JNCw==");
    assertThat(partial[1]).isNull();
  }
}
