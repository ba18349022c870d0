package io.hybridstorage.api;

import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * GCS preconditions. {@code ifGenerationMatch == 0} means "the object must not exist". Each field
 * is {@code null} when not set. {@link #check} (changes) and {@link #checkRead} (reads) are the one
 * place their meaning is decided; every store calls them atomically with the call they guard.
 */
public record Conditions(
    @Nullable Long ifGenerationMatch,
    @Nullable Long ifGenerationNotMatch,
    @Nullable Long ifMetagenerationMatch,
    @Nullable Long ifMetagenerationNotMatch) {

  private static final Conditions NONE = new Conditions(null, null, null, null);

  public static Conditions none() {
    return NONE;
  }

  /** {@code ifGenerationMatch=0}: succeeds only if no live version exists. */
  public static Conditions doesNotExist() {
    return new Conditions(0L, null, null, null);
  }

  public static Conditions generationMatch(long generation) {
    return new Conditions(generation, null, null, null);
  }

  public Conditions withGenerationMatch(@Nullable Long value) {
    return new Conditions(value, ifGenerationNotMatch, ifMetagenerationMatch, ifMetagenerationNotMatch);
  }

  public Conditions withGenerationNotMatch(@Nullable Long value) {
    return new Conditions(ifGenerationMatch, value, ifMetagenerationMatch, ifMetagenerationNotMatch);
  }

  public Conditions withMetagenerationMatch(@Nullable Long value) {
    return new Conditions(ifGenerationMatch, ifGenerationNotMatch, value, ifMetagenerationNotMatch);
  }

  public Conditions withMetagenerationNotMatch(@Nullable Long value) {
    return new Conditions(ifGenerationMatch, ifGenerationNotMatch, ifMetagenerationMatch, value);
  }

  public boolean isEmpty() {
    return ifGenerationMatch == null
        && ifGenerationNotMatch == null
        && ifMetagenerationMatch == null
        && ifMetagenerationNotMatch == null;
  }

  /** Whether these conditions hold for {@code current} (the live version, or null if none). */
  public boolean test(@Nullable ObjectInfo current) {
    return failure(current) == null;
  }

  /**
   * Throws 412 (or 404 when a metageneration condition meets a missing object, as GCS does) if
   * the conditions fail against {@code current}, the live version or {@code null}.
   */
  public void check(@Nullable ObjectInfo current, String operation, String bucket, String name, String site) {
    String failure = failure(current);
    if (failure != null) {
      throw HybridStorageException.preconditionFailed(operation, bucket, name, site, failure);
    }
  }

  /**
   * As {@link #check}, for a read ({@code head}, {@code read}) of {@code current}, the version
   * found: GCS answers a read whose {@code ifGenerationNotMatch} / {@code ifMetagenerationNotMatch}
   * fails with 304 Not Modified, not 412 (the client's own integration test, {@code
   * ITBlobReadChannelTest.optionsWork}, expects 304 over JSON). So: 412 when a match condition
   * fails (it is decided first, as HTTP's If-Match before If-None-Match), else 304 when a
   * not-match condition does.
   */
  public void checkRead(@Nullable ObjectInfo current, String operation, String bucket, String name, String site) {
    String failure = matchFailure(current);
    if (failure != null) {
      throw HybridStorageException.preconditionFailed(operation, bucket, name, site, failure);
    }
    failure = notMatchFailure(current);
    if (failure != null) {
      throw HybridStorageException.notModified(operation, bucket, name, site, failure);
    }
  }

  @Nullable
  private String failure(@Nullable ObjectInfo current) {
    String match = matchFailure(current);
    String notMatch = notMatchFailure(current);
    if (match == null || notMatch == null) {
      return match == null ? notMatch : match;
    }
    return match + "; " + notMatch;
  }

  @Nullable
  private String matchFailure(@Nullable ObjectInfo current) {
    long generation = current == null ? 0 : current.generation();
    // a condition on generation 0 means "no live version"; a foreign object (generation 0) is one
    boolean exists = current != null;
    List<String> failed = new ArrayList<>(2);
    if (ifGenerationMatch != null
        && (ifGenerationMatch == 0 ? exists : ifGenerationMatch != generation)) {
      failed.add("ifGenerationMatch=" + ifGenerationMatch + " failed, current=" + generation);
    }
    if (ifMetagenerationMatch != null
        && (current == null || ifMetagenerationMatch != current.metageneration())) {
      failed.add("ifMetagenerationMatch=" + ifMetagenerationMatch + " failed, current="
          + (current == null ? "none" : current.metageneration()));
    }
    return failed.isEmpty() ? null : String.join("; ", failed);
  }

  @Nullable
  private String notMatchFailure(@Nullable ObjectInfo current) {
    long generation = current == null ? 0 : current.generation();
    boolean exists = current != null;
    List<String> failed = new ArrayList<>(2);
    if (ifGenerationNotMatch != null
        && (ifGenerationNotMatch == 0 ? !exists : exists && ifGenerationNotMatch == generation)) {
      failed.add("ifGenerationNotMatch=" + ifGenerationNotMatch + " failed, current=" + generation);
    }
    if (ifMetagenerationNotMatch != null
        && current != null
        && ifMetagenerationNotMatch == current.metageneration()) {
      failed.add("ifMetagenerationNotMatch=" + ifMetagenerationNotMatch + " failed, current="
          + current.metageneration());
    }
    return failed.isEmpty() ? null : String.join("; ", failed);
  }
}
