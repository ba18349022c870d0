package io.hybridstorage.vfs;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.StorageException;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLConnection;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.commons.vfs2.FileContentInfoFactory;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;
import org.apache.commons.vfs2.FileType;
import org.apache.commons.vfs2.RandomAccessContent;
import org.apache.commons.vfs2.impl.DefaultFileContentInfo;
import org.apache.commons.vfs2.provider.AbstractFileName;
import org.apache.commons.vfs2.provider.AbstractFileObject;
import org.apache.commons.vfs2.provider.AbstractRandomAccessStreamContent;
import org.apache.commons.vfs2.provider.UriParser;
import org.apache.commons.vfs2.util.RandomAccessMode;

/**
 * One name of a bucket: an object (a file), a prefix with objects under it or an empty {@code
 * name/} folder object (a folder), or nothing (imaginary). Attached lazily by VFS: {@link
 * #doAttach()} reads the object's metadata (one {@code get}) and, when there is none, whether a
 * folder is there (one listing of at most one entry).
 */
final class HybridFileObject extends AbstractFileObject<HybridFileSystem> {

  /** Content type of the empty objects that stand for folders. */
  static final String FOLDER_CONTENT_TYPE = "application/x-directory";

  /** How many objects under a folder without a marker its last-modified time looks at. */
  static final int FOLDER_TIME_PAGE = 1000;

  private final Storage storage;
  private final String bucket;
  /** The object name: the path without its leading {@code /}; empty for the root. */
  private final String key;
  @Nullable private Blob blob;
  private boolean folder;

  HybridFileObject(AbstractFileName name, HybridFileSystem fs) {
    super(name, fs);
    this.storage = fs.storage();
    this.bucket = fs.bucket();
    String path;
    try {
      path = name.getPathDecoded();
    } catch (FileSystemException e) {
      path = name.getPath();
    }
    this.key = path.startsWith("/") ? path.substring(1) : path;
  }

  /** The object name of this file. */
  String key() {
    return key;
  }

  /** The prefix of this folder's children: the name and a {@code /}; empty for the root. */
  private String childPrefix() {
    return key.isEmpty() ? "" : key + "/";
  }

  private String describe() {
    return "gs://" + bucket + "/" + key;
  }

  private FileSystemException failure(String op, String object, Exception e) {
    String code = e instanceof StorageException se ? " (code " + se.getCode() + ")" : "";
    String message = e.getMessage() == null ? e.getClass().getSimpleName()
        : e.getMessage().lines().findFirst().orElse("");
    return new FileSystemException("hybrid:// " + op + " " + object + " failed" + code + ": " + message, e);
  }

  @Override
  protected void doAttach() throws Exception {
    if (key.isEmpty()) {
      folder = true;
      return;
    }
    try {
      blob = storage.get(BlobId.of(bucket, key));
      folder = blob == null && hasChildrenOrMarker();
    } catch (StorageException e) {
      throw failure("stat", describe(), e);
    }
  }

  private boolean hasChildrenOrMarker() {
    for (Blob b : storage.list(bucket, BlobListOption.prefix(childPrefix()), BlobListOption.pageSize(1)).getValues()) {
      return b != null;
    }
    return false;
  }

  /** After VFS wrote, created or renamed this file: read its metadata again. */
  @Override
  protected void onChange() throws Exception {
    doDetach();
    doAttach();
  }

  @Override
  protected void doDetach() {
    blob = null;
    folder = false;
  }

  @Override
  protected FileType doGetType() {
    if (blob != null) {
      return FileType.FILE;
    }
    return folder ? FileType.FOLDER : FileType.IMAGINARY;
  }

  @Override
  protected String[] doListChildren() throws Exception {
    if (!folder) {
      return null; // a file, or nothing: VFS reports list-children-not-folder
    }
    String prefix = childPrefix();
    Set<String> names = new LinkedHashSet<>();
    try {
      for (Blob b : storage.list(bucket, BlobListOption.prefix(prefix), BlobListOption.currentDirectory())
          .iterateAll()) {
        String rest = b.getName().substring(prefix.length());
        if (rest.endsWith("/")) {
          rest = rest.substring(0, rest.length() - 1); // a prefix: a sub-folder
        }
        if (!rest.isEmpty()) { // not this folder's own marker, nor an empty segment
          names.add(rest);
        }
      }
    } catch (StorageException e) {
      throw failure("list", "gs://" + bucket + "/" + prefix, e);
    }
    return UriParser.encode(names.toArray(new String[0]));
  }

  @Override
  protected long doGetContentSize() {
    return blob == null || blob.getSize() == null ? 0 : blob.getSize();
  }

  @Override
  protected long doGetLastModifiedTime() throws Exception {
    if (blob != null) {
      return blob.getUpdateTime() == null ? 0 : blob.getUpdateTime();
    }
    if (!folder) {
      return 0;
    }
    // a folder: its marker's time, else the newest of (at most) the first page of objects under it
    try {
      Blob marker = key.isEmpty() ? null : storage.get(BlobId.of(bucket, childPrefix()));
      if (marker != null && marker.getUpdateTime() != null) {
        return marker.getUpdateTime();
      }
      long newest = 0;
      for (Blob b : storage.list(bucket, BlobListOption.prefix(childPrefix()), BlobListOption.pageSize(FOLDER_TIME_PAGE))
          .getValues()) {
        if (b.getUpdateTime() != null) {
          newest = Math.max(newest, b.getUpdateTime());
        }
      }
      return newest;
    } catch (StorageException e) {
      throw failure("stat", "gs://" + bucket + "/" + childPrefix(), e);
    }
  }

  @Override
  protected Map<String, Object> doGetAttributes() {
    Map<String, Object> attributes = new LinkedHashMap<>();
    if (blob == null) {
      return attributes;
    }
    attributes.put("size", blob.getSize());
    if (blob.getUpdateTime() != null) {
      attributes.put("lastModified", blob.getUpdateTime());
    }
    putIfSet(attributes, "contentType", blob.getContentType());
    putIfSet(attributes, "generation", blob.getGeneration());
    putIfSet(attributes, "metageneration", blob.getMetageneration());
    putIfSet(attributes, "crc32c", blob.getCrc32c());
    putIfSet(attributes, "md5", blob.getMd5());
    putIfSet(attributes, "etag", blob.getEtag());
    if (blob.getMetadata() != null) {
      blob.getMetadata().forEach((k, v) -> putIfSet(attributes, "metadata." + k, v));
    }
    return attributes;
  }

  private static void putIfSet(Map<String, Object> map, String key, @Nullable Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  @Override
  protected FileContentInfoFactory getFileContentInfoFactory() {
    return content -> new DefaultFileContentInfo(blob == null ? null : blob.getContentType(),
        blob == null ? null : blob.getContentEncoding());
  }

  @Override
  protected InputStream doGetInputStream(int bufferSize) throws Exception {
    return Channels.newInputStream(reader(0));
  }

  /** A reader of the generation attached (a later overwrite does not change what is read), from {@code position}. */
  private ReadChannel reader(long position) throws IOException {
    if (blob == null) {
      throw new FileSystemException("vfs.provider/read-not-file.error", getName());
    }
    try {
      ReadChannel channel = storage.reader(BlobId.of(bucket, key, blob.getGeneration()));
      if (position > 0) {
        channel.seek(position);
      }
      return channel;
    } catch (StorageException e) {
      throw failure("read", describe(), e);
    }
  }

  @Override
  protected RandomAccessContent doGetRandomAccessContent(RandomAccessMode mode) throws Exception {
    if (mode.requestWrite()) {
      throw new FileSystemException("hybrid:// random-access write " + describe() + " is not supported: objects are "
          + "written whole");
    }
    return new RandomRead(mode);
  }

  @Override
  protected OutputStream doGetOutputStream(boolean append) throws Exception {
    if (append) {
      throw new FileSystemException("hybrid:// append to " + describe() + " is not supported: objects are written "
          + "whole");
    }
    String contentType = URLConnection.guessContentTypeFromName(key);
    BlobInfo info = BlobInfo.newBuilder(bucket, key)
        .setContentType(contentType != null ? contentType : "application/octet-stream").build();
    try {
      return Channels.newOutputStream(storage.writer(info));
    } catch (StorageException e) {
      throw failure("write", describe(), e);
    }
  }

  @Override
  protected void doCreateFolder() throws Exception {
    try {
      storage.create(BlobInfo.newBuilder(bucket, childPrefix()).setContentType(FOLDER_CONTENT_TYPE).build());
    } catch (StorageException e) {
      throw failure("create folder", "gs://" + bucket + "/" + childPrefix(), e);
    }
  }

  @Override
  protected void doDelete() throws Exception {
    try {
      if (blob != null) {
        // only the version this file showed: a newer one written meanwhile stays (412)
        storage.delete(BlobId.of(bucket, key), BlobSourceOption.generationMatch(blob.getGeneration()));
      } else {
        storage.delete(BlobId.of(bucket, childPrefix())); // the folder's marker, if any; VFS deletes children first
      }
    } catch (StorageException e) {
      throw failure("delete", describe(), e);
    }
  }

  @Override
  protected void doRename(FileObject newFile) throws Exception {
    HybridFileObject target = (HybridFileObject) org.apache.commons.vfs2.util.FileObjectUtils
        .getAbstractFileObject(newFile);
    if (blob != null) {
      move(blob, target.key);
      return;
    }
    // a folder: every object under it, the marker included
    String from = childPrefix();
    String to = target.childPrefix();
    List<Blob> all = new ArrayList<>();
    try {
      storage.list(bucket, BlobListOption.prefix(from)).iterateAll().forEach(all::add);
    } catch (StorageException e) {
      throw failure("list", "gs://" + bucket + "/" + from, e);
    }
    for (Blob b : all) {
      move(b, to + b.getName().substring(from.length()));
    }
  }

  /** Copy, then delete the copied generation of the source. */
  private void move(Blob source, String targetName) throws FileSystemException {
    try {
      storage.copy(Storage.CopyRequest.newBuilder()
          .setSource(BlobId.of(bucket, source.getName(), source.getGeneration()))
          .setTarget(BlobId.of(bucket, targetName))
          .build()).getResult();
    } catch (StorageException e) {
      throw failure("rename (copy to gs://" + bucket + "/" + targetName + ")", "gs://" + bucket + "/" + source.getName(),
          e);
    }
    try {
      storage.delete(BlobId.of(bucket, source.getName()), BlobSourceOption.generationMatch(source.getGeneration()));
    } catch (StorageException e) {
      throw failure("rename (delete of the source after its copy to gs://" + bucket + "/" + targetName + ")",
          "gs://" + bucket + "/" + source.getName(), e);
    }
  }

  /** Random access reads: a reader from the file pointer, reopened on a seek. */
  private final class RandomRead extends AbstractRandomAccessStreamContent {

    private long pointer;
    @Nullable private DataInputStream stream;

    RandomRead(RandomAccessMode mode) {
      super(mode);
    }

    @Override
    protected DataInputStream getDataInputStream() throws IOException {
      if (stream == null) {
        InputStream in = Channels.newInputStream(reader(pointer));
        stream = new DataInputStream(new FilterInputStream(in) {
          @Override
          public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
              pointer++;
            }
            return b;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
              pointer += n;
            }
            return n;
          }

          @Override
          public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            pointer += skipped;
            return skipped;
          }
        });
      }
      return stream;
    }

    @Override
    public long getFilePointer() {
      return pointer;
    }

    @Override
    public long length() {
      return doGetContentSize();
    }

    @Override
    public void seek(long pos) throws IOException {
      if (pos < 0) {
        throw new FileSystemException("hybrid:// seek " + describe() + " to " + pos + ": a position is never negative");
      }
      if (pos != pointer) {
        close();
        pointer = pos;
      }
    }

    @Override
    public void close() throws IOException {
      if (stream != null) {
        stream.close();
        stream = null;
      }
    }
  }
}
