package io.hybridstorage.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.HybridBridge;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.MetadataPatch;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The option policy, the field classification and the error translation, without a store. */
class OptionPolicyTest {

  private static OptionValues target(com.google.cloud.storage.Option<?>... options) {
    return new OptionValues(HybridBridge.options(BlobInfo.newBuilder("b", "o").build(), options));
  }

  @Test
  void conditionsMapOntoTheSpi() {
    Conditions c = target(BlobTargetOption.generationMatch(5), BlobTargetOption.generationNotMatch(6),
        BlobTargetOption.metagenerationMatch(7), BlobTargetOption.metagenerationNotMatch(8)).conditions();
    assertThat(c).isEqualTo(new Conditions(5L, 6L, 7L, 8L));
    assertThat(target(BlobTargetOption.doesNotExist()).conditions()).isEqualTo(Conditions.doesNotExist());
    assertThat(target().conditions().isEmpty()).isTrue();
  }

  @Test
  void optionsWithoutEffectOnDataAreAccepted() {
    target(BlobTargetOption.userProject("p"), BlobTargetOption.disableGzipContent(),
        BlobTargetOption.detectContentType(), BlobTargetOption.extraHeaders(
            com.google.common.collect.ImmutableMap.of("x-custom", "1")))
        .require(OptionValues.CONDITIONS, "create", "b", "o", "dc1");
    new OptionValues(HybridBridge.options(BlobInfo.newBuilder("b", "o").build(),
        BlobWriteOption.expectedObjectSize(10), BlobWriteOption.crc32cMatch()))
        .require(OptionValues.CONDITIONS, "writer", "b", "o", "dc1");
    new OptionValues(HybridBridge.options(BlobId.of("b", "o"), BlobGetOption.fields(Storage.BlobField.SIZE),
        BlobGetOption.softDeleted(false))).require(OptionValues.CONDITIONS, "get", "b", "o", "dc1");
    new OptionValues(HybridBridge.options(BlobListOption.includeFolders(false), BlobListOption.prefix("a")))
        .require(OptionValues.OBJECT_LIST, "list", "b", null, "dc1");
  }

  @Test
  void aclsKeysAndUnhonouredOptionsAre501NamingTheOption() {
    StorageException acl = catchThrowableOfType(StorageException.class, () ->
        target(BlobTargetOption.predefinedAcl(Storage.PredefinedAcl.PRIVATE))
            .require(OptionValues.CONDITIONS, "create", "b", "o", "dc1"));
    assertThat(acl.getCode()).isEqualTo(501);
    assertThat(acl.getReason()).isEqualTo("notImplemented");
    assertThat(acl.getMessage()).startsWith("create gs://b/o on dc1: option predefinedAcl=private")
        .contains("refused rather than ignored");
    StorageException kms = catchThrowableOfType(StorageException.class, () ->
        target(BlobTargetOption.kmsKeyName("k")).require(OptionValues.CONDITIONS, "create", "b", "o", "dc1"));
    assertThat(kms.getMessage()).contains("kmsKeyName");
    StorageException softDeleted = catchThrowableOfType(StorageException.class, () ->
        new OptionValues(HybridBridge.options(BlobId.of("b", "o"), BlobGetOption.softDeleted(true)))
            .require(OptionValues.CONDITIONS, "get", "b", "o", "dc1"));
    assertThat(softDeleted.getMessage()).contains("softDeleted=true");
    StorageException bucketCondition = catchThrowableOfType(StorageException.class, () ->
        new OptionValues(HybridBridge.options(Storage.BucketSourceOption.metagenerationMatch(1)))
            .require(OptionValues.NONE, "delete", "b", null, "dc1"));
    assertThat(bucketCondition.getMessage()).contains("ifMetagenerationMatch=1", "atomically");
    StorageException rawOnWrite = catchThrowableOfType(StorageException.class, () ->
        new OptionValues(HybridBridge.options(BlobId.of("b", "o"), BlobSourceOption.shouldReturnRawInputStream(true)))
            .require(OptionValues.CONDITIONS, "delete", "b", "o", "dc1"));
    assertThat(rawOnWrite.getCode()).isEqualTo(501);
  }

  @Test
  void fieldClassification() {
    assertThat(Values.unsupportedBlobField(HybridBridge.modifiedFields(BlobInfo.newBuilder("b", "o")
        .setContentType("a").setCacheControl("c").setMetadata(Map.of("k", "v")).setCrc32c("x").build()))).isNull();
    assertThat(Values.unsupportedBlobField(HybridBridge.modifiedFields(BlobInfo.newBuilder("b", "o")
        .setEventBasedHold(true).build()))).isEqualTo("eventBasedHold");
    assertThat(Values.unsupportedBucketCreateField(HybridBridge.modifiedFields(BucketInfo.newBuilder("b")
        .setLocation("EU").setVersioningEnabled(true).build()))).isNull();
    assertThat(Values.unsupportedBucketUpdateField(HybridBridge.modifiedFields(BucketInfo.newBuilder("b")
        .setLocation("EU").build()))).isEqualTo("location");
    assertThat(Values.unsupportedBucketCreateField(HybridBridge.modifiedFields(BucketInfo.newBuilder("b")
        .setRequesterPays(true).build()))).isEqualTo("billing");
  }

  @Test
  void patchesCarryOnlyWhatWasSet() {
    Map<String, String> metadata = new HashMap<>();
    metadata.put("gone", null);
    metadata.put("new", "1");
    BlobInfo info = BlobInfo.newBuilder("b", "o").setContentLanguage("de").setMetadata(metadata).build();
    MetadataPatch patch = Values.patch(info, HybridBridge.modifiedFields(info));
    assertThat(patch.contentLanguage()).isEqualTo("de");
    assertThat(patch.contentType()).isNull();
    assertThat(patch.custom()).containsEntry("new", "1").containsEntry("gone", null);
    assertThat(Values.isEmpty(Values.patch(info.toBuilder().build(), HybridBridge.modifiedFields(
        info.toBuilder().build())))).isTrue();
    BlobInfo cleared = info.toBuilder().setContentLanguage(null).build();
    assertThat(Values.patch(cleared, HybridBridge.modifiedFields(cleared)).contentLanguage())
        .as("set to null clears").isEqualTo("");
  }

  @Test
  void translationKeepsCodeReasonMessageAndCause() {
    HybridStorageException failure = HybridStorageException.preconditionFailed("write", "b", "o", "dc1",
        "ifGenerationMatch=7 failed, current=9");
    StorageException e = Errors.translate(failure);
    assertThat(e.getCode()).isEqualTo(412);
    assertThat(e.getReason()).isEqualTo("conditionNotMet");
    assertThat(e.getMessage()).isEqualTo("write gs://b/o on dc1: ifGenerationMatch=7 failed, current=9");
    assertThat(e.getCause()).isSameAs(failure);
    assertThat(e.isRetryable()).isFalse();
    for (int code : new int[] {408, 429, 500, 502, 503, 504}) {
      assertThat(Errors.translate(new HybridStorageException(code, "backendError", "read", "b", "o", "dc1", "x",
          null)).isRetryable()).as("code %s", code).isTrue();
    }
    for (int code : new int[] {400, 404, 409, 412, 416, 501}) {
      assertThat(Errors.translate(new HybridStorageException(code, "r", "read", "b", "o", "dc1", "x", null))
          .isRetryable()).as("code %s", code).isFalse();
    }
  }
}
