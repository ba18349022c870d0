package io.hybridstorage.sync.internal;

import io.hybridstorage.sync.Change;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the sync still has to do for one object: the coalesced changes reported for it since it was
 * last applied. Changes are hints (the apply reconciles the object's current state), so coalescing
 * keeps only what the apply needs: the newest generation seen, the newest generation known deleted,
 * the earliest event time (where the staleness clock of the oldest unapplied change started), and
 * the sites that reported changes (a change at a site that is not the authority may be a write made
 * there outside the SDK). Immutable.
 *
 * @param version bumped by every merge: an apply removes the entry only if no change came meanwhile
 */
public record Pending(
    String bucket,
    String name,
    long version,
    long generation,
    long deletedUpTo,
    Instant eventTime,
    String origin,
    Set<String> sites) {

  public Pending {
    sites = Set.copyOf(sites);
  }

  /** The entry of a first change. */
  public static Pending of(Change c, long version) {
    return new Pending(c.bucket(), c.name(), version, c.generation(), deleted(c), c.eventTime(), c.origin(),
        Set.of(c.site()));
  }

  /** This entry with {@code c} merged in. */
  public Pending merge(Change c, long newVersion) {
    Set<String> s = new TreeSet<>(sites);
    s.add(c.site());
    return new Pending(bucket, name, newVersion, Math.max(generation, c.generation()),
        Math.max(deletedUpTo, deleted(c)), c.eventTime().isBefore(eventTime) ? c.eventTime() : eventTime, origin, s);
  }

  private static long deleted(Change c) {
    return switch (c.kind()) {
      case DELETE, ARCHIVE -> c.generation();
      case FINALIZE -> c.overwroteGeneration(); // an overwrite deleted the previous live version
      case METADATA_UPDATE -> 0;
    };
  }

  /** The key of an object in the queue. */
  public static String key(String bucket, String name) {
    return bucket + "\n" + name;
  }

  public String key() {
    return key(bucket, name);
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + name.length());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(1);
      out.writeUTF(bucket);
      out.writeUTF(name);
      out.writeLong(version);
      out.writeLong(generation);
      out.writeLong(deletedUpTo);
      out.writeLong(eventTime.getEpochSecond());
      out.writeInt(eventTime.getNano());
      out.writeUTF(origin);
      out.writeShort(sites.size());
      for (String s : new TreeSet<>(sites)) {
        out.writeUTF(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Pending decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int format = in.readByte();
      if (format != 1) {
        throw new IllegalStateException("unknown sync queue entry format " + format);
      }
      String bucket = in.readUTF();
      String name = in.readUTF();
      long version = in.readLong();
      long generation = in.readLong();
      long deletedUpTo = in.readLong();
      Instant time = Instant.ofEpochSecond(in.readLong(), in.readInt());
      String origin = in.readUTF();
      int n = in.readShort();
      Set<String> sites = new TreeSet<>();
      for (int i = 0; i < n; i++) {
        sites.add(in.readUTF());
      }
      return new Pending(bucket, name, version, generation, deletedUpTo, time, origin, sites);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
