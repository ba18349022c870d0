package io.hybridstorage.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** A whole stream written through {@link ObjectStore#openWrite}: what {@link ObjectStore#write} does by default. */
final class StreamedWrite {

  private StreamedWrite() {}

  /** Streams {@code data} into {@code store.openWrite(request)} in 64 KiB chunks and commits. */
  static ObjectInfo write(ObjectStore store, WriteRequest request, InputStream data) {
    try (ObjectWriter writer = store.openWrite(request)) {
      byte[] chunk = new byte[64 * 1024];
      int n;
      while ((n = data.read(chunk)) >= 0) {
        ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, n);
        while (buffer.hasRemaining()) {
          writer.write(buffer);
        }
      }
      return writer.commit();
    } catch (IOException e) {
      throw HybridStorageException.io("write", request.bucket(), request.name(), store.site(), e);
    }
  }
}
