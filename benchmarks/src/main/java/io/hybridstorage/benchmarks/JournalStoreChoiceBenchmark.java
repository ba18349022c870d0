package io.hybridstorage.benchmarks;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The benchmark that chose the journal's store: one group commit of {@code batch} ~80-byte
 * entries, made durable (MVStore: commit + fsync; SQLite: one transaction in WAL mode with
 * synchronous=FULL), then the same entries removed (lazily for MVStore, one transaction for
 * SQLite) — entries per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class JournalStoreChoiceBenchmark {

  static final int BATCH = 64;

  @Param({"mvstore", "sqlite"})
  public String store;

  private MVStore mv;
  private MVMap<Long, byte[]> map;
  private Connection sql;
  private PreparedStatement insert;
  private PreparedStatement delete;
  private long seq;
  private final byte[] entry = new byte[80];

  @Setup
  public void open() throws SQLException {
    Path dir = Worlds.tempDir();
    if (store.equals("mvstore")) {
      mv = new MVStore.Builder().fileName(dir.resolve("j.mv.db").toString()).autoCommitDisabled().open();
      map = mv.openMap("pending");
    } else {
      sql = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("j.db"));
      try (Statement s = sql.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("CREATE TABLE pending (seq INTEGER PRIMARY KEY, entry BLOB NOT NULL)");
      }
      sql.setAutoCommit(false);
      insert = sql.prepareStatement("INSERT INTO pending (seq, entry) VALUES (?, ?)");
      delete = sql.prepareStatement("DELETE FROM pending WHERE seq = ?");
    }
  }

  @TearDown
  public void close() throws SQLException {
    if (mv != null) {
      mv.close();
    }
    if (sql != null) {
      sql.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long groupCommit() throws SQLException {
    long first = seq;
    ByteBuffer.wrap(entry).putLong(0, first);
    if (mv != null) {
      for (int i = 0; i < BATCH; i++) {
        map.put(seq++, entry.clone());
      }
      mv.commit();
      mv.sync();
      for (long s = first; s < seq; s++) {
        map.remove(s);
      }
    } else {
      for (int i = 0; i < BATCH; i++) {
        insert.setLong(1, seq++);
        insert.setBytes(2, entry);
        insert.addBatch();
      }
      insert.executeBatch();
      sql.commit();
      for (long s = first; s < seq; s++) {
        delete.setLong(1, s);
        delete.addBatch();
      }
      delete.executeBatch();
      sql.commit();
    }
    return seq;
  }
}
