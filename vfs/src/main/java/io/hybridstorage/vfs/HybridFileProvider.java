package io.hybridstorage.vfs;

import com.google.cloud.storage.Storage;
import io.hybridstorage.api.HybridStorageOptions;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import javax.annotation.Nullable;
import org.apache.commons.vfs2.Capability;
import org.apache.commons.vfs2.FileName;
import org.apache.commons.vfs2.FileSystem;
import org.apache.commons.vfs2.FileSystemConfigBuilder;
import org.apache.commons.vfs2.FileSystemException;
import org.apache.commons.vfs2.FileSystemOptions;
import org.apache.commons.vfs2.provider.AbstractOriginatingFileProvider;
import org.apache.commons.vfs2.provider.HostFileNameParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Apache Commons VFS provider for {@code hybrid://bucket/path}: objects of the hybrid {@code
 * Storage} (every placement, replication and read policy applies) as files, with GCS's
 * "directories": a folder is a name prefix ending in {@code /}, listed with the {@code /}
 * delimiter. One file system per bucket.
 *
 * <table>
 *   <caption>VFS operations and what they do on the Storage</caption>
 *   <tr><th>VFS</th><th>Storage</th></tr>
 *   <tr><td>read ({@code getInputStream}, random access)</td><td>{@code reader}, pinned to the generation
 *       the file was attached with</td></tr>
 *   <tr><td>write ({@code getOutputStream})</td><td>{@code writer}: streamed; the object is written when the
 *       stream is closed (nothing is visible before). Append is not supported</td></tr>
 *   <tr><td>{@code getChildren}</td><td>{@code list} with the {@code /} delimiter: objects and prefixes</td></tr>
 *   <tr><td>{@code createFolder}</td><td>an empty {@code path/} object (as the GCS console makes), so an empty
 *       folder exists</td></tr>
 *   <tr><td>{@code delete}</td><td>{@code delete}, conditioned on the generation the file was attached with</td></tr>
 *   <tr><td>{@code moveTo} (same bucket)</td><td>copy, then delete of the source's generation; a folder
 *       object by object</td></tr>
 *   <tr><td>attributes</td><td>{@code size}, {@code lastModified} (epoch ms), {@code contentType},
 *       {@code generation}, {@code metageneration}, {@code crc32c}, {@code md5}, {@code etag}, and
 *       {@code metadata.KEY} per user metadata entry</td></tr>
 * </table>
 *
 * <p>Registration: {@code META-INF/vfs-providers.xml} in this jar registers the scheme {@code
 * hybrid} with {@code StandardFileSystemManager} (what {@code VFS.getManager()} returns), using
 * this class's no-argument constructor: the {@code Storage} of {@code
 * HybridStorageOptions.fromEnvironment()}, opened on first use and closed with the provider.
 * Programmatically, give it a {@code Storage}: {@code manager.addProvider("hybrid", new
 * HybridFileProvider(storage))}; {@link HybridFileSystemConfigBuilder#setStorage} picks one per
 * file system.
 *
 * <p>Errors: a {@code StorageException} reaches the caller as a {@link FileSystemException} whose
 * message names the operation, {@code gs://bucket/object} and the code, with the exception as its
 * cause.
 */
public class HybridFileProvider extends AbstractOriginatingFileProvider {

  private static final Logger log = LoggerFactory.getLogger(HybridFileProvider.class);

  /** The scheme this provider is registered for in {@code META-INF/vfs-providers.xml}. */
  public static final String SCHEME = "hybrid";

  static final Collection<Capability> CAPABILITIES = Collections.unmodifiableCollection(EnumSet.of(
      Capability.CREATE, Capability.DELETE, Capability.RENAME, Capability.GET_TYPE, Capability.LIST_CHILDREN,
      Capability.READ_CONTENT, Capability.RANDOM_ACCESS_READ, Capability.WRITE_CONTENT, Capability.URI,
      Capability.GET_LAST_MODIFIED, Capability.ATTRIBUTES));

  @Nullable private final Storage given;
  @Nullable private Storage opened;

  /**
   * A provider over the {@code Storage} of {@code HybridStorageOptions.fromEnvironment()} (the
   * configuration named by {@code HYBRID_STORAGE_CONFIG}, else the embedded in-memory world),
   * opened when the first file system is and closed by {@link #close()}. The constructor {@code
   * META-INF/vfs-providers.xml} uses.
   */
  public HybridFileProvider() {
    this(null);
  }

  /** A provider over {@code storage}, which stays the caller's (not closed by this provider). */
  public HybridFileProvider(@Nullable Storage storage) {
    this.given = storage;
    setFileNameParser(new HostFileNameParser(-1));
  }

  @Override
  public Collection<Capability> getCapabilities() {
    return CAPABILITIES;
  }

  @Override
  public FileSystemConfigBuilder getConfigBuilder() {
    return HybridFileSystemConfigBuilder.getInstance();
  }

  @Override
  protected FileSystem doCreateFileSystem(FileName rootFileName, FileSystemOptions fileSystemOptions)
      throws FileSystemException {
    Storage storage = HybridFileSystemConfigBuilder.getInstance().getStorage(fileSystemOptions);
    return new HybridFileSystem(rootFileName, storage != null ? storage : storage(), fileSystemOptions);
  }

  /** The provider's own {@code Storage}: the one given, else the environment's, opened once. */
  synchronized Storage storage() throws FileSystemException {
    if (given != null) {
      return given;
    }
    if (opened == null) {
      try {
        HybridStorageOptions options = HybridStorageOptions.fromEnvironment();
        opened = options.getService();
        log.debug("hybrid:// file systems use {}", options);
      } catch (RuntimeException e) {
        throw new FileSystemException("cannot open hybrid storage for the hybrid:// scheme: " + e.getMessage(), e);
      }
    }
    return opened;
  }

  @Override
  public void close() {
    super.close();
    Storage mine;
    synchronized (this) {
      mine = opened;
      opened = null;
    }
    if (mine != null) {
      try {
        mine.close();
      } catch (Exception e) {
        log.warn("closing the hybrid storage of the hybrid:// provider failed", e);
      }
    }
  }
}
