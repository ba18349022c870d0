package io.hybridstorage.api.internal;

import com.google.cloud.RestorableState;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.CopyWriter;
import com.google.cloud.storage.HybridBridge;

/**
 * The {@link CopyWriter} of a copy that {@link io.hybridstorage.api.ObjectStore#copy} completed in
 * one call: done from the start, {@link #copyChunk()} has nothing left to do (as the client's
 * writer once done), and the result is the new object bound to the facade.
 */
final class FinishedCopyWriter extends HybridBridge.AbstractCopyWriter {

  private final Blob result;

  FinishedCopyWriter(Blob result) {
    this.result = result;
  }

  @Override
  public Blob getResult() {
    return result;
  }

  @Override
  public long getBlobSize() {
    return result.getSize();
  }

  @Override
  public boolean isDone() {
    return true;
  }

  @Override
  public long getTotalBytesCopied() {
    return result.getSize();
  }

  @Override
  public void copyChunk() {
    // the copy is complete; the client's writer also does nothing once done
  }

  @Override
  public RestorableState<CopyWriter> capture() {
    return () -> this;
  }
}
