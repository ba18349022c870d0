package io.hybridstorage.api.internal;

import com.google.api.core.ApiFuture;
import com.google.api.core.SettableApiFuture;
import com.google.cloud.RestorableState;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ObjectWriter;
import io.hybridstorage.api.WriteRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import javax.annotation.Nullable;

/**
 * {@code Storage.writer(...)}: a {@link WriteChannel} streaming straight into {@link
 * ObjectStore#openWrite}. Bytes are handed to the store's writer as they arrive, never collected
 * here, so an object of any size passes with a small, constant heap. The store write opens on the
 * first {@code write} (or at {@code close} for an empty object), like the client's lazy upload
 * session; {@link #close()} commits, which is where preconditions and client checksums are decided
 * (412 / 400 as {@link StorageException}, as the client's finalize reports them).
 *
 * <p>{@link #setChunkSize} is accepted as the tuning hint it is: the store sizes its own parts.
 * {@link #capture()} restores to this same in-progress upload within this JVM (the store's write
 * session is not serializable).
 */
final class ObjectWriteChannel implements WriteChannel {

  private final ObjectStore store;
  private final WriteRequest request;
  private final Values values;
  private final SettableApiFuture<BlobInfo> result = SettableApiFuture.create();
  @Nullable private ObjectWriter writer;
  private boolean open = true;

  ObjectWriteChannel(ObjectStore store, WriteRequest request, Values values) {
    this.store = store;
    this.request = request;
    this.values = values;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    int n = src.remaining();
    try {
      ObjectWriter w = writer();
      while (src.hasRemaining()) {
        w.write(src);
      }
    } catch (HybridStorageException e) {
      throw fail(Errors.translate(e));
    } catch (IOException e) {
      throw fail(e);
    } catch (RuntimeException e) {
      throw fail(e);
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    if (open) {
      commit();
    }
  }

  /**
   * Closes the channel by committing the object; returns it bound to the facade. 412/400 from the
   * store come as {@link StorageException}.
   */
  Blob commit() throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    open = false;
    try {
      Blob blob = values.blob(writer().commit());
      result.set(blob);
      return blob;
    } catch (HybridStorageException e) {
      StorageException translated = Errors.translate(e);
      result.setException(translated);
      throw translated;
    } catch (IOException | RuntimeException e) {
      result.setException(e);
      throw e;
    } finally {
      if (writer != null) {
        writer.close();
      }
    }
  }

  /** Closes the channel without publishing anything (the source of the bytes failed). */
  void abandon(Exception cause) {
    if (open) {
      fail(new IllegalStateException("upload abandoned", cause));
    }
  }

  /** The object once {@link #close()} committed it (a {@code Blob} bound to the facade). */
  ApiFuture<BlobInfo> result() {
    return result;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void setChunkSize(int chunkSize) {
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunkSize must be positive, was " + chunkSize);
    }
  }

  @Override
  public RestorableState<WriteChannel> capture() {
    return () -> this;
  }

  private ObjectWriter writer() {
    if (writer == null) {
      writer = store.openWrite(request);
    }
    return writer;
  }

  private <E extends Exception> E fail(E failure) {
    open = false;
    if (writer != null) {
      writer.close();
    }
    result.setException(failure);
    return failure;
  }
}
