package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import javax.annotation.Nullable;

/**
 * Copies version {@code source} to {@code targetBucket/targetName}.
 *
 * @param sourceConditions checked against the source version
 * @param metadata the target's metadata; {@code null} keeps the source's
 * @param targetConditions checked atomically against the target's live version
 * @param generation the target version's generation, with the contract of {@link
 *     WriteRequest#generation()}: 0, the store assigns it (greater than every generation the
 *     target name has held on this store). Non-zero (a router issuing generations from its own
 *     clock, under {@link Capability#ASSIGNED_GENERATIONS}): the new version gets exactly this
 *     generation {@code g}, and the copy fails with 412 ({@link
 *     HybridStorageException#generationNotNewer}) and changes nothing unless {@code g} is greater
 *     than every generation the target name has held on this store — live, noncurrent or deleted
 *     (its tombstone). A store without the capability refuses a non-zero generation.
 */
public record CopyRequest(
    ObjectId source,
    Conditions sourceConditions,
    String targetBucket,
    String targetName,
    @Nullable ObjectMetadata metadata,
    Conditions targetConditions,
    long generation) {

  public CopyRequest {
    requireNonNull(source, "source");
    requireNonNull(sourceConditions, "sourceConditions");
    requireNonNull(targetBucket, "targetBucket");
    requireNonNull(targetName, "targetName");
    requireNonNull(targetConditions, "targetConditions");
    if (generation < 0) {
      throw new IllegalArgumentException("generation (" + generation + ") must be >= 0");
    }
  }

  /** A copy whose target generation the store assigns ({@link #generation()} = 0). */
  public CopyRequest(ObjectId source, Conditions sourceConditions, String targetBucket, String targetName,
      @Nullable ObjectMetadata metadata, Conditions targetConditions) {
    this(source, sourceConditions, targetBucket, targetName, metadata, targetConditions, 0);
  }

  public static CopyRequest of(ObjectId source, String targetBucket, String targetName) {
    return new CopyRequest(source, Conditions.none(), targetBucket, targetName, null, Conditions.none());
  }

  /** This copy with the target's generation assigned by the caller (0: by the store). */
  public CopyRequest withGeneration(long value) {
    return new CopyRequest(source, sourceConditions, targetBucket, targetName, metadata, targetConditions, value);
  }
}
