package io.hybridstorage.sync;

import java.util.List;

/**
 * Where feeds hand changes to the sync engine: when {@link #put} returns, the changes are durable
 * (they survive {@code kill -9} of the process) and the feed may acknowledge them to their source.
 */
@FunctionalInterface
public interface ChangeQueue {

  /** Makes {@code changes} durable; throws when it could not (then nothing may be acknowledged). */
  void put(List<Change> changes);
}
