package io.hybridstorage.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectMetadata;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GcsConversionsTest {

  private static final Conditions ALL = new Conditions(7L, 8L, 9L, 10L);

  @Test
  void everyPreconditionBecomesTheMatchingOptionOfEachKind() {
    assertThat(GcsConversions.getOptions(ALL)).containsExactly(
        BlobGetOption.generationMatch(7), BlobGetOption.generationNotMatch(8),
        BlobGetOption.metagenerationMatch(9), BlobGetOption.metagenerationNotMatch(10));
    assertThat(GcsConversions.sourceOptions(ALL)).containsExactly(
        BlobSourceOption.generationMatch(7), BlobSourceOption.generationNotMatch(8),
        BlobSourceOption.metagenerationMatch(9), BlobSourceOption.metagenerationNotMatch(10));
    assertThat(GcsConversions.targetOptions(ALL, BlobTargetOption.disableGzipContent())).containsExactly(
        BlobTargetOption.generationMatch(7), BlobTargetOption.generationNotMatch(8),
        BlobTargetOption.metagenerationMatch(9), BlobTargetOption.metagenerationNotMatch(10),
        BlobTargetOption.disableGzipContent());
    assertThat(GcsConversions.writeOptions(ALL, BlobWriteOption.crc32cMatch())).containsExactly(
        BlobWriteOption.generationMatch(7), BlobWriteOption.generationNotMatch(8),
        BlobWriteOption.metagenerationMatch(9), BlobWriteOption.metagenerationNotMatch(10),
        BlobWriteOption.crc32cMatch());
  }

  @Test
  void noConditionsNoOptions() {
    assertThat(GcsConversions.getOptions(Conditions.none())).isEmpty();
    assertThat(GcsConversions.writeOptions(Conditions.none())).isEmpty();
  }

  @Test
  void doesNotExistIsGenerationMatchZero() {
    assertThat(GcsConversions.targetOptions(Conditions.doesNotExist()))
        .containsExactly(BlobTargetOption.generationMatch(0));
  }

  @Test
  void generationZeroIsTheLiveVersion() {
    assertThat(GcsConversions.blobId(ObjectId.of("b", "o")).getGeneration()).isNull();
    assertThat(GcsConversions.blobId(ObjectId.of("b", "o", 5)).getGeneration()).isEqualTo(5L);
  }

  @Test
  void metadataRoundTripsThroughBlobInfo() {
    ObjectMetadata metadata = new ObjectMetadata("text/plain", "gzip", "inline", "en", "no-cache", Map.of("k", "v"));

    BlobInfo info = GcsConversions.blobInfo(BlobId.of("b", "o", 3L), metadata).build();
    ObjectInfo back = GcsConversions.objectInfo(info);

    assertThat(back.metadata()).isEqualTo(metadata);
    assertThat(back.generation()).isEqualTo(3);
    assertThat(back.metageneration()).isZero();
    assertThat(back.componentCount()).isZero();
    assertThat(back.deleteTime()).isNull();
  }

  @Test
  void nullMetadataValuesAreDropped() {
    Map<String, String> withNull = new HashMap<>();
    withNull.put("keep", "1");
    withNull.put("gone", null);

    assertThat(GcsConversions.custom(withNull)).containsExactly(Map.entry("keep", "1"));
    assertThat(GcsConversions.custom(null)).isEmpty();
  }
}
