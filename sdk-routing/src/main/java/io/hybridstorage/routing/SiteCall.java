package io.hybridstorage.routing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import javax.annotation.Nullable;

/**
 * One call the router made to one site, finished ({@link RoutingListener#siteCallFinished}): what
 * was asked, how long it took, the bytes it moved and its outcome. One event per call of the
 * site's resilient store, after its retries ({@link #attempts()} counts them); a call rejected by
 * the site's open circuit breaker or full bulkhead is a call too (503, reason {@code circuitOpen}
 * or {@code bulkheadFull}).
 *
 * <p>Times are real time ({@link System#nanoTime()}), not the options' clock: they measure how
 * long a thread waited for a site, which a virtual clock would not show.
 *
 * @param site the site's name
 * @param operation the {@code ObjectStore} method: {@code read}, {@code head}, {@code list},
 *     {@code openWrite}, {@code write} (a commit, or a whole body in one call), {@code delete},
 *     {@code deleteUpTo}, {@code copy}, {@code compose}, {@code updateMetadata}, {@code signUrl},
 *     and the bucket calls ({@code createBucket}, {@code getBucket}, {@code listBuckets},
 *     {@code updateBucket}, {@code deleteBucket})
 * @param bucket the bucket, or null (a bucket listing)
 * @param object the object's name, or null (bucket calls and listings; for a copy or compose, the target)
 * @param startNanos when the call began, by {@link System#nanoTime()} (to place it within a {@link RoutedCall})
 * @param duration how long it took, retries and their waits included
 * @param bytesIn bytes written into the site: a committed write's object size (0 for other calls)
 * @param bytesOut bytes the site serves: an opened read's range length, as declared when opened (a
 *     reader that stops early takes fewer)
 * @param code 200 when the call returned, else the error's code ({@code HybridStorageException#code()},
 *     500 for an exception that is not one)
 * @param reason null when the call returned, else the error's reason ({@code conditionNotMet},
 *     {@code notFound}, {@code circuitOpen}, {@code timeout} …; an unexpected exception's class name)
 * @param attempts the attempts made (1 without a retry)
 */
public record SiteCall(String site, String operation, @Nullable String bucket, @Nullable String object,
    long startNanos, Duration duration, long bytesIn, long bytesOut, int code, @Nullable String reason,
    int attempts) {

  /** The code of a call that returned. */
  public static final int OK = 200;

  public SiteCall {
    requireNonNull(site, "site");
    requireNonNull(operation, "operation");
    requireNonNull(duration, "duration");
  }

  /** Whether the call returned (as opposed to throwing). */
  public boolean succeeded() {
    return code == OK;
  }

  /** Whether the call changes what a site holds (a write, delete, copy, compose, patch or bucket change). */
  public boolean mutating() {
    return RoutedCall.isMutating(operation);
  }
}
