package io.hybridstorage.api;

import com.google.common.hash.HashCode;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.common.io.BaseEncoding;
import com.google.common.primitives.Ints;
import java.nio.ByteBuffer;
import javax.annotation.Nullable;

/**
 * Streaming CRC32C and MD5 in GCS's representation (base64 of the big-endian value), computed
 * while bytes pass through. Not thread-safe.
 */
@SuppressWarnings("deprecation") // MD5 is what GCS reports, not a security choice
public final class Checksums {

  private final Hasher crc32c = Hashing.crc32c().newHasher();
  @Nullable private final Hasher md5;
  private long size;

  /** CRC32C and MD5. */
  public Checksums() {
    this(true);
  }

  private Checksums(boolean md5) {
    this.md5 = md5 ? Hashing.md5().newHasher() : null;
  }

  /**
   * CRC32C only, for a writer that will neither verify nor record an MD5: MD5 costs about 35
   * times the CRC32C's CPU (360 vs 10 ms per 256 MiB here). {@link #finish()} then gives a null MD5.
   */
  public static Checksums withoutMd5() {
    return new Checksums(false);
  }

  /** Adds the buffer's remaining bytes; leaves its position unchanged. */
  public void update(ByteBuffer bytes) {
    ByteBuffer view = bytes.duplicate();
    size += view.remaining();
    if (md5 == null) {
      crc32c.putBytes(view);
      return;
    }
    crc32c.putBytes(view.duplicate());
    md5.putBytes(view);
  }

  public void update(byte[] bytes, int offset, int length) {
    update(ByteBuffer.wrap(bytes, offset, length));
  }

  public long size() {
    return size;
  }

  /** Finishes: {@code [crc32c, md5]} in base64 (md5 null {@link #withoutMd5() without it}). Call once. */
  public String[] finish() {
    return new String[] {crc32cBase64(crc32c.hash()), md5 == null ? null : BaseEncoding.base64().encode(
        md5.hash().asBytes())};
  }

  /** The GCS base64 form of a CRC32C hash (big-endian, unlike Guava's byte order). */
  public static String crc32cBase64(HashCode crc) {
    return BaseEncoding.base64().encode(Ints.toByteArray(crc.asInt()));
  }

  /** The GCS base64 form of the CRC32C of {@code data}. */
  public static String crc32c(byte[] data) {
    return crc32cBase64(Hashing.crc32c().hashBytes(data));
  }

  /**
   * The CRC32C of {@code info}'s version in {@code store}: the one the store reports, else computed
   * by reading the bytes (an object written outside the SDK on VAST has none recorded).
   *
   * @throws HybridStorageException as {@link ObjectStore#read} (404 when that version is gone)
   */
  public static String crc32c(ObjectStore store, ObjectInfo info) {
    if (info.crc32c() != null) {
      return info.crc32c();
    }
    Checksums sums = withoutMd5();
    try (ObjectContent c = store.read(ReadRequest.of(info.id()));
         java.io.InputStream in = c.stream()) {
      byte[] chunk = new byte[64 * 1024];
      for (int r; (r = in.read(chunk)) >= 0; ) {
        sums.update(chunk, 0, r);
      }
    } catch (java.io.IOException e) {
      throw HybridStorageException.io("crc32c", info.bucket(), info.name(), store.site(), e);
    }
    return sums.finish()[0];
  }

  /** The base64 MD5 of {@code data}. */
  public static String md5(byte[] data) {
    return BaseEncoding.base64().encode(Hashing.md5().hashBytes(data).asBytes());
  }

  /** The int value of a base64 CRC32C, for combining. */
  public static int crc32cValue(String base64) {
    return Ints.fromByteArray(BaseEncoding.base64().decode(base64));
  }

  /**
   * 400 (GCS's wording) when the client's checksums do not match what was received; either
   * expected value may be null (unchecked).
   */
  public static void verify(@Nullable String expectedCrc32c, @Nullable String expectedMd5, String actualCrc32c,
      String actualMd5, String operation, String bucket, String name, String site) {
    if (expectedCrc32c != null && !expectedCrc32c.equals(actualCrc32c)) {
      throw HybridStorageException.invalid(operation, bucket, name, site,
          "Provided CRC32C \"" + expectedCrc32c + "\" doesn't match calculated CRC32C \"" + actualCrc32c + "\".");
    }
    if (expectedMd5 != null && !expectedMd5.equals(actualMd5)) {
      throw HybridStorageException.invalid(operation, bucket, name, site,
          "Provided MD5 hash \"" + expectedMd5 + "\" doesn't match calculated MD5 hash \"" + actualMd5 + "\".");
    }
  }

  /** The reflected Castagnoli polynomial. */
  private static final int CASTAGNOLI_REFLECTED = 0x82F63B78;

  /**
   * CRC32C of a concatenation {@code A ‖ B} from {@code crcA = crc32c(A)}, {@code crcB = crc32c(B)}
   * and {@code |B|}, without the bytes (zlib's {@code crc32_combine} for the Castagnoli
   * polynomial): what a composite object's CRC32C is, as GCS reports it.
   */
  public static int combineCrc32c(int crcA, int crcB, long lengthB) {
    if (lengthB <= 0) {
      return crcA;
    }
    int[] even = new int[32];
    int[] odd = new int[32];
    odd[0] = CASTAGNOLI_REFLECTED; // the operator for one zero bit
    int row = 1;
    for (int n = 1; n < 32; n++) {
      odd[n] = row;
      row <<= 1;
    }
    gf2Square(even, odd); // two zero bits
    gf2Square(odd, even); // four zero bits
    int crc = crcA;
    long len = lengthB;
    do {
      gf2Square(even, odd); // first pass: one zero byte
      if ((len & 1) != 0) {
        crc = gf2Times(even, crc);
      }
      len >>>= 1;
      if (len == 0) {
        break;
      }
      gf2Square(odd, even);
      if ((len & 1) != 0) {
        crc = gf2Times(odd, crc);
      }
      len >>>= 1;
    } while (len != 0);
    return crc ^ crcB;
  }

  private static int gf2Times(int[] matrix, int vector) {
    int sum = 0;
    int i = 0;
    int v = vector;
    while (v != 0) {
      if ((v & 1) != 0) {
        sum ^= matrix[i];
      }
      v >>>= 1;
      i++;
    }
    return sum;
  }

  private static void gf2Square(int[] square, int[] matrix) {
    for (int n = 0; n < 32; n++) {
      square[n] = gf2Times(matrix, matrix[n]);
    }
  }
}
