package io.hybridstorage.vfs;

import com.google.cloud.storage.Storage;
import javax.annotation.Nullable;
import org.apache.commons.vfs2.FileSystem;
import org.apache.commons.vfs2.FileSystemConfigBuilder;
import org.apache.commons.vfs2.FileSystemOptions;

/**
 * Per file system settings of the {@code hybrid://} scheme: which {@code Storage} a file system
 * uses, when it is not the provider's own.
 *
 * <pre>{@code
 * FileSystemOptions opts = new FileSystemOptions();
 * HybridFileSystemConfigBuilder.getInstance().setStorage(opts, storage);
 * FileObject file = VFS.getManager().resolveFile("hybrid://sales/dt=2026-11-27/part-0000.csv", opts);
 * }</pre>
 */
public final class HybridFileSystemConfigBuilder extends FileSystemConfigBuilder {

  private static final HybridFileSystemConfigBuilder INSTANCE = new HybridFileSystemConfigBuilder();
  private static final String STORAGE = HybridFileSystemConfigBuilder.class.getName() + ".storage";

  private HybridFileSystemConfigBuilder() {
    super("hybrid.");
  }

  /** The one instance. */
  public static HybridFileSystemConfigBuilder getInstance() {
    return INSTANCE;
  }

  /** File systems resolved with {@code options} use {@code storage} (which stays the caller's). */
  public void setStorage(FileSystemOptions options, Storage storage) {
    setParam(options, STORAGE, storage);
  }

  /** The {@code Storage} set in {@code options}, or null: the provider's own. */
  @Nullable
  public Storage getStorage(@Nullable FileSystemOptions options) {
    return options == null ? null : (Storage) getParam(options, STORAGE);
  }

  @Override
  protected Class<? extends FileSystem> getConfigClass() {
    return HybridFileSystem.class;
  }
}
