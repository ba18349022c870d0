package io.hybridstorage.routing.internal.policy;

import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.internal.RoutingContext;
import io.hybridstorage.routing.internal.SiteHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.annotation.Nullable;

/**
 * What the two ways of streaming a write to a {@link Route} share ({@link ParallelWriter}, {@link
 * PrimaryFirstWriter}; {@link WriteCoordinator#openWrite} picks one): the router sees every byte,
 * so it checks the size limit as the body arrives and the checksums before any site commits; it
 * keeps a copy of the body up to {@code teeBufferBytes} when the strategy needs one (replicas to
 * write from, or a retry); it holds the write-ahead {@link Intent} from open until the writer
 * closes; and it commits once.
 *
 * <p>A subclass's constructor opens the primary's writer ({@link #primaryWriter}) and appends the
 * intent ({@link #intent}), in the order its strategy needs; {@link #send} passes each buffer on,
 * {@link #commitVerified} commits and settles. Not thread-safe, as any {@link ObjectWriter}.
 */
abstract class RoutedWriter implements ObjectWriter {

  final WriteCoordinator coordinator;
  final RoutingContext ctx;
  final SessionTracker session;
  final Route route;
  final WriteRequest request;
  final Checksums checksums;
  /** The CRC32C of the whole body, once committing. */
  @Nullable volatile String crc32c;
  /** The kept copy of the body's first {@link #buffered} bytes; null when not kept, or past {@code teeBufferBytes}. */
  @Nullable byte[] buffer;
  /** Bytes in {@link #buffer}; -1 once the body outgrew it. */
  int buffered;
  /** The primary's writer: set once by the subclass's constructor. */
  ObjectWriter primaryWriter;
  /**
   * The write-ahead entries, appended as soon as the write is open so that their fsync overlaps the
   * body's streaming: set once by the subclass's constructor.
   */
  Intent intent;
  private boolean open = true;
  private boolean committed;

  /** {@code keepBody}: whether the strategy keeps a copy of the body (up to {@code teeBufferBytes}). */
  RoutedWriter(WriteCoordinator coordinator, Route route, WriteRequest request, boolean keepBody) {
    this.coordinator = coordinator;
    this.ctx = coordinator.ctx;
    this.session = coordinator.session;
    this.route = route;
    this.request = request;
    // the router sees every byte: it decides size and checksums before any site commits
    // MD5 costs ~35 CRC32Cs: computed here only to verify the caller's, or to hand it to sites
    // that would compute it themselves (in-process ones), once for all of them
    this.checksums = request.md5() != null || route.primary().isInProcess()
        || route.synchronous().stream().anyMatch(SiteHandle::isInProcess) ? new Checksums() : Checksums.withoutMd5();
    if (keepBody) {
      long declared = request.expectedSize();
      this.buffer = new byte[(int) Math.min(ctx.settings().teeBufferBytes(),
          declared == WriteRequest.UNKNOWN_SIZE ? 8 * 1024 : declared)];
    }
  }

  @Override
  public final int write(ByteBuffer source) throws IOException {
    if (!open) {
      throw new IOException("write of gs://" + request.bucket() + "/" + request.name() + " is closed");
    }
    int n = source.remaining();
    try {
      // decided once here, not by each site: a 400 is the caller's, not a replica failure
      request.checkWritable(checksums.size() + n, route.primary().name());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    checksums.update(source);
    return send(source, n);
  }

  /**
   * Passes the {@code n} remaining bytes of {@code source} (checked and summed) on to the sites and
   * the kept copy, consuming them; returns {@code n}.
   */
  abstract int send(ByteBuffer source, int n) throws IOException;

  /** Adds the buffer's {@code n} remaining bytes to the kept copy, or drops it past {@code teeBufferBytes}. */
  final void keep(ByteBuffer source, int n) {
    if (buffer != null) {
      if (buffered + n <= ctx.settings().teeBufferBytes()) {
        if (buffered + n > buffer.length) {
          buffer = Arrays.copyOf(buffer, Math.min(ctx.settings().teeBufferBytes(),
              Math.max(buffer.length * 2, buffered + n)));
        }
        source.duplicate().get(buffer, buffered, n);
        buffered += n;
      } else {
        buffer = null; // too large: replicas read it back from the primary
        buffered = -1;
      }
    }
  }

  @Override
  public final ObjectInfo commit() throws IOException {
    if (committed) {
      throw new IllegalStateException("commit() called twice for gs://" + request.bucket() + "/" + request.name());
    }
    if (!open) {
      throw new java.nio.channels.ClosedChannelException(); // abandoned (closed, or failed on a write)
    }
    committed = true;
    try {
      String[] sums = checksums.finish();
      crc32c = sums[0];
      request.verify(checksums.size(), sums[0], sums[1], route.primary().name());
      handOver(sums[0], sums[1]);
      if (route.durableJournal()) {
        intent.awaitDurable("write"); // write-ahead: durable before the first commit anywhere
      }
      return commitVerified();
    } finally {
      close();
    }
  }

  /**
   * Hands the body's checksums to the sites' writers that received every byte, so that a site
   * which would compute them stores these ({@link ObjectWriter#precomputedChecksums}): the primary's
   * here, a strategy adds its replicas'.
   */
  void handOver(String crc32c, @Nullable String md5) {
    primaryWriter.precomputedChecksums(crc32c, md5);
  }

  /**
   * Commits at the sites by the strategy and settles the write by the policy ({@link
   * WriteCoordinator#settle}), once size and checksums are verified and, for a durable journal, the
   * intent is on disk. The writer closes afterwards, whatever happens.
   */
  abstract ObjectInfo commitVerified() throws IOException;

  @Override
  public final boolean isOpen() {
    return open;
  }

  @Override
  public final void close() {
    if (!open) {
      return;
    }
    open = false;
    try {
      primaryWriter.close();
      closeReplicas();
    } finally {
      intent.close();
    }
  }

  /** Closes the replicas' writers, if the strategy has any. */
  void closeReplicas() {
  }
}
