package io.hybridstorage.vast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import io.hybridstorage.api.Utf8Order;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pure parts of sdk-vast: CRC32C combination, the metadata codec, config validation, start-after. */
class VastUnitTest {

  @Test
  void crc32cCombineEqualsTheCrc32cOfTheConcatenation() {
    Random random = new Random(1);
    for (int[] sizes : new int[][] {{0, 0}, {0, 7}, {7, 0}, {1, 1}, {100, 3}, {4096, 65537}, {33, 1 << 20}}) {
      byte[] a = new byte[sizes[0]];
      byte[] b = new byte[sizes[1]];
      random.nextBytes(a);
      random.nextBytes(b);
      byte[] ab = new byte[a.length + b.length];
      System.arraycopy(a, 0, ab, 0, a.length);
      System.arraycopy(b, 0, ab, a.length, b.length);
      int combined = Checksums.combineCrc32c(Checksums.crc32cValue(Checksums.crc32c(a)),
          Checksums.crc32cValue(Checksums.crc32c(b)), b.length);
      assertThat(combined).as("sizes %d + %d", a.length, b.length)
          .isEqualTo(Checksums.crc32cValue(Checksums.crc32c(ab)));
    }
  }

  @Test
  void metadataRoundTripsCaseSpecialCharactersAndContentType() {
    ObjectMetadata metadata = new ObjectMetadata("text/plain; charset=utf-8", "gzip", null, "en", null,
        Map.of("Mixed-Case", "väl&ue=1", "", "empty key", "k", ""));
    Instant created = Instant.parse("2026-01-02T03:04:05.123456789Z");
    Instant updated = Instant.parse("2026-01-03T00:00:00Z");
    Map<String, String> user = HsMetadata.encode(42, 3, "AAAAAA==", "md5==", created, updated, 2, metadata);
    assertThat(user.values()).allSatisfy(v -> assertThat(v).matches("\\p{ASCII}*"));
    ObjectInfo info = HsMetadata.decode("b", "o", new HsMetadata.S3Headers(user, "text/plain;charset=utf-8", "gzip",
        null, "en", null, 10, "\"etag\"", Instant.EPOCH));
    assertThat(info.generation()).isEqualTo(42);
    assertThat(info.metageneration()).isEqualTo(3);
    assertThat(info.metadata()).isEqualTo(metadata);
    assertThat(info.createTime()).isEqualTo(created);
    assertThat(info.updateTime()).isEqualTo(updated);
    assertThat(info.componentCount()).isEqualTo(2);
    assertThat(info.crc32c()).isEqualTo("AAAAAA==");
  }

  @Test
  void foreignObjectsDecodeWithGenerationZeroAndNoChecksums() {
    ObjectInfo info = HsMetadata.decode("b", "o", new HsMetadata.S3Headers(Map.of("owner", "nfs", "hs-metageneration",
        "4"), "application/octet-stream", null, null, null, null, 5, "\"abc-2\"", Instant.EPOCH));
    assertThat(info.generation()).isZero();
    assertThat(info.metageneration()).isEqualTo(4);
    assertThat(info.md5()).isNull();
    assertThat(info.crc32c()).isNull();
    assertThat(info.metadata().custom()).isEqualTo(Map.of("owner", "nfs"));
    assertThat(info.metadata().contentType()).isEqualTo("application/octet-stream");
    // an unreadable generation is foreign, not guessed
    assertThat(HsMetadata.decode("b", "o", new HsMetadata.S3Headers(Map.of("hs-generation", "x"), null, null, null,
        null, null, 0, null, null)).generation()).isZero();
  }

  @Test
  void configIsValidatedAtBuildNamingTheField() {
    VastStoreConfig.Builder ok = VastStoreConfig.builder().site("dc1").endpoint(URI.create("http://127.0.0.1:9"))
        .credentialsProvider(VastTestSupport.CREDENTIALS);
    VastStoreConfig config = ok.build();
    assertThat(config.pathStyle()).isTrue();
    assertThat(config.toBuilder().partSize(64L << 20).build().partSize()).isEqualTo(64L << 20);
    assertThatThrownBy(() -> config.toBuilder().partSize(1024).build()).hasMessageContaining("partSize (1024)");
    assertThatThrownBy(() -> config.toBuilder().multipartThreshold(config.partSize() + 1).build())
        .hasMessageContaining("multipartThreshold");
    assertThatThrownBy(() -> config.toBuilder().uploadParallelism(0).build()).hasMessageContaining("uploadParallelism");
    assertThatThrownBy(() -> config.toBuilder().endpoint(URI.create("vast.dc1:9000")).build())
        .hasMessageContaining("endpoint");
    assertThatThrownBy(() -> config.toBuilder().endpoint(URI.create("http://AKIDEXAMPLE:s3cr3t@vast.dc1:9000")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credentialsProvider")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> config.toBuilder().site(" ").build()).hasMessageContaining("site");
    assertThatThrownBy(() -> config.toBuilder().maxAttempts(0).build()).hasMessageContaining("maxAttempts");
  }

  @Test
  void startAfterPredecessorSortsJustBelowItsArgument() {
    for (String s : new String[] {"a", "ab", "a/b", "é", "d\uD83D\uDE00", "x\uE000", "\uD800\uDC00"}) {
      String p = S3Listing.predecessor(s);
      assertThat(Utf8Order.INSTANCE.compare(p, s)).as(s).isNegative();
      // nothing a real name holds lies between: the next smaller "natural" name is below it
      String lowered = s.substring(0, s.length() - Character.charCount(s.codePointBefore(s.length())));
      assertThat(Utf8Order.INSTANCE.compare(lowered, p)).as(s).isNegative();
    }
    assertThat(S3Listing.predecessor("")).isNull();
  }
}
