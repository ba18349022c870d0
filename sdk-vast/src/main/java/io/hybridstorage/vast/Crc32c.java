package io.hybridstorage.vast;

/**
 * CRC32C of a concatenation from the CRC32Cs and lengths of its parts, without the bytes (zlib's
 * {@code crc32_combine} for the Castagnoli polynomial), so a server-side compose can record the
 * checksum GCS would report.
 */
final class Crc32c {

  /** The reflected Castagnoli polynomial. */
  private static final int POLY = 0x82F63B78;

  private Crc32c() {}

  /** CRC32C of {@code A ‖ B}, given {@code crcA = crc32c(A)}, {@code crcB = crc32c(B)} and {@code |B|}. */
  static int combine(int crcA, int crcB, long lengthB) {
    if (lengthB <= 0) {
      return crcA;
    }
    int[] even = new int[32];
    int[] odd = new int[32];
    odd[0] = POLY; // the operator for one zero bit
    int row = 1;
    for (int n = 1; n < 32; n++) {
      odd[n] = row;
      row <<= 1;
    }
    square(even, odd); // two zero bits
    square(odd, even); // four zero bits
    int crc = crcA;
    long len = lengthB;
    do {
      square(even, odd); // first pass: one zero byte
      if ((len & 1) != 0) {
        crc = times(even, crc);
      }
      len >>>= 1;
      if (len == 0) {
        break;
      }
      square(odd, even);
      if ((len & 1) != 0) {
        crc = times(odd, crc);
      }
      len >>>= 1;
    } while (len != 0);
    return crc ^ crcB;
  }

  private static int times(int[] matrix, int vector) {
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

  private static void square(int[] square, int[] matrix) {
    for (int n = 0; n < 32; n++) {
      square[n] = times(matrix, matrix[n]);
    }
  }
}
