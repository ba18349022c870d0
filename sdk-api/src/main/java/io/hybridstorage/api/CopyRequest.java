package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import javax.annotation.Nullable;

/**
 * Copies version {@code source} to {@code targetBucket/targetName}.
 *
 * @param sourceConditions checked against the source version
 * @param metadata the target's metadata; {@code null} keeps the source's
 * @param targetConditions checked atomically against the target's live version
 */
public record CopyRequest(
    ObjectId source,
    Conditions sourceConditions,
    String targetBucket,
    String targetName,
    @Nullable ObjectMetadata metadata,
    Conditions targetConditions) {

  public CopyRequest {
    requireNonNull(source, "source");
    requireNonNull(sourceConditions, "sourceConditions");
    requireNonNull(targetBucket, "targetBucket");
    requireNonNull(targetName, "targetName");
    requireNonNull(targetConditions, "targetConditions");
  }

  public static CopyRequest of(ObjectId source, String targetBucket, String targetName) {
    return new CopyRequest(source, Conditions.none(), targetBucket, targetName, null, Conditions.none());
  }
}
