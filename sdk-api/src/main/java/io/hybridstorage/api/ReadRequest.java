package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

/** Reads {@code range} of version {@code id} (generation 0 = live) if {@code conditions} hold. */
public record ReadRequest(ObjectId id, ByteRange range, Conditions conditions) {

  public ReadRequest {
    requireNonNull(id, "id");
    requireNonNull(range, "range");
    requireNonNull(conditions, "conditions");
  }

  public static ReadRequest of(ObjectId id) {
    return new ReadRequest(id, ByteRange.all(), Conditions.none());
  }

  public ReadRequest withRange(ByteRange value) {
    return new ReadRequest(id, value, conditions);
  }
}
