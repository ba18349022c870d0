package io.hybridstorage.memory;

import io.hybridstorage.api.Checksums;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The bytes of one stored version, as the chunks they were written in: never modified once
 * published, so a write keeps its chunks instead of copying them into one array (a 64 MiB object
 * costs 64 MiB, not the doublings of a growing buffer plus a final copy), and a compose or copy
 * shares its sources' chunks. Immutable.
 */
final class Bytes {

  static final Bytes EMPTY = new Bytes(new byte[0][], new int[0], 0);

  private final byte[][] chunks;
  /** How much of each chunk is used (a chunk may have slack at its end); none is zero. */
  private final int[] lengths;
  private final long size;

  private Bytes(byte[][] chunks, int[] lengths, long size) {
    this.chunks = chunks;
    this.lengths = lengths;
    this.size = size;
  }

  /** {@code data}, which the caller no longer modifies. */
  static Bytes of(byte[] data) {
    return data.length == 0 ? EMPTY : new Bytes(new byte[][] {data}, new int[] {data.length}, data.length);
  }

  /**
   * Chunks the caller no longer modifies, each used whole except the last, of which {@code
   * lastUsed} bytes are used.
   */
  static Bytes ofChunks(List<byte[]> chunks, int lastUsed) {
    if (chunks.size() == 1) { // most objects
      byte[] only = chunks.get(0);
      return lastUsed == 0 ? EMPTY : new Bytes(new byte[][] {only}, new int[] {lastUsed}, lastUsed);
    }
    List<byte[]> kept = new ArrayList<>(chunks.size());
    List<Integer> used = new ArrayList<>(chunks.size());
    long size = 0;
    for (int i = 0; i < chunks.size(); i++) {
      byte[] c = chunks.get(i);
      int n = i == chunks.size() - 1 ? lastUsed : c.length;
      if (n > 0) {
        kept.add(c);
        used.add(n);
        size += n;
      }
    }
    if (kept.isEmpty()) {
      return EMPTY;
    }
    return new Bytes(kept.toArray(new byte[0][]), used.stream().mapToInt(Integer::intValue).toArray(), size);
  }

  /** The parts one after another, sharing their chunks. */
  static Bytes concat(List<Bytes> parts) {
    int count = 0;
    for (Bytes p : parts) {
      count += p.chunks.length;
    }
    byte[][] chunks = new byte[count][];
    int[] lengths = new int[count];
    long size = 0;
    int at = 0;
    for (Bytes p : parts) {
      System.arraycopy(p.chunks, 0, chunks, at, p.chunks.length);
      System.arraycopy(p.lengths, 0, lengths, at, p.lengths.length);
      at += p.chunks.length;
      size += p.size;
    }
    return size == 0 ? EMPTY : new Bytes(chunks, lengths, size);
  }

  long size() {
    return size;
  }

  /** Adds every byte to {@code checksums}. */
  void hash(Checksums checksums) {
    for (int i = 0; i < chunks.length; i++) {
      checksums.update(chunks[i], 0, lengths[i]);
    }
  }

  /** {@code count} bytes from {@code start}; both within {@link #size()}. */
  InputStream stream(long start, long count) {
    if (chunks.length == 0) {
      return new ByteArrayInputStream(new byte[0]);
    }
    if (chunks.length == 1) {
      return new ByteArrayInputStream(chunks[0], (int) start, (int) count);
    }
    List<InputStream> parts = new ArrayList<>();
    long skip = start;
    long left = count;
    for (int i = 0; i < chunks.length && left > 0; i++) {
      if (skip >= lengths[i]) {
        skip -= lengths[i];
        continue;
      }
      int n = (int) Math.min(lengths[i] - skip, left);
      parts.add(new ByteArrayInputStream(chunks[i], (int) skip, n));
      left -= n;
      skip = 0;
    }
    return new SequenceInputStream(Collections.enumeration(parts));
  }
}
