package io.hybridstorage.testkit.fault;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@link io.hybridstorage.api.ObjectStore} calls a fault can strike, each a read or a write.
 * {@code site()}, {@code capabilities()} and {@code close()} are local and never faulted.
 *
 * <p>{@link #WRITE} is both {@code openWrite} (with its writer's {@code write} and {@code commit})
 * and {@code write(request, stream)}.
 */
public enum Operation {
  CREATE_BUCKET(Kind.WRITE, "createBucket"),
  GET_BUCKET(Kind.READ, "getBucket"),
  LIST_BUCKETS(Kind.READ, "listBuckets"),
  UPDATE_BUCKET(Kind.WRITE, "updateBucket"),
  DELETE_BUCKET(Kind.WRITE, "deleteBucket"),
  HEAD(Kind.READ, "head"),
  READ(Kind.READ, "read"),
  WRITE(Kind.WRITE, "write"),
  DELETE(Kind.WRITE, "delete"),
  LIST(Kind.READ, "list"),
  COPY(Kind.WRITE, "copy"),
  COMPOSE(Kind.WRITE, "compose"),
  UPDATE_METADATA(Kind.WRITE, "updateMetadata"),
  SIGN_URL(Kind.READ, "signUrl");

  /** Whether a call only reads (a read partition fails it) or changes state (a write partition does). */
  public enum Kind {
    READ,
    WRITE
  }

  private final Kind kind;
  private final String methodName;

  Operation(Kind kind, String methodName) {
    this.kind = kind;
    this.methodName = methodName;
  }

  public Kind kind() {
    return kind;
  }

  /** The {@code ObjectStore} method, as error messages name it ({@code "write"}, {@code "head"}, ...). */
  public String methodName() {
    return methodName;
  }

  public boolean isRead() {
    return kind == Kind.READ;
  }

  public boolean isWrite() {
    return kind == Kind.WRITE;
  }

  /** Every operation of {@code kind}. */
  public static Set<Operation> ofKind(Kind kind) {
    EnumSet<Operation> result = EnumSet.noneOf(Operation.class);
    for (Operation op : values()) {
      if (op.kind == kind) {
        result.add(op);
      }
    }
    return Collections.unmodifiableSet(result);
  }
}
