package io.hybridstorage.api;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * An open read: the version being read (fixed for the life of the stream, so a concurrent
 * overwrite never mixes versions) and a stream of the requested range. Close it.
 */
public interface ObjectContent extends Closeable {

  /** The version this stream returns bytes of. */
  ObjectInfo info();

  /** The bytes of the requested range. Reading it twice is not supported. */
  InputStream stream();

  @Override
  void close() throws IOException;

  /** An {@code ObjectContent} over an already open stream. */
  static ObjectContent of(ObjectInfo info, InputStream stream) {
    return new ObjectContent() {
      @Override
      public ObjectInfo info() {
        return info;
      }

      @Override
      public InputStream stream() {
        return stream;
      }

      @Override
      public void close() throws IOException {
        stream.close();
      }
    };
  }
}
