package io.hybridstorage.samples;

import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A business unit's nightly job, written only against {@code com.google.cloud.storage.Storage}:
 * nothing in it knows about hybrid storage. It
 *
 * <ol>
 *   <li>writes a date partition of CSV files ({@code sales/dt=2026-11-27/part-0000.csv} …) and
 *       yesterday's, streaming through {@link Storage#writer};
 *   <li>lists the partitions and one partition's files with a delimiter;
 *   <li>reads byte ranges (each file's header and its tail);
 *   <li>composes the day's parts into one file, reads it, and removes it again;
 *   <li>copies a part to an archive prefix;
 *   <li>commits the partition with a {@code _SUCCESS} marker written only if absent, and shows
 *       that a re-run cannot overwrite it (412);
 *   <li>deletes with preconditions: a stale generation is refused (412), the current one goes;
 *   <li>drops yesterday's partition and lists what is left.
 * </ol>
 *
 * Each step prints what it did. A step that fails is reported ({@code ! step failed: …}) and the
 * job goes on, so one run shows every difference between two {@code Storage} implementations;
 * {@link #run()} returns the lines, and {@link Report#failures()} counts the failed steps.
 *
 * <p>The output holds no generation numbers or timestamps, which differ between any two runs;
 * it says whether a generation changed instead.
 */
public final class PartitionedSalesJob {

  /** The day this job processes. */
  public static final String DAY = "2026-11-27";
  /** Yesterday, whose partition the job drops. */
  public static final String YESTERDAY = "2026-11-26";
  static final String HEADER = "order_id,store,amount_cents\n";

  private final Storage storage;
  private final String bucket;
  private final Consumer<String> out;

  /**
   * @param storage any {@code Storage}: the GCS client, LocalStorageHelper's, or the hybrid one
   * @param bucket an existing bucket (jobs do not create buckets; the platform does)
   * @param out where each output line goes as it is produced (e.g. {@code System.out::println})
   */
  public PartitionedSalesJob(Storage storage, String bucket, Consumer<String> out) {
    this.storage = storage;
    this.bucket = bucket;
    this.out = out;
  }

  /** What a run printed, and how many of its steps failed. */
  public record Report(List<String> lines, int failures) {}

  /**
   * A step added after the job's own, reported like them (its failure counted in {@code done: N
   * failed step(s)}): what the sample's main shows about the sites once the job is done.
   *
   * @param title printed as {@code == title}
   * @param body prints its lines to the consumer it is given; an exception fails the step
   */
  public record Step(String title, Consumer<Consumer<String>> body) {}

  /** Runs the job's steps. */
  public Report run() {
    return run(List.of());
  }

  /** Runs the job's steps, then {@code afterwards}, and counts the failed steps of both. */
  public Report run(List<Step> afterwards) {
    List<String> lines = new ArrayList<>();
    Consumer<String> print = line -> {
      lines.add(line);
      out.accept(line);
    };
    int failures = 0;
    failures += step(print, "write the partitions", this::writePartitions);
    failures += step(print, "list", this::listPartitions);
    failures += step(print, "read ranges", this::readRanges);
    failures += step(print, "compose the day", this::composeDay);
    failures += step(print, "copy to the archive", this::archive);
    failures += step(print, "commit the partition", this::commit);
    failures += step(print, "delete with preconditions", this::conditionalDelete);
    failures += step(print, "drop yesterday", this::dropYesterday);
    failures += step(print, "final listing", this::finalListing);
    for (Step extra : afterwards) {
      failures += step(print, extra.title(), extra.body());
    }
    print.accept("done: " + failures + " failed step(s)");
    return new Report(List.copyOf(lines), failures);
  }

  private int step(Consumer<String> print, String title, Consumer<Consumer<String>> body) {
    print.accept("== " + title);
    try {
      body.accept(print);
      return 0;
    } catch (RuntimeException e) {
      String code = e instanceof StorageException se ? " (code " + se.getCode() + ")" : "";
      String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
      print.accept("  ! step failed: " + e.getClass().getSimpleName() + code + message);
      return 1;
    }
  }

  // ------------------------------------------------------------------ steps

  private void writePartitions(Consumer<String> print) {
    for (int part = 0; part < 3; part++) {
      writeCsv(print, partName(DAY, part), rows(DAY, part, 4 + part));
    }
    writeCsv(print, partName(YESTERDAY, 0), rows(YESTERDAY, 0, 2));
  }

  private void listPartitions(Consumer<String> print) {
    print.accept("  partitions under sales/:");
    for (Blob b : storage.list(bucket, BlobListOption.prefix("sales/"), BlobListOption.currentDirectory())
        .iterateAll()) {
      print.accept("    " + (b.isDirectory() ? "prefix " : "object ") + b.getName());
    }
    String partition = "sales/dt=" + DAY + "/";
    print.accept("  files in " + partition + ":");
    for (Blob b : storage.list(bucket, BlobListOption.prefix(partition), BlobListOption.delimiter("/"))
        .iterateAll()) {
      print.accept("    " + b.getName() + " " + b.getSize() + " bytes, " + b.getContentType() + ", rows="
          + (b.getMetadata() == null ? null : b.getMetadata().get("rows")));
    }
  }

  private void readRanges(Consumer<String> print) {
    for (int part = 0; part < 3; part++) {
      String name = partName(DAY, part);
      long size = storage.get(bucket, name).getSize();
      String head = readRange(name, 0, HEADER.length() - 1);
      String tail = readRange(name, size - 9, size);
      print.accept("  " + name + " bytes [0," + (HEADER.length() - 1) + ")=\"" + head + "\" last 9=\""
          + tail.replace("\n", "\\n") + "\"");
    }
  }

  private void composeDay(Consumer<String> print) {
    String target = "sales/dt=" + DAY + "/all.csv";
    Blob composed = storage.compose(Storage.ComposeRequest.newBuilder()
        .addSource(partName(DAY, 0), partName(DAY, 1), partName(DAY, 2))
        .setTarget(BlobInfo.newBuilder(bucket, target).setContentType("text/csv").build())
        .build());
    if (composed == null) {
      throw new IllegalStateException("compose returned no blob");
    }
    byte[] all = storage.readAllBytes(bucket, target);
    long lines = new String(all, StandardCharsets.UTF_8).lines().count();
    print.accept("  composed " + target + ": " + composed.getSize() + " bytes, " + lines + " lines, components="
        + composed.getComponentCount());
    print.accept("  removed " + target + ": " + storage.delete(BlobId.of(bucket, target)));
  }

  private void archive(Consumer<String> print) {
    String source = partName(DAY, 0);
    String target = "archive/" + source;
    Blob copy = storage.copy(Storage.CopyRequest.of(bucket, source, BlobId.of(bucket, target))).getResult();
    print.accept("  copied " + source + " -> " + target + ": " + copy.getSize() + " bytes, same content="
        + java.util.Arrays.equals(storage.readAllBytes(bucket, source), storage.readAllBytes(bucket, target)));
  }

  private void commit(Consumer<String> print) {
    String marker = "sales/dt=" + DAY + "/_SUCCESS";
    write(marker, new byte[0], "text/plain", Map.of(), BlobWriteOption.doesNotExist());
    print.accept("  committed " + marker);
    try {
      write(marker, new byte[0], "text/plain", Map.of(), BlobWriteOption.doesNotExist());
      print.accept("  re-run overwrote " + marker + " (it should not have)");
    } catch (StorageException e) {
      if (e.getCode() != 412) {
        throw e;
      }
      print.accept("  re-run refused to overwrite " + marker + " (412)");
    }
  }

  private void conditionalDelete(Consumer<String> print) {
    String scratch = "sales/dt=" + DAY + "/_tmp/checkpoint";
    write(scratch, "v1".getBytes(StandardCharsets.UTF_8), "text/plain", Map.of());
    Blob v1 = storage.get(bucket, scratch);
    write(scratch, "v2".getBytes(StandardCharsets.UTF_8), "text/plain", Map.of(),
        BlobWriteOption.generationMatch(v1.getGeneration()));
    Blob v2 = storage.get(bucket, scratch);
    print.accept("  rewrote " + scratch + " if generation matched: generation changed="
        + !v1.getGeneration().equals(v2.getGeneration()));
    try {
      boolean deleted = storage.delete(BlobId.of(bucket, scratch), BlobSourceOption.generationMatch(v1.getGeneration()));
      print.accept("  delete of the stale generation returned " + deleted + " (it should have been refused)");
    } catch (StorageException e) {
      if (e.getCode() != 412) {
        throw e;
      }
      print.accept("  delete of the stale generation refused (412)");
    }
    print.accept("  delete of the current generation: "
        + storage.delete(BlobId.of(bucket, scratch), BlobSourceOption.generationMatch(v2.getGeneration())));
    print.accept("  " + scratch + " exists afterwards: " + (storage.get(bucket, scratch) != null));
  }

  private void dropYesterday(Consumer<String> print) {
    int dropped = 0;
    for (Blob b : storage.list(bucket, BlobListOption.prefix("sales/dt=" + YESTERDAY + "/")).iterateAll()) {
      if (storage.delete(b.getBlobId(), BlobSourceOption.generationMatch(b.getGeneration()))) {
        dropped++;
      }
    }
    print.accept("  dropped " + dropped + " object(s) of sales/dt=" + YESTERDAY + "/");
  }

  private void finalListing(Consumer<String> print) {
    for (Blob b : storage.list(bucket).iterateAll()) {
      print.accept("    " + b.getName() + " " + b.getSize() + " bytes");
    }
  }

  // ------------------------------------------------------------------ helpers

  static String partName(String day, int part) {
    return String.format("sales/dt=%s/part-%04d.csv", day, part);
  }

  /** {@code count} deterministic rows of a partition, with the CSV header. */
  static String rows(String day, int part, int count) {
    StringBuilder sb = new StringBuilder(HEADER);
    for (int i = 0; i < count; i++) {
      int id = part * 1000 + i;
      sb.append(day.replace("-", "")).append('-').append(String.format("%05d", id)).append(",store-")
          .append((id * 7) % 13).append(',').append((id * 7919) % 100_000).append('\n');
    }
    return sb.toString();
  }

  private void writeCsv(Consumer<String> print, String name, String csv) {
    int rows = (int) csv.lines().count() - 1;
    write(name, csv.getBytes(StandardCharsets.UTF_8), "text/csv", Map.of("rows", Integer.toString(rows)));
    print.accept("  wrote " + name + " (" + csv.length() + " bytes, " + rows + " rows)");
  }

  private void write(String name, byte[] data, String contentType, Map<String, String> metadata,
      BlobWriteOption... options) {
    BlobInfo info = BlobInfo.newBuilder(bucket, name).setContentType(contentType).setMetadata(metadata).build();
    try (WriteChannel channel = storage.writer(info, options)) {
      ByteBuffer buffer = ByteBuffer.wrap(data);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      throw unwrap(e);
    }
  }

  private String readRange(String name, long from, long to) {
    try (ReadChannel reader = storage.reader(bucket, name)) {
      reader.seek(from);
      reader.limit(to);
      ByteBuffer buffer = ByteBuffer.allocate((int) (to - from));
      while (buffer.hasRemaining() && reader.read(buffer) >= 0) {
        // keep reading until the range is complete or the object ends
      }
      buffer.flip();
      return StandardCharsets.UTF_8.decode(buffer).toString();
    } catch (IOException e) {
      throw unwrap(e);
    }
  }

  /** The GCS client wraps a failed close/read in an IOException whose cause is the StorageException. */
  private static RuntimeException unwrap(IOException e) {
    return e.getCause() instanceof StorageException se ? se : new UncheckedIOException(e);
  }
}
