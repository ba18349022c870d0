package io.hybridstorage.vast;

import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.ComposeRequest;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectInfo;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * GCS compose on S3. When every source but the last has at least 5 MiB (S3's smallest part),
 * a server-side multipart UploadPartCopy, each source pinned to the ETag its precondition was
 * checked against, and the CRC32C combined from the sources' (when all are known). Otherwise the
 * sources are streamed through this process into a new upload. Either way the result is
 * published like a write (target preconditions, a new generation — the caller's {@link
 * ComposeRequest#generation()} when assigned, refused like an assigned write's when not above the
 * target's live or deleted generation — {@code componentCount} = the sum of the sources').
 */
final class Composer {

  private static final String OP = "compose";

  private final VastStore store;
  private final ComposeRequest request;

  Composer(VastStore store, ComposeRequest request) {
    this.store = store;
    this.request = request;
  }

  ObjectInfo run() {
    List<Current> sources = headSources();
    if (serverSide(sources)) {
      return store.publish(OP, request.bucket(), request.targetName(), request.targetConditions(),
          request.generation(), false, (current, guard) -> copyParts(current, guard));
    }
    return streamed(sources);
  }

  /** HEADs each source: 404 if missing (or not the generation named), 412 if its ifGenerationMatch fails. */
  private List<Current> headSources() {
    List<Current> out = new ArrayList<>();
    for (ComposeRequest.Source s : request.sources()) {
      Current c = store.headCurrent(OP, request.bucket(), s.name(), true)
          .filter(x -> s.generation() == 0 || s.generation() == x.info().generation())
          .orElseThrow(() -> HybridStorageException.objectNotFound(OP, request.bucket(), s.name(), store.site()));
      if (s.ifGenerationMatch() != null && s.ifGenerationMatch() != c.info().generation()) {
        throw HybridStorageException.preconditionFailed(OP, request.bucket(), s.name(), store.site(),
            "source ifGenerationMatch=" + s.ifGenerationMatch() + " failed, current=" + c.info().generation());
      }
      out.add(c);
    }
    return out;
  }

  private static boolean serverSide(List<Current> sources) {
    for (int i = 0; i < sources.size() - 1; i++) {
      if (sources.get(i).info().size() < VastStoreConfig.MIN_PART_SIZE) {
        return false;
      }
    }
    return sources.get(sources.size() - 1).info().size() > 0 || sources.size() > 1;
  }

  private ObjectInfo copyParts(@Nullable Current target, @Nullable Current.Guard guard) {
    List<Current> sources = headSources(); // again under the target's lock: pinned by ETag from here
    if (!serverSide(sources)) {
      throw store.errors.unavailable(OP, request.bucket(), request.targetName(),
          "a source changed size during compose; retry", null);
    }
    List<MultipartCopy.Slice> slices = new ArrayList<>();
    long size = 0;
    Integer crc = 0;
    int components = 0;
    for (Current c : sources) {
      ObjectInfo s = c.info();
      components += Math.max(1, s.componentCount());
      if (crc != null && s.crc32c() != null) {
        crc = size == 0 ? Checksums.crc32cValue(s.crc32c())
            : Checksums.combineCrc32c(crc, Checksums.crc32cValue(s.crc32c()), s.size());
      } else {
        crc = null;
      }
      if (s.size() == 0) {
        continue;
      }
      // a source above 5 GiB goes as equal slices (each then above 2.5 GiB, within S3's part limits)
      long pieces = (s.size() + VastStoreConfig.MAX_PART_SIZE - 1) / VastStoreConfig.MAX_PART_SIZE;
      long step = (s.size() + pieces - 1) / pieces;
      for (long first = 0; first < s.size(); first += step) {
        slices.add(new MultipartCopy.Slice(request.bucket(), s.name(), c.etag(), first,
            Math.min(s.size(), first + step) - 1));
      }
      size += s.size();
    }
    String crc32c = crc == null ? null : Checksums.crc32cBase64(com.google.common.hash.HashCode.fromInt(crc));
    long generation = store.nextGeneration(OP, request.bucket(), request.targetName(), target,
        request.generation());
    Instant now = store.clock.instant();
    Map<String, String> user = HsMetadata.encode(generation, 1, crc32c, null, now, now, components,
        request.metadata());
    String etag = new MultipartCopy(store, request.bucket(), request.targetName())
        .run(slices, user, request.metadata(), guard);
    return new ObjectInfo(request.bucket(), request.targetName(), generation, 1, size, crc32c, null, etag,
        request.metadata(), now, now, null, components);
  }

  /** Reads each source (pinned to its ETag) into one streaming write of the target. */
  private ObjectInfo streamed(List<Current> sources) {
    int components = 0;
    long size = 0;
    for (Current c : sources) {
      components += Math.max(1, c.info().componentCount());
      size += c.info().size();
    }
    WriteRequest write = new WriteRequest(request.bucket(), request.targetName(), request.metadata(),
        request.targetConditions(), null, null, request.generation(), size);
    try (ObjectWriter writer = new VastObjectWriter(store, write, components)) {
      byte[] chunk = new byte[256 * 1024];
      for (Current c : sources) {
        if (c.info().size() == 0) {
          continue;
        }
        try (ResponseInputStream<GetObjectResponse> in = store.s3.getObject(b -> b.bucket(request.bucket())
            .key(c.info().name()).ifMatch(c.etag()));
            InputStream body = new S3BodyStream(in, store.errors, OP, request.bucket(), c.info().name(),
                c.info().crc32c())) {
          int n;
          while ((n = body.read(chunk)) >= 0) {
            ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, n);
            while (buffer.hasRemaining()) {
              writer.write(buffer);
            }
          }
        } catch (SdkException e) {
          throw store.errors.map(e, OP, request.bucket(), c.info().name());
        }
      }
      ObjectInfo info = writer.commit();
      // a composite object has no MD5 in GCS
      return new ObjectInfo(info.bucket(), info.name(), info.generation(), info.metageneration(), info.size(),
          info.crc32c(), null, info.etag(), info.metadata(), info.createTime(), info.updateTime(), null,
          components);
    } catch (IOException e) {
      throw store.errors.io(OP, request.bucket(), request.targetName(), e);
    }
  }
}
