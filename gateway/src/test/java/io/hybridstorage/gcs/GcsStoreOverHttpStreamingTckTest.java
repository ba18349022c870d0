package io.hybridstorage.gcs;

/**
 * {@link HttpTckSupport} with every write a resumable upload ({@code Storage.blobWriteSession};
 * preconditions and checksums decided when the session is finalized).
 */
class GcsStoreOverHttpStreamingTckTest extends HttpTckSupport {

  @Override
  int singleRequestLimit() {
    return 0;
  }
}
