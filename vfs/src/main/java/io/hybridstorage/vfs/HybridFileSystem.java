package io.hybridstorage.vfs;

import com.google.cloud.storage.Storage;
import java.util.Collection;
import org.apache.commons.vfs2.Capability;
import org.apache.commons.vfs2.FileName;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemOptions;
import org.apache.commons.vfs2.provider.AbstractFileName;
import org.apache.commons.vfs2.provider.AbstractFileSystem;
import org.apache.commons.vfs2.provider.GenericFileName;

/** One bucket of the hybrid {@code Storage} as a VFS file system: the root is {@code hybrid://bucket/}. */
final class HybridFileSystem extends AbstractFileSystem {

  private final Storage storage;
  private final String bucket;

  HybridFileSystem(FileName rootName, Storage storage, FileSystemOptions options) {
    super(rootName, null, options);
    this.storage = storage;
    this.bucket = ((GenericFileName) rootName).getHostName();
  }

  Storage storage() {
    return storage;
  }

  String bucket() {
    return bucket;
  }

  @Override
  protected void addCapabilities(Collection<Capability> caps) {
    caps.addAll(HybridFileProvider.CAPABILITIES);
  }

  @Override
  protected FileObject createFile(AbstractFileName name) {
    return new HybridFileObject(name, this);
  }
}
