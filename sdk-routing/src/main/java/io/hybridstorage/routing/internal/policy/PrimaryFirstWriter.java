package io.hybridstorage.routing.internal.policy;

import static io.hybridstorage.routing.internal.policy.WriteCoordinator.isRefusal;

import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.WriteRequest;
import io.hybridstorage.routing.internal.SiteHandle;
import io.hybridstorage.routing.internal.journal.JournalEntry.Op;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Primary first: a streamed write whose generation the primary assigns itself (e.g. GCS), so no
 * replica can take the body before the primary has committed it. Bytes stream to the primary and
 * up to {@code teeBufferBytes} are kept; after the primary commits, the synchronous replicas are
 * written in parallel with its generation from that copy, or — for larger bodies — copied back
 * from the primary. Their write-ahead entries carry generation 0, "what the primary holds live".
 */
final class PrimaryFirstWriter extends RoutedWriter {

  /** Opens the primary's writer and appends the intent: an entry for every site besides the primary. */
  PrimaryFirstWriter(WriteCoordinator coordinator, Route route, WriteRequest request) {
    // kept for the replicas
    super(coordinator, route, request, true);
    this.primaryWriter = route.primary().store().openWrite(request);
    this.intent = Intent.append(ctx, route, Op.WRITE, request.bucket(), request.name(), 0, Intent.targets(route));
  }

  @Override
  int send(ByteBuffer source, int n) throws IOException {
    keep(source, n);
    while (source.hasRemaining()) {
      primaryWriter.write(source);
    }
    return n;
  }

  @Override
  ObjectInfo commitVerified() throws IOException {
    ObjectInfo info;
    try {
      info = primaryWriter.commit();
    } catch (IOException | RuntimeException e) {
      if (isRefusal(e)) {
        intent.cancel(); // nothing committed anywhere
      }
      throw e; // else the outcome is unknown: the entries sync every site to what the primary holds
    }
    long g = info.generation();
    ctx.generations().observe(request.bucket(), request.name(), g);
    String b = request.bucket();
    String n = request.name();
    Map<SiteHandle, CompletableFuture<?>> sync = new LinkedHashMap<>();
    byte[] bytes = buffer;
    int length = buffered;
    for (SiteHandle s : route.synchronous()) {
      if (s.isOpen()) {
        sync.put(s, CompletableFuture.failedFuture(new IllegalStateException("circuit open")));
      } else if (bytes != null) {
        sync.put(s, CompletableFuture.supplyAsync(
            () -> ctx.replicator().writeBytes(request.withCrc32c(info.crc32c()), g, bytes, length, s), ctx.pool()));
      } else {
        sync.put(s, CompletableFuture.supplyAsync(
            () -> ctx.replicator().copy(b, n, g, route.primary(), s, false), ctx.pool()));
      }
    }
    coordinator.settle(route, b, n, g, sync, intent, "write", true);
    session.wrote(b, n, g);
    return info;
  }
}
