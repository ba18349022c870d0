package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import javax.annotation.Nullable;

/**
 * Concatenates {@code sources} (1 to {@value #MAX_SOURCES}, all in {@code bucket}) into {@code
 * bucket/targetName}.
 */
public record ComposeRequest(
    String bucket,
    List<Source> sources,
    String targetName,
    ObjectMetadata metadata,
    Conditions targetConditions) {

  /** GCS's limit on components per compose call. */
  public static final int MAX_SOURCES = 32;

  public ComposeRequest {
    requireNonNull(bucket, "bucket");
    sources = List.copyOf(sources);
    requireNonNull(targetName, "targetName");
    requireNonNull(metadata, "metadata");
    requireNonNull(targetConditions, "targetConditions");
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
