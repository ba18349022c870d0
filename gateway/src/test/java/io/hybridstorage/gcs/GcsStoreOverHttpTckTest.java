package io.hybridstorage.gcs;

/**
 * {@link HttpTckSupport} with GcsStore's default single-request limit: small objects go as one
 * multipart upload ({@code Storage.create(BlobInfo, byte[])}), large ones as resumable uploads.
 */
class GcsStoreOverHttpTckTest extends HttpTckSupport {

  @Override
  int singleRequestLimit() {
    return GcsStore.DEFAULT_SINGLE_REQUEST_LIMIT;
  }
}
