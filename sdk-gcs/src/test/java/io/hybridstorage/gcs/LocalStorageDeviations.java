package io.hybridstorage.gcs;

/**
 * Where google-cloud-nio's LocalStorageHelper (its {@code FakeStorageRpc}, 0.128.x) is not GCS,
 * each verified against its source and an observed TCK failure. Used by the suppressions of
 * {@link GcsStoreLocalStorageTckTest}; none of them is a deviation of GcsStore (the same cases
 * pass over the hybrid facade, and GcsStore's own unit tests cover its side).
 */
final class LocalStorageDeviations {

  private LocalStorageDeviations() {}

  static final String NO_VERSIONS =
      "FakeStorageRpc keeps one version per name and ignores the generation of a BlobId on get, "
      + "read and delete; its list() throws 'Unknown option: VERSIONS'";

  static final String NO_LIST_FILTERS =
      "FakeStorageRpc.list() knows only prefix, delimiter, pageToken and maxResults: it throws "
      + "'Unknown option' for startOffset, endOffset and matchGlob";

  static final String NO_ORDER_NO_PAGING =
      "FakeStorageRpc.list() walks a HashMap (no UTF-8 name order), cuts the page at maxResults "
      + "and hands back the caller's pageToken as the next one: no order, no paging, no invalid "
      + "tokens";

  static final String ONE_CHAR_DELIMITER =
      "FakeStorageRpc rolls a name up to the first character of the delimiter only (substring(0, "
      + "index + 1)), so a multi-character delimiter yields 'x-' for 'x--'";

  static final String READ_CONDITIONS_IGNORED =
      "FakeStorageRpc.get, read, delete and openRewrite ignore generation and metageneration "
      + "preconditions (and openRewrite copies the target resource as given, not the source's "
      + "metadata)";

  static final String WRITE_CONDITIONS =
      "FakeStorageRpc.open checks ifGenerationMatch only: a mismatch is a 404 (GCS: 412), "
      + "doesNotExist on an existing object a code-0 StorageException(FileAlreadyExistsException), "
      + "a match on a missing object a NullPointerException, and the other conditions are ignored";

  static final String NO_CHECKSUMS_NO_METAGENERATION =
      "FakeStorageRpc computes no CRC32C or MD5 ('TODO: crc, etc') and never sets a "
      + "metageneration";

  static final String UPLOAD_VISIBLE_AT_START =
      "FakeStorageRpc.open puts the new object's metadata in place when a resumable upload "
      + "starts, so an upload that is abandoned or fails its checksum leaves an object (and "
      + "replaces the previous version's metadata); GCS shows nothing before the upload is "
      + "finalized (GcsObjectWriterTest proves GcsStore never finalizes such an upload)";

  static final String SHARED_UPLOAD_ID =
      "FakeStorageRpc uses 'bucket/name' as the resumable upload id, so concurrent uploads of one"
      + " name share one buffer ('Finalized upload, but object size greater than expected') and see"
      + " each other's unfinished metadata (generation null)";

  static final String RAW_UPLOAD_ID_URL =
      "FakeStorageRpc's resumable upload id is the raw 'bucket/name', which the 2.x client parses"
      + " as a URL (GenericUrl): a name containing '%' fails with 'URLDecoder: Illegal hex "
      + "characters'";

  static final String DELETE_DURING_UPLOAD =
      "FakeStorageRpc is @NotThreadSafe and an upload spans open() and the last writeWithResponse():"
      + " a delete in between removes the upload's metadata, so the finished write has no object and"
      + " the client reports 404 for an unconditional write (GCS publishes the write)";

  static final String NO_PATCH =
      "FakeStorageRpc.patch returns null (and throws on any option): object metadata cannot be "
      + "updated";

  static final String NO_COMPOSE =
      "FakeStorageRpc.compose returns null: no compose";
}
