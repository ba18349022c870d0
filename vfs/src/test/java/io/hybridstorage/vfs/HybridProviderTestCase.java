package io.hybridstorage.vfs;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.hybridstorage.api.HybridStorageOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import junit.framework.Test;
import org.apache.commons.vfs2.AbstractProviderTestConfig;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemManager;
import org.apache.commons.vfs2.ProviderTestSuite;
import org.apache.commons.vfs2.VfsTestUtils;
import org.apache.commons.vfs2.impl.DefaultFileSystemManager;

/**
 * Commons VFS's own provider test suite ({@link ProviderTestSuite}: naming, URIs, content, read,
 * write, rename, delete, random read, last-modified, class loading…) run against {@code hybrid://}
 * over the in-memory three-site world. The suite's test tree ({@code test-data/} in commons-vfs2's
 * test jar) is uploaded into a bucket first, as commons-vfs2's RAM provider test imports it: its
 * files as objects, its folders as the empty {@code name/} objects {@code createFolder} makes (so
 * that, as on a disk, {@code write-tests/} stays a folder when the suite empties it).
 * Tests gated on a capability the provider does not declare (append, random-access write,
 * set-last-modified, …) are skipped by the suite itself.
 */
public class HybridProviderTestCase extends AbstractProviderTestConfig {

  static final String BUCKET = "vfs-tests";

  private final Storage storage = HybridStorageOptions.inMemoryThreeSites().build().getService();
  private boolean imported;

  /** The suite (JUnit 3 style, run by the vintage engine). */
  public static Test suite() throws Exception {
    return new ProviderTestSuite(new HybridProviderTestCase());
  }

  @Override
  public void prepare(DefaultFileSystemManager manager) throws Exception {
    manager.addProvider(HybridFileProvider.SCHEME, new HybridFileProvider(storage));
  }

  @Override
  public FileObject getBaseTestFolder(FileSystemManager manager) throws Exception {
    if (!imported) {
      storage.create(BucketInfo.of(BUCKET));
      importTestData(storage, BUCKET);
      imported = true;
    }
    return manager.resolveFile("hybrid://" + BUCKET + "/");
  }

  /** Uploads commons-vfs2's {@code test-data/} tree (files only; folders exist through them). */
  static void importTestData(Storage storage, String bucket) throws Exception {
    // the test jar itself (a copy extracted below may shadow its resources on the class path)
    Path jar = Path.of(ProviderTestSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (JarFile file = new JarFile(jar.toFile())) {
      Enumeration<JarEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        JarEntry e = entries.nextElement();
        String name = e.getName();
        if (!name.startsWith("test-data/") || name.equals("test-data/") || name.startsWith("test-data/homeDirIsRoot/")
            || e.getSize() > 1 << 20) {
          continue; // the large archive and the FTP home-directory copy are not used by the provider suite
        }
        if (e.isDirectory()) { // a folder as the provider's createFolder makes it: an empty "name/" object
          storage.create(BlobInfo.newBuilder(bucket, name.substring("test-data/".length()))
              .setContentType(HybridFileObject.FOLDER_CONTENT_TYPE).build());
          continue;
        }
        byte[] bytes;
        try (InputStream in = file.getInputStream(e)) {
          bytes = in.readAllBytes();
        }
        String relative = name.substring("test-data/".length());
        storage.create(BlobInfo.newBuilder(bucket, relative).build(), bytes);
        // the suite's class-loader tests compare with the same tree on the local file system
        Path local = VfsTestUtils.getTestDirectoryFile().toPath().resolve(relative);
        Files.createDirectories(local.getParent());
        Files.write(local, bytes);
      }
    }
  }

  @Override
  public void tearDown() throws Exception {
    super.tearDown();
  }
}
