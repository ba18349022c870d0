package io.hybridstorage.gcs;

import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.testkit.tck.ObjectStoreTck;
import io.hybridstorage.testkit.tck.Suppress;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The TCK over {@link GcsStore} and google-cloud-nio's LocalStorageHelper, an in-memory GCS
 * written by others (with the bucket table of {@link LocalGcs}, which it lacks). Writes use the
 * resumable path (single-request limit 0): LocalStorageHelper's one-request upload assigns no
 * generation. Each suppression names the LocalStorageHelper deviation, verified against its
 * {@code FakeStorageRpc}.
 */
@Suppress(test = "aDeclaredLargeWriteWithoutClientChecksumsStillReportsItsCrc32c", reason = LocalStorageDeviations.NO_CHECKSUMS_NO_METAGENERATION)
@Suppress(test = "aDeclaredWriteHonoursPreconditions", reason = LocalStorageDeviations.WRITE_CONDITIONS)
@Suppress(test = "aDeclaredWriteWithAWrongCrc32cIs400AndKeepsThePreviousVersion", reason = LocalStorageDeviations.UPLOAD_VISIBLE_AT_START)
@Suppress(test = "anAbandonedDeclaredWriteLeavesNothing", reason = LocalStorageDeviations.UPLOAD_VISIBLE_AT_START)
@Suppress(test = "bucketWithOnlyNoncurrentVersionsIsNotEmpty", reason = LocalStorageDeviations.NO_VERSIONS)
@Suppress(test = "checksumsMatchKnownVectors", reason = LocalStorageDeviations.NO_CHECKSUMS_NO_METAGENERATION)
@Suppress(test = "checksumsOfALargeObjectMatchTheJdk", reason = LocalStorageDeviations.NO_CHECKSUMS_NO_METAGENERATION)
@Suppress(test = "precomputedChecksumsOfTheBytesWrittenAreTheObjectsChecksums", reason = LocalStorageDeviations.NO_CHECKSUMS_NO_METAGENERATION)
@Suppress(test = "checksumsOfAnEmptyObject", reason = LocalStorageDeviations.NO_CHECKSUMS_NO_METAGENERATION)
@Suppress(test = "clearCustomRemovesEveryCustomKey", reason = LocalStorageDeviations.NO_PATCH)
@Suppress(test = "committingFewerBytesThanDeclaredIs400AndKeepsThePreviousVersion", reason = LocalStorageDeviations.UPLOAD_VISIBLE_AT_START)
@Suppress(test = "composeChecksTheTargetConditions", reason = LocalStorageDeviations.NO_COMPOSE)
@Suppress(test = "composeConcatenatesSourcesInOrder", reason = LocalStorageDeviations.NO_COMPOSE)
@Suppress(test = "composeOf32SourcesIsAllowed", reason = LocalStorageDeviations.NO_COMPOSE)
@Suppress(test = "composeOfCompositesSumsComponentCounts", reason = LocalStorageDeviations.NO_COMPOSE)
@Suppress(test = "composeUsesTheRequestedSourceGeneration", reason = LocalStorageDeviations.NO_COMPOSE)
@Suppress(test = "composeWithAMissingSourceIs404", reason = LocalStorageDeviations.NO_COMPOSE)
@Suppress(test = "composeWithAStaleSourceGenerationIs412", reason = LocalStorageDeviations.NO_COMPOSE)
@Suppress(test = "concurrentConditionalIncrementsLoseNoUpdate", reason = LocalStorageDeviations.SHARED_UPLOAD_ID)
@Suppress(test = "concurrentMetadataPatchesWithMetagenerationMatchLoseNoUpdate", reason = LocalStorageDeviations.NO_PATCH)
@Suppress(test = "concurrentOverwritesGetDistinctIncreasingGenerationsAndReadersSeeWholeValues", reason = LocalStorageDeviations.SHARED_UPLOAD_ID)
@Suppress(test = "concurrentWritesToDistinctNamesAreAllListed", reason = LocalStorageDeviations.NO_ORDER_NO_PAGING)
@Suppress(test = "copyChecksSourceAndTargetConditions", reason = LocalStorageDeviations.READ_CONDITIONS_IGNORED)
@Suppress(test = "copyOfANoncurrentGenerationRestoresIt", reason = LocalStorageDeviations.NO_VERSIONS)
@Suppress(test = "copyWithinABucketKeepsBytesChecksumsAndMetadata", reason = LocalStorageDeviations.READ_CONDITIONS_IGNORED)
@Suppress(test = "customKeysAreSetAndRemovedIndividually", reason = LocalStorageDeviations.NO_PATCH)
@Suppress(test = "deleteByGenerationRemovesThatVersionForGood", reason = LocalStorageDeviations.NO_VERSIONS)
@Suppress(test = "deleteInAVersionedBucketKeepsANoncurrentVersion", reason = LocalStorageDeviations.NO_VERSIONS)
@Suppress(test = "deleteWithAStaleGenerationIs412AndKeepsTheObject", reason = LocalStorageDeviations.READ_CONDITIONS_IGNORED)
@Suppress(test = "deleteWithoutVersioningLeavesNoVersionAndAnEmptyBucket", reason = LocalStorageDeviations.NO_VERSIONS)
@Suppress(test = "deletingBetweenPagesNeitherSkipsNorRepeats", reason = LocalStorageDeviations.NO_ORDER_NO_PAGING)
@Suppress(test = "delimiterRollsUpNamesIntoPrefixes", reason = LocalStorageDeviations.NO_ORDER_NO_PAGING)
@Suppress(test = "disablingVersioningKeepsExistingNoncurrentVersions", reason = LocalStorageDeviations.NO_VERSIONS)
@Suppress(test = "doesNotExistOnAnExistingObjectIs412AndChangesNothing", reason = LocalStorageDeviations.WRITE_CONDITIONS)
@Suppress(test = "doesNotExistSucceedsOnceTheLiveVersionIsDeleted", reason = LocalStorageDeviations.NO_CHECKSUMS_NO_METAGENERATION)
@Suppress(test = "generationMatchOnAMissingObjectIs412", reason = LocalStorageDeviations.WRITE_CONDITIONS)
@Suppress(test = "generationMatchOverwritesOnlyTheExpectedGeneration", reason = LocalStorageDeviations.WRITE_CONDITIONS)
@Suppress(test = "generationNotMatchAndMetagenerationConditionsOnWrite", reason = LocalStorageDeviations.WRITE_CONDITIONS)
@Suppress(test = "headAndReadWithFailingConditionsAre412", reason = LocalStorageDeviations.READ_CONDITIONS_IGNORED)
@Suppress(test = "headAndReadWithFailingNotMatchConditionsAre304", reason = LocalStorageDeviations.READ_CONDITIONS_IGNORED)
@Suppress(test = "invalidMatchGlobIs400", reason = LocalStorageDeviations.NO_LIST_FILTERS)
@Suppress(test = "invalidPageTokenIs400", reason = LocalStorageDeviations.NO_ORDER_NO_PAGING)
@Suppress(test = "listFiltersByPrefix", reason = LocalStorageDeviations.NO_ORDER_NO_PAGING)
@Suppress(test = "listOrdersNamesByUtf8BytesNotJavaStringOrder", reason = LocalStorageDeviations.NO_ORDER_NO_PAGING)
@Suppress(test = "listVersionsShowsEveryGenerationInOrderWithDeleteTimes", reason = LocalStorageDeviations.NO_VERSIONS)
@Suppress(test = "matchGlobBracesListAnyAlternative", reason = LocalStorageDeviations.NO_LIST_FILTERS)
@Suppress(test = "matchGlobDoubleStarCrossesLevels", reason = LocalStorageDeviations.NO_LIST_FILTERS)
@Suppress(test = "matchGlobQuestionMarkAndCharacterClasses", reason = LocalStorageDeviations.NO_LIST_FILTERS)
@Suppress(test = "matchGlobStarStaysWithinOneLevel", reason = LocalStorageDeviations.NO_LIST_FILTERS)
@Suppress(test = "matchGlobWithADelimiterMatchesObjectsAndTheRolledUpPrefixes", reason = LocalStorageDeviations.NO_LIST_FILTERS)
@Suppress(test = "multiCharacterDelimiter", reason = LocalStorageDeviations.ONE_CHAR_DELIMITER)
@Suppress(test = "offsetsCombineWithPrefixAndDelimiter", reason = LocalStorageDeviations.NO_LIST_FILTERS)
@Suppress(test = "oldGenerationWithoutVersioningIsGone", reason = LocalStorageDeviations.NO_VERSIONS)
@Suppress(test = "onlyTheLastPageHasNoToken", reason = LocalStorageDeviations.NO_ORDER_NO_PAGING)
@Suppress(test = "overwriteInAVersionedBucketKeepsTheOldGenerationReadable", reason = LocalStorageDeviations.NO_VERSIONS)
@Suppress(test = "overwriteStartsTheMetagenerationAgainAtOne", reason = LocalStorageDeviations.NO_PATCH)
@Suppress(test = "generationsFollowRealTimeOrderAcrossDeletes", reason = LocalStorageDeviations.DELETE_DURING_UPLOAD)
@Suppress(test = "overwriteWithoutVersioningDiscardsTheOldGeneration", reason = LocalStorageDeviations.NO_VERSIONS)
@Suppress(test = "pageSizeLargerThanTheListingGivesOnePage", reason = LocalStorageDeviations.NO_ORDER_NO_PAGING)
@Suppress(test = "pagedListingUnderConcurrentWritesNeitherSkipsNorRepeats", reason = LocalStorageDeviations.NO_ORDER_NO_PAGING)
@Suppress(test = "pagesCoverEveryObjectExactlyOnceInOrder", reason = LocalStorageDeviations.NO_ORDER_NO_PAGING)
@Suppress(test = "patchLeavesNullFieldsAndClearsEmptyOnes", reason = LocalStorageDeviations.NO_PATCH)
@Suppress(test = "prefixesAndItemsShareOnePageSortedTogether", reason = LocalStorageDeviations.NO_ORDER_NO_PAGING)
@Suppress(test = "prefixesAreNotRepeatedAcrossPages", reason = LocalStorageDeviations.NO_ORDER_NO_PAGING)
@Suppress(test = "sixteenConcurrentCreatesWithDoesNotExistExactlyOneWins", reason = LocalStorageDeviations.WRITE_CONDITIONS)
@Suppress(test = "startOffsetIsInclusiveAndEndOffsetExclusive", reason = LocalStorageDeviations.NO_LIST_FILTERS)
@Suppress(test = "tokenResumesStrictlyAfterTheLastNameReturned", reason = LocalStorageDeviations.NO_ORDER_NO_PAGING)
@Suppress(test = "unicodeObjectNamesRoundTrip", reason = LocalStorageDeviations.RAW_UPLOAD_ID_URL)
@Suppress(test = "updateMetadataBumpsTheMetagenerationOnly", reason = LocalStorageDeviations.NO_PATCH)
@Suppress(test = "updateMetadataOfAMissingObjectIs404", reason = LocalStorageDeviations.NO_PATCH)
@Suppress(test = "updateMetadataWithAStaleMetagenerationIs412", reason = LocalStorageDeviations.NO_PATCH)
@Suppress(test = "versionsArePagedWithoutSkippingOrRepeating", reason = LocalStorageDeviations.NO_VERSIONS)
@Suppress(test = "writeClosedWithoutCommitLeavesNothing", reason = LocalStorageDeviations.UPLOAD_VISIBLE_AT_START)
@Suppress(test = "writeIsInvisibleUntilCommit", reason = LocalStorageDeviations.UPLOAD_VISIBLE_AT_START)
@Suppress(test = "writeReportsSizeGenerationMetagenerationAndTimes", reason = LocalStorageDeviations.NO_CHECKSUMS_NO_METAGENERATION)
@Suppress(test = "wrongChecksumOnAnOverwriteKeepsThePreviousVersion", reason = LocalStorageDeviations.UPLOAD_VISIBLE_AT_START)
@Suppress(test = "wrongCrc32cIs400AndLeavesNothing", reason = LocalStorageDeviations.UPLOAD_VISIBLE_AT_START)
@Suppress(test = "wrongMd5Is400AndLeavesNothing", reason = LocalStorageDeviations.UPLOAD_VISIBLE_AT_START)
@ResourceLock("LocalStorageHelper") // one static store: never two users at once, in any parallel mode
class GcsStoreLocalStorageTckTest implements ObjectStoreTck {

  private final GcsStore store = GcsStore.builder(LocalGcs.storage()).site("gcp").singleRequestLimit(0).build();

  @Override
  public ObjectStore store() {
    return store;
  }
}
