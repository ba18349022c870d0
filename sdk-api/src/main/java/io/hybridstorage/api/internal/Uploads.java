package io.hybridstorage.api.internal;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.HybridBridge;
import com.google.cloud.storage.Option;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import com.google.common.hash.Hashing;
import io.hybridstorage.api.Checksums;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.annotation.Nullable;

/**
 * Object writes: {@code create} (bytes, streams), {@code createFrom}, {@code writer} and {@code
 * blobWriteSession}, all onto {@link ObjectStore#openWrite}. Streams are copied a buffer at a time
 * and never held whole.
 *
 * <p>Checksums follow the client: the {@code BlobInfo}'s MD5/CRC32C are dropped unless the caller
 * asks for them with {@code BlobWriteOption.md5Match()} / {@code crc32cMatch()}, in which case the
 * store verifies them at commit and fails with 400 leaving nothing behind. A byte-array {@code
 * create} sends the CRC32C of the bytes, as the client does. An object created without a content
 * type gets {@code application/octet-stream}, as GCS's HTTP upload gives it.
 */
@SuppressWarnings("deprecation") // Option is deprecated, yet every option class of the client extends it
final class Uploads {

  /** The client's smallest copy buffer for {@code createFrom}. */
  private static final int MIN_BUFFER_SIZE = 256 * 1024;
  static final int DEFAULT_BUFFER_SIZE = 15 * MIN_BUFFER_SIZE;

  private final ObjectStore store;
  private final Values values;

  Uploads(ObjectStore store, Values values) {
    this.store = store;
    this.values = values;
  }

  Blob create(BlobInfo info, @Nullable byte[] content, int offset, int length, BlobTargetOption... options) {
    byte[] bytes = content == null ? new byte[0] : content;
    WriteRequest request = request("create", info, options).withExpectedSize(length);
    if (request.crc32c() == null) {
      request = request.withCrc32c(Checksums.crc32cBase64(Hashing.crc32c().hashBytes(bytes, offset, length)));
    }
    WriteRequest finalRequest = request;
    return Errors.call(() -> {
      try (ObjectWriter writer = store.openWrite(finalRequest)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) {
          writer.write(buffer);
        }
        return values.blob(writer.commit());
      } catch (IOException e) {
        throw HybridStorageException.io("create", info.getBucket(), info.getName(), store.site(), e);
      }
    });
  }

  /** {@code create(info, stream)} and {@code createFrom(info, stream)}: the stream copied through. */
  Blob create(String method, BlobInfo info, @Nullable InputStream content, int bufferSize,
      BlobWriteOption... options) throws IOException {
    ObjectWriteChannel channel = writer(method, info, options);
    if (content != null) {
      byte[] buffer = new byte[Math.max(bufferSize, MIN_BUFFER_SIZE)];
      int n;
      try {
        while ((n = content.read(buffer)) >= 0) {
          channel.write(ByteBuffer.wrap(buffer, 0, n));
        }
      } catch (IOException | RuntimeException e) {
        channel.abandon(e);
        throw e;
      }
    }
    return channel.commit();
  }

  Blob createFrom(BlobInfo info, Path path, int bufferSize, BlobWriteOption... options) throws IOException {
    if (Files.isDirectory(path)) {
      // the client's own check and wording
      throw new StorageException(0, path + " is a directory");
    }
    try (InputStream in = Files.newInputStream(path)) {
      return create("createFrom", info, in, bufferSize, options);
    }
  }

  ObjectWriteChannel writer(String method, BlobInfo info, BlobWriteOption... options) {
    return new ObjectWriteChannel(store, request(method, info, options), values);
  }

  WriteSession session(BlobInfo info, BlobWriteOption... options) {
    return new WriteSession(writer("blobWriteSession", info, options));
  }

  private WriteRequest request(String method, BlobInfo info, Option<?>[] options) {
    String site = store.site();
    OptionValues opts = OptionValues.of(info, options, OptionValues.CONDITIONS, method, site);
    Values.checkStorable(method, info, HybridBridge.modifiedFields(info), site);
    BlobInfo target = HybridBridge.writeTarget(info, options);
    return new WriteRequest(info.getBucket(), info.getName(), Values.metadata(target, true),
        opts.conditions(), target.getCrc32c(), target.getMd5(), 0, WriteRequest.UNKNOWN_SIZE);
  }
}
