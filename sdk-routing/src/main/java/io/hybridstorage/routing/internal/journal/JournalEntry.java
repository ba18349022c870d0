package io.hybridstorage.routing.internal.journal;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One pending replica change: make {@code target} hold what {@code source} holds of {@code
 * bucket/name} at {@code generation}.
 *
 * @param sequence the journal's order (assigned on append; replay follows it per object)
 * @param source the site whose copy is the truth for this change (the authority, or the local
 *     site under LOCAL_THEN_ASYNC)
 * @param attempt failed replay attempts so far
 * @param enqueuedMillis when the entry was appended, by the options' clock (its age is a metric)
 */
public record JournalEntry(
    long sequence,
    String bucket,
    String name,
    long generation,
    String target,
    String source,
    Op op,
    int attempt,
    long enqueuedMillis) {

  /** What to replicate. */
  public enum Op {
    /** Copy the source's bytes and metadata of {@code generation}, unless superseded. */
    WRITE,
    /** Delete the target's live version if its generation is {@code <= generation}. */
    DELETE,
    /** Delete exactly version {@code generation} (a noncurrent version, or a failed write's leftover). */
    DELETE_VERSION,
    /** Copy the source's metadata of {@code generation} onto the target's copy of it. */
    METADATA
  }

  public JournalEntry {
    requireNonNull(bucket, "bucket");
    requireNonNull(name, "name");
    requireNonNull(target, "target");
    requireNonNull(source, "source");
    requireNonNull(op, "op");
  }

  /** An entry to append (the journal assigns the sequence). */
  public static JournalEntry of(Op op, String bucket, String name, long generation, String source, String target,
      long nowMillis) {
    return new JournalEntry(0, bucket, name, generation, target, source, op, 0, nowMillis);
  }

  JournalEntry withSequence(long value) {
    return new JournalEntry(value, bucket, name, generation, target, source, op, attempt, enqueuedMillis);
  }

  public JournalEntry nextAttempt() {
    return new JournalEntry(sequence, bucket, name, generation, target, source, op, attempt + 1, enqueuedMillis);
  }

  /** The lane key: entries with the same key replay one after another, in sequence order. */
  public String objectKey() {
    return target + '\n' + bucket + '\n' + name;
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + name.length());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(1); // format version
      out.writeUTF(bucket);
      out.writeInt(name.length());
      out.writeChars(name); // object names may exceed writeUTF's 64 KiB and hold any char
      out.writeLong(generation);
      out.writeUTF(target);
      out.writeUTF(source);
      out.writeByte(op.ordinal());
      out.writeInt(attempt);
      out.writeLong(enqueuedMillis);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static JournalEntry decode(long sequence, byte[] value) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
      int version = in.readByte();
      if (version != 1) {
        throw new IllegalStateException("journal entry " + sequence + " has unknown format " + version);
      }
      String bucket = in.readUTF();
      char[] name = new char[in.readInt()];
      for (int i = 0; i < name.length; i++) {
        name[i] = in.readChar();
      }
      long generation = in.readLong();
      String target = in.readUTF();
      String source = in.readUTF();
      Op op = Op.values()[in.readByte()];
      int attempt = in.readInt();
      long enqueued = in.readLong();
      return new JournalEntry(sequence, bucket, new String(name), generation, target, source, op, attempt, enqueued);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
