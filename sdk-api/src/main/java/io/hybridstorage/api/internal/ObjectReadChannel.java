package io.hybridstorage.api.internal;

import com.google.cloud.ReadChannel;
import com.google.cloud.RestorableState;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.ByteRange;
import io.hybridstorage.api.Conditions;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ReadRequest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import javax.annotation.Nullable;

/**
 * {@code Storage.reader(...)}: a lazy, streaming {@link ReadChannel} over {@link ObjectStore#read}.
 *
 * <p>Behaves as the 2.63 client's {@code BlobReadChannelV2}: nothing is requested until the first
 * {@link #read}; {@link #seek} sets the start (negative: the last {@code -n} bytes), {@link
 * #limit(long)} the end offset (exclusive); changing either, or the chunk size, drops the open
 * stream and the next read reopens at the new range. The first open pins the generation read, so
 * a reopened stream never mixes versions. A range starting past the end reads {@code -1}, as the
 * client turns GCS's 416 into end-of-stream. A missing object fails the first {@code read} with an
 * {@link IOException} whose cause is the {@code StorageException} 404, as the client does. The
 * chunk size is the read-ahead buffer (default 2 MiB, like the client's).
 *
 * <p>Not thread-safe, like the client's channel is not meant to be shared.
 */
final class ObjectReadChannel implements ReadChannel {

  static final int DEFAULT_CHUNK_SIZE = 2 * 1024 * 1024;

  private final ObjectStore store;
  private final ObjectId requested;
  private final Conditions conditions;
  private final boolean raw;
  private long generation;
  private long position;
  private long limit = Long.MAX_VALUE;
  private int chunkSize = DEFAULT_CHUNK_SIZE;
  private boolean open = true;
  @Nullable private ObjectContent content;
  @Nullable private InputStream stream;
  private boolean exhausted;
  /** A call GCS would refuse (e.g. a negative generation): the first read fails with it. */
  @Nullable private final StorageException refused;

  ObjectReadChannel(ObjectStore store, ObjectId id, Conditions conditions, boolean raw) {
    this(store, id, conditions, raw, null);
  }

  private ObjectReadChannel(ObjectStore store, ObjectId id, Conditions conditions, boolean raw,
      @Nullable StorageException refused) {
    this.store = store;
    this.requested = id;
    this.conditions = conditions;
    this.raw = raw;
    this.generation = id.generation();
    this.refused = refused;
  }

  /**
   * A channel whose first {@link #read} fails with {@code refused} (as an {@link IOException}
   * caused by it), as the client's reader reports what GCS answered to the request it sends then.
   */
  static ObjectReadChannel failing(ObjectStore store, ObjectId id, StorageException refused) {
    return new ObjectReadChannel(store, id, Conditions.none(), false, refused);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    if (position >= 0 && limit - position <= 0) {
      return -1;
    }
    if (!dst.hasRemaining()) {
      return 0;
    }
    InputStream in = stream();
    if (in == null) {
      return -1;
    }
    int want = dst.remaining();
    if (position >= 0 && limit != Long.MAX_VALUE) {
      want = (int) Math.min(want, limit - position);
    }
    int n;
    if (dst.hasArray()) {
      n = in.read(dst.array(), dst.arrayOffset() + dst.position(), want);
      if (n > 0) {
        dst.position(dst.position() + n);
      }
    } else {
      byte[] chunk = new byte[Math.min(want, 64 * 1024)];
      n = in.read(chunk, 0, chunk.length);
      if (n > 0) {
        dst.put(chunk, 0, n);
      }
    }
    if (n < 0) {
      closeStream();
      exhausted = true;
      return -1;
    }
    if (position >= 0) {
      position += n;
    }
    return n;
  }

  @Nullable
  private InputStream stream() throws IOException {
    if (exhausted) {
      return null;
    }
    if (stream != null) {
      return stream;
    }
    if (refused != null) {
      throw new IOException(refused);
    }
    ByteRange range;
    if (position < 0) {
      range = ByteRange.suffix(-position);
    } else {
      range = ByteRange.of(position, limit == Long.MAX_VALUE ? -1 : limit - position);
    }
    try {
      content = store.read(new ReadRequest(ObjectId.of(requested.bucket(), requested.name(), generation),
          range, conditions));
    } catch (HybridStorageException e) {
      if (e.code() == 416) {
        exhausted = true;
        return null;
      }
      throw new IOException(Errors.translate(e));
    }
    if (generation == 0) {
      generation = content.info().generation();
    }
    if (position < 0) {
      // a suffix read: from here on, the channel knows its absolute position
      position = content.info().size() - Math.min(-position, content.info().size());
    }
    InputStream in = new BufferedInputStream(content.stream(), chunkSize);
    stream = position == 0 ? Transcoding.decode(content.info(), in, raw) : in;
    return stream;
  }

  @Override
  public void seek(long newPosition) throws IOException {
    if (newPosition != position) {
      closeStream();
      position = newPosition;
    }
  }

  @Override
  public ReadChannel limit(long newLimit) {
    if (newLimit < 0) {
      throw new IllegalArgumentException("limit must be >= 0");
    }
    if (newLimit != limit) {
      closeStream();
      limit = newLimit;
    }
    return this;
  }

  @Override
  public long limit() {
    return limit;
  }

  @Override
  public void setChunkSize(int size) {
    closeStream();
    chunkSize = Math.max(1, size);
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
    closeStream();
  }

  /** A state that reopens the same object and generation at the same position, limit and chunk size. */
  @Override
  public RestorableState<ReadChannel> capture() {
    long pinned = generation;
    long at = position;
    long end = limit;
    int chunk = chunkSize;
    return () -> {
      ObjectReadChannel copy = new ObjectReadChannel(store,
          ObjectId.of(requested.bucket(), requested.name(), pinned), conditions, raw, refused);
      copy.position = at;
      copy.limit = end;
      copy.chunkSize = chunk;
      return copy;
    };
  }

  private void closeStream() {
    exhausted = false;
    if (content != null) {
      try {
        content.close();
      } catch (IOException ignored) {
        // closing a read we no longer need; nothing was lost
      }
    }
    content = null;
    stream = null;
  }
}
