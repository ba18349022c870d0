package io.hybridstorage.routing;

import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.testkit.tck.TombstoneTester;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/**
 * The kill -9 test's file-backed site keeps tombstones as the {@code ASSIGNED_GENERATIONS}
 * contract requires (the TCK's tombstone tests; the rest of the TCK needs operations it answers
 * with 501).
 */
class DirectoryStoreTombstoneTest implements TombstoneTester {

  private static final Path ROOT = World.tempDir();
  private final ObjectStore store;

  DirectoryStoreTombstoneTest() throws IOException {
    store = new DirectoryStore("dir", Files.createTempDirectory(ROOT, "site"));
  }

  @Override
  public ObjectStore store() {
    return store;
  }

  @AfterAll
  static void deleteFiles() throws IOException {
    com.google.common.io.MoreFiles.deleteRecursively(ROOT);
  }
}
