package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

/** A bucket, an object name and a generation ({@code 0} = the live version). */
public record ObjectId(String bucket, String name, long generation) {
  public ObjectId {
    requireNonNull(bucket, "bucket");
    requireNonNull(name, "name");
    if (generation < 0) {
      throw new IllegalArgumentException("generation (" + generation + ") must be >= 0");
    }
  }

  /** The live version of {@code bucket/name}. */
  public static ObjectId of(String bucket, String name) {
    return new ObjectId(bucket, name, 0);
  }

  public static ObjectId of(String bucket, String name, long generation) {
    return new ObjectId(bucket, name, generation);
  }

  /** {@code gs://bucket/name} or {@code gs://bucket/name#generation}. */
  @Override
  public String toString() {
    return "gs://" + bucket + "/" + name + (generation == 0 ? "" : "#" + generation);
  }
}
