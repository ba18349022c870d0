package io.hybridstorage.routing.internal;

import io.hybridstorage.api.HybridStorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A {@link GenerationClock.Ceiling} kept in one small file (the decimal generation) beside the
 * router's journal: written to a temporary file, forced to disk, then moved over the old one
 * atomically, so a crash leaves the old ceiling or the new one, never a torn one. Thread-safe;
 * the stored value only goes up.
 */
public final class CeilingFile implements GenerationClock.Ceiling {

  /** The file's name in the journal directory. */
  public static final String NAME = "generation-ceiling";

  private final Path file;
  private final Path temporary;
  /** The highest ceiling this object has stored (guarded by this). */
  private long written;

  public CeilingFile(Path directory) {
    this.file = directory.resolve(NAME);
    this.temporary = directory.resolve(NAME + ".tmp");
  }

  @Override
  public synchronized long load() {
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
      written = text.isEmpty() ? 0 : Long.parseLong(text);
      return written;
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException | NumberFormatException e) {
      throw new HybridStorageException(500, "journalUnreadable", "open", null, null, null,
          "cannot read the generation ceiling " + file + ": " + e, e);
    }
  }

  /**
   * Stores {@code ceiling} unless a higher one is stored already: the clock stores from its
   * issuing threads and from a background raise, whose values may arrive out of order, and the
   * file must never go down.
   */
  @Override
  public synchronized void store(long ceiling) {
    if (ceiling <= written) {
      return;
    }
    try {
      try (FileChannel ch = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap(Long.toString(ceiling).getBytes(StandardCharsets.US_ASCII)));
        ch.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      written = ceiling;
    } catch (IOException e) {
      throw new HybridStorageException(503, "journalUnavailable", "write", null, null, null,
          "cannot store the generation ceiling " + file + " (a restarted router could issue generations below the"
              + " ones its clients saw): " + e, e);
    }
  }
}
