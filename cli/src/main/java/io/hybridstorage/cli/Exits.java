package io.hybridstorage.cli;

import com.google.cloud.BaseServiceException;
import io.hybridstorage.api.HybridStorageConfigException;
import io.hybridstorage.api.HybridStorageException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.FileSystemException;
import java.util.Set;

/**
 * The CLI's exit codes and the mapping of a failure to one of them.
 *
 * <ul>
 *   <li>{@value #OK}: done, nothing differs;
 *   <li>{@value #DIFFERENCES}: differences found ({@code verify}, {@code repair} with some left,
 *       {@code sites} when the replicas disagree), or the storage refused the call (404 not found,
 *       409, 412, 403, 501);
 *   <li>{@value #USAGE}: usage (picocli's usage is printed), a bad configuration file, a bad
 *       argument (400);
 *   <li>{@value #UNREACHABLE}: a site or a configured endpoint cannot be reached (503, 502, 504,
 *       a breaker open, a connection refused, an unknown host, a time-out).
 * </ul>
 */
final class Exits {

  static final int OK = 0;
  static final int DIFFERENCES = 1;
  static final int USAGE = 2;
  static final int UNREACHABLE = 3;

  private static final Set<Integer> UNREACHABLE_CODES = Set.of(502, 503, 504);

  private Exits() {}

  static int of(Throwable failure) {
    if (failure instanceof UsageException || failure instanceof HybridStorageConfigException
        || failure instanceof ConfigurationException) {
      return USAGE;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
          || t instanceof SocketTimeoutException) {
        return UNREACHABLE;
      }
      Integer code = code(t);
      if (code != null) {
        if (UNREACHABLE_CODES.contains(code)) {
          return UNREACHABLE;
        }
        if (code == 400) {
          return USAGE;
        }
        if (code == 0 && t.getCause() instanceof IOException && !(t.getCause() instanceof FileSystemException)) {
          return UNREACHABLE; // the client's "no answer": a transport failure
        }
        return DIFFERENCES;
      }
    }
    return DIFFERENCES; // anything else failed: a local file not found or not writable, an unexpected error
  }

  private static Integer code(Throwable t) {
    if (t instanceof HybridStorageException h) {
      return h.code();
    }
    if (t instanceof BaseServiceException b) {
      return b.getCode();
    }
    return null;
  }
}
