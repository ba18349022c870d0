package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import javax.annotation.Nullable;

/**
 * Concatenates {@code sources} (1 to {@value #MAX_SOURCES}, all in {@code bucket}) into {@code
 * bucket/targetName}.
 *
 * @param targetConditions checked atomically against the target's live version
 * @param generation the composite's generation, with the contract of {@link
 *     WriteRequest#generation()}: 0, the store assigns it (greater than every generation the
 *     target name has held on this store). Non-zero (a router issuing generations from its own
 *     clock, under {@link Capability#ASSIGNED_GENERATIONS}): the new version gets exactly this
 *     generation {@code g}, and the compose fails with 412 ({@link
 *     HybridStorageException#generationNotNewer}) and changes nothing unless {@code g} is greater
 *     than every generation the target name has held on this store — live, noncurrent or deleted
 *     (its tombstone). A store without the capability refuses a non-zero generation.
 */
public record ComposeRequest(
    String bucket,
    List<Source> sources,
    String targetName,
    ObjectMetadata metadata,
    Conditions targetConditions,
    long generation) {

  /** GCS's limit on components per compose call. */
  public static final int MAX_SOURCES = 32;

  public ComposeRequest {
    requireNonNull(bucket, "bucket");
    sources = List.copyOf(sources);
    requireNonNull(targetName, "targetName");
    requireNonNull(metadata, "metadata");
    requireNonNull(targetConditions, "targetConditions");
    if (generation < 0) {
      throw new IllegalArgumentException("generation (" + generation + ") must be >= 0");
    }
  }

  /** A compose whose target generation the store assigns ({@link #generation()} = 0). */
  public ComposeRequest(String bucket, List<Source> sources, String targetName, ObjectMetadata metadata,
      Conditions targetConditions) {
    this(bucket, sources, targetName, metadata, targetConditions, 0);
  }

  /** This compose with the target's generation assigned by the caller (0: by the store). */
  public ComposeRequest withGeneration(long value) {
    return new ComposeRequest(bucket, sources, targetName, metadata, targetConditions, value);
  }

  /**
   * One source: the live version when {@code generation == 0}; {@code ifGenerationMatch}, when
   * set, must equal the version used.
   */
  public record Source(String name, long generation, @Nullable Long ifGenerationMatch) {
    public Source {
      requireNonNull(name, "name");
    }

    public static Source of(String name) {
      return new Source(name, 0, null);
    }
  }

  /** 400 unless there are 1 to 32 sources. */
  public void validate(String site) {
    if (sources.isEmpty()) {
      throw HybridStorageException.invalid("compose", bucket, targetName, site,
          "compose needs at least one source object");
    }
    if (sources.size() > MAX_SOURCES) {
      throw HybridStorageException.invalid("compose", bucket, targetName, site,
          "The number of source components provided (" + sources.size()
              + ") exceeds the maximum (" + MAX_SOURCES + ")");
    }
  }
}
