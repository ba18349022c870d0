package io.hybridstorage.api.internal;

import com.google.api.core.ApiFuture;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BlobWriteSession;
import java.nio.channels.WritableByteChannel;

/**
 * {@code Storage.blobWriteSession(...)}: one {@link ObjectWriteChannel}, opened once; the result
 * resolves to the created object when the channel is closed (or fails as the close did).
 */
final class WriteSession implements BlobWriteSession {

  private final ObjectWriteChannel channel;
  private boolean opened;

  WriteSession(ObjectWriteChannel channel) {
    this.channel = channel;
  }

  @Override
  public synchronized WritableByteChannel open() {
    if (opened) {
      throw new IllegalStateException("open() may be called only once per BlobWriteSession");
    }
    opened = true;
    return channel;
  }

  @Override
  public ApiFuture<BlobInfo> getResult() {
    return channel.result();
  }
}
